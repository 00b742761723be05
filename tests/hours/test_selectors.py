"""The ledger read from the four places hours are recorded, her periods and their signatures,
a supervisor's periods to sign, and how many queries the pages take with a lot of data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import LogStatus
from groups.models import GroupMeeting
from hours.access import Span, signable_spans
from hours.ledger import Category, Source, SupervisionKind, week_start
from hours.models import EntryKind, HoursProfile, PeriodSignature, SupervisionFormat
from hours.selectors import (
    Waiting,
    hours_overview,
    ledger_for,
    ledgers_for,
    period_bounds,
    period_label,
    period_of,
    periods_from,
    periods_to_sign,
    waiting_to_sign,
)
from supervision.models import MeetingKind, MeetingMode, SupervisionRelationship
from tests.factories import (
    GroupFactory,
    HourEntryFactory,
    HoursProfileFactory,
    MembershipFactory,
    RelationshipFactory,
    SupervisionMeetingFactory,
    SupervisorFactory,
    UserFactory,
    month_start,
    period_signature,
)
from tests.hours.conftest import at_noon, hours_log

D = datetime.date


def by_source(entries, source):
    return [e for e in entries if e.source == source]


# --- The ledger, source by source -------------------------------------------------------


def test_submitted_work_counts_and_drafts_and_the_trash_do_not(supervisee, supervisor):
    day = timezone.localdate() - datetime.timedelta(days=5)
    counted = [
        hours_log(supervisee, day, 50, status=LogStatus.SUBMITTED),
        hours_log(supervisee, day, 45, status=LogStatus.RETURNED),
        hours_log(
            supervisee,
            day,
            60,
            status=LogStatus.SIGNED,
            signed_by=supervisor,
            signed_at=timezone.now(),
            signed_sha256="0" * 64,
        ),
    ]
    hours_log(supervisee, day, 55, status=LogStatus.DRAFT)
    hours_log(supervisee, day, 40, deleted_at=timezone.now())
    hours_log(UserFactory(), day, 70)  # someone else's

    logs = by_source(ledger_for(supervisee), Source.LOG)

    assert sorted(e.source_id for e in logs) == sorted(log.pk for log in counted)
    assert sorted(e.minutes for e in logs) == [45, 50, 60]
    assert {e.category for e in logs} == {Category.DIRECT}


def test_a_log_brings_what_the_boards_ask_of_direct_contact(supervisee):
    day = timezone.localdate() - datetime.timedelta(days=5)
    hours_log(supervisee, day, 75, modality="video", client_unit="couple", simulated=True)

    (entry,) = ledger_for(supervisee)

    assert (entry.date, entry.minutes, entry.modality, entry.client_unit, entry.simulated) == (
        day,
        75,
        "video",
        "couple",
        True,
    )
    assert entry.supervision_kind == "" and entry.group_size == 0


def test_a_triadic_meeting_counts_two_for_each_even_read_for_one_of_them(
    supervisee, supervisor, other_supervisee
):
    # Counting the supervisees of a meeting read through one of them would count one: the
    # size must come from every supervisee of the meeting.
    meeting = SupervisionMeetingFactory(
        supervisor=supervisor,
        supervisees=[supervisee, other_supervisee],
        kind=MeetingKind.TRIADIC,
        duration_minutes=90,
        mode=MeetingMode.VIDEO,
        observed_session=True,
    )
    alone = ledgers_for([supervisee.pk])[supervisee.pk]
    both = ledgers_for([supervisee.pk, other_supervisee.pk])

    for ledger in (alone, both[supervisee.pk], both[other_supervisee.pk]):
        (entry,) = ledger
        assert entry.source == Source.MEETING and entry.source_id == meeting.pk
        assert entry.category == Category.SUPERVISION
        assert entry.supervision_kind == SupervisionKind.TRIADIC
        assert entry.group_size == 2
        assert (entry.minutes, entry.mode, entry.observed_session) == (90, "video", True)
        assert entry.supervisor_id == supervisor.pk


def test_an_individual_meeting_is_one_to_one_and_only_hers(supervisee, supervisor, outsider):
    SupervisionMeetingFactory(supervisor=supervisor, supervisees=[supervisee])

    (entry,) = ledger_for(supervisee)

    assert (entry.supervision_kind, entry.group_size) == (SupervisionKind.INDIVIDUAL, 1)
    assert ledger_for(outsider) == []


@pytest.fixture
def circle(supervisee):
    """A group of four on the day of its meeting a fortnight ago: Sam, Gia and Hal, and Ivy
    who sent apologies; Jo joined after it, Kit left before it."""
    today = timezone.localdate()
    held = today - datetime.timedelta(days=14)
    facilitator = SupervisorFactory()
    group = GroupFactory(facilitator=facilitator)
    long_ago = today - datetime.timedelta(days=200)
    people = {"sam": supervisee}
    for name in ("gia", "hal", "ivy"):
        people[name] = UserFactory(display_name=name.title())
    for person in people.values():
        MembershipFactory(group=group, member=person, joined_on=long_ago)
    people["jo"] = UserFactory(display_name="Jo")
    MembershipFactory(group=group, member=people["jo"], joined_on=held + datetime.timedelta(days=1))
    people["kit"] = UserFactory(display_name="Kit")
    MembershipFactory(
        group=group,
        member=people["kit"],
        joined_on=long_ago,
        left_on=held - datetime.timedelta(days=1),
    )
    meeting = GroupMeeting.objects.create(group=group, starts_at=at_noon(held))
    meeting.absent.add(people["ivy"])
    # Not held yet: nobody's hours.
    GroupMeeting.objects.create(group=group, starts_at=timezone.now() + datetime.timedelta(days=3))
    return {"group": group, "meeting": meeting, "held": held, "people": people, "by": facilitator}


def test_a_group_meeting_counts_for_members_present_on_the_day(circle):
    people = circle["people"]
    ledgers = ledgers_for(p.pk for p in people.values())

    for name in ("sam", "gia", "hal"):
        (entry,) = ledgers[people[name].pk]
        assert entry.source == Source.GROUP and entry.source_id == circle["meeting"].pk
        assert entry.date == circle["held"]
        assert entry.minutes == 90  # a group meeting's length
        assert entry.supervision_kind == SupervisionKind.GROUP
        # Four members that day (Jo not yet, Kit no longer), less Ivy's apologies.
        assert entry.group_size == 3
        assert entry.supervisor_id == circle["by"].pk
    for name in ("ivy", "jo", "kit"):
        assert ledgers[people[name].pk] == [], name


def test_apologies_from_someone_no_longer_a_member_do_not_shrink_the_group(circle):
    # Kit sent apologies while still a member, then left before the meeting: she was not
    # one of the four expected, so the size stays three.
    circle["meeting"].absent.add(circle["people"]["kit"])
    (entry,) = ledger_for(circle["people"]["sam"])
    assert entry.group_size == 3


def test_the_group_size_does_not_depend_on_whose_ledger_is_read(circle):
    (entry,) = ledger_for(circle["people"]["gia"])
    assert entry.group_size == 3


def test_two_memberships_that_hold_the_day_count_once(circle):
    # Two memberships of the same group covering the meeting (she rejoined before her
    # leaving day was recorded, say): the meeting is in her ledger once, and she is one
    # member of the group that day.
    people = circle["people"]
    MembershipFactory(
        group=circle["group"],
        member=people["hal"],
        joined_on=circle["held"] - datetime.timedelta(days=10),
    )
    for name in ("hal", "sam"):
        ledgers = [ledgers_for([people[name].pk]), ledgers_for(p.pk for p in people.values())]
        for ledger in ledgers:
            (entry,) = ledger[people[name].pk]
            assert entry.group_size == 3


def test_her_own_entries(supervisee):
    day = timezone.localdate() - datetime.timedelta(days=3)
    training = HourEntryFactory(person=supervisee, date=day, minutes=120, kind=EntryKind.TRAINING)
    group = HourEntryFactory(
        person=supervisee,
        date=day,
        minutes=60,
        kind=EntryKind.SUPERVISION,
        supervision_format=SupervisionFormat.GROUP,
        group_size=6,
        mode=MeetingMode.VIDEO,
        observed_session=True,
    )
    triadic = HourEntryFactory(
        person=supervisee,
        date=day,
        minutes=60,
        kind=EntryKind.SUPERVISION,
        supervision_format=SupervisionFormat.TRIADIC,
        mode=MeetingMode.IN_PERSON,
    )
    HourEntryFactory(date=day)  # someone else's

    entries = {e.source_id: e for e in ledger_for(supervisee)}

    assert set(entries) == {training.pk, group.pk, triadic.pk}
    assert entries[training.pk].category == Category.TRAINING
    assert entries[training.pk].supervision_kind == "" and entries[training.pk].group_size == 0
    assert (entries[group.pk].supervision_kind, entries[group.pk].group_size) == ("group", 6)
    assert entries[group.pk].observed_session and entries[group.pk].mode == "video"
    assert (entries[triadic.pk].supervision_kind, entries[triadic.pk].group_size) == (
        "triadic",
        2,
    )


def test_the_ledger_is_in_date_order(supervisee, supervisor):
    today = timezone.localdate()
    HourEntryFactory(person=supervisee, date=today - datetime.timedelta(days=1))
    hours_log(supervisee, today - datetime.timedelta(days=9))
    SupervisionMeetingFactory(
        supervisor=supervisor,
        supervisees=[supervisee],
        held_on=today - datetime.timedelta(days=5),
    )
    dates = [e.date for e in ledger_for(supervisee)]
    assert dates == sorted(dates) and len(dates) == 3


def test_no_people_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ledgers_for([]) == {}


# --- Periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2026, 11, 4), D(2026, 11, 2), D(2026, 11, 8)),  # a Wednesday
        (D(2026, 11, 2), D(2026, 11, 2), D(2026, 11, 8)),  # a Monday is its own week
        (D(2026, 11, 8), D(2026, 11, 2), D(2026, 11, 8)),  # a Sunday ends it
        (D(2026, 12, 31), D(2026, 12, 28), D(2027, 1, 3)),  # across the new year
    ],
)
def test_a_week_runs_monday_to_sunday(day, start, end):
    assert period_bounds("week", day) == (start, end)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2026, 11, 17), D(2026, 11, 1), D(2026, 11, 30)),
        (D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        (D(2027, 2, 1), D(2027, 2, 1), D(2027, 2, 28)),
        (D(2028, 2, 29), D(2028, 2, 1), D(2028, 2, 29)),  # a leap year
    ],
)
def test_a_month_is_the_calendar_month(day, start, end):
    assert period_bounds("month", day) == (start, end)


def test_labels():
    assert period_label("week", D(2026, 11, 2)) == "Week of 2 Nov 2026"
    assert period_label("month", D(2026, 11, 1)) == "November 2026"


def test_a_period_begins_on_its_first_day_only(supervisee):
    assert period_of(supervisee, "week", D(2026, 11, 3)) is None  # a Tuesday
    assert period_of(supervisee, "month", D(2026, 11, 2)) is None
    row = period_of(supervisee, "week", D(2026, 11, 2), today=D(2026, 11, 20))
    assert (row.starts_on, row.ends_on, row.label) == (
        D(2026, 11, 2),
        D(2026, 11, 8),
        "Week of 2 Nov 2026",
    )
    assert row.entries == () and row.total_minutes == 0 and row.closed


def test_periods_group_her_hours_newest_first_with_totals(supervisee):
    HourEntryFactory(person=supervisee, date=D(2026, 10, 30), minutes=60)
    HourEntryFactory(person=supervisee, date=D(2026, 11, 2), minutes=90, kind=EntryKind.TRAINING)
    hours_log(supervisee, D(2026, 11, 8), 50)
    entries = ledger_for(supervisee)

    weeks = periods_from(
        supervisee_id=supervisee.pk,
        period="week",
        entries=entries,
        signatures=[],
        today=D(2026, 11, 8),
    )
    months = periods_from(
        supervisee_id=supervisee.pk,
        period="month",
        entries=entries,
        signatures=[],
        today=D(2026, 11, 8),
    )

    assert [w.starts_on for w in weeks] == [D(2026, 11, 2), D(2026, 10, 26)]
    assert [w.total_minutes for w in weeks] == [140, 60]
    assert dict(weeks[0].minutes) == {
        "Direct client contact": 50,
        "Indirect work": 0,
        "Supervision received": 0,
        "Training": 90,
    }
    # The week ends on the Sunday that is today: still going.
    assert [w.state for w in weeks] == ["open", "unsigned"]
    assert [m.label for m in months] == ["November 2026", "October 2026"]


def _one_month(supervisee, signatures=(), today=None):
    return periods_from(
        supervisee_id=supervisee.pk,
        period="month",
        entries=ledger_for(supervisee),
        signatures=list(signatures),
        today=today or timezone.localdate(),
    )[0]


def test_the_state_of_a_signature(supervisee, supervisor, last_month):
    entry = HourEntryFactory(person=supervisee, date=last_month + datetime.timedelta(days=2))
    assert _one_month(supervisee).state == "unsigned"
    assert _one_month(supervisee, today=last_month).state == "open"

    signature = period_signature(supervisee=supervisee, supervisor=supervisor, starts_on=last_month)
    row = _one_month(supervisee, [signature])
    assert row.state == "signed" and row.signed_by(supervisor.pk)
    assert row.signatures[0].facts.sha256 == row.sha256

    entry.minutes = 75
    entry.save()
    row = _one_month(supervisee, [signature])
    assert row.state == "changed" and row.changed_since_signed
    assert not row.signed_by(supervisor.pk)
    assert row.signatures[0].facts.current is False


def test_a_signed_period_without_hours_left_is_still_listed(supervisee, supervisor, last_month):
    entry = HourEntryFactory(person=supervisee, date=last_month)
    signature = period_signature(supervisee=supervisee, supervisor=supervisor, starts_on=last_month)
    entry.delete()
    row = _one_month(supervisee, [signature])
    assert row.starts_on == last_month and row.entries == () and row.state == "changed"


def test_the_digest_follows_every_source(supervisee, supervisor, last_month):
    day = last_month + datetime.timedelta(days=3)
    log = hours_log(supervisee, day, 50)
    before = period_of(supervisee, "month", last_month).sha256
    assert period_of(supervisee, "month", last_month).sha256 == before  # stable

    log.duration_minutes = 55
    log.save()
    after_log = period_of(supervisee, "month", last_month).sha256
    meeting = SupervisionMeetingFactory(
        supervisor=supervisor, supervisees=[supervisee], held_on=day
    )
    after_meeting = period_of(supervisee, "month", last_month).sha256
    meeting.duration_minutes = 45
    meeting.save()
    after_change = period_of(supervisee, "month", last_month).sha256

    assert len({before, after_log, after_meeting, after_change}) == 4


# --- A supervisor's periods to sign ------------------------------------------------------


def test_periods_to_sign_are_over_inside_her_supervision_and_signed_by_nobody(
    supervisee, supervisor, other_supervisor
):
    today = D(2026, 11, 20)
    for day in (D(2026, 6, 10), D(2026, 8, 10), D(2026, 9, 10), D(2026, 10, 10), D(2026, 11, 5)):
        HourEntryFactory(person=supervisee, date=day)
    # She supervised Sam from August to September's end; another supervisor signed August.
    spans = {supervisee.pk: [Span(D(2026, 8, 1), D(2026, 9, 30))]}
    period_signature(supervisee=supervisee, supervisor=other_supervisor, starts_on=D(2026, 8, 1))

    (waiting,) = periods_to_sign(supervisor, spans, today)
    assert waiting.supervisee_id == supervisee.pk
    assert waiting.supervisee_name == "Sam Supervisee"
    # June and October are outside her supervision, November is not over; August is
    # signed by her co-supervisor, and one signature is what a period needs.
    assert [p.starts_on for p in waiting.periods] == [D(2026, 9, 1)]

    period_signature(supervisee=supervisee, supervisor=supervisor, starts_on=D(2026, 9, 1))
    assert periods_to_sign(supervisor, spans, today) == []


def test_a_period_changed_since_she_signed_it_waits_again(supervisee, supervisor, last_month):
    entry = HourEntryFactory(person=supervisee, date=last_month)
    period_signature(supervisee=supervisee, supervisor=supervisor, starts_on=last_month)
    spans = signable_spans(supervisor)
    assert periods_to_sign(supervisor, spans) == []

    entry.minutes = 30
    entry.save()
    (waiting,) = periods_to_sign(supervisor, spans)
    assert [(p.starts_on, p.state) for p in waiting.periods] == [(last_month, "changed")]


def test_periods_follow_her_rule_set(supervisee, supervisor, rule_sets, last_month):
    HoursProfileFactory(person=supervisee, rule_set=rule_sets["ca-lmft"])  # signed weekly
    HourEntryFactory(person=supervisee, date=last_month + datetime.timedelta(days=10))
    (waiting,) = periods_to_sign(supervisor, signable_spans(supervisor))
    (row,) = waiting.periods
    assert row.period == "week" and row.starts_on.weekday() == 0


def test_months_signed_before_her_rules_signed_weeks_stay_on_her_overview(
    supervisee, supervisor, rule_sets, last_month, earlier_month
):
    for month in (last_month, earlier_month):
        HourEntryFactory(person=supervisee, date=month + datetime.timedelta(days=3), minutes=60)
        HourEntryFactory(person=supervisee, date=month + datetime.timedelta(days=20), minutes=30)
    period_signature(supervisee=supervisee, supervisor=supervisor, starts_on=earlier_month)
    HoursProfileFactory(person=supervisee, rule_set=rule_sets["ca-lmft"])  # now by weeks
    overview = hours_overview(supervisee)
    assert overview.period == "week" and len(overview.periods) == 4
    # The signed month only (the other month has no signature), with all of its hours,
    # still standing.
    (month,) = overview.earlier_periods
    assert (month.starts_on, month.total_minutes, month.signed) == (earlier_month, 90, True)
    # A change to the month after it was signed shows there.
    HourEntryFactory(person=supervisee, date=earlier_month + datetime.timedelta(days=5))
    (month,) = hours_overview(supervisee).earlier_periods
    assert month.changed_since_signed
    # With no signature of the other kind, nothing is listed.
    PeriodSignature.objects.all().delete()
    assert hours_overview(supervisee).earlier_periods == ()


def test_periods_to_sign_of_nobody(supervisor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert periods_to_sign(supervisor, {}) == []


# --- Queries, with a lot of data ---------------------------------------------------------


def _busy_supervisee(person, supervisor, group, months=4):
    """Months of hours from every source: logs, individual and triadic meetings, her
    entries, and the group's meetings."""
    today = timezone.localdate()
    for back in range(1, months + 1):
        start = month_start(back)
        for week in range(4):
            day = start + datetime.timedelta(days=week * 7)
            hours_log(person, day, 50)
            HourEntryFactory(person=person, date=day, minutes=30)
        SupervisionMeetingFactory(supervisor=supervisor, supervisees=[person], held_on=start)
    MembershipFactory(group=group, member=person, joined_on=today - datetime.timedelta(days=200))
    HoursProfile.objects.get_or_create(person=person)


