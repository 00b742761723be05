from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default = True
    name = "supervision"
    verbose_name = "People and supervision"
