"""Group dashboard figures against numbers worked out by hand on small, explicit data.

The rule (docs/groups-and-dashboards.md#what-the-group-dashboard-counts): figures cover
calendar months that have ended; a member's logs count only for days she was a member; a
figure is shown only if every (item, month) cell it sums rests on nobody or on at least
SHOWN_FROM (4) people; a pattern is shown only in months where every pattern of its family
is. TODAY is 30 Jun 2026, so June is still open: the 4-week window is May 2026 (against
April), the 12-week window March..May 2026 (against December..February).
"""

import pytest
from django.utils import timezone
from django.utils.text import slugify

from cases.models import ClientPresentation, LogStatus, Pattern, PatternFamily
from groups import selectors as group_selectors
from reflections.models import Practice, ReflectiveQuestion
from tests.dashboards.helpers import TODAY, D, at, catalog_items, make_log, make_reply, trashed
from tests.factories import GroupFactory, MembershipFactory, UserFactory


def family_patterns(family_name: str, *names: str) -> list[Pattern]:
    family, _ = PatternFamily.objects.get_or_create(
        slug=slugify(family_name), defaults={"name": family_name}
    )
    return catalog_items(Pattern, *names, family=family)


def test_closed_months_leave_out_the_month_still_running():
    assert group_selectors.closed_months(TODAY, 3) == [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]
    assert group_selectors.closed_months(D(2026, 1, 1), 1) == [D(2025, 12, 1)]


@pytest.fixture
def larger(other_supervisor):
    """Seven people: Ana..Eve members all along (Ana named), Fay joined 15 May 2026, Gil left
    on 12 May 2026.

    Family A = P1, P2; family B = P3.

    tags        May 2026 (window)                      April 2026 (before)
    P1          Ana Ben Cai Dee Fay(20 May)   5, 5p     Ana Ben Cai            3, 3p -> unsafe
    P2          Ana x2 Ben Cai Dee Eve Gil(5 May) 7, 6p  Ana Ben Cai Dee        4, 4p
    P3          Ana Ben Cai                   3, 3p -> unsafe (noticed, no number)
    never counted: Fay 10 May (before she joined), Gil 20 May (after he left), June (open),
    Dee trashed, Eve draft.
    """
    (p1, p2), (p3,) = family_patterns("Family A", "P1", "P2"), family_patterns("Family B", "P3")
    group = GroupFactory(facilitator=other_supervisor, name="Larger")
    ana, ben, cai, dee, eve, fay, gil = (
        UserFactory(display_name=f"{n} Member")
        for n in ("Ana", "Ben", "Cai", "Dee", "Eve", "Fay", "Gil")
    )
    for person in (ana, ben, cai, dee, eve):
        MembershipFactory(
            group=group, member=person, joined_on=D(2025, 1, 1), show_name=person == ana
        )
    MembershipFactory(group=group, member=fay, joined_on=D(2026, 5, 15))
    MembershipFactory(group=group, member=gil, joined_on=D(2025, 1, 1), left_on=D(2026, 5, 12))
    for person in (ana, ben, cai, dee):
        make_log(person, D(2026, 5, 3), [p1, p2])
    make_log(ana, D(2026, 5, 31), [p2, p3])
    make_log(ben, D(2026, 5, 4), [p3])
    make_log(cai, D(2026, 5, 4), [p3])
    make_log(eve, D(2026, 5, 4), [p2])
    make_log(fay, D(2026, 5, 20), [p1])
    make_log(gil, D(2026, 5, 5), [p2])
    for person in (ana, ben, cai):
        make_log(person, D(2026, 4, 1), [p1, p2])
    make_log(dee, D(2026, 4, 30), [p2])
    make_log(fay, D(2026, 5, 10), [p3, p1])
    make_log(gil, D(2026, 5, 20), [p3, p1])
    trashed(dee, D(2026, 5, 6), [p3])
    make_log(eve, D(2026, 5, 6), [p3], status=LogStatus.DRAFT)
    for person in (ana, ben, cai, dee, eve):
        make_log(person, D(2026, 6, 1), [p3])
    return {"group": group, "ana": ana, "people": (ana, ben, cai, dee, eve, fay, gil)}


