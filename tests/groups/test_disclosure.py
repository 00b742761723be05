"""The group dashboard tried as an attacker inside the group would (issue 15).

Each reproduction computes what the attacker would, and asserts that nothing about fewer than
MIN_PEOPLE (3) people can be derived:

- remove a member, or add one, and download the CSV again: every figure is the same;
- compare the 4-, 12- and 52-week windows (and their previous periods), and the families with
  their patterns: every (pattern, month) cell that can be solved for from the published figures
  rests on nobody or on 4+ people, and no hidden figure can be solved for;
- subtract your own work (which you know exactly: more than your own dashboard tells you):
  what is left of every published figure is nothing or rests on at least 3 other people;
- subtract an opted-in member's named figures: there are none to subtract (names only).

The data is a deterministic pseudo-random history over two years, so that every kind of cell
(0, 1, 2, 3, 4+ people) occurs.
"""

import datetime
import random
from collections import defaultdict
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cases.models import LogStatus, Pattern, PatternFamily, PatternTag
from groups import selectors as group_selectors
from groups import services as group_services
from groups.models import GroupMembership
from tests.dashboards.helpers import catalog_items, make_log, make_logs, read_csv
from tests.factories import GroupFactory, MembershipFactory, UserFactory

MIN_PEOPLE = group_selectors.MIN_PEOPLE
FAMILIES = {"Family A": ("P1", "P2", "P3"), "Family B": ("P4", "P5"), "Family C": ("P6",)}


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@pytest.fixture
def history(other_supervisor):
    """Eight people in a group over 26 months, some joining and leaving along the way, each
    writing about two logs a month with one to three random patterns."""
    today = timezone.localdate()
    by_name = {}
    for family_name, names in list(FAMILIES.items())[:2]:
        family, _ = PatternFamily.objects.get_or_create(
            slug=slugify(family_name), defaults={"name": family_name}
        )
        for p in catalog_items(Pattern, *names, family=family):
            by_name[p.name] = p
    group = GroupFactory(facilitator=other_supervisor, name="Attacked")
    rng = random.Random(15)
    people = [UserFactory(display_name=f"Member {i}") for i in range(8)]
    start = today - datetime.timedelta(days=800)
    spans = [
        (start, None),
        (start, None),
        (start, None),
        (start + datetime.timedelta(days=200), None),
        (start + datetime.timedelta(days=400), None),
        (start, today - datetime.timedelta(days=300)),
        (start + datetime.timedelta(days=100), today - datetime.timedelta(days=40)),
        (start + datetime.timedelta(days=500), None),
    ]
    for i, (person, (joined, left)) in enumerate(zip(people, spans, strict=True)):
        MembershipFactory(
            group=group, member=person, joined_on=joined, left_on=left, show_name=i == 1
        )
    names = sorted(by_name)
    rows = []
    for person in people:
        for days_back in range(0, 800, 7):
            if rng.random() < 0.3:
                continue
            day = today - datetime.timedelta(days=days_back)
            tags = [by_name[n] for n in rng.sample(names, rng.randint(1, 3))]
            status = LogStatus.DRAFT if rng.random() < 0.05 else LogStatus.SUBMITTED
            rows.append((person, day, tags, status))
    make_logs(rows)
    # And by hand: P6 (alone in family C) tagged last month by exactly three members, the
    # month before by four. Three is the case a member subtracting herself would exploit.
    family_c, _ = PatternFamily.objects.get_or_create(
        slug="family-c", defaults={"name": "Family C"}
    )
    (p6,) = catalog_items(Pattern, "P6", family=family_c)
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    before = last_month.replace(day=1) - datetime.timedelta(days=1)
    for person in people[:3]:
        make_log(person, last_month, [p6])
    for person in (people[0], people[1], people[2], people[4]):
        make_log(person, before, [p6])
    return {"group": group, "people": people, "today": today}


