from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = "Reflections"

    def ready(self):
        from accounts import drafts
        from cases import log_page, waiting
        from supervision import erasure

        from .erasure import ERASER
        from .selectors import WAITING_SECTIONS
        from .views import KEPT_FORMS, LOG_PAGE_PANELS

        erasure.register(ERASER)
        for kept_form in KEPT_FORMS:
            drafts.register(kept_form)
        for panel in LOG_PAGE_PANELS:
            log_page.register(panel)
        for section in WAITING_SECTIONS:
            waiting.register(section)