@pytest.fixture
def twenty(supervisor):
    """Twenty supervisees of Sam's supervisor, each with months of hours from every source,
    in one group with meetings, some periods signed."""
    group = GroupFactory(facilitator=SupervisorFactory())
    today = timezone.localdate()
    people = []
    for n in range(20):
        person = UserFactory(display_name=f"Supervisee {n:02d}")
        RelationshipFactory(
            supervisor=supervisor,
            supervisee=person,
            starts_on=today - datetime.timedelta(days=180),
        )
        _busy_supervisee(person, supervisor, group)
        people.append(person)
    for back in range(1, 5):
        meeting = GroupMeeting.objects.create(
            group=group, starts_at=at_noon(month_start(back) + datetime.timedelta(days=2))
        )
        meeting.absent.add(people[back])
    # Triadic meetings pair them up.
    for a, b in zip(people[::2], people[1::2], strict=True):
        SupervisionMeetingFactory(
            supervisor=supervisor,
            supervisees=[a, b],
            kind=MeetingKind.TRIADIC,
            held_on=month_start(1) + datetime.timedelta(days=5),
        )
    for person in people[:5]:
        period_signature(supervisee=person, supervisor=supervisor, starts_on=month_start(2))
    HoursProfileFactory(
        person=supervisor, licence_number="LMHC 004711", licence_jurisdiction="New York"
    )
    return people


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        result = callable_()
    return len(captured.captured_queries), result


