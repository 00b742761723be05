"""Writes about people: what other layers need (erasure, log-in), and supervision
relationships."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import access, audit
from .models import (
    AuditAction,
    MeetingKind,
    MeetingMode,
    SupervisionMeeting,
    SupervisionRelationship,
    User,
)
from .notifications import notification_send


@transaction.atomic
def sessions_end_all(*, user: User) -> None:
    """End every session `user` has open, wherever it is (the current one included).

    Raising `User.session_epoch` changes the session hash (`User.get_session_auth_hash`),
    so every session of that person stops verifying."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


# --- Supervision relationships ---------------------------------------------------------
# Every change of who supervises whom goes through these (the admin included, from
# SupervisionRelationshipAdmin): each writes an audit row naming who made it and tells
# both people, because a relationship is what opens one person's notes to another.


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _relationship_told(relationship: SupervisionRelationship, by: User | None, what: str) -> None:
    """Audit-free half: tell both people (never any note text)."""
    who = by.display_name if by is not None and by.is_authenticated else "The system"
    notification_send(
        recipients=[relationship.supervisor, relationship.supervisee],
        message=_short(
            f"{who} {what} the supervision relationship: {relationship.supervisor} "
            f"supervises {relationship.supervisee}."
        ),
        url=reverse("notifications"),
    )


# What other apps tell the two people when a supervision ends (hours not yet signed):
# registered from their AppConfig.ready(), since this layer does not know them.
_on_ending: list[Callable[[SupervisionRelationship], None]] = []


def register_on_relationship_ending(hook: Callable[[SupervisionRelationship], None]) -> None:
    if hook not in _on_ending:
        _on_ending.append(hook)


def _relationship_recorded(
    relationship: SupervisionRelationship, by: User | None, action: AuditAction, what: str
) -> None:
    audit.record(actor=by, action=action, obj=relationship, owner=relationship.supervisee_id)
    _relationship_told(relationship, by, what)
    if relationship.ends_on is not None and action != AuditAction.DELETE:
        # Ended now or given an end date: by the people themselves or by an administrator.
        for hook in _on_ending:
            hook(relationship)


@transaction.atomic
def relationship_create(
    *,
    supervisor: User,
    supervisee: User,
    by: User | None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> SupervisionRelationship:
    """Raises ValidationError (with a message per field) when the roles do not hold."""
    relationship = SupervisionRelationship(
        supervisor=supervisor,
        supervisee=supervisee,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    relationship.full_clean()
    relationship.save()
    _relationship_recorded(relationship, by, AuditAction.CREATE, "started")
    return relationship


@transaction.atomic
def relationship_save(
    *, relationship: SupervisionRelationship, by: User | None, created: bool = False
) -> SupervisionRelationship:
    """Save a relationship edited elsewhere (the admin's form): validated, audited, told."""
    relationship.full_clean()
    relationship.save()
    if created:
        _relationship_recorded(relationship, by, AuditAction.CREATE, "started")
    else:
        _relationship_recorded(relationship, by, AuditAction.UPDATE, "changed")
    return relationship


@transaction.atomic
def relationship_end(*, relationship: SupervisionRelationship, by: User | None) -> None:
    """Access ends now: the last day was yesterday. One that has not begun is removed."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if relationship.starts_on > yesterday:
        relationship_delete(relationship=relationship, by=by)
        return
    relationship.ends_on = yesterday
    relationship.save(update_fields=["ends_on"])
    _relationship_recorded(relationship, by, AuditAction.UPDATE, "ended")


@transaction.atomic
def relationship_delete(*, relationship: SupervisionRelationship, by: User | None) -> None:
    # The row goes; the audit row keeps its id, and both people are told.
    audit.record(
        actor=by, action=AuditAction.DELETE, obj=relationship, owner=relationship.supervisee_id
    )
    _relationship_told(relationship, by, "removed")
    relationship.delete()


class MeetingError(Exception):
    """A supervision meeting that cannot be recorded as asked; the message says why."""


@transaction.atomic
def supervision_meeting_record(
    *,
    supervisor: User,
    supervisees: list[User],
    held_on: datetime.date,
    duration_minutes: int,
    kind: str,
    mode: str = MeetingMode.IN_PERSON,
    observed_session: bool = False,
    agreed: str = "",
    url: str,
) -> SupervisionMeeting:
    """Record an individual or triadic supervision hour. Each supervisee must have been
    this supervisor's on the day it was held; each is told (the notice links to `url`,
    a page of a higher layer where she sees it), and each gets an audit row."""
    people = {p.pk: p for p in supervisees}
    wanted = 1 if kind == MeetingKind.INDIVIDUAL else 2
    if len(people) != wanted:
        raise MeetingError("An individual meeting has one supervisee; a triadic meeting has two.")
    if held_on > timezone.localdate():
        raise MeetingError("Record a meeting once it has taken place: pick today or earlier.")
    for person in people.values():
        if not access.supervises(supervisor, person, on=held_on):
            raise MeetingError(f"You were not supervising {person} on {held_on:%d %b %Y}.")
    meeting = SupervisionMeeting.objects.create(
        supervisor=supervisor,
        held_on=held_on,
        duration_minutes=duration_minutes,
        kind=kind,
        mode=mode,
        observed_session=observed_session,
        agreed=agreed.strip(),
    )
    meeting.supervisees.set(people.values())
    for person in people.values():
        audit.record(actor=supervisor, action=AuditAction.CREATE, obj=meeting, owner=person)
    notification_send(
        recipients=people.values(),
        message=f"{supervisor} recorded your supervision meeting of {held_on:%d %b %Y}.",
        url=url,
    )
    return meeting
