"""Group dashboard figures against numbers worked out by hand on small, explicit data.

As for the personal dashboards (tests/dashboards/test_selectors.py), every expected figure is
a literal with the sum that gives it in a comment, and the data is built with fixed dates
around TODAY (30 Jun 2026). The 4-week window runs 3 Jun .. 30 Jun 2026, the 4 weeks before
it 6 May .. 2 Jun 2026.
"""

import datetime

import pytest
from django.utils.text import slugify

from cases.models import ClientPresentation, LogStatus
from dashboards import selectors
from groups import selectors as group_selectors
from reflections.models import Practice, ReflectiveQuestion
from tests.dashboards.helpers import (
    TODAY,
    D,
    at,
    catalog_items,
    make_log,
    make_reply,
    patterns,
    trashed,
)
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    UserFactory,
)

# ----------------------------------------------------------------------------- group

# Logs tagged per member and period (4-week windows for TODAY), and what the group sees.
# A figure resting on 1 or 2 people is suppressed (None); resting on nobody it is 0.
#
#                       current (3..30 Jun)          previous (6 May..2 Jun)
# pattern               Ana Ben Cai Dee  n  people  Ana Ben Cai Dee  n  people
# Over-preparing         2   1   1   .   4   3       2   1   .   .   3   2 -> None
# Fear of silence        2   1   .   .   3   2 ->N   1   1   .   1   3   3
# Self-criticism         2   1   1   1   5   4       1   1   1   .   3   3
# Needing to fix         .   1   1   1   3   3       .   .   .   .   0   0
# Rescuing               .   .   .   1   1   1 ->N   .   .   .   .   0   0
# Avoiding conflict      1   .   1   1   3   3       2   .   1   1   4   3
# Catastrophising        2   1   1   .   4   3       1   1   1   .   3   3
# Juggling roles         .   2   1   1   4   3       .   1   1   1   3   3
# Perfect notes          .   .   .   .   0   0       1   1   1   .   3   3
CURRENT = {
    "Over-preparing": (2, 1, 1, 0),
    "Fear of silence": (2, 1, 0, 0),
    "Self-criticism": (2, 1, 1, 1),
    "Needing to fix": (0, 1, 1, 1),
    "Rescuing": (0, 0, 0, 1),
    "Avoiding conflict": (1, 0, 1, 1),
    "Catastrophising": (2, 1, 1, 0),
    "Juggling roles": (0, 2, 1, 1),
    "Perfect notes": (0, 0, 0, 0),
}
PREVIOUS = {
    "Over-preparing": (2, 1, 0, 0),
    "Fear of silence": (1, 1, 0, 1),
    "Self-criticism": (1, 1, 1, 0),
    "Needing to fix": (0, 0, 0, 0),
    "Rescuing": (0, 0, 0, 0),
    "Avoiding conflict": (2, 0, 1, 1),
    "Catastrophising": (1, 1, 1, 0),
    "Juggling roles": (0, 1, 1, 1),
    "Perfect notes": (1, 1, 1, 0),
}
# A member's i-th log in a period falls on these days (first days and last days of periods).
CURRENT_DAYS = (D(2026, 6, 3), D(2026, 6, 30))
PREVIOUS_DAYS = (D(2026, 6, 2), D(2026, 5, 6))