def test_larger_group_patterns_families_and_noticed(larger):
    d = group_selectors.group_dashboard(larger["group"], weeks=4, today=TODAY)
    assert (d.window, d.previous_months) == ([D(2026, 5, 1)], [D(2026, 4, 1)])
    assert d.member_count == 6  # Gil has left
    # P1 May: 5 (5 people); April rests on 3 -> None. P2 May: 2+1+1+1+1+1 = 7 (6 people);
    # April's P2 cell is safe (4 people) but P1's is not, so family A's patterns are not shown
    # for April: None. P3 rests on 3 people: None, and listed as noticed.
    assert [(t.name, t.current, t.previous) for t in d.patterns] == [
        ("P2", 7, None),
        ("P1", 5, None),
        ("P3", None, 0),
    ]
    # Family A May: 5 + 7 = 12 (7 people); April: 3 + 4 = 7 (4 people). Family B May: 3 people.
    assert [(t.name, t.current, t.previous) for t in d.families] == [
        ("Family A", 12, 7),
        ("Family B", None, 0),
    ]
    assert d.noticed == ["P3"]
    # Ana in May: P2 2, P1 1, P3 1: names only.
    assert d.named == [(larger["ana"], ["P2", "P1", "P3"])]
    assert d.suggested_topics == [t for t in d.patterns if t.name in ("P2", "P1")]


def test_a_figure_is_shown_only_if_every_month_of_the_window_is_safe(larger):
    d = group_selectors.group_dashboard(larger["group"], weeks=12, today=TODAY)
    assert d.window == [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]
    # March..May: April's P1 cell rests on 3 people, so neither pattern of family A is shown
    # over the window; the family is: 0 + 7 + 12 = 19.
    assert [(t.name, t.current) for t in d.patterns] == [("P1", None), ("P2", None), ("P3", None)]
    assert [(t.name, t.current, t.previous) for t in d.families][0] == ("Family A", 19, 0)


@pytest.fixture
def small(other_supervisor):
    """Four members who joined on 10 Mar 2026. May 2026: family A is P1 (Ana, Ben) and P2
    (Cai, Dee); family B is P3 (Ana, Ben, Cai)."""
    (p1, p2), (p3,) = family_patterns("Family A", "P1", "P2"), family_patterns("Family B", "P3")
    group = GroupFactory(facilitator=other_supervisor, name="Small")
    people = [UserFactory() for _ in range(4)]
    for person in people:
        MembershipFactory(group=group, member=person, joined_on=D(2026, 3, 10))
    ana, ben, cai, dee = people
    make_log(ana, D(2026, 5, 2), [p1, p3])
    make_log(ben, D(2026, 5, 2), [p1, p3])
    make_log(cai, D(2026, 5, 2), [p2, p3])
    make_log(dee, D(2026, 5, 2), [p2])
    make_log(ana, D(2026, 2, 2), [p1])  # before they joined: never counted
    trauma, grief = catalog_items(ClientPresentation, "Trauma", "Grief")
    for person in people:
        make_log(person, D(2026, 4, 7), []).presentations.add(trauma)
    for person in (ana, ben):
        make_log(person, D(2026, 5, 7), []).presentations.add(trauma, grief)
    # Replies in May: not-knowing to all four, "Moving forward" asked of Ana and Ben.
    moving = ReflectiveQuestion.objects.create(slug="moving", name="Moving forward", text="?")
    (not_knowing,) = catalog_items(Practice, "Practise not-knowing")
    for person in people:
        log = make_log(person, D(2026, 4, 20), [])
        make_reply(
            log,
            at(D(2026, 5, 8)),
            practice=not_knowing,
            questions=[moving] if person in (ana, ben) else [],
        )
    return {"group": group, "people": people}


