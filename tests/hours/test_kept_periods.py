"""*Hours to sign* keeps each supervisee's periods with hours under her newest change
(hours.selectors._periods_with_hours). Attacked here as an insider would: every write that
changes her hours, made after her periods were kept, shows on the next visit; time passing
brings in a group meeting once it has started; one person's periods are never another's;
and the page reads no ledger while nothing changed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services as case_services
from groups import services as group_services
from groups.models import GroupMeeting, GroupMembership
from hours import services as hours_services
from hours.access import signable_spans
from hours.models import EntryKind, HourEntry, HoursProfile, SignPeriod
from hours.selectors import PeriodsWithHours, period_label, periods_to_sign, waiting_to_sign
from supervision import services as supervision_services
from supervision.models import MeetingKind, SupervisionRelationship
from tests.dashboards.helpers import write_log
from tests.factories import RelationshipFactory, SupervisorFactory, UserFactory, month_start
from tests.hours.conftest import at_noon


def _read(supervisor, today=None):
    """{supervisee: periods waiting} as *Hours to sign* counts them, and whether the count
    read anyone's ledger (the logs table) to do it."""
    today = today or timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        found = waiting_to_sign(supervisor, signable_spans(supervisor, today), today)
    read_ledger = any("cases_sessionlog" in q["sql"] for q in captured.captured_queries)
    return {w.supervisee_id: w.count for w in found}, read_ledger


def _listed(supervisor, today=None):
    """The same from every period of every ledger (her signing pages' list): the truth."""
    today = today or timezone.localdate()
    listed = periods_to_sign(supervisor, signable_spans(supervisor, today), today)
    return {t.supervisee_id: len(t.periods) for t in listed}


def _day(months_ago: int, day: int = 3) -> datetime.date:
    return month_start(months_ago) + datetime.timedelta(days=day - 1)


