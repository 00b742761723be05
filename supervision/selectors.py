"""Reads of supervision's own tables that pages higher up need."""

from django.db.models import QuerySet

from .compiled import FixedQuery
from .models import AuditEvent, Notification, User

# On every page (the navigation's badge): compiled once per process (supervision.compiled).
_UNREAD = FixedQuery(
    lambda person: Notification.objects.filter(recipient_id=person).unread(), person=int
)


def unread_count(person: User) -> int:
    """How many of her notices she has not opened yet."""
    return _UNREAD.count(person=person.pk)


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