def test_the_ledger_takes_the_same_queries_for_one_person_or_twenty(twenty):
    one, _ = _queries(lambda: ledgers_for([twenty[0].pk]))
    many, ledgers = _queries(lambda: ledgers_for(p.pk for p in twenty))
    # Logs, entries, supervision meetings and group meetings in one UNION ALL.
    assert one == many == 1
    assert all(len(ledger) > 30 for ledger in ledgers.values())


def test_one_persons_whole_ledger_compiled_once_is_the_orms(twenty, supervisee):
    """Her hours page reads her whole ledger through a query compiled once per process;
    read for several people at once it goes through the ORM. Both give each person the
    same entries: sessions, entries, supervision meetings (triadic too), group meetings
    with apologies. The compiled SQL is shared, the person and the time only parameters."""
    from hours import selectors

    people = [*twenty[:6], supervisee]  # Sam has no hours at all
    together = ledgers_for([p.pk for p in people])
    for person in people:
        assert ledgers_for([person.pk])[person.pk] == together[person.pk]
    assert {e.source for e in together[twenty[1].pk]} == set(Source)
    first, second = twenty[0].pk, twenty[1].pk
    now = timezone.now()
    query = selectors._ONE_LEDGER
    # Counted, not just looked for: an id can equal one of the query's own constants (a
    # group meeting's 90 minutes), which are in both.
    assert query.params(person=first, now=now).count(first) > query.params(
        person=second, now=now
    ).count(first)
    # A meeting later than the time given is not read (the time is a parameter, not frozen).
    later = now + datetime.timedelta(days=400)
    assert query.params(person=first, now=now) != query.params(person=first, now=later)
    earlier = query.rows(person=first, now=now - datetime.timedelta(days=400))
    assert not [row for row in earlier if row[1] == Source.GROUP]
    assert [row for row in query.rows(person=first, now=now) if row[1] == Source.GROUP]


