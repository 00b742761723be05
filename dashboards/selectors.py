"""Figures for the dashboards: a fixed number of aggregate queries each,
whatever the amount of data.

Framing is "progress, not perfection": counts and averages over time, never
scores or rankings. The group dashboard, built from the same pieces, is in
groups/selectors.py.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import LogStatus, PatternTag, SessionLog
from cases.waiting import log_label
from reflections.models import RESULTS, AskedQuestion, Decision, Reply, Strength
from reflections.selectors import (
    QuestionForSupervision,
    questions_for_supervision,
    questions_waiting_lines,
)
from supervision.compiled import FixedQuery
from supervision.links import pk_url
from supervision.models import MeetingKind, MeetingMode, SupervisionMeeting, User
from supervision.selectors import supervisee_names

from .cache import cached_aggregate, figures_key

WINDOWS = (4, 12, 52)
DEFAULT_WEEKS = 12
WAITING_SHOWN = 8
# A log is named by its client code and date (`str(log)`, `cases.waiting.log_label`) and
# linked by its id.
_LOG_LABEL = ("client_code", "session_date")
CURRENT, PREVIOUS = 1, 0


def window_start(today: datetime.date, weeks: int) -> datetime.date:
    """First day of a window of `weeks` weeks ending today (inclusive)."""
    return today - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` here: `created_at >= it` can use an index, where
    `created_at__date >= day` converts every row first."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def week_starts(today: datetime.date, weeks: int) -> list[datetime.date]:
    start = window_start(today, weeks)
    return [start + datetime.timedelta(weeks=i) for i in range(weeks)]


def _period_annotation(start: datetime.date, field_name: str):
    return Case(
        When(**{f"{field_name}__gte": start}, then=Value(CURRENT)),
        default=Value(PREVIOUS),
        output_field=IntegerField(),
    )


def tags_by_period(author_ids, previous_start, start, today):
    """Tags on these authors' live logs over two windows, marked CURRENT or PREVIOUS.

    Drafts are left out: they stay private to their author until submitted.
    """
    return (
        PatternTag.objects.filter(
            log__author__in=author_ids,
            log__deleted_at__isnull=True,
            log__session_date__gte=previous_start,
            log__session_date__lte=today,
        )
        .exclude(log__status=LogStatus.DRAFT)
        .annotate(period=_period_annotation(start, "log__session_date"))
    )


@dataclass
class PatternTrend:
    name: str
    current: int | None
    previous: int | None
    people: int | None = None

    @property
    def change(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


# ---------------------------------------------------------------- supervisee


@dataclass(frozen=True)
class SuperviseeDashboard:
    weeks: int
    start: datetime.date
    patterns: list[tuple[str, int]]
    week_labels: list[datetime.date]
    anxiety: list[float | None]
    rumination: list[float | None]
    waiting_questions: list
    waiting_more: bool
    recent_replies: list
    strengths: list[tuple[str, int]]
    log_count: int
    figures_key: str | None = None


def _weekly_means(rows, starts: list[datetime.date]) -> tuple[list, list]:
    """Weekly means of anxiety and rumination from rows of (session date, anxiety, rumination),
    one a log."""
    return _weekly_means_of_sums(
        (
            (day, anxiety or 0, anxiety is not None, rumination or 0, rumination is not None)
            for day, anxiety, rumination in rows
        ),
        starts,
    )


def _weekly_means_of_sums(rows, starts: list[datetime.date]) -> tuple[list, list]:
    """Weekly means from rows of (session date, anxiety sum, how many, rumination sum, how
    many): a day's logs summed by the database, or one log (`_weekly_means`)."""
    sums = defaultdict(lambda: [0, 0, 0, 0])  # anxiety sum, n, rumination sum, n
    first = starts[0]
    for session_date, anxiety, anxiety_n, rumination, rumination_n in rows:
        index = (session_date - first).days // 7
        if not 0 <= index < len(starts):
            continue
        bucket = sums[index]
        bucket[0] += anxiety or 0
        bucket[1] += anxiety_n
        bucket[2] += rumination or 0
        bucket[3] += rumination_n

    def mean(total, n):
        return round(total / n, 1) if n else None

    anxiety = [mean(sums[i][0], sums[i][1]) for i in range(len(starts))]
    rumination = [mean(sums[i][2], sums[i][3]) for i in range(len(starts))]
    return anxiety, rumination


