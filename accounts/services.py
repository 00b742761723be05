"""Writes of the accounts app: keeping a form's text when the idle limit ends the session."""

import datetime

from django.db import transaction
from django.utils import timezone

from supervision import audit
from supervision.models import AuditAction, User

from .models import KEPT_DAYS, KeptDraft

# Generous next to the forms' own limits (20,000 characters a text field), small enough that
# the endpoint cannot be used to store anything big.
MAX_VALUE_CHARS = 25_000
MAX_TOTAL_CHARS = 200_000
MAX_VALUES = 400


class KeepError(Exception):
    """The fields are too big to keep; nothing was stored."""


def _check_size(fields: dict[str, list[str]]) -> None:
    values = [value for values in fields.values() for value in values]
    if (
        len(values) > MAX_VALUES
        or any(len(value) > MAX_VALUE_CHARS for value in values)
        or sum(len(value) for value in values) > MAX_TOTAL_CHARS
    ):
        raise KeepError("Too much to keep.")


@transaction.atomic
def kept_draft_keep(
    *, owner: User, form: str, object_id: int, fields: dict[str, list[str]]
) -> KeptDraft | None:
    """Keep the fields of one form for her, replacing what was kept of it before.

    Nothing is kept when every field is empty. The audit row names the kept draft, not its text.
    """
    _check_size(fields)
    if not any(value.strip() for values in fields.values() for value in values):
        return None
    draft, created = KeptDraft.objects.update_or_create(
        owner=owner,
        form=form,
        object_id=object_id,
        defaults={"fields": fields, "created_at": timezone.now()},
    )
    audit.record(
        actor=owner,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=draft,
        owner=owner,
    )
    return draft


@transaction.atomic
def kept_draft_discard(*, owner: User, form: str, object_id: int = 0) -> bool:
    """Forget what was kept of this form (she saved it, or chose to discard it)."""
    drafts = list(KeptDraft.objects.filter(owner=owner, form=form, object_id=object_id))
    for draft in drafts:
        audit.record(actor=owner, action=AuditAction.DELETE, obj=draft, owner=owner)
    KeptDraft.objects.filter(pk__in=[d.pk for d in drafts]).delete()
    return bool(drafts)


def kept_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=KEPT_DAYS)


@transaction.atomic
def kept_draft_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete kept drafts older than KEPT_DAYS (manage.py purge_kept_drafts, daily)."""
    old = KeptDraft.objects.filter(created_at__lt=kept_cutoff(now))
    rows = list(old.values_list("pk", "owner_id"))
    audit.record_many(actor=None, action=AuditAction.DELETE, model=KeptDraft, objects=rows)
    KeptDraft.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return len(rows)