def test_her_settings_and_signatures_compiled_once_are_the_orms(twenty, supervisee, supervisor):
    """Every hours page reads the person's settings, and her page her standing signatures,
    through queries compiled once: each person gets her own, as the ORM gives them."""
    from hours import selectors

    superseded = PeriodSignature.objects.filter(supervisee=twenty[0]).first()
    PeriodSignature.objects.filter(pk=superseded.pk).update(superseded_at=timezone.now())
    period_signature(supervisee=twenty[0], supervisor=supervisor, starts_on=month_start(3))
    for person in [*twenty[:6], supervisee, supervisor]:
        profile = selectors.profile_of(person)
        orm = HoursProfile.objects.select_related("rule_set").filter(person=person).first()
        if orm is None:
            assert profile.pk is None and profile.person_id == person.pk
        else:
            assert (profile.pk, profile.rule_set, profile.licence_number) == (
                orm.pk,
                orm.rule_set,
                orm.licence_number,
            )
        assert selectors.standing_signatures(person) == list(
            PeriodSignature.objects.standing().filter(supervisee=person)
        )
    assert superseded not in selectors.standing_signatures(twenty[0])
    assert len(selectors.standing_signatures(twenty[0])) == 1
    assert selectors.profile_of(supervisor).licence_number == "LMHC 004711"
    for query in (selectors._PROFILE, selectors._STANDING_SIGNATURES):
        assert query.params(person=twenty[0].pk) != query.params(person=twenty[1].pk)


