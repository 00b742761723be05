"""Reads that the case-log pages need, scoped and prefetched."""

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.paginator import Page
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from supervision.compiled import FixedQuery, prefetched
from supervision.formats import Row, date_written, day_month_year
from supervision.links import pk_url
from supervision.models import User, named_only
from supervision.paging import TOTAL, counted_page

from . import log_page
from .content import TEXT_FIELDS
from .forms import LogFilterForm
from .models import (
    REVIEW_CLAIM_MINUTES,
    Addendum,
    ClientPresentation,
    LogStatus,
    Pattern,
    PatternTag,
    ReviewActivity,
    SessionLog,
)
from .search import CONFIG as SEARCH_CONFIG

# Off PostgreSQL: the same text as the stored vector, matched as a substring.
SEARCH_FIELDS = (*TEXT_FIELDS, "tags__note")


def patterns_stamp(patterns: QuerySet[Pattern]) -> str:
    """A short name for how these patterns read as a list of choices (ids, names, order):
    it changes whenever one is added, renamed, moved or retired, so a fragment cached
    under it is never shown stale."""
    return _stamp(list(patterns.values_list("pk", "name")))


def _stamp(rows: list[tuple[int, str]]) -> str:
    return hashlib.sha256(json.dumps([list(row) for row in rows]).encode()).hexdigest()[:24]


# The log filters' pattern choices, as the form defines them (cases.forms.LogFilterForm):
# asked on her home page at every visit, compiled once per process.
_FILTER_PATTERNS = FixedQuery(
    lambda: LogFilterForm.base_fields["pattern"].queryset.values_list("pk", "name")  # type: ignore[attr-defined]
)


def filter_patterns_stamp() -> str:
    """`patterns_stamp` of the log filters' pattern choices, without building the form."""
    return _stamp(_FILTER_PATTERNS.rows())


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
    return logs.for_list()


