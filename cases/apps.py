from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Session logs and patterns"

    def ready(self):
        from accounts import drafts
        from supervision import erasure

        from .erasure import ERASER
        from .views import KEPT_FORMS

        erasure.register(ERASER)
        for kept_form in KEPT_FORMS:
            drafts.register(kept_form)