def test_to_sign_with_twenty_supervisees(client, supervisor, twenty, django_assert_num_queries):
    client.force_login(supervisor)
    # Session, user, unread notices; her spans, her licence; names with their rules' period,
    # the signatures, each one's newest change, the periods with hours of those whose
    # periods are not kept yet, and the ledger of the signed stretch: whatever the number
    # of supervisees.
    with django_assert_num_queries(10):
        response = client.get(reverse("hours:to_sign"))
    assert response.status_code == 200
    waiting = response.context["waiting"]
    # Sam has no hours; every one of the twenty has four closed months, five of them one
    # signed (and still as signed: the group's size on the day, less an apology, is right).
    assert len(waiting) == 20
    assert sorted(w.count for w in waiting) == [3] * 5 + [4] * 15
    assert {w.changed for w in waiting} == {0}
    # Next time their periods are kept: nobody's ledger is read but the signed stretch.
    with django_assert_num_queries(9):
        again = client.get(reverse("hours:to_sign"))
    assert again.context["waiting"] == waiting
    # Without a signature, no entry is read.
    PeriodSignature.objects.all().delete()
    with django_assert_num_queries(8):
        client.get(reverse("hours:to_sign"))


def test_hours_to_sign_compiled_once_answers_as_the_orm_for_each_supervisor_and_day(
    supervisor, twenty
):
    """*Hours to sign* reads through queries compiled once per process, her and the day
    their only values: for two supervisors and two days each gives what the ORM gives, and
    the person and the day travel as parameters."""
    from hours import access, selectors

    other = SupervisorFactory()
    today = timezone.localdate()
    # Hers ended 30 days ago: still hers to sign (within the grace), but not 200 days ago.
    RelationshipFactory(
        supervisor=other,
        supervisee=twenty[3],
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=30),
    )
    period_signature(supervisee=twenty[3], supervisor=other, starts_on=month_start(3))
    now = timezone.now()
    stretch = {"since": month_start(4), "until": month_start(1)}
    queries = [
        (access._SIGNABLE_SPANS, {}),
        (selectors._TO_SIGN_NAMES, {}),
        (selectors._TO_SIGN_SIGNATURES, {}),
        (selectors._TO_SIGN_STRETCH, {"now": now, **stretch}),
    ]
    seen = set()
    for person in (supervisor, other):
        for day in (today, today - datetime.timedelta(days=200)):
            values = {"person": person.pk, "today": day, "ended_since": day - access.SIGNING_GRACE}
            for query, more in queries:
                found = (
                    query.objects(**values, **more)
                    if query is selectors._TO_SIGN_SIGNATURES
                    else query.rows(**values, **more)
                )
                orm = list(query.orm(**values, **more))
                assert sorted(map(repr, found)) == sorted(map(repr, orm))
                sent = query.params(**values, **more)
                assert person.pk in sent
                assert day in sent or day.isoformat() in sent  # SQLite receives text
                seen.add((query.sql(), person.pk, day, len(found)))
    # Each supervisor and day has an answer of its own, from the same SQL.
    earlier = today - datetime.timedelta(days=200)
    assert len(access.signable_spans(supervisor, today)) == 21  # the twenty and Sam
    assert twenty[0].pk not in access.signable_spans(supervisor, earlier)  # not yet hers
    assert len({sql for sql, *_ in seen}) == len(queries)
    assert access.signable_spans(other, today) == {
        twenty[3].pk: [
            Span(today - datetime.timedelta(days=400), today - datetime.timedelta(days=30))
        ]
    }
    assert access.signable_spans(other, today + datetime.timedelta(days=61)) == {}


