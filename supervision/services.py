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
    meeting.presenter = next_presenter(group, meeting)
    meeting.save(update_fields=["presenter"])
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
    meeting.presenter = next_presenter(meeting.group, meeting)
    meeting.save(update_fields=["presenter"])
    return meeting


def upcoming_meeting(group: SupervisionGroup) -> GroupMeeting | None:
    return (
        GroupMeeting.objects.filter(group=group, starts_at__gte=timezone.now())
        .select_related("presenter")
        .prefetch_related("absent")
        .order_by("starts_at")
        .first()
    )