def search(logs: QuerySet[SessionLog], text: str) -> QuerySet[SessionLog]:
    """Full-text search on PostgreSQL; a plain substring match elsewhere."""
    text = text.strip()
    if not text:
        return logs
    if connection.vendor == "postgresql":
        # The stored vector (cases.search), so nothing is parsed per log at query time.
        # Through COALESCE, which the GIN index cannot serve: a search is always within one
        # person's few hundred logs, read by her index and matched as they are read. Given
        # the index, PostgreSQL's plan for a query it keeps (config.settings.env: prepared
        # statements) ignores the words and may scan the index for a word in 26,000 logs
        # (8 ms against 0.4 on the bench data, docs/performance.md).
        return logs.alias(
            stored_vector=Coalesce("search_vector", Value("", output_field=SearchVectorField()))
        ).filter(stored_vector=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch"))
    query = Q()
    for field in SEARCH_FIELDS:
        query |= Q(**{f"{field}__icontains": text})
    # The tag-note lookup joins the tags; a subquery keeps one row per log.
    return logs.filter(pk__in=logs.filter(query).values("pk"))


# --- her list of logs (her home page) -----------------------------------------------------

LIST_PAGE_SIZE = 20
# What a row of the list shows; read as plain rows, not as SessionLog objects.
LIST_COLUMNS = ("pk", "client_code", "session_date", "status", "duration_minutes")
STATUS_BADGES = {
    LogStatus.DRAFT: "Draft",
    LogStatus.SUBMITTED: "Submitted for review",
    LogStatus.RETURNED: "Returned for revision",
    LogStatus.SIGNED: "Signed off",
}

# The unfiltered list and the names of a page's tags have the same shape for everyone and on
# every page: compiled to SQL once per process (supervision.compiled), run with her id, the
# page's offset and the page's log ids.
_HER_LOGS = FixedQuery(
    lambda person: SessionLog.objects.live().filter(author_id=person).values_list(*LIST_COLUMNS),
    person=int,
)
# The same with the total of her logs on every row (COUNT(*) OVER (), before LIMIT), so that a
# page of her list and its count are one query (`_CompiledList.page`).
_HER_LOGS_COUNTED = FixedQuery(
    lambda person: (
        SessionLog.objects.live()
        .filter(author_id=person)
        .annotate(**{TOTAL: Window(Count("pk"))})
        .values_list(*LIST_COLUMNS, TOTAL)
    ),
    person=int,
)
_TAG_NAMES = FixedQuery(
    lambda logs: PatternTag.objects.filter(log_id__in=logs).values_list("log_id", "pattern__name"),
    logs=(int, LIST_PAGE_SIZE),
)


class _CompiledList:
    """A compiled query's rows as the Paginator reads them: a count and a slice, each the
    query compiled once with these values; and a page with its total in one query, from the
    same query with the total on every row (`counted`)."""

    ordered = True

    def __init__(self, query: FixedQuery, counted: FixedQuery, **values):
        self.query, self.counted, self.values = query, counted, values

    def page(self, number: str | None, per_page: int) -> Page:
        """The same Page as `Paginator(self, per_page).get_page(number)`."""

        def read(start: int, size: int) -> tuple[list[tuple], int]:
            rows = self.counted.rows(limit=size, offset=start, **self.values)
            return [row[:-1] for row in rows], rows[0][-1] if rows else 0

        return counted_page(read, self, number, per_page)

    def count(self) -> int:
        return self.query.count(**self.values)

    def __getitem__(self, page: slice) -> list[tuple]:
        start, stop = page.start or 0, page.stop
        if stop is None or stop <= start:
            return []
        return self.query.rows(limit=stop - start, offset=start, **self.values)


class HerLogs(_CompiledList):
    """Her logs outside the trash, newest first (rows as tuples of LIST_COLUMNS)."""

    def __init__(self, author: User):
        super().__init__(_HER_LOGS, _HER_LOGS_COUNTED, person=author.pk)


def _submitted_work(author: User, filters: dict | None = None) -> QuerySet:
    """Her logs but her drafts (which stay hers until she submits them), outside the trash,
    newest first, as rows of LIST_COLUMNS: her supervisor's page of her lists them."""
    return (
        logs_for_author(author, filters).exclude(status=LogStatus.DRAFT).values_list(*LIST_COLUMNS)
    )


_SUBMITTED_WORK = FixedQuery(lambda person: _submitted_work(User(pk=person)), person=int)
_SUBMITTED_WORK_COUNTED = FixedQuery(
    lambda person: _submitted_work(User(pk=person)).annotate(**{TOTAL: Window(Count("pk"))}),
    person=int,
)


class SubmittedWork(_CompiledList):
    """Her submitted, returned and signed logs, unfiltered (`_submitted_work`), compiled once."""

    def __init__(self, author: User):
        super().__init__(_SUBMITTED_WORK, _SUBMITTED_WORK_COUNTED, person=author.pk)


def submitted_work(author: User, filters: dict) -> "SubmittedWork | QuerySet":
    """Her submitted work with her supervisor's filters (cleaned), as rows of LIST_COLUMNS:
    unfiltered through the query compiled once, filtered built by the ORM. A test compares
    the two."""
    return _submitted_work(author, filters) if filters else SubmittedWork(author)


# Her search alone, the commonest filter: on PostgreSQL a search is one parameter of a
# fixed query (the stored vector against the words she typed), compiled once per process.
# Elsewhere the substring match wraps her text in wildcards, which no compiled query can take
# as a parameter, so it is built each time (`logs_for_author`).
_HER_SEARCH = FixedQuery(
    lambda person, text: (
        search(SessionLog.objects.live().filter(author_id=person), text)
        .for_list()
        .values_list(*LIST_COLUMNS)
    ),
    person=int,
    text=str,
)
_HER_SEARCH_COUNTED = FixedQuery(
    lambda person, text: (
        search(SessionLog.objects.live().filter(author_id=person), text)
        .annotate(**{TOTAL: Window(Count("pk"))})
        .values_list(*LIST_COLUMNS, TOTAL)
    ),
    person=int,
    text=str,
)


class HerSearch(_CompiledList):
    """Her logs outside the trash that her search finds, newest first (PostgreSQL only, see
    `_HER_SEARCH`)."""

    def __init__(self, author: User, text: str):
        super().__init__(_HER_SEARCH, _HER_SEARCH_COUNTED, person=author.pk, text=text)


def her_logs_filtered(author: User, filters: dict) -> "HerSearch | QuerySet":
    """Her list with her filters (cleaned), as rows of LIST_COLUMNS: a search alone through
    the query compiled once (on PostgreSQL), anything else built by the ORM. A test compares
    the two for several people and searches."""
    text = (filters.get("q") or "").strip()
    only_search = text and not any(v for k, v in filters.items() if k != "q")
    if only_search and connection.vendor == "postgresql":
        return HerSearch(author, text)
    return logs_for_author(author, filters).values_list(*LIST_COLUMNS)


def tag_names_of(log_ids: list[int]) -> dict[int, list[str]]:
    """Each log's tagged patterns' names in catalog order, one query for up to a page of logs."""
    names: dict[int, list[str]] = {pk: [] for pk in log_ids}
    for start in range(0, len(log_ids), LIST_PAGE_SIZE):
        chunk = log_ids[start : start + LIST_PAGE_SIZE]
        # Padded with 0, which no log has, so that every page runs the same SQL.
        padded = chunk + [0] * (LIST_PAGE_SIZE - len(chunk))
        for log_id, name in _TAG_NAMES.rows(logs=padded):
            names[log_id].append(name)
    return names


def list_rows(rows: Iterable[tuple]) -> list[Row]:
    """What each row of her list draws, as plain data: links from one reverse per page, the
    date already written out, the status badge's words, the pattern names."""
    rows = list(rows)
    log_url, edit_url = pk_url("cases:log_detail"), pk_url("cases:log_edit")
    names = tag_names_of([row[0] for row in rows]) if rows else {}
    return [
        Row(
            pk=pk,
            client_code=code,
            date=day_month_year(day),
            status=status,
            status_label=STATUS_BADGES.get(status, ""),
            # A quick note has no duration until she completes it (SessionLog.is_quick_note).
            is_quick_note=minutes is None,
            url=log_url(pk),
            edit_url=edit_url(pk),
            tag_names=names[pk],
        )
        for pk, code, day, status, minutes in rows
    ]


_CLIENT_CODES = FixedQuery(
    lambda person: (
        SessionLog.objects.live()
        .filter(author_id=person)
        .order_by("client_code")
        .values_list("client_code")
        .distinct()
    ),
    person=int,
)


def client_codes_for(author: User) -> list[str]:
    """Her client codes, each once, in order (compiled once per process: on her home page)."""
    return [code for (code,) in _CLIENT_CODES.rows(person=author.pk)]


def with_tag_names(logs: Iterable[SessionLog]) -> list[SessionLog]:
    """The logs, each with its `tag_names` set from one query that reads only log ids and
    pattern names: a list draws names, so no tag or pattern objects are built for it
    (building them was 40% of the time spent fetching a page of twenty logs)."""
    logs = list(logs)
    names: dict[int, list[str]] = {log.pk: [] for log in logs}
    if names:
        rows = PatternTag.objects.filter(log__in=list(names)).values_list("log_id", "pattern__name")
        for log_id, name in rows:
            names[log_id].append(name)
    for log in logs:
        log.tag_names = names[log.pk]
    return logs


# The queue of a supervisor, on her home page and dashboard: compiled once per process
# (supervision.compiled); the supervisor (a stand-in User built from her id) and the day
# are parameters. What a row shows is read as plain columns: no log or author objects are
# built (the author's whole row, password hash included, came with select_related).
QUEUE_COLUMNS = ("pk", "author__display_name", "client_code", "session_date", "submitted_at")
_AWAITING_REVIEW = FixedQuery(
    lambda person, today: SessionLog.objects.awaiting_review_by(
        User(pk=person), on=today
    ).values_list(*QUEUE_COLUMNS),
    person=int,
    today=datetime.date,
)


def review_queue(supervisor: User, *, tags: bool = True) -> list[Row]:
    """Logs waiting for this supervisor, oldest first, as rows of what the queue draws;
    `tags=False` where the pattern names are not shown (the dashboard's short list), which
    saves fetching them."""
    now = timezone.now()
    names: dict[int, list[str]] = {}
    others: dict[int, list[CoSupervisorActivity]] = {}
    if supervisor.is_staff:
        # An administrator supervises no one: a scope of another shape (access.py).
        rows = list(SessionLog.objects.awaiting_review_by(supervisor).values_list(*QUEUE_COLUMNS))
        if tags and rows:
            names = tag_names_of([row[0] for row in rows])
            others = co_supervisor_activity([row[0] for row in rows], supervisor)
    else:
        today = timezone.localdate()
        rows = _AWAITING_REVIEW.rows(person=supervisor.pk, today=today)
        if tags and rows:
            # However long the queue, one query each, with the queue's scope as a subquery.
            names = {row[0]: [] for row in rows}
            for log_id, name in _QUEUE_TAG_NAMES.rows(person=supervisor.pk, today=today):
                # A log submitted between the two queries waits for the next visit.
                if log_id in names:
                    names[log_id].append(name)
            others = _activity_by_log(_QUEUE_CO_SUPERVISORS.rows(person=supervisor.pk, today=today))
    log_url = pk_url("cases:log_detail")
    return [
        Row(
            pk=pk,
            author_name=author_name,
            client_code=code,
            session_date=day,
            submitted_at=submitted_at,
            waiting=now - submitted_at,
            # What the queue's row draws, worked out once per page (docs/architecture.md).
            url=log_url(pk),
            day=day_month_year(day),
            tag_names=names.get(pk, []),
            # What her co-supervisors are doing with it (the queue page shows it).
            co_supervisors=[
                c for c in others.get(pk, []) if c.writing_since or c.replied_at >= submitted_at
            ],
        )
        for pk, author_name, code, day, submitted_at in rows
    ]


def trash_for(author: User) -> QuerySet[SessionLog]:
    return (
        SessionLog.objects.filter(author=author, deleted_at__isnull=False, status=LogStatus.DRAFT)
        .order_by("-deleted_at")
        .for_list()
    )


# --- the log page ------------------------------------------------------------------------


def log_page_queryset(user: User, on: datetime.date | None = None) -> QuerySet[SessionLog]:
    """The log, with whether it has any of the things listed beneath it (EXISTS subqueries
    on indexed foreign keys, in the same query); the prefetches then fetch only those."""
    return (
        SessionLog.objects.visible_to(user, on)
        .select_related("author", "signed_by")
        # The page shows the text, not the search index built from it, and names the people.
        .defer("search_vector", *named_only("author", "signed_by"))
        .annotate(
            has_presentations=Exists(
                SessionLog.presentations.through.objects.filter(sessionlog_id=OuterRef("pk"))
            ),
            has_addenda=Exists(Addendum.objects.filter(log_id=OuterRef("pk"))),
            # Flags for the panels apps above this one add (cases.log_page).
            **log_page.annotations(),
        )
    )


# The log page's own row, whoever reads it and whichever log: compiled once per process
# (supervision.compiled). The reader is a stand-in User built from the id: visible_to reads
# only her id (an administrator, whose scope has another shape, takes the ORM's way).
_LOG_PAGE_ROW = FixedQuery(
    lambda person, today, log: log_page_queryset(User(pk=person), on=today).filter(pk=log),
    person=int,
    today=datetime.date,
    log=int,
)


def log_page_row(user: User, pk: int) -> SessionLog | None:
    """The log `pk` as its page shows it, if this person may read it today; None otherwise."""
    if user.is_staff or not user.is_authenticated:
        return log_page_queryset(user).filter(pk=pk).first()
    found = _LOG_PAGE_ROW.objects(person=user.pk, today=timezone.localdate(), log=pk)
    return found[0] if found else None


# The parts of the log page, each read by a query compiled once per process (the log is
# its slot); a part whose flag (an annotation on the page's row) says there is nothing is
# not read at all, and the page draws "none yet" from the same flag.
_TAGS = FixedQuery(
    lambda log: PatternTag.objects.select_related("pattern__family").filter(log_id=log), log=int
)
_PRESENTATIONS = FixedQuery(
    lambda log: ClientPresentation.objects.filter(session_logs=log), log=int
)
_ADDENDA = FixedQuery(
    lambda log: (
        Addendum.objects.select_related("author").defer(*named_only("author")).filter(log_id=log)
    ),
    log=int,
)


def log_page_prefetch(log: SessionLog) -> SessionLog:
    """The tags, presentations and addenda the log page shows, one query per kind it has,
    left where `prefetch_related` would leave them (`log.tags.all()`...)."""
    prefetched(log, "tags", _TAGS.objects(log=log.pk), back="log")
    if getattr(log, "has_presentations", True):
        prefetched(log, "presentations", _PRESENTATIONS.objects(log=log.pk))
    if getattr(log, "has_addenda", True):
        prefetched(log, "addenda", _ADDENDA.objects(log=log.pk), back="log")
    return log


# --- co-supervisors ------------------------------------------------------------------------


@dataclass(frozen=True)
class CoSupervisorActivity:
    """What another current supervisor of the log's author is doing with it."""

    name: str
    writing_since: datetime.datetime | None  # set only while the soft claim holds
    replied_at: datetime.datetime | None

    # Written out here, in her time zone, for cases/_co_supervisors.html, which both template
    # engines read (config.jinja2.SHARED) and so cannot use a filter with an argument.
    @property
    def writing_since_label(self) -> str:
        return date_written(self.writing_since, "H:i")

    @property
    def replied_label(self) -> str:
        return date_written(self.replied_at, "j M, H:i")


def _co_supervisor_query(logs, viewer: int, today: datetime.date):
    """What other supervisors are doing with these logs (ids, or a subquery of them), seen
    by `viewer`, as (log id, name, writing since, replied at)."""
    return (
        ReviewActivity.objects.filter(log_id__in=logs)
        .exclude(supervisor_id=viewer)
        # Only people who supervise her today: a former supervisor's old activity is not news.
        .filter(
            supervisor__supervising__supervisee=F("log__author"),
            supervisor__supervising__starts_on__lte=today,
        )
        .filter(
            Q(supervisor__supervising__ends_on__isnull=True)
            | Q(supervisor__supervising__ends_on__gte=today)
        )
        .distinct()
        .order_by("supervisor__display_name")
        .values_list("log_id", "supervisor__display_name", "writing_since", "replied_at")
    )


# The same for every log waiting for her, with the queue's own scope as a subquery: the
# review queue's, compiled once per process (the supervisor and the day are its values).
_QUEUE_CO_SUPERVISORS = FixedQuery(
    lambda person, today: _co_supervisor_query(
        SessionLog.objects.awaiting_review_by(User(pk=person), on=today).values("pk"),
        person,
        today,
    ),
    person=int,
    today=datetime.date,
)
# The pattern names of every log waiting for her, in catalog order, the same way.
_QUEUE_TAG_NAMES = FixedQuery(
    lambda person, today: PatternTag.objects.filter(
        log_id__in=SessionLog.objects.awaiting_review_by(User(pk=person), on=today).values("pk")
    ).values_list("log_id", "pattern__name"),
    person=int,
    today=datetime.date,
)


def co_supervisor_activity(
    log_ids: Iterable[int], viewer: User
) -> dict[int, list[CoSupervisorActivity]]:
    """For each log, what her other current supervisors are doing with it (one query)."""
    ids = list(log_ids)
    if not ids:
        return {}
    return _activity_by_log(_co_supervisor_query(ids, viewer.pk, timezone.localdate()))


def _activity_by_log(rows) -> dict[int, list[CoSupervisorActivity]]:
    fresh = timezone.now() - datetime.timedelta(minutes=REVIEW_CLAIM_MINUTES)
    found: dict[int, list[CoSupervisorActivity]] = {}
    for log_id, name, writing_since, replied_at in rows:
        writing = writing_since if writing_since and writing_since >= fresh else None
        if writing or replied_at:
            found.setdefault(log_id, []).append(CoSupervisorActivity(name, writing, replied_at))
    return found
