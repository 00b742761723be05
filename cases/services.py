"""Writes to session logs. Each function is one user action, all or nothing."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from supervision import access, audit
from supervision.batches import batches
from supervision.models import AuditAction, User
from supervision.notifications import notification_send

from . import identifiers
from .content import SCALAR_FIELDS
from .models import (
    ALLOWED_WORD_LIMIT,
    EDITABLE_STATUSES,
    Addendum,
    AllowedWord,
    ClientPresentation,
    LogStatus,
    Pattern,
    PatternTag,
    ReviewActivity,
    SessionLog,
)
from .search import search_vector_refresh
from .signing import log_digest

TRASH_DAYS = 30


class WorkflowError(Exception):
    """The action does not fit the log's state; the message is shown to the person."""


class ConcurrentEditError(WorkflowError):
    """The log changed since the form was opened; the newer text was kept."""


class StaleReviewError(WorkflowError):
    """A supervisor acted on a version of the log that is no longer its content."""


STALE_REVIEW = (
    "This log has changed since you opened it (she revised it after it was returned), so it "
    "was not {action}. Your reply is kept below: read the log as it is now, then send it."
)


def _same_version(log_pk: int, version: int | None, action: str) -> SessionLog | None:
    """The log locked for the decision, refused if it is not the version the supervisor read
    (None: the caller read it in this transaction)."""
    locked = SessionLog.objects.select_for_update().filter(pk=log_pk).first()
    if locked is not None and version is not None and locked.version != version:
        raise StaleReviewError(STALE_REVIEW.format(action=action))
    return locked


def _content(data: dict) -> dict:
    """The log's own columns from the form's data; presentations and tags come separately."""
    return {name: data[name] for name in SCALAR_FIELDS if name in data}


def _set_tags(log: SessionLog, tags: dict[Pattern, str]) -> None:
    current = {tag.pattern_id: tag for tag in log.tags.all()}
    wanted = {pattern.pk: note for pattern, note in tags.items()}
    PatternTag.objects.filter(log=log).exclude(pattern_id__in=wanted).delete()
    for pattern_id, note in wanted.items():
        tag = current.get(pattern_id)
        if tag is None:
            PatternTag.objects.create(log=log, pattern_id=pattern_id, note=note)
        elif tag.note != note:
            tag.note = note
            tag.save(update_fields=["note"])


@transaction.atomic
def session_log_create(
    *,
    author: User,
    data: dict,
    tags: dict[Pattern, str],
    presentations: Iterable[ClientPresentation],
    identifiers_confirmed: bool = False,
) -> SessionLog:
    log = SessionLog.objects.create(
        author=author,
        identifiers_confirmed_at=timezone.now() if identifiers_confirmed else None,
        **_content(data),
    )
    audit.record(actor=author, action=AuditAction.CREATE, obj=log, owner=author)
    log.presentations.set(presentations)
    _set_tags(log, tags)
    search_vector_refresh(log_ids=[log.pk])
    return log


@transaction.atomic
def session_log_update(
    *,
    log: SessionLog,
    editor: User,
    data: dict,
    tags: dict[Pattern, str],
    presentations: Iterable[ClientPresentation],
    expected_version: int,
    identifiers_confirmed: bool = False,
) -> SessionLog:
    """Save new content only if nobody saved since `expected_version` was read."""
    if editor.pk != log.author_id:
        raise WorkflowError("Only the author can change a session log.")
    extra = {"identifiers_confirmed_at": timezone.now()} if identifiers_confirmed else {}
    changed = SessionLog.objects.filter(
        pk=log.pk,
        version=expected_version,
        status__in=EDITABLE_STATUSES,
        deleted_at__isnull=True,
    ).update(version=F("version") + 1, updated_at=timezone.now(), **_content(data), **extra)
    if not changed:
        fresh = SessionLog.objects.filter(pk=log.pk).first()
        if fresh is not None and fresh.version != expected_version:
            raise ConcurrentEditError(
                "This log was saved somewhere else after you opened it, so your changes were "
                "not saved. The newer version is kept; your text is still in the form below."
            )
        raise WorkflowError("This log can no longer be edited.")
    audit.record(actor=editor, action=AuditAction.UPDATE, obj=log, owner=log.author_id)
    log.refresh_from_db()
    log.presentations.set(presentations)
    _set_tags(log, tags)
    search_vector_refresh(log_ids=[log.pk])
    return log