def _as_listed(supervisor, spans, today):
    """What *Hours to sign* would show, from the full list of periods."""
    return [
        Waiting(
            supervisee_id=t.supervisee_id,
            supervisee_name=t.supervisee_name,
            count=len(t.periods),
            oldest_label=t.oldest.label,
            newest_label=t.newest.label,
            changed=t.changed,
        )
        for t in periods_to_sign(supervisor, spans, today)
    ]


def test_hours_to_sign_counts_the_very_periods_her_list_holds(supervisor, twenty, rule_sets):
    """`waiting_to_sign` reads days, not entries, and digests only signed periods: each
    change below must move it exactly as it moves the full list."""
    today = timezone.localdate()

    def same():
        spans = signable_spans(supervisor, today)
        counted = waiting_to_sign(supervisor, spans, today)
        assert counted == _as_listed(supervisor, spans, today)
        return {w.supervisee_id: w for w in counted}

    assert len(same()) == 20
    # An hour changed in a signed month: it waits again, as changed.
    entry = HourEntryFactory(person=twenty[0], date=month_start(2) + datetime.timedelta(days=9))
    assert same()[twenty[0].pk].changed == 1
    entry.delete()
    assert same()[twenty[0].pk].changed == 0
    # Someone else's apology for a meeting in a signed month makes the group smaller that
    # day, and so changes the signed month of everyone who was there.
    meeting = GroupMeeting.objects.get(starts_at=at_noon(month_start(2) + datetime.timedelta(2)))
    meeting.absent.add(twenty[19])
    changed = same()
    assert [changed[p.pk].changed for p in twenty[:5]] == [1, 1, 0, 1, 1]  # [2] sent apologies
    meeting.absent.remove(twenty[19])
    # Weekly rules: weeks wait, and a month signed before is not one of them.
    HoursProfile.objects.filter(person=twenty[3]).update(rule_set=rule_sets["ca-lmft"])
    assert same()[twenty[3].pk].newest_label.startswith("Week of ")
    period_signature(
        supervisee=twenty[3],
        supervisor=supervisor,
        starts_on=week_start(month_start(1)),
        period="week",
    )
    # A supervision that ended: only what it covered, and none of it once signed.
    SupervisionRelationship.objects.filter(supervisor=supervisor, supervisee=twenty[6]).update(
        ends_on=month_start(2) + datetime.timedelta(days=3)
    )
    assert same()[twenty[6].pk].count < 4
    for back in range(2, 5):
        period_signature(supervisee=twenty[6], supervisor=supervisor, starts_on=month_start(back))
    assert twenty[6].pk not in same()
    # A signature by her co-supervisor counts; a superseded one does not.
    other = SupervisorFactory()
    RelationshipFactory(supervisor=other, supervisee=twenty[7])
    period_signature(supervisee=twenty[7], supervisor=other, starts_on=month_start(1))
    assert same()[twenty[7].pk].count == 3
    PeriodSignature.objects.filter(supervisee=twenty[7]).update(superseded_at=timezone.now())
    assert same()[twenty[7].pk].count == 4
    # Her group's meetings are hers only while she is a member and without her apologies; a
    # meeting just after midnight on the first of a month, local time, is in that month,
    # wherever UTC puts it (Auckland is 12 or 13 hours ahead).
    late = UserFactory(display_name="Supervisee late")
    # Her supervision began mid-month: that month is hers to sign.
    RelationshipFactory(
        supervisor=supervisor, supervisee=late, starts_on=month_start(2) + datetime.timedelta(9)
    )
    evening = GroupFactory(facilitator=SupervisorFactory())
    MembershipFactory(group=evening, member=late, joined_on=month_start(2))
    MembershipFactory(group=evening, member=twenty[9], joined_on=month_start(4))
    # The months are counted from today here, before Auckland is the local time: for half
    # of a day each month Auckland is already in the next month.
    first_of = {back: month_start(back, today) for back in (3, 2, 1)}
    with timezone.override("Pacific/Auckland"):
        for back in (3, 2, 1):
            GroupMeeting.objects.create(
                group=evening,
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(first_of[back], datetime.time(0, 30))
                ),
            )
        GroupMeeting.objects.get(group=evening, starts_at__date=first_of[1]).absent.add(late)
        assert same()[late.pk].count == 1  # before she joined; her apologies
        assert same()[late.pk].newest_label == period_label("month", first_of[2])
    assert waiting_to_sign(supervisor, {}, today) == []


