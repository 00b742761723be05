"""Links that lower layers draw to pages of higher ones, registered by those layers.

The review queue (cases) lists a supervisor's supervisees, whose pages live in the
dashboards app above it: dashboards registers the page here from its AppConfig.ready(),
and the queue asks for the link without naming the URL (tests/test_layers.py).
"""

from collections.abc import Callable

_supervisee_page: Callable[[int], str] | None = None


def register_supervisee_page(url_of: Callable[[int], str]) -> None:
    global _supervisee_page
    _supervisee_page = url_of


def supervisee_page(pk: int) -> str:
    """Her supervisor's page of this supervisee, or "" where no app provides one."""
    return _supervisee_page(pk) if _supervisee_page is not None else ""