@dataclass(frozen=True)
class SuperviseeFigures:
    """What the supervisee dashboard computes only when the cache misses."""

    patterns: list[tuple[str, int]]
    anxiety: list[float | None]
    rumination: list[float | None]
    strengths: list[tuple[str, int]]
    log_count: int


def own_pattern_counts(logs) -> list[tuple[str, int]]:
    """(pattern, times tagged) on these logs, most frequent first."""
    return list(
        PatternTag.objects.filter(log__in=logs)
        .values_list("pattern__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "pattern__name")
    )


def acknowledged_strengths(user: User, start: datetime.date) -> list[tuple[str, int]]:
    """(strength, replies naming it) in replies to this person's logs since `start`."""
    return list(
        Strength.objects.filter(
            replies__log__author=user, replies__created_at__gte=start_of_day(start)
        )
        .values_list("name")
        .annotate(n=Count("replies"))
        .order_by("-n", "name")
    )


def supervisee_figures(
    user: User,
    *,
    start: datetime.date,
    today: datetime.date,
    starts: list[datetime.date],
    drafts: bool = True,
) -> SuperviseeFigures:
    """The figures of a supervisee's own logs from `start` to today, by the weeks beginning
    on `starts`. `drafts=False` for anyone but her: a draft stays private, counts included."""
    logs = SessionLog.objects.live().filter(
        author=user, session_date__gte=start, session_date__lte=today
    )
    if not drafts:
        logs = logs.exclude(status=LogStatus.DRAFT)
    rows = list(logs.values_list("session_date", "pre_session_anxiety", "post_session_rumination"))
    anxiety, rumination = _weekly_means(rows, starts)
    return SuperviseeFigures(
        patterns=own_pattern_counts(logs),
        anxiety=anxiety,
        rumination=rumination,
        strengths=acknowledged_strengths(user, start),
        log_count=len(rows),
    )


@dataclass(frozen=True)
class RecentReply:
    """A reply to one of her logs, as her dashboard draws it (no note text)."""

    pk: int
    url: str  # the log's page
    log_label: str
    by: str
    created_at: datetime.datetime
    result: str  # what the reply did, in words


# Her newest replies, on her dashboard at every visit: compiled once per process.
_RECENT_REPLIES = FixedQuery(
    lambda person: (
        Reply.objects.filter(log__author_id=person, log__deleted_at__isnull=True)
        .order_by("-created_at")
        .values_list(
            "pk",
            "created_at",
            "decision",
            "author__display_name",
            "log_id",
            *(f"log__{name}" for name in _LOG_LABEL),
        )
    ),
    person=int,
)


def supervisee_dashboard(
    user: User, *, weeks: int = DEFAULT_WEEKS, today: datetime.date | None = None
) -> SuperviseeDashboard:
    today = today or timezone.localdate()
    start = window_start(today, weeks)
    starts = week_starts(today, weeks)

    key = figures_key("supervisee", owners=[user.pk], key=[today, weeks])
    figures = cached_aggregate(
        key, lambda: supervisee_figures(user, start=start, today=today, starts=starts)
    )
    # The newest few (the same definition as her home page's strip and the full list).
    # One more than shown says whether to link to the rest, without counting them: a
    # count of unanswered questions reads like homework overdue.
    waiting = questions_waiting_lines(user, WAITING_SHOWN + 1)
    log_url = pk_url("cases:log_detail")
    recent = [
        RecentReply(
            pk=pk,
            url=log_url(log_id),
            log_label=log_label(code, day),
            by=by,
            created_at=created_at,
            result=RESULTS[Decision(decision)],
        )
        for pk, created_at, decision, by, log_id, code, day in _RECENT_REPLIES.rows(
            person=user.pk, limit=5
        )
    ]
    return SuperviseeDashboard(
        figures_key=key,
        weeks=weeks,
        start=start,
        patterns=figures.patterns,
        week_labels=starts,
        anxiety=figures.anxiety,
        rumination=figures.rumination,
        waiting_questions=waiting[:WAITING_SHOWN],
        waiting_more=len(waiting) > WAITING_SHOWN,
        recent_replies=recent,
        strengths=figures.strengths,
        log_count=figures.log_count,
    )


# ---------------------------------------------------------------- supervisor


SHOWN_PATTERNS = 3
OTHER_PATTERNS = "Other patterns"


@dataclass(frozen=True)
class Weekly:
    """One supervisee's window week by week, for her small charts on the supervisor's
    dashboard: tags of her most frequent patterns (the rest summed as OTHER_PATTERNS, last)
    and the means of her two ratings, aligned with the dashboard's `week_labels`."""

    patterns: tuple[tuple[str, tuple[int, ...]], ...] = ()
    anxiety: tuple[float | None, ...] = ()
    rumination: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class Supervisee:
    """A supervisee as her supervisor's dashboard names her: her id and name, nothing else
    (read by one compiled query, `supervision.selectors.supervisee_names`)."""

    pk: int
    display_name: str


@dataclass
class SuperviseeRow:
    person: Supervisee
    last_log: datetime.date | None = None
    awaiting_review: int = 0
    unanswered: int = 0
    rising: list[PatternTrend] = field(default_factory=list)
    weekly: Weekly = Weekly()


@dataclass(frozen=True)
class SupervisorDashboard:
    weeks: int
    queue: list
    rows: list[SuperviseeRow]
    week_labels: list[datetime.date] = field(default_factory=list)
    figures_key: str | None = None

    @property
    def names(self) -> list[str]:
        """The rows' names, which the drawn cards depend on besides their figures."""
        return [row.person.display_name for row in self.rows]


def _trends(rows, key_fields: tuple[str, ...]) -> dict:
    """{key: {pattern name: PatternTrend}} from rows of (*keys, pattern, period, n); rows
    of the same key, pattern and period (one a day, say) add up."""
    result: dict = defaultdict(dict)
    for row in rows:
        key = tuple(row[k] for k in key_fields)
        trend = result[key].setdefault(
            row["pattern__name"], PatternTrend(row["pattern__name"], 0, 0)
        )
        if row["period"] == CURRENT:
            trend.current += row["n"]
        else:
            trend.previous += row["n"]
    return result


def rising(trends: list[PatternTrend], limit: int = 3) -> list[PatternTrend]:
    up = [t for t in trends if t.change is not None and t.change > 0]
    return sorted(up, key=lambda t: (-t.change, -(t.current or 0), t.name))[:limit]


def _weekly_patterns(rows, starts: list[datetime.date]) -> tuple:
    """(pattern, tags a week) from rows of (pattern, session date, n) in the window: the
    SHOWN_PATTERNS most frequent by name, then the others summed, if any."""
    weeks: dict[str, list[int]] = defaultdict(lambda: [0] * len(starts))
    for name, day, n in rows:
        index = (day - starts[0]).days // 7
        if 0 <= index < len(starts):
            weeks[name][index] += n
    ranked = sorted(weeks, key=lambda name: (-sum(weeks[name]), name))
    shown = [(name, tuple(weeks[name])) for name in ranked[:SHOWN_PATTERNS]]
    rest = ranked[SHOWN_PATTERNS:]
    if rest:
        other = tuple(sum(weeks[name][i] for name in rest) for i in range(len(starts)))
        shown.append((OTHER_PATTERNS, other))
    return tuple(shown)


def supervisee_rows_figures(
    ids: list[int],
    *,
    start: datetime.date,
    previous_start: datetime.date,
    today: datetime.date,
    starts: list[datetime.date],
) -> dict[int, dict]:
    """Each supervisee's figures as keyword arguments of their SuperviseeRow, by id.

    Four grouped queries whatever the number of supervisees: her small charts read the tags
    already read for the patterns rising (by day), and the ratings by person and day."""
    rows = {pk: {} for pk in ids}
    # Drafts stay private to their author: no date or count of them reaches the supervisor.
    live = SessionLog.objects.live().filter(author__in=ids).exclude(status=LogStatus.DRAFT)
    for author, last, waiting in live.values_list("author").annotate(
        last=Max("session_date"), waiting=Count("pk", filter=Q(status=LogStatus.SUBMITTED))
    ):
        rows[author] |= {"last_log": last, "awaiting_review": waiting}
    for author, n in (
        AskedQuestion.objects.filter(
            reply__log__author__in=ids,
            reply__log__deleted_at__isnull=True,
            answered_at__isnull=True,
            # Kept for supervision: on the preparation sheet, not waiting in writing.
            deferred_at__isnull=True,
        )
        .values_list("reply__log__author")
        .annotate(n=Count("pk"))
    ):
        rows[author]["unanswered"] = n
    tag_rows = list(
        tags_by_period(ids, previous_start, start, today)
        .values("log__author", "pattern__name", "period", "log__session_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for (author,), trends in _trends(tag_rows, ("log__author",)).items():
        rows[author]["rising"] = rising(list(trends.values()))
    by_author: dict[int, dict[str, list]] = defaultdict(lambda: {"tags": [], "ratings": []})
    for row in tag_rows:
        if row["period"] == CURRENT:
            by_author[row["log__author"]]["tags"].append(
                (row["pattern__name"], row["log__session_date"], row["n"])
            )
    ratings = (
        live.filter(session_date__gte=start, session_date__lte=today)
        .values_list("author", "session_date")
        .annotate(
            anxiety=Sum("pre_session_anxiety"),
            anxiety_n=Count("pre_session_anxiety"),
            rumination=Sum("post_session_rumination"),
            rumination_n=Count("post_session_rumination"),
        )
        .order_by()
    )
    for author, *day in ratings:
        by_author[author]["ratings"].append(day)
    for author in ids:
        anxiety, rumination = _weekly_means_of_sums(by_author[author]["ratings"], starts)
        rows[author]["weekly"] = Weekly(
            patterns=_weekly_patterns(by_author[author]["tags"], starts),
            anxiety=tuple(anxiety),
            rumination=tuple(rumination),
        )
    return rows


def supervisor_dashboard(
    user: User, *, weeks: int = DEFAULT_WEEKS, today: datetime.date | None = None
) -> SupervisorDashboard:
    today = today or timezone.localdate()
    start = window_start(today, weeks)
    previous_start = start - datetime.timedelta(weeks=weeks)
    starts = week_starts(today, weeks)
    people = [Supervisee(pk, name) for pk, name in supervisee_names(user)]
    ids = [p.pk for p in people]
    # Keyed by the supervisor too: what is drawn under this key (her supervisees' cards) is
    # hers alone, even if another supervisor has the same supervisees.
    key = figures_key("supervisor", owners=ids, key=[user.pk, today, weeks])
    rows = cached_aggregate(
        key,
        lambda: supervisee_rows_figures(
            ids, start=start, previous_start=previous_start, today=today, starts=starts
        ),
    )
    return SupervisorDashboard(
        figures_key=key,
        weeks=weeks,
        queue=case_selectors.review_queue(user, tags=False),
        rows=[SuperviseeRow(person=p, **rows[p.pk]) for p in people],
        week_labels=starts,
    )


# ------------------------------------------------ a supervisee, seen by her supervisor


@dataclass(frozen=True)
class AnswerGiven:
    """An answer she gave, in her own words, with the question and the log it is on."""

    question: str
    answer: str
    answered_at: datetime.datetime
    log_label: str
    log_url: str


@dataclass(frozen=True)
class MeetingRecord:
    held_on: datetime.date
    duration_minutes: int
    kind: str
    mode: str
    agreed: str
    supervisor: str


@dataclass(frozen=True)
class SuperviseeOverview:
    """Her supervisor's page of her: the arc of her submitted work over a window."""

    person: User
    weeks: int
    start: datetime.date
    patterns: list[tuple[str, int]]
    week_labels: list[datetime.date]
    anxiety: list[float | None]
    rumination: list[float | None]
    strengths: list[tuple[str, int]]
    log_count: int
    answers: list[AnswerGiven]
    meetings: list[MeetingRecord]
    figures_key: str | None = None


ANSWERS_SHOWN = 10
MEETINGS_SHOWN = 5
# A session after which she could not stop going over it: worth an unhurried word.
HIGH_RUMINATION = 7


def answers_given(
    person: User, *, since: datetime.date, limit: int | None = None
) -> list[AnswerGiven]:
    """Her answers since a day, newest first (answers exist only on submitted work)."""
    log_url = pk_url("cases:log_detail")
    return [
        AnswerGiven(
            question=text,
            answer=answer,
            answered_at=at,
            log_label=log_label(code, day),
            log_url=log_url(log_id),
        )
        for text, answer, at, log_id, code, day in _ANSWERS_GIVEN.rows(
            person=person.pk, since=start_of_day(since), limit=limit
        )
    ]


# Her page and the preparation sheet, at every visit: compiled once per process, the person
# and the first moment of the day they go back to its values.
_ANSWERS_GIVEN = FixedQuery(
    lambda person, since: (
        AskedQuestion.objects.filter(
            reply__log__author_id=person,
            reply__log__deleted_at__isnull=True,
            answered_at__gte=since,
        )
        .order_by("-answered_at", "-pk")
        .values_list(
            "text",
            "answer",
            "answered_at",
            "reply__log_id",
            *[f"reply__log__{n}" for n in _LOG_LABEL],
        )
    ),
    person=int,
    since=datetime.datetime,
)


def _meeting_rows(meetings: QuerySet) -> QuerySet:
    """Meetings newest first, read as the pages print them (one definition for all)."""
    return meetings.order_by("-held_on", "-pk").values_list(
        "held_on", "duration_minutes", "kind", "mode", "agreed", "supervisor__display_name"
    )


# Her page and the preparation sheet, at every visit: compiled once per process.
_MEETINGS_WITH = FixedQuery(
    lambda supervisee: _meeting_rows(SupervisionMeeting.objects.filter(supervisees__id=supervisee)),
    supervisee=int,
)
_MEETINGS_BETWEEN = FixedQuery(
    lambda supervisor, supervisee: _meeting_rows(
        SupervisionMeeting.objects.filter(supervisor_id=supervisor, supervisees__id=supervisee)
    ),
    supervisor=int,
    supervisee=int,
)


def _meeting_records(rows) -> list[MeetingRecord]:
    return [
        MeetingRecord(
            held_on=held_on,
            duration_minutes=minutes,
            kind=MeetingKind(kind).label,
            mode=MeetingMode(mode).label,
            agreed=agreed,
            supervisor=who,
        )
        for held_on, minutes, kind, mode, agreed, who in rows
    ]


def meetings_with(supervisee: User, *, limit: int) -> list[MeetingRecord]:
    """Supervision meetings recorded with her, by any of her supervisors, newest first."""
    return _meeting_records(_MEETINGS_WITH.rows(supervisee=supervisee.pk, limit=limit))


def supervisee_overview(
    supervisee: User, *, weeks: int = DEFAULT_WEEKS, today: datetime.date | None = None
) -> SuperviseeOverview:
    """For one of her current supervisors (the view checks that): her figures over the
    window from submitted work only, her recent answers and the meetings recorded."""
    today = today or timezone.localdate()
    start = window_start(today, weeks)
    starts = week_starts(today, weeks)
    # Not her own dashboard's key: these figures leave her drafts out.
    key = figures_key("supervisee-seen", owners=[supervisee.pk], key=[today, weeks])
    figures = cached_aggregate(
        key,
        lambda: supervisee_figures(
            supervisee, start=start, today=today, starts=starts, drafts=False
        ),
    )
    return SuperviseeOverview(
        person=supervisee,
        weeks=weeks,
        start=start,
        patterns=figures.patterns,
        week_labels=starts,
        anxiety=figures.anxiety,
        rumination=figures.rumination,
        strengths=figures.strengths,
        log_count=figures.log_count,
        answers=answers_given(supervisee, since=start, limit=ANSWERS_SHOWN),
        meetings=meetings_with(supervisee, limit=MEETINGS_SHOWN),
        figures_key=key,
    )


@dataclass(frozen=True)
class LogLine:
    label: str
    url: str
    status: str
    patterns: list[str]


@dataclass(frozen=True)
class PreparationSheet:
    """What to bring to the next supervision hour with her. Words, not scores."""

    person: User
    since: datetime.date
    last_meeting: MeetingRecord | None
    logs: list[LogLine]
    rising: list[PatternTrend]
    easing: list[PatternTrend]
    answers: list[AnswerGiven]
    high_rumination: list[LogLine]
    strengths: list[str]
    # Questions she chose to talk about rather than answer in writing, whenever asked.
    for_supervision: list[QuestionForSupervision]


# With no meeting recorded yet, the sheet looks back this far.
PREPARATION_DEFAULT_DAYS = 28


def preparation_sheet(
    supervisor: User, supervisee: User, *, today: datetime.date | None = None
) -> PreparationSheet:
    """Since the last meeting this supervisor recorded with her (or four weeks): her
    submitted logs, the patterns that moved against the same span before, her answers,
    the sessions after which she ruminated most, the strengths her supervisors named."""
    today = today or timezone.localdate()
    latest = _meeting_records(
        _MEETINGS_BETWEEN.rows(supervisor=supervisor.pk, supervisee=supervisee.pk, limit=1)
    )
    last_meeting = latest[0] if latest else None
    if last_meeting is not None:
        since = last_meeting.held_on
    else:
        since = today - datetime.timedelta(days=PREPARATION_DEFAULT_DAYS)
    span = max((today - since).days, 1)
    person = supervisee.pk
    logs = _SHEET_LOGS.rows(person=person, since=since, today=today)
    # One query for the tags of both spans gives the trends and each listed log's pattern
    # names (the current span's tags are those of the logs listed), in the order a log's
    # own names are drawn everywhere (cases.selectors.with_tag_names).
    names: dict[int, list[str]] = {pk: [] for pk, *_ in logs}
    tag_rows = []  # one per tag: _trends adds up rows of the same pattern and period
    previous_start = since - datetime.timedelta(days=span)
    for log_id, name, period in _SHEET_TAGS.rows(
        person=person, previous_start=previous_start, start=since, today=today
    ):
        if log_id in names:
            names[log_id].append(name)
        tag_rows.append({"pattern__name": name, "period": period, "n": 1})
    log_url = pk_url("cases:log_detail")
    lines = {
        pk: LogLine(
            label=log_label(code, day),
            url=log_url(pk),
            status=LogStatus(status).label,
            patterns=names[pk],
        )
        for pk, code, day, status, _ in logs
    }
    trends = list(_trends(tag_rows, ()).get((), {}).values())
    down = [t for t in trends if t.change is not None and t.change < 0]
    strengths = [
        name for (name,) in _SHEET_STRENGTHS.rows(person=person, since=start_of_day(since))
    ]
    return PreparationSheet(
        person=supervisee,
        since=since,
        last_meeting=last_meeting,
        logs=list(lines.values()),
        rising=rising(trends, limit=5),
        easing=sorted(down, key=lambda t: (t.change, t.name))[:5],
        answers=answers_given(supervisee, since=since),
        high_rumination=[
            lines[pk] for pk, *_, rumination in logs if (rumination or 0) >= HIGH_RUMINATION
        ],
        strengths=strengths,
        for_supervision=questions_for_supervision(supervisor, supervisee),
    )


# The preparation sheet's own reads, at every visit: compiled once per process, the person
# and the days its values. Her logs since the last meeting (but drafts), as the sheet lists them:
_SHEET_LOGS = FixedQuery(
    lambda person, since, today: (
        SessionLog.objects.live()
        .filter(author_id=person, session_date__gte=since, session_date__lte=today)
        .exclude(status=LogStatus.DRAFT)
        .order_by("session_date", "pk")
        .values_list("pk", "client_code", "session_date", "status", "post_session_rumination")
    ),
    person=int,
    since=datetime.date,
    today=datetime.date,
)
# her tags over that span and the span as long before it:
_SHEET_TAGS = FixedQuery(
    lambda person, previous_start, start, today: (
        tags_by_period([person], previous_start, start, today)
        .order_by("pattern__family__position", "pattern__position")
        .values_list("log_id", "pattern__name", "period")
    ),
    person=int,
    previous_start=datetime.date,
    start=datetime.date,
    today=datetime.date,
)
# and the strengths her supervisors named since the first moment of that day.
_SHEET_STRENGTHS = FixedQuery(
    lambda person, since: (
        Strength.objects.filter(
            replies__log__author_id=person,
            replies__log__deleted_at__isnull=True,
            replies__created_at__gte=since,
        )
        .values_list("name")
        .distinct()
        .order_by("name")
    ),
    person=int,
    since=datetime.datetime,
)


# ---------------------------------------------------------------------- group