def test_the_review_queue_with_twenty_supervisees_waiting(
    client, supervisor, twenty, django_assert_num_queries
):
    client.force_login(supervisor)
    # The queue's own (tests/cases/test_views.py) and the hours section's one query.
    with django_assert_num_queries(8):
        response = client.get(reverse("cases:review_queue"))
    (hours,) = [g for g in response.context["also_waiting"] if g.heading == "Hours to sign"]
    assert len(hours.items) == 20
    assert hours.items[10].title == "Supervisee 10: hours since the last signature"
    # Each line opens that supervisee's periods to sign.
    by_name = {f"{p.display_name}: hours since the last signature": p.pk for p in twenty}
    assert {item.url for item in hours.items} == {
        reverse("hours:sign_periods", args=[by_name[item.title]]) for item in hours.items
    }


def test_her_overview_with_months_of_hours(
    client, supervisee, supervisor, rule_sets, django_assert_num_queries
):
    group = GroupFactory(facilitator=SupervisorFactory())
    _busy_supervisee(supervisee, supervisor, group, months=12)
    for back in range(1, 13):
        GroupMeeting.objects.create(group=group, starts_at=at_noon(month_start(back)))
    HoursProfile.objects.filter(person=supervisee).update(rule_set=rule_sets["ny-lmhc"])
    client.force_login(supervisee)
    # Session, user, unread notices; her settings with the rule set, the ledger and the
    # signatures: however many months.
    with django_assert_num_queries(6):
        response = client.get(reverse("hours:overview"))
    assert response.status_code == 200
    assert len(response.context["d"].periods) == 12


def test_the_review_queue_names_who_has_hours_since_her_last_signature(
    client, supervisee, supervisor
):
    from supervision.models import SupervisionRelationship

    SupervisionRelationship.objects.filter(supervisor=supervisor, supervisee=supervisee).update(
        starts_on=month_start(24)
    )

    def queue_names():
        client.force_login(supervisor)
        groups = client.get(reverse("cases:review_queue")).context["also_waiting"]
        return [item.title for g in groups if g.heading == "Hours to sign" for item in g.items]

    # Hours only in the month still going: nothing to sign yet.
    HourEntryFactory(person=supervisee, date=timezone.localdate())
    assert queue_names() == []
    HourEntryFactory(person=supervisee, date=month_start(12))  # a year ago
    HourEntryFactory(person=supervisee, date=month_start(1))  # last month
    assert queue_names() == ["Sam Supervisee: hours since the last signature"]
    period_signature(supervisee=supervisee, supervisor=supervisor, starts_on=month_start(1))
    # Her newest hours are signed: the queue is quiet (it reads one row per supervisee);
    # the year-old month still waits on Hours to sign, which reads every period.
    assert queue_names() == []
    client.force_login(supervisor)
    (waiting,) = client.get(reverse("hours:to_sign")).context["waiting"]
    assert (waiting.count, waiting.newest_label) == (1, period_label("month", month_start(12)))


def test_the_queue_names_only_hours_inside_her_supervision(client, supervisee, supervisor):
    from supervision.models import SupervisionRelationship

    relationship = SupervisionRelationship.objects.get(supervisor=supervisor, supervisee=supervisee)
    relationship.starts_on = month_start(3)
    relationship.save()

    def named():
        client.force_login(supervisor)
        groups = client.get(reverse("cases:review_queue")).context["also_waiting"]
        return [item.title for g in groups if g.heading == "Hours to sign" for item in g.items]

    HourEntryFactory(person=supervisee, date=month_start(5))  # before she supervised
    assert named() == []
    # She stopped supervising at the end of two months ago (within her 90 days to sign):
    # hours after that are not hers to sign either.
    relationship.ends_on = month_start(1) - datetime.timedelta(days=1)
    relationship.save()
    HourEntryFactory(person=supervisee, date=month_start(1))
    assert named() == []
    HourEntryFactory(person=supervisee, date=month_start(2))
    assert named() == ["Sam Supervisee: hours since the last signature"]


