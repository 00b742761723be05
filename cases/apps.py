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
        load_extra_detectors()


def load_extra_detectors() -> None:
    """Import the operator's extra identifier detectors once, at start-up.

    A path that does not import stops the process with the reason, as a bad setting
    should; nothing is fetched from anywhere, the callable must already be installed.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    from . import identifiers

    detectors = []
    for path in getattr(settings, "IDENTIFIER_EXTRA_DETECTORS", ()):
        try:
            detector = import_string(path)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"IDENTIFIER_EXTRA_DETECTORS: cannot import {path!r} ({exc})."
            ) from exc
        if not callable(detector):
            raise ImproperlyConfigured(f"IDENTIFIER_EXTRA_DETECTORS: {path!r} is not callable.")
        detectors.append(detector)
    identifiers.set_extra_detectors(detectors)
