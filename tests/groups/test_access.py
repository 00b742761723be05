"""Who sees a group: current members and its facilitator, nobody else."""

import datetime

from django.utils import timezone

from groups import access
from tests.factories import MembershipFactory, UserFactory

TODAY = timezone.localdate


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def test_group_membership_is_current_only(group, supervisee, group_member, former_member):
    assert group in access.visible_groups(supervisee)
    assert group in access.visible_groups(group_member)
    assert group not in access.visible_groups(former_member)
    assert group in access.visible_groups(group.facilitator)


def test_rejoined_member_is_current(group):
    person = UserFactory()
    MembershipFactory(
        group=group, member=person, joined_on=TODAY() - days(90), left_on=TODAY() - days(30)
    )
    MembershipFactory(group=group, member=person, joined_on=TODAY() - days(5))
    assert group in access.visible_groups(person)
