"""Reads for the log page, the journal and the author's view of her audit trail."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
)

from cases.models import SessionLog
from cases.selectors import prefetch_flagged
from supervision.audit import object_type
from supervision.models import AuditEvent, User

from .models import AskedQuestion, Comment, PrivateReflection, Reply

# What the log page shows of reflections, each with the flag (an EXISTS on the log page's
# query, added by the panel) that says whether there is anything to fetch.
_LOG_PAGE_PARTS = (
    (
        Prefetch(
            "replies",
            queryset=Reply.objects.select_related("author", "practice").prefetch_related(
                "strengths",
                Prefetch("questions", queryset=AskedQuestion.objects.order_by("position")),
            ),
        ),
        "has_replies",
    ),
    (Prefetch("comments", queryset=Comment.objects.select_related("author")), "has_comments"),
)


def log_page_annotations() -> dict:
    return {
        "has_replies": Exists(Reply.objects.filter(log_id=OuterRef("pk"))),
        "has_comments": Exists(Comment.objects.filter(log_id=OuterRef("pk"))),
    }


def log_page_prefetch(log: SessionLog) -> SessionLog:
    """The replies (with their questions) and comments the log page shows, one query per
    kind the log has: most logs have no comments, and those cost no query at all."""
    prefetch_flagged(log, _LOG_PAGE_PARTS)
    return log


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
    "groups.groupmembership": "your membership of a group",
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