@pytest.fixture
def sams_year(supervisee, supervisor, group, rule_sets, catalog):
    """Sam, supervised for a year and in her group all that time: sessions on two weeks of
    the sixth month back and one in the seventh, an entry in the fifth, the group's meeting
    in the fourth, a draft in the second; every write but the meeting through the services,
    as the pages make them. Four months wait for her supervisor's signature."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    SupervisionRelationship.objects.filter(supervisee=supervisee).update(starts_on=start)
    GroupMembership.objects.filter(member=supervisee).update(joined_on=start)
    monthly = next(r for r in rule_sets.values() if r.sign_period == SignPeriod.MONTH)
    hours_services.hours_profile_save(
        profile=HoursProfile(person=supervisee, rule_set=monthly), by=supervisee
    )
    today = timezone.localdate()
    for months_ago, day in ((6, 3), (6, 20), (7, 3)):
        write_log(supervisee, days_ago=(today - _day(months_ago, day)).days)
    entry = hours_services.hour_entry_save(
        entry=HourEntry(person=supervisee, date=_day(5), minutes=60, kind=EntryKind.INDIRECT),
        by=supervisee,
    )
    meeting = GroupMeeting.objects.create(group=group, starts_at=at_noon(_day(4)))
    # A draft is no hours until she submits it.
    draft = write_log(supervisee, days_ago=(today - _day(2, 10)).days, submit=False)
    return {
        "entry": entry,
        "meeting": meeting,
        "draft": draft,
        "rule_sets": rule_sets,
    }


def _new_log(world, sam, sol):
    write_log(sam, days_ago=(timezone.localdate() - _day(3)).days)


def _draft_submitted(world, sam, sol):
    case_services.session_log_submit(log=world["draft"], by=sam)


def _entry(world, sam, sol):
    hours_services.hour_entry_save(
        entry=HourEntry(person=sam, date=_day(2), minutes=30, kind=EntryKind.INDIRECT), by=sam
    )


def _entry_removed(world, sam, sol):
    hours_services.hour_entry_delete(entry=world["entry"], by=sam)


def _supervision_meeting(world, sam, sol):
    supervision_services.supervision_meeting_record(
        supervisor=sol,
        supervisees=[sam],
        held_on=_day(1),
        duration_minutes=60,
        kind=MeetingKind.INDIVIDUAL,
        url="/",
    )


def _apologies(world, sam, sol):
    meeting = world["meeting"]
    group_services.group_meeting_set_absent(
        meeting=meeting, member=sam, absent=True, by=meeting.group.facilitator
    )


def _weeks(world, sam, sol):
    weekly = next(r for r in world["rule_sets"].values() if r.sign_period == SignPeriod.WEEK)
    profile = HoursProfile.objects.get(person=sam)
    profile.rule_set = weekly
    hours_services.hours_profile_save(profile=profile, by=sam)


def _group_deleted(world, sam, sol):
    group_services.group_delete(group=world["meeting"].group, by=None)


@pytest.mark.parametrize(
    "write",
    [
        _new_log,
        _draft_submitted,
        _entry,
        _entry_removed,
        _supervision_meeting,
        _apologies,
        _weeks,
        _group_deleted,
    ],
    ids=lambda w: w.__name__.strip("_"),
)
def test_a_change_to_her_hours_shows_on_the_next_visit(sams_year, supervisee, supervisor, write):
    before, read = _read(supervisor)
    assert read and before == _listed(supervisor) == {supervisee.pk: 4}
    # Nothing changed: her periods are kept, and no ledger is read.
    assert _read(supervisor) == (before, False)

    write(sams_year, supervisee, supervisor)

    after, read = _read(supervisor)
    assert read  # her newest change moved on: her kept periods are not used
    assert after == _listed(supervisor) != before


def test_a_former_members_hours_leave_with_a_deleted_group(sams_year, supervisee, supervisor):
    """She left before the group was deleted: the meeting she attended goes with it, and so
    does her kept period (the deletion is audited as hers, without telling her)."""
    group = sams_year["meeting"].group
    GroupMembership.objects.filter(member=supervisee).update(left_on=_day(3))
    assert _read(supervisor)[0] == {supervisee.pk: 4}
    group_services.group_delete(group=group, by=None)
    assert _read(supervisor) == ({supervisee.pk: 3}, True)
    assert _listed(supervisor) == {supervisee.pk: 3}


def test_a_group_meeting_counts_once_it_has_started_from_what_is_kept(
    sams_year, supervisee, supervisor, monkeypatch
):
    """A meeting scheduled after her periods were kept refreshes them; they then hold it
    with the moment it starts, so the same kept periods count it only from then on."""
    assert _read(supervisor)[0] == {supervisee.pk: 4}
    starts_at = timezone.now() + datetime.timedelta(hours=1)
    meeting = group_services.group_meeting_schedule(
        group=sams_year["meeting"].group,
        starts_at=starts_at,
        by=sams_year["meeting"].group.facilitator,
    )
    # Seen from the first day of the month after the meeting's, its month is over.
    held_in = timezone.localtime(meeting.starts_at).date()
    after = (held_in.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    not_yet, read = _read(supervisor, after)
    assert read
    assert not_yet == _listed(supervisor, after)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(hours=2))
    held, read = _read(supervisor, after)
    assert not read  # the same kept periods, read at a later moment
    assert held == _listed(supervisor, after) == {supervisee.pk: not_yet[supervisee.pk] + 1}


def test_two_supervisors_of_hers_read_her_periods_and_only_hers(
    sams_year, supervisee, supervisor, other_supervisee
):
    """Her periods are kept as hers alone: a second supervisor of hers reads the same kept
    periods, and someone supervised by only one of them is never in the other's count."""
    second = SupervisorFactory()
    RelationshipFactory(
        supervisor=second,
        supervisee=supervisee,
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    RelationshipFactory(supervisor=supervisor, supervisee=other_supervisee)
    write_log(other_supervisee, days_ago=40)
    both, read = _read(supervisor)
    assert read and set(both) == {supervisee.pk, other_supervisee.pk}
    assert both == _listed(supervisor)
    hers, read = _read(second)
    assert not read  # Sam's periods, kept when her first supervisor looked
    assert hers == _listed(second) == {supervisee.pk: both[supervisee.pk]}
    # A new supervisee of the second supervisor, with no hours yet: nobody else's periods.
    newcomer = UserFactory()
    RelationshipFactory(supervisor=second, supervisee=newcomer)
    assert _read(second)[0] == hers


def test_turned_off_the_ledger_is_read_every_time(sams_year, supervisee, supervisor, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    first = _read(supervisor)
    assert first == _read(supervisor) == ({supervisee.pk: 4}, True)


def test_kept_periods_count_from_the_moment_they_begin():
    periods = PeriodsWithHours(starts=(30, 20, 10), counts_from=(500.0, float("-inf"), 100.0))
    assert periods.at(50) == (20,)
    assert periods.at(100) == (20, 10)
    assert periods.at(500) == periods.at(10_000) == (30, 20, 10)


def test_the_time_zone_is_part_of_what_is_kept(supervisee, supervisor, group):
    """A group meeting half an hour into the first of a month in Auckland is on the last day
    of the month before in London: periods kept for one time zone are not read for the
    other."""
    start = timezone.localdate() - datetime.timedelta(days=400)
    SupervisionRelationship.objects.filter(supervisee=supervisee).update(starts_on=start)
    GroupMembership.objects.filter(member=supervisee).update(joined_on=start)
    today, first = timezone.localdate(), month_start(2)
    with timezone.override("Pacific/Auckland"):
        GroupMeeting.objects.create(
            group=group,
            starts_at=timezone.make_aware(datetime.datetime.combine(first, datetime.time(0, 30))),
        )

    def newest():
        spans = signable_spans(supervisor, today)
        (waiting,) = waiting_to_sign(supervisor, spans, today)
        (listed,) = periods_to_sign(supervisor, spans, today)
        assert waiting.newest_label == listed.newest.label
        return waiting.newest_label

    assert newest() == period_label("month", month_start(3))
    with timezone.override("Pacific/Auckland"):
        assert newest() == period_label("month", first)
    assert newest() == period_label("month", month_start(3))
