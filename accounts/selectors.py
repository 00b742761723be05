"""Reads of the accounts app: what the idle limit kept for a person."""

import datetime
from dataclasses import dataclass

from django.http import QueryDict

from supervision.compiled import FixedQuery
from supervision.models import User

from . import drafts
from .models import KeptDraft
from .services import kept_cutoff


@dataclass(frozen=True)
class KeptDraftLink:
    """One kept form, for a list such as "Waiting for you": what it is and where, no text."""

    label: str
    url: str
    kept_at: datetime.datetime


def _live(user: User):
    return KeptDraft.objects.filter(owner=user, created_at__gte=kept_cutoff())


# Asked on her home page at every visit: compiled once per process (supervision.compiled).
_KEPT = FixedQuery(
    lambda person, since: (
        KeptDraft.objects.filter(owner_id=person, created_at__gte=since)
        .order_by("-created_at")
        .values_list("form", "object_id", "created_at")
    ),
    person=int,
    since=datetime.datetime,
)


def kept_drafts_for(user: User) -> list[KeptDraftLink]:
    """Her kept drafts, newest first, each with its form's page."""
    if not user.is_authenticated:
        return []
    links = []
    for form, object_id, kept_at in _KEPT.rows(person=user.pk, since=kept_cutoff()):
        kept_form = drafts.get(form)
        if kept_form is not None:
            links.append(KeptDraftLink(kept_form.label, kept_form.url(object_id), kept_at))
    return links


@dataclass(frozen=True)
class KeptData:
    """A kept draft ready to go back into its form as bound data."""

    form: str
    object_id: int
    kept_at: datetime.datetime
    data: QueryDict


def kept_draft_for(user: User, *, form: str, object_id: int = 0) -> KeptData | None:
    draft = _live(user).filter(form=form, object_id=object_id).first()
    if draft is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in draft.fields.items():
        if name not in drafts.NEVER_KEPT and isinstance(values, list):
            data.setlist(name, [str(v) for v in values])
    return KeptData(form=form, object_id=object_id, kept_at=draft.created_at, data=data)