def test_a_small_group_sees_its_families_and_what_three_noticed(small):
    d = group_selectors.group_dashboard(small["group"], weeks=4, today=TODAY)
    # No pattern rests on 4 people; family A does: 2 + 2 = 4 tags, 4 people.
    assert [(t.name, t.current) for t in d.patterns] == [("P1", None), ("P2", None), ("P3", None)]
    assert [(t.name, t.current, t.previous) for t in d.families] == [
        ("Family A", 4, 0),
        ("Family B", None, 0),
    ]
    assert d.noticed == ["P3"]
    # No pattern to suggest: the family is suggested instead.
    assert [t.name for t in d.suggested_topics] == ["Family A"]
    # not-knowing: 4 replies, 4 people. Moving forward: 2 people -> None.
    assert d.practices == [("Practise not-knowing", 4)]
    assert d.questions == [("Moving forward", None)]


def test_presentations_follow_the_window_from_the_month_the_group_began(small):
    d = group_selectors.group_dashboard(small["group"], weeks=52, today=TODAY)
    # June 2025..May 2026 closed, but the first member joined in March 2026.
    assert d.months == [D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)]
    # Trauma: April 4 people -> 4; May 2 people -> None. Grief: May 2 people -> None.
    assert d.presentations == {"Grief": [0, 0, None], "Trauma": [0, 4, None]}
    d4 = group_selectors.group_dashboard(small["group"], weeks=4, today=TODAY)
    assert (d4.months, d4.presentations) == ([D(2026, 5, 1)], {"Grief": [None], "Trauma": [None]})


def test_group_without_activity_shows_nothing(other_supervisor):
    group = GroupFactory(facilitator=other_supervisor)
    d = group_selectors.group_dashboard(group, weeks=4, today=TODAY)
    assert (d.member_count, d.patterns, d.families, d.suggested_topics, d.named) == (
        0,
        [],
        [],
        [],
        [],
    )
    assert (d.questions, d.practices, d.presentations, d.shares, d.months) == ([], [], {}, [], [])


def test_group_figures_run_a_fixed_number_of_queries(larger, django_assert_num_queries):
    group = larger["group"]
    d = group_selectors.group_dashboard(group, weeks=12, today=TODAY)
    # Pattern cells, family cells, families of patterns, people per pattern, named members,
    # question themes, practices, presentations.
    with django_assert_num_queries(8):
        figures = group_selectors.group_figures(
            group,
            [larger["ana"].pk],
            months=d.window,
            previous_months=d.previous_months,
            shown_months=d.months,
        )
    assert (figures.patterns, figures.families) == (d.patterns, d.families)


def test_the_dashboards_members_and_shared_logs_compiled_once_are_the_orms(
    group, supervisee, group_member, former_member
):
    """The group dashboard reads its memberships and shared logs through queries compiled
    once per process, the group their only parameter: for two groups, what the ORM gives."""
    from django.db.models import Count

    from groups.models import GroupComment, GroupMembership, LogShare
    from groups.selectors import _MEMBERSHIPS, _SHARED_LOGS
    from tests.factories import GroupFactory, MembershipFactory, SessionLogFactory

    other = GroupFactory()
    MembershipFactory(group=other, member=group_member)
    for n, (g, author) in enumerate(
        [(group, supervisee), (group, group_member), (other, group_member)]
    ):
        share = LogShare.objects.create(log=SessionLogFactory(author=author), group=g)
        for _ in range(n):
            GroupComment.objects.create(share=share, author=author, text="Synthetic comment.")
    withdrawn = LogShare.objects.create(log=SessionLogFactory(author=supervisee), group=group)
    LogShare.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    for g in (group, other):
        orm = GroupMembership.objects.filter(group=g).select_related("member")
        compiled = _MEMBERSHIPS.objects(group=g.pk)
        assert [(m.pk, m.member.display_name, m.joined_on, m.left_on) for m in compiled] == [
            (m.pk, m.member.display_name, m.joined_on, m.left_on) for m in orm
        ]
        shares = (
            LogShare.objects.active()
            .filter(group=g)
            .annotate(comment_count=Count("comments"))
            .order_by("-shared_at", "-pk")
            .values_list("pk", "log__author__display_name", "log__session_date", "comment_count")
        )
        assert _SHARED_LOGS.rows(group=g.pk) == list(shares) and shares
    assert 535353 in _SHARED_LOGS.params(group=535353)
    assert 535353 in _MEMBERSHIPS.params(group=535353)
