"""Who sees a group: current members and its facilitator, nobody else."""

import datetime

from django.utils import timezone

from groups import access
from tests.factories import GroupFactory, MembershipFactory, SupervisorFactory, UserFactory

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


def test_the_share_choices_compiled_once_answer_as_the_orm_for_each_person_and_day(
    group, supervisee, group_member, former_member, outsider
):
    """member_group_choices runs one SQL for every person and day (compiled once): only its
    values differ, and it offers the groups member_groups gives, on that day."""
    from groups.access import _MEMBER_GROUP_CHOICES, member_group_choices, member_groups

    second = GroupFactory(facilitator=SupervisorFactory(), name="A second circle")
    MembershipFactory(group=second, member=supervisee)
    today = timezone.localdate()
    offered = {}
    for person in (supervisee, group_member, former_member, outsider):
        for day in (today, today - datetime.timedelta(days=50)):
            assert person.pk in _MEMBER_GROUP_CHOICES.params(person=person.pk, today=day)
            found = member_group_choices(person, on=day)
            assert found == [(g.pk, g.name) for g in member_groups(person, on=day)]
            offered[(person.pk, day)] = [name for _, name in found]
    assert offered[(supervisee.pk, today)] == ["A second circle", "Sounding board"]
    assert offered[(former_member.pk, today)] == []
    assert offered[(former_member.pk, today - datetime.timedelta(days=50))] == ["Sounding board"]
    assert offered[(outsider.pk, today)] == []


def test_a_group_page_finds_its_group_as_the_orm_does(
    group, supervisee, group_member, former_member, outsider, admin_user
):
    """Every group page starts with `visible_group_or_404`, a query compiled once per process:
    for each person and group it finds what `visible_groups` finds, the facilitator read
    with it, and the person, the day and the group are its only parameters."""
    import pytest
    from django.http import Http404

    other = GroupFactory(facilitator=SupervisorFactory())
    MembershipFactory(group=other, member=group_member)
    today = TODAY()
    # Removed the day she joined: a row, and no access, even that day.
    gone = UserFactory()
    MembershipFactory(group=group, member=gone, joined_on=today, left_on=today)
    people = [supervisee, group_member, former_member, outsider, admin_user, gone]
    for person in [*people, group.facilitator, other.facilitator]:
        for g in (group, other):
            expected = access.visible_groups(person).filter(pk=g.pk).first()
            if expected is None:
                with pytest.raises(Http404):
                    access.visible_group_or_404(person, g.pk)
            else:
                found = access.visible_group_or_404(person, g.pk)
                assert found == expected and found.facilitator == g.facilitator
    with pytest.raises(Http404):
        access.visible_group_or_404(supervisee, 987654321)
    params = access._VISIBLE_GROUP.params(person=424242, today=today, group=535353)
    assert 424242 in params and 535353 in params
