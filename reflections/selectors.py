"""Reads for the log page, the journal and the author's view of her audit trail."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from cases import waiting
from cases.models import LogStatus, SessionLog
from cases.waiting import WaitingGroup, WaitingItem
from supervision.audit import object_type
from supervision.compiled import FixedQuery, prefetched
from supervision.links import page_url, pk_url
from supervision.models import AuditEvent, User, named_only

from .models import (
    AskedQuestion,
    Comment,
    Decision,
    PrivateReflection,
    ReflectiveQuestion,
    Reply,
    Strength,
)

# What the log page shows of reflections, each read by a query compiled once per process
# (the log is its slot) and only when its flag (an EXISTS on the log page's query, added by
# the panel) says there is anything: most logs have no comments, and those cost no query.
# The replies with the strengths they name, in one query: a row per reply and strength (a
# reply naming none once, its strength columns empty), replies in their order and each
# one's strengths in the catalog's, as the ORM's prefetch of `reply.strengths` orders them.
_STRENGTH_FIELDS = tuple(f.attname for f in Strength._meta.concrete_fields)
_REPLIES = FixedQuery(
    lambda log: (
        Reply.objects.select_related("author", "practice")
        .defer(*named_only("author"))
        .filter(log_id=log)
        .annotate(**{f"strength_{name}": F(f"strengths__{name}") for name in _STRENGTH_FIELDS})
        .order_by(
            *Reply._meta.ordering,
            *(f"strengths__{name}" for name in Strength._meta.ordering),
            "strengths__id",
        )
    ),
    log=int,
)
_QUESTIONS = FixedQuery(
    lambda log: AskedQuestion.objects.filter(reply__log_id=log).order_by("position", "pk"),
    log=int,
)
_COMMENTS = FixedQuery(
    lambda log: (
        Comment.objects.select_related("author").defer(*named_only("author")).filter(log_id=log)
    ),
    log=int,
)


def log_page_annotations() -> dict:
    return {
        "has_replies": Exists(Reply.objects.filter(log_id=OuterRef("pk"))),
        "has_comments": Exists(Comment.objects.filter(log_id=OuterRef("pk"))),
    }


def log_page_prefetch(log: SessionLog) -> SessionLog:
    """The replies (with their strengths and questions) and comments the log page shows,
    left where `prefetch_related` would leave them (`log.replies.all()`,
    `reply.questions.all()`...)."""
    if getattr(log, "has_replies", True):
        replies, strengths = _replies_and_strengths(_REPLIES.objects(log=log.pk))
        questions: dict[int, list] = {reply.pk: [] for reply in replies}
        for question in _QUESTIONS.objects(log=log.pk):
            questions[question.reply_id].append(question)
        for reply in replies:
            prefetched(reply, "strengths", strengths[reply.pk])
            prefetched(reply, "questions", questions[reply.pk], back="reply")
        prefetched(log, "replies", replies, back="log")
    if getattr(log, "has_comments", True):
        prefetched(log, "comments", _COMMENTS.objects(log=log.pk), back="log")
    return log


def _replies_and_strengths(rows: list[Reply]) -> tuple[list[Reply], dict[int, list[Strength]]]:
    """`_REPLIES`' rows as the replies, once each, and each one's strengths, built as the
    ORM builds them from their columns."""
    replies: list[Reply] = []
    strengths: dict[int, list[Strength]] = {}
    for row in rows:
        if not replies or replies[-1].pk != row.pk:
            replies.append(row)
            strengths[row.pk] = []
        values = [getattr(row, f"strength_{name}") for name in _STRENGTH_FIELDS]
        if values[0] is not None:
            strengths[row.pk].append(Strength.from_db(row._state.db, _STRENGTH_FIELDS, values))
    return replies, strengths


def return_request(log: SessionLog) -> Reply | None:
    """The reply that returned this log most recently, with its author."""
    return (
        Reply.objects.filter(log=log, decision=Decision.RETURN)
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )


def questions_by_fit(log: SessionLog) -> QuerySet[ReflectiveQuestion]:
    """The catalog questions in use, those sharing the most patterns with the log's tags
    first (`fit`: how many), ties in catalog order."""
    return (
        ReflectiveQuestion.objects.in_use()
        .annotate(fit=Count("patterns", filter=Q(patterns__tags__log=log), distinct=True))
        .order_by("-fit", "position", "name")
    )


@dataclass(frozen=True)
class QuestionForSupervision:
    """A question she chose to talk about in supervision rather than answer in writing."""

    text: str
    client_code: str
    session_date: datetime.date
    log_url: str
    deferred_at: datetime.datetime


def questions_for_supervision(supervisor: User, supervisee: User) -> list[QuestionForSupervision]:
    """Her questions kept for supervision and not answered since, on the logs this
    supervisor may read today (none once the supervision has ended), oldest choice first.
    One query, compiled once per process (the two people and the day are its values); no
    note text beyond the question itself."""
    if supervisor.is_staff:
        return []  # an administrator supervises no one (supervision.access)
    log_url = pk_url("cases:log_detail")
    return [
        QuestionForSupervision(
            text=text,
            client_code=client_code,
            session_date=session_date,
            log_url=log_url(log_id),
            deferred_at=deferred_at,
        )
        for text, log_id, client_code, session_date, deferred_at in _KEPT_FOR_SUPERVISION.rows(
            supervisor=supervisor.pk, supervisee=supervisee.pk, today=timezone.localdate()
        )
    ]


def _kept_for_supervision(supervisor: int, supervisee: int, today: datetime.date) -> QuerySet:
    logs = SessionLog.objects.visible_to(User(pk=supervisor), on=today).filter(author_id=supervisee)
    return (
        AskedQuestion.objects.filter(
            reply__log__in=logs, deferred_at__isnull=False, answered_at__isnull=True
        )
        .order_by("deferred_at", "pk")
        .values_list(
            "text",
            "reply__log_id",
            "reply__log__client_code",
            "reply__log__session_date",
            "deferred_at",
        )
    )


# On the preparation sheet, at every visit.
_KEPT_FOR_SUPERVISION = FixedQuery(
    _kept_for_supervision, supervisor=int, supervisee=int, today=datetime.date
)


def journal_for(user: User) -> QuerySet[PrivateReflection]:
    return PrivateReflection.objects.filter(author=user).select_related(
        "log", "question", "shared_with"
    )


def shared_with_me(user: User) -> QuerySet[PrivateReflection]:
    return (
        PrivateReflection.objects.visible_to(user)
        .exclude(author=user)
        .select_related("author", "log", "question")
    )


@dataclass(frozen=True)
class AuditTarget:
    """What an audit row was about, in words its owner recognises (never note text)."""

    kind: str
    label: str = ""
    url: str = ""


# object type → (model, what it is called, the path from it to its session log)
_ON_A_LOG: dict[str, tuple[type[Model], str, str]] = {
    object_type(Reply): (Reply, "a reply on", "log"),
    object_type(Comment): (Comment, "a comment on", "log"),
    object_type(AskedQuestion): (AskedQuestion, "an answer on", "reply__log"),
}


def register_on_a_log(kind: str, model: type[Model], called: str, path_to_log: str) -> None:
    """Called from a higher app's AppConfig.ready(): audit rows about `model` (object type
    `kind`) are described by the log they were written on, reached through `path_to_log`."""
    _ON_A_LOG[kind] = (model, called, path_to_log)


_LOG = object_type(SessionLog)
_ENTRY = object_type(PrivateReflection)
_PERSON = object_type(User)
# Who supervises her, and the groups she is in: audit rows about them name her as owner.
_ABOUT_HER = {
    "supervision.supervisionrelationship": "a supervision relationship of yours",
    "supervision.supervisionmeeting": "a supervision meeting of yours",
    "groups.groupmembership": "your membership of a group",
    # A meeting scheduled, or apologies marked for her: her hours (groups.services).
    "groups.groupmeeting": "a meeting of your group",
    "hours.periodsignature": "your hours for a period",
}


def describe_audit_events(events: Sequence[AuditEvent]) -> list[tuple[AuditEvent, AuditTarget]]:
    """Name what each event was about: at most one query per kind of object on the page
    and one for the logs they belong to, however many events there are."""
    ids: dict[str, set[int]] = {}
    for event in events:
        ids.setdefault(event.object_type, set()).add(event.object_id)
    log_of: dict[tuple[str, int], int] = {}
    for kind, (model, _, path) in _ON_A_LOG.items():
        if kind in ids:
            rows = model.objects.filter(pk__in=ids[kind]).values_list("pk", f"{path}_id")
            log_of.update({(kind, pk): log_id for pk, log_id in rows})
    log_ids = ids.get(_LOG, set()) | set(log_of.values())
    logs: dict[int, SessionLog] = {}
    if log_ids:
        fields = ("pk", "client_code", "session_date", "deleted_at")
        logs = {log.pk: log for log in SessionLog.objects.filter(pk__in=log_ids).only(*fields)}
    entries: dict[int, PrivateReflection] = {}
    if _ENTRY in ids:
        fields = ("pk", "title", "created_at")
        found = PrivateReflection.objects.filter(pk__in=ids[_ENTRY]).only(*fields)
        entries = {entry.pk: entry for entry in found}

    def on_log(kind: str, log_id: int | None) -> AuditTarget:
        log = logs.get(log_id)
        if log is None:
            return AuditTarget(kind, "a session log that no longer exists")
        url = log.get_absolute_url() if log.deleted_at is None else ""
        return AuditTarget(kind, str(log), url)

    described = []
    for event in events:
        kind = event.object_type
        if kind == _LOG:
            target = on_log("session log", event.object_id)
        elif kind in _ON_A_LOG:
            target = on_log(_ON_A_LOG[kind][1], log_of.get((kind, event.object_id)))
        elif kind == _ENTRY and event.object_id in entries:
            entry = entries[event.object_id]
            target = AuditTarget("journal entry", str(entry), entry.get_absolute_url())
        elif kind == _ENTRY:
            target = AuditTarget("journal entry", "an entry that no longer exists")
        elif kind == _PERSON:
            target = AuditTarget("your account and records")
        elif kind in _ABOUT_HER:
            target = AuditTarget(_ABOUT_HER[kind])
        else:
            target = AuditTarget(kind)
        described.append((event, target))
    return described


# --- what waits for the supervisee ---------------------------------------------------------


def questions_waiting(user: User) -> QuerySet[AskedQuestion]:
    """Questions put to this person that she has not answered, newest first: the one
    definition behind her home page's strip, her dashboard and the full list. Reads only
    what those draw (the wording, who asked, which log): no note text."""
    return (
        AskedQuestion.objects.filter(
            reply__log__author=user,
            reply__log__deleted_at__isnull=True,
            answered_at__isnull=True,
            # Kept for supervision by her own choice: not waiting for anything.
            deferred_at__isnull=True,
        )
        .select_related("reply__log", "reply__author")
        .only(
            "text",
            "reply__created_at",
            "reply__author__display_name",
            "reply__log__client_code",
            "reply__log__session_date",
        )
        .order_by("-reply__created_at", "-reply_id", "position")
    )


# The strip's two sections, read on her home page at every visit: compiled once per process
# (supervision.compiled) from the same definitions as the full lists. The person is a
# stand-in User built from her id; the definitions read only the id.
_QUESTIONS_WAITING = FixedQuery(
    lambda person: questions_waiting(User(pk=person)).values_list(
        "pk",
        "text",
        "reply__created_at",
        "reply__author__display_name",
        "reply__log_id",
        "reply__log__client_code",
        "reply__log__session_date",
    ),
    person=int,
)


@dataclass(frozen=True)
class WaitingQuestion:
    """A question waiting for her, as her pages draw it: no note text, only the question."""

    pk: int
    text: str
    by: str  # who asked
    asked_at: datetime.datetime
    log_label: str
    url: str  # the question on its log's page


def questions_waiting_lines(user: User, limit: int) -> list[WaitingQuestion]:
    """The newest `limit` of `questions_waiting`, as plain lines: for her home page's strip
    and her dashboard, read at every visit through the query compiled once, with their links
    from one reverse."""
    log_url = pk_url("cases:log_detail")
    return [
        WaitingQuestion(
            pk=pk,
            text=text,
            by=by,
            asked_at=asked_at,
            log_label=waiting.log_label(code, date),
            url=f"{log_url(log_id)}#question-{pk}",
        )
        for pk, text, asked_at, by, log_id, code, date in _QUESTIONS_WAITING.rows(
            person=user.pk, limit=limit
        )
    ]


def _waiting_questions(user: User) -> WaitingGroup | None:
    lines = questions_waiting_lines(user, waiting.SHOWN + 1)
    if not lines:
        return None
    items = tuple(
        WaitingItem(title=q.log_label, url=q.url, detail=q.text, by=q.by, when=q.asked_at)
        for q in lines[: waiting.SHOWN]
    )
    more = len(lines) > waiting.SHOWN
    return WaitingGroup(
        heading="Questions from your supervisors, when you are ready",
        items=items,
        more_url=page_url("reflections:questions_waiting") if more else "",
        more_label="All the questions waiting" if more else "",
    )


def returned_logs(user: User) -> QuerySet[SessionLog]:
    """Her logs returned for revision, each with the request that returned it (the latest
    reply that did) and who made it, newest first; the note text is not read."""
    request = Reply.objects.filter(log_id=OuterRef("pk"), decision=Decision.RETURN).order_by(
        "-created_at", "-pk"
    )
    return (
        SessionLog.objects.live()
        .filter(author=user, status=LogStatus.RETURNED)
        .annotate(
            request_text=Subquery(request.values("feedback")[:1]),
            request_by=Subquery(request.values("author__display_name")[:1]),
            request_at=Subquery(request.values("created_at")[:1]),
        )
        .only("client_code", "session_date")
        .order_by("-request_at", "-pk")
    )


_RETURNED = FixedQuery(
    lambda person: returned_logs(User(pk=person)).values_list(
        "pk", "client_code", "session_date", "request_text", "request_by", "request_at"
    ),
    person=int,
)


def _returned(user: User) -> WaitingGroup | None:
    logs = _RETURNED.rows(person=user.pk, limit=waiting.SHOWN + 1)
    if not logs:
        return None
    log_url = pk_url("cases:log_detail")
    items = tuple(
        WaitingItem(
            title=waiting.log_label(code, date),
            url=log_url(pk),
            detail=text or "",
            by=by or "",
            when=at,
        )
        for pk, code, date, text, by, at in logs[: waiting.SHOWN]
    )
    more = len(logs) > waiting.SHOWN
    return WaitingGroup(
        heading="Returned to you with a request",
        items=items,
        more_url=f"{page_url('cases:log_list')}?status={LogStatus.RETURNED}" if more else "",
        more_label="All your returned logs" if more else "",
    )


# Registered by ReflectionsConfig.ready() on the home page's strip (cases.waiting).
WAITING_SECTIONS = (
    waiting.WaitingSection(name="reflections_returned", read=_returned, order=10),
    waiting.WaitingSection(name="reflections_questions", read=_waiting_questions, order=20),
)
