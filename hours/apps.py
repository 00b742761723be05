from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = "Hours toward licensure"

    def ready(self):
        from cases import waiting
        from supervision import erasure

        from .erasure import ERASER
        from .queue import TO_SIGN

        erasure.register(ERASER)
        waiting.register_queue_section(TO_SIGN)
