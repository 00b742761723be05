from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Session logs and patterns"

    def ready(self):
        from supervision import erasure

        from . import waiting
        from .erasure import ERASER

        erasure.register(ERASER)
        waiting.register(waiting.DRAFTS)