def _transition(log: SessionLog, *, allowed: Iterable[str], **changes) -> None:
    """Move a log on only from an allowed status, checked in the UPDATE itself."""
    moved = SessionLog.objects.filter(
        pk=log.pk, status__in=list(allowed), deleted_at__isnull=True
    ).update(updated_at=timezone.now(), **changes)
    if not moved:
        raise WorkflowError("This log has moved on since the page was loaded; nothing was changed.")
    log.refresh_from_db()


@transaction.atomic
def session_log_submit(*, log: SessionLog, by: User) -> SessionLog:
    if by.pk != log.author_id:
        raise WorkflowError("Only the author can submit a session log.")
    # A quick note is completed with the full form first (the database refuses a submitted
    # log without a duration: this says so in words); read fresh, not from the page's copy.
    if SessionLog.objects.filter(pk=log.pk, duration_minutes__isnull=True).exists():
        raise WorkflowError("Add how long the session was before submitting.")
    supervisors = list(access.current_supervisors(log.author))
    if not supervisors:
        raise WorkflowError("You have no current supervisor to review this log.")
    _transition(
        log, allowed=EDITABLE_STATUSES, status=LogStatus.SUBMITTED, submitted_at=timezone.now()
    )
    audit.record(actor=by, action=AuditAction.SUBMIT, obj=log, owner=log.author_id)
    log_notice_send(
        recipients=supervisors, log=log, message=f"{log.author} submitted a session log for review"
    )
    return log


@transaction.atomic
def session_log_return(*, log: SessionLog, by: User, version: int | None = None) -> SessionLog:
    """`version`: the version of the log the supervisor read; a newer one is not returned."""
    if not access.supervises(by, log.author):
        raise WorkflowError("Only a current supervisor can return this log.")
    _same_version(log.pk, version, "returned")
    _transition(log, allowed=[LogStatus.SUBMITTED], status=LogStatus.RETURNED)
    audit.record(actor=by, action=AuditAction.RETURN, obj=log, owner=log.author_id)
    return log


@transaction.atomic
def session_log_sign(*, log: SessionLog, by: User, version: int | None = None) -> SessionLog:
    """Lock the log: who signed, when, which version and a SHA-256 of the signed content.
    `version`: the version the supervisor read; a newer one is not signed."""
    if not access.supervises(by, log.author):
        raise WorkflowError("Only a current supervisor can sign this log off.")
    locked = _same_version(log.pk, version, "signed off")
    if locked is None or locked.status != LogStatus.SUBMITTED:
        raise WorkflowError("Only a log submitted for review can be signed off.")
    _transition(
        log,
        allowed=[LogStatus.SUBMITTED],
        status=LogStatus.SIGNED,
        signed_by=by,
        signed_at=timezone.now(),
        signed_sha256=log_digest(locked),
        signed_version=locked.version,
    )
    audit.record(actor=by, action=AuditAction.SIGN, obj=log, owner=log.author_id)
    return log


@transaction.atomic
def session_log_trash(*, log: SessionLog, by: User) -> SessionLog:
    """Drafts only: anything a supervisor has seen stays."""
    if by.pk != log.author_id:
        raise WorkflowError("Only the author can delete a draft.")
    if log.status != LogStatus.DRAFT:
        raise WorkflowError("Only drafts can be deleted; submitted and signed logs are kept.")
    _transition(log, allowed=[LogStatus.DRAFT], deleted_at=timezone.now())
    audit.record(actor=by, action=AuditAction.DELETE, obj=log, owner=log.author_id)
    return log


@transaction.atomic
def session_log_restore(*, log: SessionLog, by: User) -> SessionLog:
    if by.pk != log.author_id or log.deleted_at is None:
        raise WorkflowError("This log is not in your trash.")
    restored = SessionLog.objects.filter(pk=log.pk, deleted_at__isnull=False).update(
        deleted_at=None
    )
    if not restored:
        raise WorkflowError("This log is not in your trash.")
    audit.record(actor=by, action=AuditAction.RESTORE, obj=log, owner=log.author_id)
    log.refresh_from_db()
    return log