def truth(group) -> dict[tuple[str, datetime.date], dict[int, int]]:
    """{(pattern, month): {person id: tags}} worked out in Python from every tag: what the
    rule says counts (submitted, not trashed, written while a member of this group)."""
    spans = defaultdict(list)
    for m in GroupMembership.objects.filter(group=group):
        spans[m.member_id].append((m.joined_on, m.left_on))
    cells: dict = defaultdict(lambda: defaultdict(int))
    for tag in PatternTag.objects.select_related("log", "pattern"):
        log = tag.log
        if log.status == LogStatus.DRAFT or log.deleted_at is not None:
            continue
        day = log.session_date
        if any(j <= day and (left is None or day <= left) for j, left in spans[log.author_id]):
            cells[(tag.pattern.name, month_of(day))][log.author_id] += 1
    return cells


def published(group, today) -> list[tuple[frozenset, int | None]]:
    """Every pattern and family figure of the three windows, this period and the one before,
    as (the (pattern, month) cells it sums, its value or None when hidden)."""
    out = []
    for weeks in (4, 12, 52):
        d = group_selectors.group_dashboard(group, weeks=weeks, today=today)
        for months, attr in ((d.window, "current"), (d.previous_months, "previous")):
            for t in d.patterns:
                out.append((frozenset((t.name, m) for m in months), getattr(t, attr)))
            for t in d.families:
                cells = frozenset((p, m) for p in FAMILIES[t.name] for m in months)
                out.append((cells, getattr(t, attr)))
    return out


def people_of(cells, known) -> set[int]:
    return {pk for cell in cells for pk, n in known.get(cell, {}).items() if n}


def total(cells, known, leaving_out=()) -> int:
    return sum(
        n for cell in cells for pk, n in known.get(cell, {}).items() if pk not in leaving_out
    )


class Span:
    """Which vectors over the cells the published figures let an attacker solve for."""

    def __init__(self, rows: list[frozenset]):
        self.columns = sorted({c for row in rows for c in row})
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.basis: dict[int, list[Fraction]] = {}  # pivot column -> reduced row
        for row in rows:
            self.add(self.vector(row))

    def vector(self, cells) -> list[Fraction]:
        v = [Fraction(0)] * len(self.columns)
        for c in cells:
            if c not in self.index:
                return []  # a cell no published figure touches: never solvable
            v[self.index[c]] = Fraction(1)
        return v

    def reduce(self, v: list[Fraction]) -> list[Fraction]:
        v = list(v)
        for pivot, row in self.basis.items():
            if v[pivot]:
                factor = v[pivot]
                v = [a - factor * b for a, b in zip(v, row, strict=True)]
        return v

    def add(self, v):
        v = self.reduce(v)
        pivot = next((i for i, a in enumerate(v) if a), None)
        if pivot is None:
            return
        v = [a / v[pivot] for a in v]
        for p, row in self.basis.items():
            if row[pivot]:
                factor = row[pivot]
                self.basis[p] = [a - factor * b for a, b in zip(row, v, strict=True)]
        self.basis[pivot] = v

    def solvable(self, cells) -> bool:
        v = self.vector(cells)
        return bool(v) and not any(self.reduce(v))


def test_comparing_windows_and_families_solves_for_no_small_cell(history):
    group, today = history["group"], history["today"]
    figures = published(group, today)
    known = truth(group)
    shown = [cells for cells, value in figures if value is not None]
    hidden = [cells for cells, value in figures if value is None]
    # The published numbers are right: each is the sum of its cells.
    for cells, value in figures:
        if value is not None:
            assert value == total(cells, known)
    span = Span(shown)
    # Every single (pattern, month) cell the attacker can solve for rests on 0 or 4+ people:
    # even leaving out her own part, 3 others stand behind it.
    solved = [c for c in span.columns if span.solvable([c])]
    assert solved and len(shown) > len(hidden) / 4, "the data should show a good part"
    for cell in solved:
        assert len(people_of([cell], known)) in {0} | set(range(MIN_PEOPLE + 1, 100)), cell
    # No hidden figure can be worked out from the shown ones.
    assert hidden, "the test data should hide some figures"
    for cells in hidden:
        assert not span.solvable(cells), sorted(cells)
    # Any two shown figures, one within the other: their difference rests on 4+ people or is 0.
    for a in shown:
        for b in shown:
            if a < b:
                rest = b - a
                assert total(rest, known) == 0 or len(people_of(rest, known)) > MIN_PEOPLE


