"""The stored full-text vector of each session log, on PostgreSQL.

`SessionLog.search_vector` holds one vector per log: its four text fields and the notes
of all its pattern tags, parsed with the "english" configuration, so that a search matches
stored vectors instead of parsing every one of an author's logs on each query. A search is
always within one person's logs, which her own index finds; `cases.selectors.search` keeps
the GIN index out of it, because a plan PostgreSQL keeps for it (prepared statements) would
otherwise choose that index without knowing the words (docs/performance.md). Nothing in
the database keeps it current: every write of those fields or of a tag note calls
`search_vector_refresh` in the same transaction. Other databases (SQLite in development)
leave the column empty and search with a substring match instead.

The migration that added the column (cases/migrations/0005) fills it with the same
expression in plain SQL; a test holds the two to the same result.
"""

from collections.abc import Iterable

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from .content import TEXT_FIELDS
from .models import PatternTag, SessionLog

CONFIG = "english"


def search_vector() -> SearchVector:
    """The vector of the log it is evaluated on (an UPDATE's row)."""
    # A subquery, not a join, so a log with several tags stays one row. Ordered so that
    # a log's vector (word positions, which phrase search reads) does not depend on the plan;
    # no Meta ordering here, which would join the pattern and family tables for nothing.
    notes = (
        PatternTag.objects.filter(log=OuterRef("pk"))
        .order_by()
        .values("log")
        .annotate(all_notes=StringAgg("note", delimiter=" ", order_by="pk"))
        .values("all_notes")
    )
    return SearchVector(*TEXT_FIELDS, Subquery(notes), config=CONFIG)


def search_vector_refresh(*, log_ids: Iterable[int] | QuerySet) -> int:
    """Recompute the vectors of these logs in one UPDATE; returns the rows updated.

    `log_ids` may be a queryset of ids (`.values("pk")`): a large refresh (the scale seed)
    then stays one statement without sending every id. Does nothing off PostgreSQL."""
    if connection.vendor != "postgresql":
        return 0
    if not isinstance(log_ids, QuerySet):
        log_ids = list(log_ids)
        if not log_ids:
            return 0
    return SessionLog.objects.filter(pk__in=log_ids).update(search_vector=search_vector())
