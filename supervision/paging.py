"""A page of a list and its total in one query, where Django's Paginator makes two.

`Paginator(queryset, n).get_page(number)` counts the rows, then reads the page. Here the
page's rows carry the total as a window (`COUNT(*) OVER ()`, computed before LIMIT on
SQLite and PostgreSQL alike), so a page that has rows costs one query. What the Paginator
would do with a number that is not a page (not a number: the first page; zero, negative or
past the end: the last page) it still does, in its own two queries: those are rare.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"


def page_of(queryset: QuerySet, number: str | None, per_page: int) -> Page:
    """The same Page as `Paginator(queryset, per_page).get_page(number)`."""

    def read(start: int, size: int) -> tuple[list, int]:
        rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[start : start + size])
        if not rows:
            return rows, 0
        if isinstance(rows[0], tuple):
            # A values_list(): the total is its last column.
            return [row[:-1] for row in rows], rows[0][-1]
        return rows, getattr(rows[0], TOTAL)

    return counted_page(read, queryset, number, per_page)


def counted_page(
    read: Callable[[int, int], tuple[list, int]], everything: Any, number: str | None, per_page: int
) -> Page:
    """The same Page as `Paginator(everything, per_page).get_page(number)`, where
    `read(start, size)` gives that slice's rows and the total of all rows (0 for none) from
    one query. `everything` is what the Paginator counts and slices for the rare number
    that is not a page."""
    paginator = Paginator(everything, per_page)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        rows, total = read((wanted - 1) * per_page, per_page)
        if rows or wanted == 1:
            # Paginator.count is a cached property: set, it is not counted again.
            paginator.count = total
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)


@dataclass(frozen=True)
class Pager:
    """A Page's pagination links as values, under the names Page gives them.

    `_pagination.html` is read by both template engines (config.jinja2.SHARED): Django's calls
    a Page's methods (`page.has_next`) itself, Jinja2 does not, so a Jinja2 page passes this
    and a Django page passes its Page (`{% include "_pagination.html" with pager=page %}`).
    """

    number: int
    paginator: Paginator
    has_other_pages: bool
    has_previous: bool
    has_next: bool
    previous_page_number: int | None
    next_page_number: int | None

    @classmethod
    def of(cls, page: Page) -> "Pager":
        return cls(
            number=page.number,
            paginator=page.paginator,
            has_other_pages=page.has_other_pages(),
            has_previous=page.has_previous(),
            has_next=page.has_next(),
            previous_page_number=page.previous_page_number() if page.has_previous() else None,
            next_page_number=page.next_page_number() if page.has_next() else None,
        )