@pytest.fixture
def group_world(other_supervisor, outsider):
    """A group of four current members (Ana and Cai opted in to be named) and Fay, who left
    yesterday (and had opted in)."""
    by_name = {p.name: p for p in patterns(*CURRENT)}
    group = GroupFactory(facilitator=other_supervisor, name="Thursday board")
    names = ("Ana Member", "Ben Member", "Cai Member", "Dee Member")
    members = [UserFactory(display_name=name) for name in names]
    for i, (person, named) in enumerate(zip(members, (True, False, True, False), strict=True)):
        MembershipFactory(
            group=group, member=person, joined_on=D(2025, 1 + i, 1), left_on=None, show_name=named
        )
    fay = UserFactory(display_name="Fay Former")
    MembershipFactory(
        group=group, member=fay, joined_on=D(2024, 12, 1), left_on=D(2026, 6, 29), show_name=True
    )
    ana, ben, cai, dee = members

    first_logs = {}
    for table, days in ((CURRENT, CURRENT_DAYS), (PREVIOUS, PREVIOUS_DAYS)):
        for k, person in enumerate(members):
            for i, day in enumerate(days):
                tags = [by_name[name] for name, counts in table.items() if counts[k] > i]
                if tags:
                    log = make_log(person, day, tags)
                    first_logs.setdefault((person.pk, table is CURRENT), log)
    p = by_name
    # Never counted: before the previous window; trashed; a draft; a former member; an outsider.
    make_log(ana, D(2026, 5, 5), [p["Needing to fix"], p["Rescuing"]])
    trashed(dee, D(2026, 6, 20), [p["Over-preparing"]])
    make_log(dee, D(2026, 6, 21), [p["Catastrophising"]], status=LogStatus.DRAFT)
    fay_log = make_log(fay, D(2026, 6, 10), [p["Fear of silence"]])
    make_log(fay, D(2026, 5, 10), [p["Over-preparing"]])
    make_log(outsider, D(2026, 6, 10), [p["Fear of silence"], p["Rescuing"]])

    # Questions and practices, by reply date (window from 3 Jun):
    # reply           date     practice            catalog questions
    # Ana 1           5 Jun    not-knowing         Moving forward, Self-compassion
    # Ana 2          12 Jun    beginner's mind     Moving forward
    # Ben 1           5 Jun    not-knowing         Moving forward, Self-compassion
    # Ben 2          25 Jun    beginner's mind     -
    # Cai 1          20 Jun    not-knowing         Moving forward
    # Cai 0          30 May    beginner's mind     Self-compassion      (before the window)
    # Dee 1          21 Jun    not-knowing         (her supervisor's own question only)
    # Fay            10 Jun    beginner's mind     Self-compassion      (former member)
    moving, compassion = (
        ReflectiveQuestion.objects.create(slug=slugify(n), name=n, text=f"{n}?", position=i)
        for i, n in enumerate(("Moving forward", "Self-compassion"))
    )
    not_knowing, beginner = catalog_items(Practice, "Practise not-knowing", "Beginner's mind")

    def first(person):
        return first_logs[(person.pk, True)]

    make_reply(first(ana), at(D(2026, 6, 5)), practice=not_knowing, questions=[moving, compassion])
    make_reply(first(ana), at(D(2026, 6, 12)), practice=beginner, questions=[moving])
    make_reply(first(ben), at(D(2026, 6, 5)), practice=not_knowing, questions=[moving, compassion])
    make_reply(first(ben), at(D(2026, 6, 25)), practice=beginner)
    make_reply(first(cai), at(D(2026, 6, 20)), practice=not_knowing, questions=[moving])
    make_reply(
        first_logs[(cai.pk, False)], at(D(2026, 5, 30)), practice=beginner, questions=[compassion]
    )
    make_reply(first(dee), at(D(2026, 6, 21)), practice=not_knowing, questions=[("Own?", 0, False)])
    make_reply(fay_log, at(D(2026, 6, 10)), practice=beginner, questions=[compassion])

    # Client presentations, on logs without tags:
    # Trauma  May 2026: Ana, Ben, Fay (former)             -> 2 people -> None
    # Trauma  Jun 2026: Ana x2, Ben, Cai; Dee's draft and trashed logs -> 4 logs, 3 people
    # Grief   Jun 2026: Dee                                -> 1 person -> None
    # Grief   Jun 2025: Ana, Ben, Cai, Dee (first month)   -> 4
    # Grief   May 2025: Ana, Ben, Cai (before the first month shown)
    trauma, grief = catalog_items(ClientPresentation, "Trauma", "Grief")

    def presenting(person, day, presentation, **kwargs):
        log = make_log(person, day, [], **kwargs)
        log.presentations.add(presentation)

    for person in (ana, ben, fay):
        presenting(person, D(2026, 5, 15), trauma)
    for person, day in ((ana, D(2026, 6, 15)), (ana, D(2026, 6, 16)), (ben, D(2026, 6, 15))):
        presenting(person, day, trauma)
    presenting(cai, D(2026, 6, 15), trauma)
    presenting(dee, D(2026, 6, 15), trauma, status=LogStatus.DRAFT)
    presenting(dee, D(2026, 6, 16), trauma, deleted_at=at(D(2026, 6, 16)))
    presenting(dee, D(2026, 6, 15), grief)
    for person in members:
        presenting(person, D(2025, 6, 10), grief)
    for person in (ana, ben, cai):
        presenting(person, D(2025, 5, 20), grief)
    return {"group": group, "members": members, "fay": fay}


