"""A page of a list and its total in one query, where Django's Paginator makes two.

`Paginator(queryset, n).get_page(number)` counts the rows, then reads the page. Here the
page's rows carry the total as a window (`COUNT(*) OVER ()`, computed before LIMIT on
SQLite and PostgreSQL alike), so a page that has rows costs one query. What the Paginator
would do with a number that is not a page (not a number: the first page; zero, negative or
past the end: the last page) it still does, in its own two queries: those are rare.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"


def page_of(queryset: QuerySet, number: str | None, per_page: int) -> Page:
    """The same Page as `Paginator(queryset, per_page).get_page(number)`."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        start = (wanted - 1) * per_page
        rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[start : start + per_page])
        if rows or wanted == 1:
            # Paginator.count is a cached property: set, it is not counted again.
            paginator.count = getattr(rows[0], TOTAL) if rows else 0
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)
