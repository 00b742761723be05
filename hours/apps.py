from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = "Hours toward licensure"

    def ready(self):
        from cases import waiting
        from supervision import erasure, services

        from .erasure import ERASER
        from .queue import TO_SIGN, tell_unsigned_on_ending

        erasure.register(ERASER)
        waiting.register_queue_section(TO_SIGN)
        services.register_on_relationship_ending(tell_unsigned_on_ending)