def trash_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=TRASH_DAYS)


@transaction.atomic
def session_log_purge_trash(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts that have sat in the trash for longer than TRASH_DAYS.

    Each purged log gets a DELETE row with no actor (the system did it)."""
    expired = SessionLog.objects.filter(deleted_at__lt=trash_cutoff(now), status=LogStatus.DRAFT)
    doomed = list(expired.select_for_update().values_list("pk", "author_id"))
    if not doomed:
        return 0
    for part in batches(doomed):
        SessionLog.objects.filter(pk__in=[pk for pk, _ in part]).delete()
    audit.record_many(actor=None, action=AuditAction.DELETE, model=SessionLog, objects=doomed)
    return len(doomed)


@transaction.atomic
def addendum_add(*, log: SessionLog, author: User, text: str) -> Addendum:
    if not log.is_signed:
        raise WorkflowError("Addenda are for signed logs; edit the log itself while it is open.")
    if not access.may_see_supervisee_work(author, log.author):
        raise WorkflowError("You cannot add to this log.")
    addendum = Addendum.objects.create(log=log, author=author, text=text)
    audit.record(actor=author, action=AuditAction.ADDENDUM, obj=log, owner=log.author_id)
    notify_log_participants(
        log=log, actor=author, message=f"{author} added an addendum to a signed session log"
    )
    return addendum


def notify_log_participants(*, log: SessionLog, actor: User, message: str) -> None:
    """Tell the author and her current supervisors, except whoever acted."""
    people = {log.author, *access.current_supervisors(log.author)} - {actor}
    log_notice_send(recipients=people, log=log, message=message)


def log_notice_send(*, recipients: Iterable[User], log: SessionLog, message: str) -> None:
    """A notice about one log. In the app it names the log by client code and date, so
    that a week of notices can be told apart; the e-mail says only what happened (the
    client code stays behind the log-in). `message` has no full stop: the label follows."""
    notification_send(
        recipients=recipients,
        message=f"{message}: {log}.",
        email_message=f"{message}.",
        url=log.get_absolute_url(),
    )


@transaction.atomic
def allowed_words_add(*, owner: User, words: Iterable[str]) -> list[AllowedWord]:
    """Keep words the writer marked as fine for her notes; ones she already has are skipped."""
    wanted: dict[str, str] = {}
    for word in words:
        word = " ".join(word.split())[:ALLOWED_WORD_LIMIT]
        key = identifiers.fold(word)
        if key:
            wanted.setdefault(key, word)
    if not wanted:
        return []
    known = set(
        AllowedWord.objects.of(owner)
        .filter(normalized__in=wanted)
        .values_list("normalized", flat=True)
    )
    added = []
    for key, word in wanted.items():
        if key in known:
            continue
        allowed = AllowedWord.objects.create(owner=owner, word=word, normalized=key)
        audit.record(actor=owner, action=AuditAction.CREATE, obj=allowed, owner=owner)
        added.append(allowed)
    return added


@transaction.atomic
def allowed_word_remove(*, allowed: AllowedWord, by: User) -> None:
    """The check flags the word again from her next save."""
    audit.record(actor=by, action=AuditAction.DELETE, obj=allowed, owner=allowed.owner_id)
    allowed.delete()


# --- co-supervisors: who is writing a reply, who replied ------------------------------------


def review_writing_start(*, log: SessionLog, by: User) -> None:
    """She opened the reply form: her co-supervisors see that she is writing, for a while
    (REVIEW_CLAIM_MINUTES). Soft: it stops nobody, and no note text is involved."""
    if not access.supervises(by, log.author):
        return
    ReviewActivity.objects.update_or_create(
        log=log, supervisor=by, defaults={"writing_since": timezone.now()}
    )


def review_replied(*, log: SessionLog, by: User) -> None:
    """Her reply was sent (called inside the reply's transaction): no longer writing."""
    ReviewActivity.objects.update_or_create(
        log=log, supervisor=by, defaults={"writing_since": None, "replied_at": timezone.now()}
    )