def test_subtracting_your_own_work_leaves_nothing_or_three_others(history):
    group, today = history["group"], history["today"]
    known = truth(group)
    for cells, value in published(group, today):
        if value is None:
            continue
        for me in history["people"]:
            others = people_of(cells, known) - {me.pk}
            left = value - total(cells, known) + total(cells, known, leaving_out={me.pk})
            assert left == 0 or len(others) >= MIN_PEOPLE, (me, sorted(cells))


def test_the_supervisee_dashboard_and_the_group_count_different_spans(history, client):
    """Her own dashboard's windows end today; the group's end with the last closed month.
    However she lines them up, the subtraction above is what she can do at best."""
    me = history["people"][0]
    d = group_selectors.group_dashboard(history["group"], weeks=4, today=history["today"])
    assert d.window[-1] < month_of(history["today"])
    client.force_login(me)
    mine = client.get(reverse("dashboards:dashboard"), {"weeks": 4}).context["d"]
    assert mine.start > d.window[-1]


def csv_rows(client, group, weeks):
    return read_csv(
        client.get(
            reverse("groups:group_dashboard", args=[group.pk]), {"weeks": weeks, "format": "csv"}
        )
    )


@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_removing_a_member_and_downloading_again_changes_nothing(
    history, client, other_supervisor, weeks
):
    group = history["group"]
    client.force_login(other_supervisor)
    before = csv_rows(client, group, weeks)
    assert any(r[3] not in ("", "0") for r in before[1:])
    group_services.group_member_remove(
        group=group, member=history["people"][2], by=other_supervisor
    )
    assert csv_rows(client, group, weeks) == before


@pytest.mark.parametrize("weeks", [4, 12, 52])
def test_adding_a_member_and_downloading_again_changes_nothing(
    history, client, other_supervisor, weeks
):
    """A supervisee added for a moment, then removed (the membership that began today is
    gone): her past work never counts, since she was not a member then."""
    group = history["group"]
    outsider = UserFactory(display_name="Briefly Added")
    for day in (1, 20, 45, 80, 200):
        make_log(
            outsider, history["today"] - datetime.timedelta(days=day), list(Pattern.objects.all())
        )
    client.force_login(other_supervisor)
    before = csv_rows(client, group, weeks)
    group_services.group_member_add(group=group, member=outsider, by=other_supervisor)
    assert csv_rows(client, group, weeks) == before
    group_services.group_member_remove(group=group, member=outsider, by=other_supervisor)
    assert csv_rows(client, group, weeks) == before


def test_an_opted_in_member_is_named_without_numbers(history, client, other_supervisor):
    """Nothing to subtract: her most frequent patterns by name, no counts, and not in the CSV."""
    group = history["group"]
    named_member = history["people"][1]
    d = group_selectors.group_dashboard(group, weeks=52, today=history["today"])
    assert [person for person, _ in d.named] == [named_member]
    (top,) = [top for _, top in d.named]
    assert top and all(isinstance(name, str) for name in top)
    client.force_login(other_supervisor)
    url = reverse("groups:group_dashboard", args=[group.pk])
    html = client.get(url, {"weeks": 52}).content.decode()
    line = html.split(f"<strong>{named_member.display_name}</strong>: ")[1].split("</p>")[0]
    assert line == ", ".join(top)
    assert (
        named_member.display_name
        not in client.get(url, {"weeks": 52, "format": "csv"}).content.decode()
    )


def test_the_group_figures_cost_the_same_with_much_data(history, django_assert_num_queries):
    group = history["group"]
    d = group_selectors.group_dashboard(group, weeks=52, today=history["today"])
    assert PatternTag.objects.count() > 300
    # Pattern cells, family cells, families of patterns, people per pattern, named members,
    # question themes, practices, presentations.
    with django_assert_num_queries(8):
        group_selectors.group_figures(
            group,
            [history["people"][1].pk],
            months=d.window,
            previous_months=d.previous_months,
            shown_months=d.months,
        )
