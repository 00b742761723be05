"""Hours waiting for a supervisor's signature: on her review queue (`cases.waiting`), and
told to both people when a supervision ends (`supervision.services`)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cases.waiting import WaitingGroup, WaitingItem, WaitingSection
from supervision.models import Role, SupervisionRelationship, User
from supervision.notifications import notification_send

from .access import SIGNING_GRACE, signable_spans, signing_spans
from .selectors import periods_to_sign

# How far back the review queue looks for periods to sign.
QUEUE_LOOKS_BACK = datetime.timedelta(days=183)


def _to_sign(supervisor: User) -> WaitingGroup | None:
    if supervisor.role != Role.SUPERVISOR:
        return None
    today = timezone.localdate()
    # The queue is read many times a day: it looks at the last months only (reading every
    # period of years of hours cost a hundred times its own page); *Hours to sign* lists all.
    waiting = periods_to_sign(
        supervisor, signable_spans(supervisor, today), today, since=today - QUEUE_LOOKS_BACK
    )
    if not waiting:
        return None
    page = reverse("hours:to_sign")
    return WaitingGroup(
        heading="Hours to sign",
        items=tuple(
            WaitingItem(
                title=f"{row.supervisee_name}: {', '.join(p.label for p in row.periods[:3])}"
                + (" and more" if len(row.periods) > 3 else ""),
                url=f"{page}#supervisee-{row.supervisee_id}",
            )
            for row in waiting
        ),
        more_url=page,
        more_label="Sign hours",
    )


TO_SIGN = WaitingSection(name="hours_to_sign", read=_to_sign, order=10)


def tell_unsigned_on_ending(relationship: SupervisionRelationship) -> None:
    """When a supervision ends (or is given an end date), whoever ends it, both people are
    told how many of its periods are unsigned and until when the supervisor can sign them."""
    supervisor, supervisee = relationship.supervisor, relationship.supervisee
    today = timezone.localdate()
    spans = signing_spans(supervisor, supervisee, today)
    waiting = periods_to_sign(supervisor, {supervisee.pk: spans}, today) if spans else []
    periods = waiting[0].periods if waiting else ()
    if not periods:
        return
    assert relationship.ends_on is not None
    until = relationship.ends_on + SIGNING_GRACE
    count = f"{len(periods)} period{'s' if len(periods) != 1 else ''}"
    notification_send(
        recipients=[supervisor],
        message=(
            f"{count} of {supervisee.display_name}'s hours in your supervision "
            f"{'are' if len(periods) != 1 else 'is'} not signed. You can sign "
            f"{'them' if len(periods) != 1 else 'it'} until {until:%d %b %Y}."
        ),
        url=reverse("hours:to_sign"),
    )
    notification_send(
        recipients=[supervisee],
        message=(
            f"{count} of your hours with {supervisor.display_name} "
            f"{'are' if len(periods) != 1 else 'is'} not signed. {supervisor.display_name} "
            f"can sign {'them' if len(periods) != 1 else 'it'} until {until:%d %b %Y}; your "
            "statement of unsigned periods is on your hours page."
        ),
        url=reverse("hours:overview"),
    )
