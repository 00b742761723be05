"""Reads that the case-log pages need, scoped and prefetched."""

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from supervision.models import User

from .models import LogStatus, PatternTag, SessionLog

SEARCH_FIELDS = ("what_happened", "what_i_felt", "what_i_did", "what_it_teaches", "tags__note")


def logs_for_author(author: User, filters: dict | None = None) -> QuerySet[SessionLog]:
    filters = filters or {}
    logs = SessionLog.objects.live().filter(author=author)
    if filters.get("pattern"):
        # A subquery, not a join: no duplicate rows, so no DISTINCT over the whole log
        # (the page count would otherwise sort every column of every matching log).
        tagged = PatternTag.objects.filter(pattern=filters["pattern"]).values("log_id")
        logs = logs.filter(pk__in=tagged)
    if filters.get("client_code"):
        logs = logs.filter(client_code=filters["client_code"])
    if filters.get("status"):
        logs = logs.filter(status=filters["status"])
    if filters.get("date_from"):
        logs = logs.filter(session_date__gte=filters["date_from"])
    if filters.get("date_to"):
        logs = logs.filter(session_date__lte=filters["date_to"])
    if filters.get("q"):
        logs = search(logs, filters["q"])
    return logs.with_tags()


def search(logs: QuerySet[SessionLog], text: str) -> QuerySet[SessionLog]:
    """Full-text search on PostgreSQL; a plain substring match elsewhere."""
    text = text.strip()
    if not text:
        return logs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import StringAgg
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # One text vector per log: its fields and all its tag notes (gathered in a
        # subquery, not a join that would repeat the log once per tag). Only the logs in
        # scope (one author's) are turned into vectors, and only once: the matching ids
        # are read here, so the page and its count do not each search again.
        notes = (
            PatternTag.objects.filter(log=OuterRef("pk"))
            .values("log")
            .annotate(all_notes=StringAgg("note", delimiter=" "))
            .values("all_notes")
        )
        vector = SearchVector(
            *(f for f in SEARCH_FIELDS if "__" not in f), Subquery(notes), config="english"
        )
        matching = list(
            logs.annotate(search=vector)
            .filter(search=SearchQuery(text, config="english", search_type="websearch"))
            .values_list("pk", flat=True)
        )
        return logs.filter(pk__in=matching)
    query = Q()
    for field in SEARCH_FIELDS:
        query |= Q(**{f"{field}__icontains": text})
    # The tag-note lookup joins the tags; a subquery keeps one row per log.
    return logs.filter(pk__in=logs.filter(query).values("pk"))


def client_codes_for(author: User) -> list[str]:
    return list(
        SessionLog.objects.live()
        .filter(author=author)
        .order_by("client_code")
        .values_list("client_code", flat=True)
        .distinct()
    )


def review_queue(supervisor: User) -> list[SessionLog]:
    now = timezone.now()
    logs = list(SessionLog.objects.awaiting_review_by(supervisor).with_tags())
    for log in logs:
        log.waiting = now - log.submitted_at
    return logs


def trash_for(author: User) -> QuerySet[SessionLog]:
    return (
        SessionLog.objects.filter(author=author, deleted_at__isnull=False, status=LogStatus.DRAFT)
        .order_by("-deleted_at")
        .with_tags()
    )
