from django.apps import AppConfig


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = "Reflections"

    def ready(self):
        from cases import log_page, waiting
        from supervision import erasure

        from .erasure import ERASER
        from .selectors import WAITING_SECTIONS
        from .views import LOG_PAGE_PANELS

        erasure.register(ERASER)
        for panel in LOG_PAGE_PANELS:
            log_page.register(panel)
        for section in WAITING_SECTIONS:
            waiting.register(section)
