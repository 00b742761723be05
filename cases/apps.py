from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Session logs and patterns"

    def ready(self):
        from accounts import drafts
        from supervision import erasure

        from . import waiting
        from .erasure import ERASER
        from .views import KEPT_FORMS

        erasure.register(ERASER)
        waiting.register(waiting.KEPT)
        waiting.register(waiting.DRAFTS)
        for kept_form in KEPT_FORMS:
            drafts.register(kept_form)
