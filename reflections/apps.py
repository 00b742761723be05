from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = "Reflections"

    def ready(self):
        from supervision import erasure

        from .erasure import ERASER

        erasure.register(ERASER)