def test_the_queues_nudge_compiled_once_answers_as_the_orm_for_each_supervisor_and_day(
    supervisee, supervisor, other_supervisee, other_supervisor
):
    """supervisees_with_new_hours runs one SQL for every supervisor and day (compiled once):
    only its values differ, and it names whom the ORM's own query names."""
    from hours.access import SIGNING_GRACE
    from hours.ledger import month_start as first_of_month
    from hours.ledger import week_start
    from hours.selectors import _NEW_HOURS, _new_hours_query, supervisees_with_new_hours
    from supervision.models import SupervisionRelationship

    SupervisionRelationship.objects.filter(supervisee=supervisee).update(starts_on=month_start(24))
    RelationshipFactory(
        supervisor=other_supervisor, supervisee=other_supervisee, starts_on=month_start(24)
    )
    HourEntryFactory(person=supervisee, date=month_start(1))
    HourEntryFactory(person=other_supervisee, date=month_start(6))
    today = timezone.localdate()
    days = [today, month_start(3), month_start(30)]
    named = {}
    for person in (supervisor, other_supervisor):
        for day in days:
            values = {
                "person": person.pk,
                "today": day,
                "ended_since": day - SIGNING_GRACE,
                "this_week": week_start(day),
                "this_month": first_of_month(day),
            }
            assert person.pk in _NEW_HOURS.params(**values)
            found = supervisees_with_new_hours(person, today=day)
            assert found == list(_new_hours_query(**values))
            named[(person.pk, day)] = [name for _, name in found]
    assert named[(supervisor.pk, today)] == ["Sam Supervisee"]
    assert named[(other_supervisor.pk, today)] == [other_supervisee.display_name]
    # Three months ago, only the entry of six months ago was over; thirty, nothing was hers.
    assert named[(supervisor.pk, month_start(3))] == []
    assert named[(other_supervisor.pk, month_start(3))] == [other_supervisee.display_name]
    assert named[(supervisor.pk, month_start(30))] == []


def test_what_counts_is_kept_for_her_and_worked_out_again_when_anything_it_reads_changes(
    supervisee, other_supervisee, rule_sets, monkeypatch
):
    """Her page keeps what the rules made of her hours (`evaluation_of`), under a key made
    of everything the answer is made of: a second visit with nothing changed reuses it; a
    changed hour, her dates, her rules or a new day are another key; another person with
    the very same hours has her own."""
    from hours import selectors

    worked_out = []
    evaluate = selectors.evaluate
    monkeypatch.setattr(selectors, "evaluate", lambda *a: worked_out.append(a) or evaluate(*a))
    day = timezone.localdate() - datetime.timedelta(days=3)
    logs = {}
    for person in (supervisee, other_supervisee):
        HoursProfileFactory(person=person, rule_set=rule_sets["ny-lmhc"])
        logs[person] = hours_log(person, day, 60)

    def direct(person, today=None):
        evaluation = hours_overview(person, today).evaluation
        return evaluation.recorded_minutes(Category.DIRECT), evaluation

    first = direct(supervisee)
    assert first[0] == 60 and direct(supervisee) == first and len(worked_out) == 1
    # The same hours, another person: her own.
    assert direct(other_supervisee)[0] == 60 and len(worked_out) == 2
    # An hour changed (a log's length edited), even to the same total of entries.
    type(logs[supervisee]).objects.filter(pk=logs[supervisee].pk).update(duration_minutes=50)
    assert direct(supervisee)[0] == 50 and len(worked_out) == 3
    # Her degree date.
    HoursProfile.objects.filter(person=supervisee).update(degree_on=day)
    direct(supervisee)
    assert len(worked_out) == 4 and worked_out[-1][2].degree_on == day
    # Her rules, edited in the database without a save (no updated_at moves).
    rule_set = rule_sets["ny-lmhc"]
    definition = {**rule_set.definition, "name": "New York LMHC (edited)"}
    type(rule_set).objects.filter(pk=rule_set.pk).update(definition=definition)
    direct(supervisee)
    assert len(worked_out) == 5 and worked_out[-1][0]["name"] == "New York LMHC (edited)"
    # Another day.
    direct(supervisee, timezone.localdate() + datetime.timedelta(days=1))
    assert len(worked_out) == 6
    # Nothing changed since: kept.
    direct(supervisee)
    assert len(worked_out) == 6


def test_periods_are_found_as_the_calendar_has_them():
    """Weeks and months, and their labels, worked out without date.replace or strftime:
    the same as the calendar's for every day of four years (a leap year among them)."""
    import calendar

    day = datetime.date(2023, 1, 1)
    while day < datetime.date(2027, 1, 1):
        monday = day - datetime.timedelta(days=day.weekday())
        assert period_bounds("week", day) == (monday, monday + datetime.timedelta(days=6))
        last = calendar.monthrange(day.year, day.month)[1]
        assert period_bounds("month", day) == (day.replace(day=1), day.replace(day=last))
        assert period_label("week", monday) == f"Week of {monday.day} {monday:%b %Y}"
        assert period_label("month", day) == f"{day:%B %Y}"
        day += datetime.timedelta(days=1)
