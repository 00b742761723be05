"""Who presents next at a group meeting, and the facilitator's writes around it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from groups import access, services
from groups.models import GroupMeeting, GroupMembership
from groups.rota import next_presenter, presenter_rota
from tests.factories import GroupFactory, MembershipFactory, SupervisorFactory, UserFactory


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def in_days(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


@pytest.fixture
def board(other_supervisor):
    return GroupFactory(facilitator=other_supervisor, name="Rota board")


@pytest.fixture
def join(board):
    def _join(name, joined_days_ago, **kwargs):
        person = UserFactory(display_name=name)
        MembershipFactory(group=board, member=person, joined_on=days_ago(joined_days_ago), **kwargs)
        return person

    return _join


def presented(group, person, days):
    """`person` presented at a meeting `days` days ago."""
    return GroupMeeting.objects.create(group=group, starts_at=in_days(-days), presenter=person)


@pytest.fixture
def trio(join):
    """Three members who never presented: Abe joined first, then Bea, then Cy."""
    return join("Abe", 30), join("Bea", 20), join("Cy", 10)


def schedule(board, days):
    return services.group_meeting_schedule(
        group=board, starts_at=in_days(days), by=board.facilitator
    )


def absent(meeting, person, is_absent=True):
    return services.group_meeting_set_absent(
        meeting=meeting, member=person, absent=is_absent, by=meeting.group.facilitator
    )


def presenter_of(meeting):
    meeting.refresh_from_db()
    return meeting.presenter


# ------------------------------------------------------------------------------ the rota


def test_never_presented_first_by_joining_date_then_name_then_longest_since(board, join):
    cleo = join("Cleo", 30)
    bea = join("Bea", 10)
    abe = join("Abe", 10)
    dan = join("Dan", 40)
    eli = join("Eli", 50)
    presented(board, dan, 14)
    presented(board, eli, 42)
    presented(board, eli, 7)  # Eli's latest turn is the one that counts
    # Never presented: Cleo (joined 30 days ago), then Abe and Bea (both 10 days ago, by
    # name); then Dan (last presented 14 days ago) before Eli (7 days ago).
    assert presenter_rota(board) == [cleo, abe, bea, dan, eli]


def test_only_meetings_before_the_given_time_count(board, join):
    dan = join("Dan", 40)
    eli = join("Eli", 50)
    presented(board, eli, 42)
    presented(board, dan, 14)
    # As it stood three weeks ago, Dan had never presented and Eli had, six weeks ago.
    assert presenter_rota(board, before=in_days(-21)) == [dan, eli]
    assert presenter_rota(board) == [eli, dan]


def test_former_and_future_members_are_not_in_the_rota(board, join):
    stays = join("Stays", 10)
    join("Left", 100, left_on=days_ago(1))
    join("Not yet", -3)
    assert presenter_rota(board) == [stays]


def test_a_member_of_two_groups_is_in_each_rota_once(board, join, trio):
    abe, bea, cy = trio
    other = GroupFactory(facilitator=SupervisorFactory())
    MembershipFactory(group=other, member=abe, joined_on=days_ago(5))
    assert presenter_rota(board) == [abe, bea, cy]
    assert presenter_rota(other) == [abe]


def test_schedule_sets_the_first_in_line_as_presenter(board, trio):
    abe, _, _ = trio
    meeting = schedule(board, 2)
    assert presenter_of(meeting) == abe


def test_schedule_with_no_members_sets_nobody(board):
    assert presenter_of(schedule(board, 2)) is None


def test_schedule_refuses_a_time_in_the_past(board, trio):
    with pytest.raises(services.GroupError):
        schedule(board, -0.01)
    assert not GroupMeeting.objects.exists()


def test_absent_member_is_skipped_then_first_in_line_next_time(board, trio):
    abe, bea, _ = trio
    first = schedule(board, 2)
    assert presenter_of(absent(first, abe)) == bea
    # Bea has now presented; Abe (never presented, joined first) keeps his place.
    second = schedule(board, 9)
    assert presenter_of(second) == abe
    assert presenter_rota(board, before=second.starts_at) == [abe, trio[2], bea]


def test_absences_pile_up_and_can_be_withdrawn(board, trio):
    abe, bea, cy = trio
    meeting = schedule(board, 2)
    absent(meeting, abe)
    assert presenter_of(absent(meeting, bea)) == cy
    assert presenter_of(absent(meeting, cy)) is None  # everybody sent apologies
    assert presenter_of(absent(meeting, bea, is_absent=False)) == bea
    assert presenter_of(absent(meeting, abe, is_absent=False)) == abe
    assert set(meeting.absent.all()) == {cy}


def test_absence_moves_on_a_later_meeting_already_set(board, trio):
    abe, bea, cy = trio
    first = schedule(board, 2)
    second = schedule(board, 9)
    assert (presenter_of(first), presenter_of(second)) == (abe, bea)
    absent(first, abe)
    # Abe is skipped at the first meeting and stays first in line for the second.
    assert (presenter_of(first), presenter_of(second)) == (bea, abe)
    absent(first, abe, is_absent=False)
    assert (presenter_of(first), presenter_of(second)) == (abe, bea)
    assert cy not in (presenter_of(first), presenter_of(second))


def test_scheduling_an_earlier_meeting_moves_on_the_later_one(board, trio):
    abe, bea, _ = trio
    later = schedule(board, 9)
    assert presenter_of(later) == abe
    sooner = schedule(board, 2)
    # Abe presents at the sooner meeting, so the later one goes to the next in line.
    assert (presenter_of(sooner), presenter_of(later)) == (abe, bea)


def test_next_presenter_reads_the_meetings_absences(board, trio):
    abe, bea, _ = trio
    meeting = GroupMeeting.objects.create(group=board, starts_at=in_days(3))
    meeting.absent.add(abe)
    assert next_presenter(board, meeting) == bea


def test_only_the_facilitator_schedules_and_marks_absences(board, trio, other_supervisee):
    abe, bea, _ = trio
    meeting = schedule(board, 2)
    for person in (bea, SupervisorFactory(), other_supervisee):
        with pytest.raises(PermissionDenied):
            services.group_meeting_schedule(group=board, starts_at=in_days(5), by=person)
        with pytest.raises(PermissionDenied):
            services.group_meeting_set_absent(meeting=meeting, member=abe, absent=True, by=person)
    assert GroupMeeting.objects.count() == 1
    assert not meeting.absent.exists()
    assert presenter_of(meeting) == abe


def test_absence_of_someone_not_in_the_group_is_refused(board, trio, other_supervisee):
    meeting = schedule(board, 2)
    with pytest.raises(services.GroupError):
        absent(meeting, other_supervisee)
    assert not meeting.absent.exists()


# ------------------------------------------------------------------------------ members


def test_member_add_joins_today(board, outsider):
    membership = services.group_member_add(group=board, member=outsider, by=board.facilitator)
    assert membership.joined_on == timezone.localdate()
    assert membership.left_on is None
    assert board in access.visible_groups(outsider)


def test_member_add_refuses_duplicates_and_the_facilitator(board, trio):
    abe, _, _ = trio
    with pytest.raises(services.GroupError):
        services.group_member_add(group=board, member=abe, by=board.facilitator)
    with pytest.raises(services.GroupError):
        services.group_member_add(group=board, member=board.facilitator, by=board.facilitator)
    assert GroupMembership.objects.filter(group=board).count() == 3


def test_only_the_facilitator_adds_and_removes(board, trio, outsider):
    abe, bea, _ = trio
    with pytest.raises(PermissionDenied):
        services.group_member_add(group=board, member=outsider, by=abe)
    with pytest.raises(PermissionDenied):
        services.group_member_remove(group=board, member=bea, by=abe)
    assert not GroupMembership.objects.filter(member=outsider).exists()
    assert access.is_current_member(bea, board)


def test_a_former_member_can_join_again(board, join):
    back = join("Back again", 100, left_on=days_ago(10))
    services.group_member_add(group=board, member=back, by=board.facilitator)
    assert access.is_current_member(back, board)
    assert GroupMembership.objects.filter(group=board, member=back).count() == 2


def test_member_remove_ends_access_the_same_day(board, trio):
    abe, _, _ = trio
    assert board in access.visible_groups(abe)
    services.group_member_remove(group=board, member=abe, by=board.facilitator)
    membership = GroupMembership.objects.filter(group=board, member=abe).get()
    assert membership.left_on == days_ago(1)  # the last day of membership was yesterday
    assert board not in access.visible_groups(abe)
    assert not access.is_current_member(abe, board)
    assert abe not in presenter_rota(board)


def test_member_remove_ends_a_membership_that_started_today_and_keeps_it(board, outsider):
    services.group_member_add(group=board, member=outsider, by=board.facilitator)
    services.group_member_remove(group=board, member=outsider, by=board.facilitator)
    kept = GroupMembership.objects.get(member=outsider)
    assert kept.left_on == kept.joined_on == timezone.localdate()
    # Joined and left today: it grants nothing, even today.
    assert not GroupMembership.objects.current().filter(member=outsider).exists()
    assert board not in access.visible_groups(outsider)


def test_member_remove_refuses_someone_not_in_the_group(board, trio, outsider, join):
    former = join("Former", 100, left_on=days_ago(5))
    for person in (outsider, former):
        with pytest.raises(services.GroupError):
            services.group_member_remove(group=board, member=person, by=board.facilitator)
    assert GroupMembership.objects.filter(member=former).get().left_on == days_ago(5)


def test_a_removed_member_no_longer_presents(board, trio):
    abe, bea, cy = trio
    first = schedule(board, 2)
    second = schedule(board, 9)
    assert (presenter_of(first), presenter_of(second)) == (abe, bea)
    services.group_member_remove(group=board, member=abe, by=board.facilitator)
    assert (presenter_of(first), presenter_of(second)) == (bea, cy)