def test_group_pattern_counts_suppress_figures_resting_on_fewer_than_three_people(group_world):
    d = group_selectors.group_dashboard(group_world["group"], weeks=4, today=TODAY)
    assert d.member_count == 4
    # Shown figures first, most frequent first, ties by name; then the suppressed ones.
    assert [(t.name, t.current, t.previous) for t in d.patterns] == [
        ("Self-criticism", 5, 3),
        ("Catastrophising", 4, 3),
        ("Juggling roles", 4, 3),
        ("Over-preparing", 4, None),
        ("Avoiding conflict", 3, 4),
        ("Needing to fix", 3, 0),
        ("Perfect notes", 0, 3),
        ("Fear of silence", None, 3),
        ("Rescuing", None, 0),
    ]


def test_group_suggested_topics_are_the_top_three_rising(group_world):
    d = group_selectors.group_dashboard(group_world["group"], weeks=4, today=TODAY)
    # Rises where both figures are shown: NF +3, SC +2, Catastrophising +1 (now 4),
    # Juggling roles +1 (now 4, later by name: left out). Over-preparing's previous figure is
    # suppressed, so it is not called rising; Avoiding conflict and Perfect notes fell.
    assert [(t.name, t.previous, t.current) for t in d.suggested_topics] == [
        ("Needing to fix", 0, 3),
        ("Self-criticism", 3, 5),
        ("Catastrophising", 3, 4),
    ]


def test_group_named_members_are_those_who_opted_in(group_world):
    d = group_selectors.group_dashboard(group_world["group"], weeks=4, today=TODAY)
    ana, _, cai, _ = group_world["members"]
    # Ana, current: OP 2, FS 2, SC 2, Catastrophising 2, AC 1 -> top three, ties by name.
    # Cai, current: OP, SC, NF, AC, Catastrophising, Juggling roles once each -> first three
    # by name. Fay opted in too but left yesterday.
    assert d.named == [
        (ana, [("Catastrophising", 2), ("Fear of silence", 2), ("Over-preparing", 2)]),
        (cai, [("Avoiding conflict", 1), ("Catastrophising", 1), ("Juggling roles", 1)]),
    ]


def test_group_questions_and_practices_are_suppressed_the_same_way(group_world):
    d = group_selectors.group_dashboard(group_world["group"], weeks=4, today=TODAY)
    # Moving forward: Ana 1 + Ana 2 + Ben 1 + Cai 1 = 4, 3 people.
    # Self-compassion: Ana 1 + Ben 1 = 2, 2 people -> None (Cai's was 30 May, Fay left).
    # Dee's own question has no catalog theme and is not counted.
    assert d.questions == [("Moving forward", 4), ("Self-compassion", None)]
    # not-knowing: Ana Ben Cai Dee = 4, 4 people; beginner's mind: Ana 2, Ben 2 -> None.
    assert d.practices == [("Practise not-knowing", 4), ("Beginner's mind", None)]


