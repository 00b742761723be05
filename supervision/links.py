"""Links that lower layers draw to pages of higher ones, registered by those layers; and
links to many rows of one kind from a single reverse.

The review queue (cases) lists a supervisor's supervisees, whose pages live in the
dashboards app above it: dashboards registers the page here from its AppConfig.ready(),
and the queue asks for the link without naming the URL (tests/test_layers.py).
"""

import functools
from collections.abc import Callable

from django.urls import get_script_prefix, reverse

# Stands in for the id in the one reverse of `pk_url`; no real id is this large.
_MARKER = "2147480009"


def page_url(view_name: str) -> str:
    """`reverse(view_name)` for a page without arguments, from one reverse per process (and
    script prefix): a page's links to other pages, read at every visit."""
    return _page_url(get_script_prefix(), view_name)


@functools.lru_cache(maxsize=256)
def _page_url(script_prefix: str, view_name: str) -> str:
    # As in _around_the_id: reverse() reads the script prefix itself; it is in the key.
    return reverse(view_name)


def pk_url(view_name: str, *leading: int) -> Callable[[int], str]:
    """`reverse(view_name, args=[*leading, pk])` for any id, from one reverse per process: a
    list links each of its rows, and each reverse costs about 85 k instructions. For pages
    whose last argument is an integer id (after any fixed ones, such as a group's)."""
    head, tail = _around_the_id(get_script_prefix(), view_name, tuple(int(a) for a in leading))
    return lambda pk: f"{head}{int(pk)}{tail}"


@functools.lru_cache(maxsize=512)
def _around_the_id(script_prefix: str, view_name: str, leading: tuple[int, ...]) -> tuple[str, str]:
    # The URL configuration does not change while the process runs; reverse() reads the
    # script prefix itself, and it is in the key so that each prefix gets its own.
    head, tail = reverse(view_name, args=[*leading, _MARKER]).rsplit(_MARKER, 1)
    return head, tail


_supervisee_pages: Callable[[], Callable[[int], str]] | None = None


def register_supervisee_pages(urls: Callable[[], Callable[[int], str]]) -> None:
    """`urls()` gives a function from a supervisee's id to her page (a `pk_url`)."""
    global _supervisee_pages
    _supervisee_pages = urls


def supervisee_pages() -> Callable[[int], str]:
    """Her supervisor's page of each supervisee, by id, from one reverse per call (call it
    once per page, not per row); "" for everyone where no app provides the page."""
    if _supervisee_pages is None:
        return lambda pk: ""
    return _supervisee_pages()
