"""Links that lower layers draw to pages of higher ones, registered by those layers; and
links to many rows of one kind from a single reverse.

The review queue (cases) lists a supervisor's supervisees, whose pages live in the
dashboards app above it: dashboards registers the page here from its AppConfig.ready(),
and the queue asks for the link without naming the URL (tests/test_layers.py).
"""

from collections.abc import Callable

from django.urls import reverse

# Stands in for the id in the one reverse of `pk_url`; no real id is this large.
_MARKER = "2147480009"


def pk_url(view_name: str, *leading: int) -> Callable[[int], str]:
    """`reverse(view_name, args=[*leading, pk])` for any id, from one reverse: a list links
    each of its rows, and each reverse costs about 85 k instructions. For pages whose last
    argument is an integer id (after any fixed ones, such as a group's); called once per
    page, so a changed script prefix is still followed."""
    head, tail = reverse(view_name, args=[*(int(a) for a in leading), _MARKER]).rsplit(_MARKER, 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


_supervisee_page: Callable[[int], str] | None = None


def register_supervisee_page(url_of: Callable[[int], str]) -> None:
    global _supervisee_page
    _supervisee_page = url_of


def supervisee_page(pk: int) -> str:
    """Her supervisor's page of this supervisee, or "" where no app provides one."""
    return _supervisee_page(pk) if _supervisee_page is not None else ""
