"""Reads for group supervision: the group dashboard's figures, and her group comments.

Group figures that rest on fewer than MIN_PEOPLE people are suppressed (None) so
nobody can be singled out.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import LogStatus, PatternTag, SessionLog, note_fields_via
from dashboards.cache import cached_aggregate, figures_key
from dashboards.selectors import (
    CURRENT,
    DEFAULT_WEEKS,
    PREVIOUS,
    PatternTrend,
    rising,
    start_of_day,
    tags_by_period,
    window_start,
)
from reflections.export import log_ref
from reflections.models import AskedQuestion, Reply
from supervision.models import User

from .models import GroupComment, GroupMeeting, GroupMembership, LogShare, SupervisionGroup

MIN_PEOPLE = 3


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
    suggested_topics: list[PatternTrend]
    named: list[tuple[User, list[tuple[str, int]]]]
    questions: list[tuple[str, int | None]]
    practices: list[tuple[str, int | None]]
    months: list[datetime.date]
    presentations: dict[str, list[int | None]]
    shares: list
    figures_key: str | None = None


@dataclass(frozen=True)
class GroupFigures:
    """What the group dashboard computes only when the cache misses: counts and catalog
    names, keyed by member id where they are per person, never the people themselves."""

    patterns: list[PatternTrend]
    suggested_topics: list[PatternTrend]
    named_patterns: dict[int, list[tuple[str, int]]]
    questions: list[tuple[str, int | None]]
    practices: list[tuple[str, int | None]]
    presentations: dict[str, list[int | None]]


def _suppress(n: int, people: int) -> int | None:
    """A figure that rests on one or two people could single them out; nobody is fine."""
    return None if 0 < people < MIN_PEOPLE else n


def group_pattern_trends(
    ids: list[int], *, start: datetime.date, previous_start: datetime.date, today: datetime.date
) -> list[PatternTrend]:
    """Pattern frequencies, this period against the one before, counted per person: shown
    figures first, most frequent first, then the suppressed ones."""
    raw: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in (
        tags_by_period(ids, previous_start, start, today)
        .values("pattern__name", "period")
        .annotate(n=Count("pk"), people=Count("log__author", distinct=True))
    ):
        raw[row["pattern__name"]][row["period"]] = (row["n"], row["people"])
    patterns = []
    for name, periods in raw.items():
        current_n, current_people = periods.get(CURRENT, (0, 0))
        previous_n, previous_people = periods.get(PREVIOUS, (0, 0))
        patterns.append(
            PatternTrend(
                name,
                _suppress(current_n, current_people),
                _suppress(previous_n, previous_people),
                current_people,
            )
        )
    patterns.sort(key=lambda t: (t.current is None, -(t.current or 0), t.name))
    return patterns


def group_suggested_topics(patterns: list[PatternTrend]) -> list[PatternTrend]:
    """The top rising patterns or, when nothing rises, the most frequent shown ones."""
    return rising(patterns) or [t for t in patterns if t.current][:3]


def group_named_patterns(
    opted_ids: list[int], *, start: datetime.date, today: datetime.date
) -> dict[int, list[tuple[str, int]]]:
    """{member id: [(pattern, n), ...] most frequent first} for the members who opted in to
    be shown by name; only theirs are read."""
    named: dict[int, list[tuple[str, int]]] = {pk: [] for pk in opted_ids}
    for author, name, n in (
        PatternTag.objects.filter(
            log__author__in=opted_ids,
            log__deleted_at__isnull=True,
            log__session_date__gte=start,
            log__session_date__lte=today,
        )
        .exclude(log__status=LogStatus.DRAFT)
        .values_list("log__author", "pattern__name")
        .annotate(n=Count("pk"))
        .order_by("log__author", "-n", "pattern__name")
    ):
        named[author].append((name, n))
    return named


def _counts_by_name(rows: QuerySet, name: str, person: str) -> list[tuple[str, int | None]]:
    """(name, rows) of `rows` grouped by `name`, most first; a count resting on fewer than
    MIN_PEOPLE distinct `person`s is suppressed."""
    return [
        (label, _suppress(n, people))
        for label, n, people in rows.values_list(name)
        .annotate(n=Count("pk"), people=Count(person, distinct=True))
        .order_by("-n", name)
    ]


def group_question_themes(ids: list[int], *, start: datetime.date) -> list[tuple[str, int | None]]:
    """(theme, questions asked) of the catalog questions asked of the members since `start`."""
    asked = AskedQuestion.objects.filter(
        reply__log__author__in=ids,
        reply__created_at__gte=start_of_day(start),
        catalog_question__isnull=False,
    )
    return _counts_by_name(asked, "theme", "reply__log__author")


def group_practices(ids: list[int], *, start: datetime.date) -> list[tuple[str, int | None]]:
    """(practice, replies suggesting it) in replies to the members since `start`."""
    suggesting = Reply.objects.filter(
        log__author__in=ids, created_at__gte=start_of_day(start), practice__isnull=False
    )
    return _counts_by_name(suggesting, "practice__name", "log__author")


def group_presentations_by_month(
    ids: list[int], *, months: list[datetime.date], today: datetime.date
) -> dict[str, list[int | None]]:
    """{client presentation: [sessions in each of `months`]}, by name: the avoidance view."""
    presentations: dict[str, list[int | None]] = {}
    through = SessionLog.presentations.through
    for month, name, n, people in (
        through.objects.filter(
            sessionlog__author__in=ids,
            sessionlog__deleted_at__isnull=True,
            sessionlog__session_date__gte=months[0],
            sessionlog__session_date__lte=today,
        )
        .exclude(sessionlog__status=LogStatus.DRAFT)
        .annotate(month=TruncMonth("sessionlog__session_date"))
        # django-stubs does not see annotations on an auto-created through model.
        .values_list("month", "clientpresentation__name")  # type: ignore[misc]
        .annotate(n=Count("pk"), people=Count("sessionlog__author", distinct=True))
    ):
        month = month.date() if isinstance(month, datetime.datetime) else month
        row = presentations.setdefault(name, [0] * len(months))
        row[months.index(month)] = _suppress(n, people)
    return dict(sorted(presentations.items()))


def group_figures(
    ids: list[int],
    opted_ids: list[int],
    *,
    start: datetime.date,
    previous_start: datetime.date,
    today: datetime.date,
    months: list[datetime.date],
) -> GroupFigures:
    """The group dashboard's figures over the members `ids`, of whom `opted_ids` are shown
    by name."""
    patterns = group_pattern_trends(ids, start=start, previous_start=previous_start, today=today)
    return GroupFigures(
        patterns=patterns,
        suggested_topics=group_suggested_topics(patterns),
        named_patterns=group_named_patterns(opted_ids, start=start, today=today),
        questions=group_question_themes(ids, start=start),
        practices=group_practices(ids, start=start),
        presentations=group_presentations_by_month(ids, months=months, today=today),
    )


def group_dashboard(
    group: SupervisionGroup, *, weeks: int = DEFAULT_WEEKS, today: datetime.date | None = None
) -> GroupDashboard:
    today = today or timezone.localdate()
    start = window_start(today, weeks)
    previous_start = start - datetime.timedelta(weeks=weeks)
    memberships = list(
        GroupMembership.objects.current(today).filter(group=group).select_related("member")
    )
    ids = sorted({m.member_id for m in memberships})
    opted = [m.member for m in memberships if m.show_name]
    opted_ids = sorted(p.pk for p in opted)
    month_start = (today.replace(day=1) - datetime.timedelta(days=31 * 11)).replace(day=1)
    months = _months(month_start, today)

    key = figures_key("group", owners=ids, key=[today, weeks, opted_ids])
    figures = cached_aggregate(
        key,
        lambda: group_figures(
            ids, opted_ids, start=start, previous_start=previous_start, today=today, months=months
        ),
    )
    # The list names each shared log by its author and date: nothing of its text is read.
    shares = list(
        LogShare.objects.active()
        .filter(group=group)
        .select_related("log__author")
        .only("group", "log", "log__session_date", "log__author", "log__author__display_name")
        .annotate(comment_count=Count("comments"))
    )
    return GroupDashboard(
        figures_key=key,
        group=group,
        weeks=weeks,
        member_count=len(ids),
        patterns=figures.patterns,
        suggested_topics=figures.suggested_topics,
        named=[(person, figures.named_patterns[person.pk][:3]) for person in opted],
        questions=figures.questions,
        practices=figures.practices,
        months=months,
        presentations=figures.presentations,
        shares=shares,
    )


def _months(first: datetime.date, today: datetime.date) -> list[datetime.date]:
    months, current = [], first
    while current <= today:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


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
