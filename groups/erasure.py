"""Group supervision when a person is erased.

Her memberships end now (the rows stay, as relationships do), meetings she was due to
present go to the next in line, and the groups lose sight of her logs: her shares are
withdrawn. What she said in other people's group discussions stays, under the
anonymised name. Groups she facilitates need another facilitator first.
"""

from django.utils import timezone

from cases import erasure as case_erasure
from supervision.erasure import Eraser, ErasurePlan, counted, end_access, not_ended
from supervision.models import User

from .models import CalendarFeed, GroupMeeting, GroupMembership, LogShare
from .services import choose_presenters


def describe(person: User) -> ErasurePlan:
    memberships = not_ended(
        GroupMembership.objects.filter(member=person), "left_on", timezone.localdate()
    ).count()
    plan = ErasurePlan(
        stays=[
            f"{counted(memberships, 'group membership')}, ended (the rows stay; access ends "
            "now), and shares of her signed logs with groups are withdrawn",
        ]
    )
    facilitating = person.facilitating.count()
    if facilitating:
        plan.stays.append(
            f"{counted(facilitating, 'group')} this person facilitates: give "
            f"{'it' if facilitating == 1 else 'them'} another facilitator"
        )
    return plan


def _hand_on_presentations(person: User) -> None:
    """Meetings still to come that she was due to present go to the next in line."""
    upcoming = GroupMeeting.objects.filter(presenter=person, starts_at__gt=timezone.now())
    first_per_group: dict[int, GroupMeeting] = {}
    for meeting in upcoming.select_related("group").order_by("starts_at", "pk"):
        first_per_group.setdefault(meeting.group_id, meeting)
    for meeting in first_per_group.values():
        # It re-chooses every later meeting of the group too.
        choose_presenters(meeting)


def erase(person: User) -> None:
    # The group's access to her signed logs ends with her membership; shares of the
    # logs that go are deleted with them.
    LogShare.objects.filter(
        log__in=case_erasure.signed_logs(person), withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    end_access(GroupMembership.objects.filter(member=person), "joined_on", "left_on")
    _hand_on_presentations(person)
    # Her calendar feed links stop answering: the rows only ever held a hash.
    CalendarFeed.objects.filter(person=person).delete()


ERASER = Eraser(app_label="groups", describe=describe, erase=erase)
