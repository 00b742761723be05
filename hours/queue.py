"""Hours waiting for a supervisor's signature: on her review queue (`cases.waiting`), and
told to both people when a supervision ends (`supervision.services`)."""

from django.urls import reverse
from django.utils import timezone

from cases.waiting import WaitingGroup, WaitingItem, WaitingSection
from supervision.links import page_url, pk_url
from supervision.models import Role, SupervisionRelationship, User
from supervision.notifications import notification_send

from .access import SIGNING_GRACE, signing_spans
from .selectors import periods_to_sign, supervisees_with_new_hours


def _to_sign(supervisor: User) -> WaitingGroup | None:
    """Who has new hours to sign: one query (`supervisees_with_new_hours`); each links to
    her periods to sign, and *Hours to sign* reads every period of everyone."""
    if supervisor.role != Role.SUPERVISOR:
        return None
    people = supervisees_with_new_hours(supervisor)
    if not people:
        return None
    page, hers = page_url("hours:to_sign"), pk_url("hours:sign_periods")
    return WaitingGroup(
        heading="Hours to sign",
        items=tuple(
            WaitingItem(
                title=f"{name}: hours since the last signature",
                url=hers(pk),
            )
            for pk, name in people
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
