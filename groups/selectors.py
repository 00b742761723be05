"""Reads for group supervision: the group dashboard's figures, and her group comments.

The disclosure rule (docs/groups-and-dashboards.md#what-the-group-dashboard-counts): figures
over closed calendar months, counting a member's work only while she was a member, each shown
only when every cell it sums rests on nobody or on more than MIN_PEOPLE people.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from cases.models import LogStatus, Pattern, PatternTag, SessionLog, note_fields_via
from dashboards.cache import cached_aggregate, figures_key
from dashboards.selectors import DEFAULT_WEEKS, PatternTrend, rising, start_of_day
from reflections.export import log_ref
from reflections.models import AskedQuestion, Reply
from supervision.compiled import FixedQuery
from supervision.formats import day_month_year
from supervision.links import pk_url
from supervision.models import User

from .models import GroupComment, GroupMeeting, GroupMembership, LogShare, SupervisionGroup

MIN_PEOPLE = 3
# Whoever reads a figure knows her own part of it: subtracting it must still leave at least
# MIN_PEOPLE others, so a figure is shown only when it rests on MIN_PEOPLE + 1 people or more.
SHOWN_FROM = MIN_PEOPLE + 1
# Each window of the dashboard, as a number of whole calendar months that have ended.
WINDOW_MONTHS = {4: 1, 12: 3, 52: 12}


def group_comments_of(person: User) -> list[dict]:
    """What she wrote in group discussions of shared logs, for her export."""
    rows = GroupComment.objects.filter(author=person).select_related(
        "share__group", "share__log__author"
    )
    return [
        {
            "id": c.pk,
            "group": c.share.group.name,
            "log": log_ref(c.share.log),
            "text": c.text,
            "created_at": c.created_at,
        }
        for c in rows
    ]


@dataclass(frozen=True)
class GroupDashboard:
    group: SupervisionGroup
    weeks: int
    member_count: int
    patterns: list[PatternTrend]
    families: list[PatternTrend]
    noticed: list[str]
    suggested_topics: list[PatternTrend]
    named: list[tuple[User, list[str]]]
    questions: list[tuple[str, int | None]]
    practices: list[tuple[str, int | None]]
    window: list[datetime.date]
    months: list[datetime.date]
    previous_months: list[datetime.date]
    presentations: dict[str, list[int | None]]
    shares: list["SharedLogLine"]
    figures_key: str | None = None


@dataclass(frozen=True)
class SharedLogLine:
    """A shared log as the group's dashboard lists it: by its author and date, never its text."""

    url: str
    author_name: str
    day: str  # as date:"j M Y"
    comment_count: int


@dataclass(frozen=True)
class GroupFigures:
    """What the group dashboard computes only when the cache misses: counts and catalog
    names, keyed by member id where they are per person, never the people themselves."""

    patterns: list[PatternTrend]
    families: list[PatternTrend]
    noticed: list[str]
    suggested_topics: list[PatternTrend]
    named_patterns: dict[int, list[str]]
    questions: list[tuple[str, int | None]]
    practices: list[tuple[str, int | None]]
    presentations: dict[str, list[int | None]]


# ------------------------------------------------------------ the disclosure rule
#
# Every figure is a sum of "cells": one item (pattern, family, theme, practice, presentation)
# in one calendar month that has ended. A member's work counts in a cell only if she was a
# member of this group on that day (joined_on <= day <= left_on). A closed month's cells
# therefore never change when someone joins or leaves today, and the people behind each
# cell are fixed. A cell is "safe" when nobody (0) or at least SHOWN_FROM people stand
# behind it. A window's figure is shown only if every cell it sums is safe, so whatever
# figures are subtracted from each other (windows, downloads before and after a change,
# her own dashboard), what remains is a sum of safe cells or nothing.


