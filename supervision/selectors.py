"""Reads of supervision's own tables that pages higher up need."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from . import access
from .compiled import FixedQuery
from .models import AuditEvent, Notification, User

# On every page (the navigation's badge): compiled once per process (supervision.compiled).
_UNREAD = FixedQuery(
    lambda person: Notification.objects.filter(recipient_id=person).unread(), person=int
)


def unread_count(person: User) -> int:
    """How many of her notices she has not opened yet."""
    return _UNREAD.count(person=person.pk)


# Her current supervisees by name, on the review queue (read many times a day): compiled
# once per process; the supervisor (a stand-in User built from her id) and the day are its
# values.
_SUPERVISEE_NAMES = FixedQuery(
    lambda person, today: (
        access.current_supervisees(User(pk=person), on=today)
        .order_by("display_name")
        .values_list("pk", "display_name")
    ),
    person=int,
    today=datetime.date,
)


def supervisee_names(supervisor: User) -> list[tuple[int, str]]:
    """(id, name) of the people she supervises today, by name."""
    if supervisor.is_staff:
        return []  # an administrator supervises no one (access.current_supervisee_ids)
    return _SUPERVISEE_NAMES.rows(person=supervisor.pk, today=timezone.localdate())


def audit_events_by_others(
    owner: User, *, object_type: str | None = None, object_id: int | None = None
) -> QuerySet[AuditEvent]:
    """What other people did with this person's work, newest first.

    Her own actions and the system's (no actor, such as the nightly purge) are left out;
    so are client addresses, which are for the operator, not for her.
    """
    events = AuditEvent.objects.filter(owner=owner, actor__isnull=False).exclude(actor=owner)
    if object_type is not None:
        events = events.filter(object_type=object_type)
    if object_id is not None:
        events = events.filter(object_id=object_id)
    return events.select_related("actor").defer("client_ip").order_by("-at", "-pk")
