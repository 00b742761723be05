"""Writes about people that other layers need (erasure, log-in)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import access, audit
from .models import AuditAction, MeetingKind, MeetingMode, SupervisionMeeting, User
from .notifications import notification_send


@transaction.atomic
def sessions_end_all(*, user: User) -> None:
    """End every session `user` has open, wherever it is (the current one included).

    Raising `User.session_epoch` changes the session hash (`User.get_session_auth_hash`),
    so every session of that person stops verifying."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


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