def test_group_client_presentations_by_month(group_world):
    d = group_selectors.group_dashboard(group_world["group"], weeks=4, today=TODAY)
    # The view runs from June 2025 to June 2026: this month and the twelve before it.
    assert d.months[0] == D(2025, 6, 1)
    assert d.months[-1] == D(2026, 6, 1)
    assert list(d.presentations) == ["Grief", "Trauma"]
    grief = dict(zip(d.months, d.presentations["Grief"], strict=True))
    trauma = dict(zip(d.months, d.presentations["Trauma"], strict=True))
    assert {m: v for m, v in grief.items() if v != 0} == {D(2025, 6, 1): 4, D(2026, 6, 1): None}
    assert {m: v for m, v in trauma.items() if v != 0} == {D(2026, 5, 1): None, D(2026, 6, 1): 4}


def test_group_without_activity_shows_nothing(other_supervisor):
    group = GroupFactory(facilitator=other_supervisor)
    d = group_selectors.group_dashboard(group, weeks=4, today=TODAY)
    assert (d.member_count, d.patterns, d.suggested_topics, d.named) == (0, [], [], [])
    assert (d.questions, d.practices, d.presentations, d.shares) == ([], [], {}, [])


def test_group_topics_fall_back_to_the_most_frequent_when_nothing_rises(other_supervisor):
    steady, fading, rare = patterns("Steady", "Fading", "Rare")
    group = GroupFactory(facilitator=other_supervisor)
    members = [UserFactory() for _ in range(3)]
    for person in members:
        MembershipFactory(group=group, member=person, joined_on=D(2025, 1, 1))
        make_log(person, D(2026, 5, 20), [steady, fading])
        make_log(person, D(2026, 5, 21), [fading])
        make_log(person, D(2026, 6, 20), [steady, fading])
    make_log(members[0], D(2026, 6, 21), [rare])
    d = group_selectors.group_dashboard(group, weeks=4, today=TODAY)
    # Steady 3 -> 3, Fading 6 -> 3, Rare (one person) None: nothing rises, so the topics are
    # the most frequent shown patterns this period, ties by name.
    assert [(t.name, t.previous, t.current) for t in d.patterns] == [
        ("Fading", 6, 3),
        ("Steady", 3, 3),
        ("Rare", 0, None),
    ]
    assert [t.name for t in d.suggested_topics] == ["Fading", "Steady"]


# ------------------------------------------------------- figures as named functions


def test_group_figures_are_what_the_dashboard_shows_one_query_each(
    group_world, django_assert_num_queries
):
    d = group_selectors.group_dashboard(group_world["group"], weeks=4, today=TODAY)
    ids = [person.pk for person in group_world["members"]]
    opted_ids = sorted(person.pk for person, _ in d.named)
    start = selectors.window_start(TODAY, 4)
    # Patterns, named members, question themes, practices, presentations.
    with django_assert_num_queries(5):
        figures = group_selectors.group_figures(
            ids,
            opted_ids,
            start=start,
            previous_start=start - datetime.timedelta(weeks=4),
            today=TODAY,
            months=d.months,
        )
    assert (figures.patterns, figures.suggested_topics) == (d.patterns, d.suggested_topics)
    assert (figures.questions, figures.practices) == (d.questions, d.practices)
    assert figures.presentations == d.presentations
    assert [(pk, top[:3]) for pk, top in figures.named_patterns.items()] == [
        (person.pk, top) for person, top in d.named
    ]


def test_group_named_patterns_read_only_the_members_who_opted_in(group_world):
    _, ben, _, _ = group_world["members"]
    named = group_selectors.group_named_patterns(
        [ben.pk], start=selectors.window_start(TODAY, 4), today=TODAY
    )
    assert list(named) == [ben.pk]
    assert group_selectors.group_named_patterns([], start=TODAY, today=TODAY) == {}