def closed_months(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` calendar months that ended before `today`'s, oldest
    first."""
    months = []
    current = today.replace(day=1)
    for _ in range(count):
        current = (current - datetime.timedelta(days=1)).replace(day=1)
        months.append(current)
    return months[::-1]


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def counted(rows: QuerySet, group: SupervisionGroup, *, author: str, day: str) -> QuerySet:
    """`rows` whose `author` was a member of `group` on their `day` (a date field or
    annotation): her work before she joined and after she left never counts."""
    span = GroupMembership.objects.filter(
        group=group, member=OuterRef(author), joined_on__lte=OuterRef(day)
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=OuterRef(day)))
    return rows.filter(Exists(span))


Cells = dict[str, dict[datetime.date, tuple[int, int]]]


def _cells(rows: QuerySet, *, item: str, month: TruncMonth, person: str) -> Cells:
    """{item: {month: (count, people)}} of `rows`, one query."""
    cells: Cells = defaultdict(dict)
    for name, m, n, people in (
        rows.annotate(month=month)
        .values_list(item, "month")
        .annotate(n=Count("pk"), people=Count(person, distinct=True))
        .order_by()
    ):
        cells[name][_as_date(m)] = (n, people)
    return cells


def _safe(cell: tuple[int, int]) -> bool:
    return cell[1] == 0 or cell[1] >= SHOWN_FROM


def _sum(cells: dict[datetime.date, tuple[int, int]], months: list[datetime.date]) -> int | None:
    """The item's figure over `months`, or None if any of its cells is unsafe."""
    picked = [cells.get(m, (0, 0)) for m in months]
    return sum(n for n, _ in picked) if all(_safe(c) for c in picked) else None


def _pattern_rows(group: SupervisionGroup, first: datetime.date, end: datetime.date) -> QuerySet:
    tags = PatternTag.objects.filter(
        log__deleted_at__isnull=True, log__session_date__gte=first, log__session_date__lt=end
    ).exclude(log__status=LogStatus.DRAFT)
    return counted(tags, group, author="log__author", day="log__session_date")


def group_pattern_figures(
    group: SupervisionGroup, *, months: list[datetime.date], previous_months: list[datetime.date]
) -> tuple[list[PatternTrend], list[PatternTrend], list[str]]:
    """(patterns, families, noticed) over `months` against `previous_months`.

    A family is the sum of its patterns. So that no hidden pattern can be recovered as its
    family's figure minus its shown siblings, a pattern's cell counts as unsafe whenever any
    cell of its family in the same month is: a family's patterns are shown together or not
    at all. `noticed` names the patterns tagged by at least MIN_PEOPLE people in the window
    that cannot be shown as numbers: a list without counts, for small groups."""
    everything = previous_months + months
    rows = _pattern_rows(group, everything[0], _next_month(everything[-1]))
    month = TruncMonth("log__session_date")
    pattern_cells = _cells(rows, item="pattern__name", month=month, person="log__author")
    family_cells = _cells(rows, item="pattern__family__name", month=month, person="log__author")
    family_of = dict(
        Pattern.objects.filter(name__in=list(pattern_cells)).values_list("name", "family__name")
    )
    people_now = dict(
        rows.filter(log__session_date__gte=months[0])
        .values_list("pattern__name")
        .annotate(people=Count("log__author", distinct=True))
        .order_by()
    )
    unsafe_families = {
        (family_of[name], m)
        for name, cells in pattern_cells.items()
        for m, cell in cells.items()
        if not _safe(cell)
    }

    def pattern_sum(name: str, window: list[datetime.date]) -> int | None:
        if any((family_of[name], m) in unsafe_families for m in window):
            return None
        return _sum(pattern_cells[name], window)

    patterns = [
        PatternTrend(
            name,
            pattern_sum(name, months),
            pattern_sum(name, previous_months),
            people_now.get(name, 0),
        )
        for name in pattern_cells
    ]
    patterns.sort(key=lambda t: (t.current is None, -(t.current or 0), t.name))
    families = [
        PatternTrend(name, _sum(cells, months), _sum(cells, previous_months))
        for name, cells in family_cells.items()
    ]
    families.sort(key=lambda t: (t.current is None, -(t.current or 0), t.name))
    noticed = sorted(
        t.name for t in patterns if t.current is None and (t.people or 0) >= MIN_PEOPLE
    )
    return patterns, families, noticed


def group_suggested_topics(
    patterns: list[PatternTrend], families: Sequence[PatternTrend] = ()
) -> list[PatternTrend]:
    """The top rising patterns or, when nothing rises, the most frequent shown ones; in a group
    too small to show patterns, the same of its families."""
    for trends in (patterns, list(families)):
        topics = rising(trends) or [t for t in trends if t.current][:3]
        if topics:
            return topics
    return []


def group_named_patterns(
    group: SupervisionGroup, opted_ids: list[int], *, months: list[datetime.date]
) -> dict[int, list[str]]:
    """{member id: her three most frequent patterns} in the window, for the members who opted
    in to be shown by name: names without counts, so that nothing can be subtracted from the
    group's figures."""
    named: dict[int, list[str]] = {pk: [] for pk in opted_ids}
    rows = _pattern_rows(group, months[0], _next_month(months[-1])).filter(
        log__author__in=opted_ids
    )
    for author, name, _n in (
        rows.values_list("log__author", "pattern__name")
        .annotate(n=Count("pk"))
        .order_by("log__author", "-n", "pattern__name")
    ):
        if len(named[author]) < 3:
            named[author].append(name)
    return named


def _window_counts(cells: Cells, months: list[datetime.date]) -> list[tuple[str, int | None]]:
    shown = [(name, _sum(c, months)) for name, c in cells.items()]
    shown = [(name, n) for name, n in shown if n != 0]
    return sorted(shown, key=lambda x: (x[1] is None, -(x[1] or 0), x[0]))


def group_question_themes(
    group: SupervisionGroup, *, months: list[datetime.date]
) -> list[tuple[str, int | None]]:
    """(theme, questions asked) of the catalog questions asked of the members in the window,
    by the day the reply was written."""
    asked = AskedQuestion.objects.filter(
        catalog_question__isnull=False,
        reply__created_at__gte=start_of_day(months[0]),
        reply__created_at__lt=start_of_day(_next_month(months[-1])),
    ).annotate(day=TruncDate("reply__created_at"))
    asked = counted(asked, group, author="reply__log__author", day="day")
    cells = _cells(
        asked,
        item="theme",
        month=TruncMonth("reply__created_at"),
        person="reply__log__author",
    )
    return _window_counts(cells, months)


def group_practices(
    group: SupervisionGroup, *, months: list[datetime.date]
) -> list[tuple[str, int | None]]:
    """(practice, replies suggesting it) in replies to the members in the window."""
    suggesting = Reply.objects.filter(
        practice__isnull=False,
        created_at__gte=start_of_day(months[0]),
        created_at__lt=start_of_day(_next_month(months[-1])),
    ).annotate(day=TruncDate("created_at"))
    suggesting = counted(suggesting, group, author="log__author", day="day")
    cells = _cells(
        suggesting, item="practice__name", month=TruncMonth("created_at"), person="log__author"
    )
    return _window_counts(cells, months)


def group_presentations_by_month(
    group: SupervisionGroup, *, months: list[datetime.date]
) -> dict[str, list[int | None]]:
    """{client presentation: [sessions in each of `months`]}, by name: the avoidance view.
    Each cell is shown only if it is safe."""
    if not months:
        return {}
    through = SessionLog.presentations.through
    rows = through.objects.filter(
        sessionlog__deleted_at__isnull=True,
        sessionlog__session_date__gte=months[0],
        sessionlog__session_date__lt=_next_month(months[-1]),
    ).exclude(sessionlog__status=LogStatus.DRAFT)
    rows = counted(rows, group, author="sessionlog__author", day="sessionlog__session_date")
    cells = _cells(
        rows,
        item="clientpresentation__name",
        month=TruncMonth("sessionlog__session_date"),
        person="sessionlog__author",
    )
    presentations = {
        name: [
            n if _safe((n, people)) else None for n, people in (c.get(m, (0, 0)) for m in months)
        ]
        for name, c in cells.items()
    }
    return dict(sorted(presentations.items()))


def group_figures(
    group: SupervisionGroup,
    opted_ids: list[int],
    *,
    months: list[datetime.date],
    previous_months: list[datetime.date],
    shown_months: list[datetime.date],
) -> GroupFigures:
    """The group dashboard's figures over the closed `months` (against `previous_months`);
    `shown_months` are those of them since the group's first member joined."""
    patterns, families, noticed = group_pattern_figures(
        group, months=months, previous_months=previous_months
    )
    return GroupFigures(
        patterns=patterns,
        families=families,
        noticed=noticed,
        suggested_topics=group_suggested_topics(patterns, families),
        named_patterns=group_named_patterns(group, opted_ids, months=months),
        questions=group_question_themes(group, months=months),
        practices=group_practices(group, months=months),
        presentations=group_presentations_by_month(group, months=shown_months),
    )


# Read on every visit to a group's dashboard: compiled once per process, the group its value.
_MEMBERSHIPS = FixedQuery(
    lambda group: GroupMembership.objects.filter(group_id=group).select_related("member"),
    group=int,
)
_SHARED_LOGS = FixedQuery(
    lambda group: (
        LogShare.objects.active()
        .filter(group_id=group)
        .annotate(comment_count=Count("comments"))
        # Meta.ordering, said again: a grouped values query would drop it.
        .order_by("-shared_at", "-pk")
        .values_list("pk", "log__author__display_name", "log__session_date", "comment_count")
    ),
    group=int,
)


def group_dashboard(
    group: SupervisionGroup, *, weeks: int = DEFAULT_WEEKS, today: datetime.date | None = None
) -> GroupDashboard:
    today = today or timezone.localdate()
    count = WINDOW_MONTHS.get(weeks, WINDOW_MONTHS[DEFAULT_WEEKS])
    both = closed_months(today, 2 * count)
    previous_months, months = both[:count], both[count:]
    memberships = cast(list[GroupMembership], _MEMBERSHIPS.objects(group=group.pk))
    current = [
        m for m in memberships if m.joined_on <= today and (m.left_on is None or m.left_on >= today)
    ]
    ids = sorted({m.member_id for m in current})
    opted = [m.member for m in current if m.show_name]
    opted_ids = sorted(p.pk for p in opted)
    began = min((m.joined_on for m in memberships), default=None)
    shown_months = [m for m in months if began is not None and _next_month(m) > began]

    # Former members' work counts for the months they were members, so the key covers every
    # membership of the group, with its span.
    spans = sorted((m.member_id, m.joined_on, m.left_on) for m in memberships)
    key = figures_key(
        "group",
        owners=[m.member_id for m in memberships],
        key=[group.pk, months[-1], weeks, opted_ids, spans],
    )
    figures = cached_aggregate(
        key,
        lambda: group_figures(
            group,
            opted_ids,
            months=months,
            previous_months=previous_months,
            shown_months=shown_months,
        ),
    )
    # The list names each shared log by its author and date: nothing of its text is read.
    # Plain rows, links from one reverse (docs/architecture.md, lists that print columns).
    share_url = pk_url("groups:shared_log", group.pk)
    shares = [
        SharedLogLine(
            url=share_url(pk), author_name=name, day=day_month_year(day), comment_count=comments
        )
        for pk, name, day, comments in _SHARED_LOGS.rows(group=group.pk)
    ]
    return GroupDashboard(
        figures_key=key,
        group=group,
        weeks=weeks,
        member_count=len(ids),
        patterns=figures.patterns,
        families=figures.families,
        noticed=figures.noticed,
        suggested_topics=figures.suggested_topics,
        named=[(person, figures.named_patterns[person.pk]) for person in opted],
        questions=figures.questions,
        practices=figures.practices,
        window=months,
        months=shown_months,
        previous_months=previous_months,
        presentations=figures.presentations,
        shares=shares,
    )


def upcoming_meeting(group: SupervisionGroup) -> GroupMeeting | None:
    """The next meeting, with its presenter and apologies, for the group page."""
    return (
        GroupMeeting.objects.filter(group=group, starts_at__gte=timezone.now())
        .select_related("presenter")
        .prefetch_related("absent")
        .order_by("starts_at")
        .first()
    )


PAST_MEETINGS_SHOWN = 12


def upcoming_meetings(group: SupervisionGroup) -> list[GroupMeeting]:
    """Every meeting still to come, soonest first, with its presenter (one query)."""
    return list(
        GroupMeeting.objects.filter(group=group, starts_at__gte=timezone.now())
        .select_related("presenter")
        .order_by("starts_at")
    )


def past_meetings(group: SupervisionGroup, limit: int = PAST_MEETINGS_SHOWN) -> list[GroupMeeting]:
    """The latest meetings held, most recent first, with the presenter each had (one query)."""
    return list(
        GroupMeeting.objects.filter(group=group, starts_at__lt=timezone.now())
        .select_related("presenter")
        .order_by("-starts_at")[:limit]
    )


def meeting_share(meeting: GroupMeeting) -> LogShare | None:
    """The log the presenter brought to this meeting: her latest share with the group still
    standing, made after the group's previous meeting began and before this one ended."""
    if meeting.presenter_id is None:
        return None
    previous = (
        GroupMeeting.objects.filter(group=meeting.group_id, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    shares = LogShare.objects.active().filter(
        group=meeting.group_id,
        log__author=meeting.presenter_id,
        shared_at__lte=meeting.ends_at,
    )
    if previous is not None:
        shares = shares.filter(shared_at__gt=previous)
    return (
        shares.select_related("log")
        .prefetch_related("log__tags__pattern")
        .defer(*note_fields_via("log"))
        .order_by("-shared_at", "-pk")
        .first()
    )


def named_presenters(group_ids) -> set[tuple[int, int]]:
    """(group, member) pairs of current members who chose to be shown by name."""
    return set(
        GroupMembership.objects.current()
        .filter(group__in=group_ids, show_name=True)
        .values_list("group_id", "member_id")
    )
