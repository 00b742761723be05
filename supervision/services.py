"""Writes for supervision groups: members, meetings, the presenter rota."""

import datetime

from django.db import transaction
from django.utils import timezone

from . import access
from .models import GroupMeeting, GroupMembership, SupervisionGroup, User
from .rota import next_presenter


class GroupError(Exception):
    """The action does not fit; the message is shown to the person."""


@transaction.atomic
def group_member_add(*, group: SupervisionGroup, member: User, by: User) -> GroupMembership:
    access.require_facilitator(by, group)
    if access.is_current_member(member, group):
        raise GroupError(f"{member} is already a member.")
    if member.pk == group.facilitator_id:
        raise GroupError("The facilitator runs the group; add members only.")
    return GroupMembership.objects.create(
        group=group, member=member, joined_on=timezone.localdate()
    )


@transaction.atomic
def group_member_remove(*, group: SupervisionGroup, member: User, by: User) -> None:
    """Access ends now: the last day of membership was yesterday."""
    access.require_facilitator(by, group)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    rows = GroupMembership.objects.current().filter(group=group, member=member)
    if not rows.exists():
        raise GroupError(f"{member} is not a current member.")
    # A membership that began today never really started: remove it outright.
    rows.filter(joined_on__gt=yesterday).delete()
    rows.update(left_on=yesterday)
    # Meetings still to come that they were due to present go to the next in line.
    first_turn = (
        GroupMeeting.objects.filter(group=group, presenter=member, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if first_turn is not None:
        _choose_presenters(first_turn)


@transaction.atomic
def membership_show_name(*, group: SupervisionGroup, member: User, show: bool) -> None:
    updated = (
        GroupMembership.objects.current().filter(group=group, member=member).update(show_name=show)
    )
    if not updated:
        raise GroupError("You are not a current member of this group.")


@transaction.atomic
def group_meeting_schedule(
    *, group: SupervisionGroup, starts_at: datetime.datetime, by: User
) -> GroupMeeting:
    access.require_facilitator(by, group)
    if starts_at <= timezone.now():
        raise GroupError("The next meeting has to be in the future.")
    meeting = GroupMeeting.objects.create(group=group, starts_at=starts_at)
    _choose_presenters(meeting)
    return meeting


@transaction.atomic
def group_meeting_set_absent(
    *, meeting: GroupMeeting, member: User, absent: bool, by: User
) -> GroupMeeting:
    """Mark apologies; the presenter moves on to the next person in the rota."""
    access.require_facilitator(by, meeting.group)
    if not access.is_current_member(member, meeting.group):
        raise GroupError(f"{member} is not a current member.")
    if absent:
        meeting.absent.add(member)
    else:
        meeting.absent.remove(member)
    _choose_presenters(meeting)
    return meeting


def _choose_presenters(meeting: GroupMeeting) -> None:
    """Choose the presenter of `meeting`, then again for each meeting already set after it,
    earliest first: every choice depends on who presents before it. Meetings already held
    keep their presenter."""
    later = (
        GroupMeeting.objects.filter(
            group=meeting.group_id, starts_at__gt=max(meeting.starts_at, timezone.now())
        )
        .prefetch_related("absent")
        .order_by("starts_at")
    )
    for each in [meeting, *later]:
        each.presenter = next_presenter(meeting.group, each)
        each.save(update_fields=["presenter"])


def upcoming_meeting(group: SupervisionGroup) -> GroupMeeting | None:
    return (
        GroupMeeting.objects.filter(group=group, starts_at__gte=timezone.now())
        .select_related("presenter")
        .prefetch_related("absent")
        .order_by("starts_at")
        .first()
    )
