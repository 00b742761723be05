"""Reads for the hours pages: the ledger, its periods and their signatures, what counts.

Every page reads the ledger through `ledgers_for`, a fixed number of queries whatever the
number of people or hours (a supervisor's list of periods to sign reads all her
supervisees' ledgers at once).
"""

import bisect
import datetime
import functools
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf
from django.utils import timezone

from cases.models import LogStatus, SessionLog
from dashboards.cache import newest_changes
from groups.models import MEETING_LENGTH, GroupMeeting, GroupMembership
from supervision.compiled import FixedQuery
from supervision.formats import MONTH_NAMES, MONTHS
from supervision.models import Role, SupervisionMeeting, User

from .access import (
    SIGNING_GRACE,
    Span,
    may_sign_hours,
    signable_relationships,
    signable_supervisee_ids,
)
from .ledger import (
    CATEGORY_LABELS,
    DAYS,
    LEDGER_ORDER,
    Category,
    LedgerContext,
    LedgerEntry,
    PeriodStatement,
    SignatureFacts,
    Source,
    SupervisionKind,
    month_end,
    month_start,
    week_start,
)
from .models import HourEntry, HoursProfile, PeriodSignature, RuleSet, SignPeriod
from .rules import Evaluation, evaluate
from .signing import period_digest

GROUP_MEETING_MINUTES = int(MEETING_LENGTH.total_seconds() // 60)


# --- The ledger -------------------------------------------------------------------------


def ledgers_for(
    person_ids: Iterable[int],
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> dict[int, list[LedgerEntry]]:
    """Every person's ledger, oldest first, or its entries from `since` to `until`
    (inclusive): one query for any number of people (her sessions, entries, supervision
    meetings and group meetings in one UNION ALL)."""
    ids = list(person_ids)
    if not ids:
        return {}
    now = timezone.now()
    # One person's whole ledger (her hours page, on every visit): the same query, compiled
    # once per process (supervision.compiled); a test compares the two ways.
    if len(ids) == 1 and since is None and until is None:
        rows = _ONE_LEDGER.rows(person=ids[0], now=now)
    else:
        rows = _rows_of_one_shape(ids, now, since, until)
    return _ledgers_from(ids, rows)


def _ledgers_from(ids: Iterable[int], rows: Iterable[tuple]) -> dict[int, list[LedgerEntry]]:
    """The ledgers of these people, in the ledger's order, from rows of `_COLUMNS` (rows
    of anyone else are left out)."""
    ledgers: dict[int, list[LedgerEntry]] = {pk: [] for pk in ids}
    # Columns in LedgerEntry's order after the person, by position (a call by keyword
    # costs more per entry); the database has filled in every default.
    make = LedgerEntry._make
    for row in rows:
        ledger = ledgers.get(row[0])
        if ledger is not None:
            ledger.append(make(row[1:]))
    for ledger in ledgers.values():
        ledger.sort(key=LEDGER_ORDER)
    return ledgers


# The columns every source is read into, in this order (one UNION ALL): the person, then
# LedgerEntry's fields.
_COLUMNS = (
    "l_person",
    "l_source",
    "l_id",
    "l_date",
    "l_minutes",
    "l_category",
    "l_modality",
    "l_unit",
    "l_simulated",
    "l_kind",
    "l_size",
    "l_observed",
    "l_mode",
    "l_supervisor",
)


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _false() -> Value:
    return Value(False, output_field=BooleanField())


def _dated(field: str, since: datetime.date | None, until: datetime.date | None) -> Q:
    query = Q()
    if since is not None:
        query &= Q(**{f"{field}__gte": since})
    if until is not None:
        query &= Q(**{f"{field}__lte": until})
    return query


def _rows_of_one_shape(
    ids: "People",
    now: datetime.datetime,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    """Sessions, her own entries, the supervision meetings and the group meetings she was
    in, as rows of `_COLUMNS` (one UNION ALL)."""
    first, *others = [
        part.values_list(*_COLUMNS).order_by() for part in _ledger_parts(ids, now, since, until)
    ]
    return first.union(*others, all=True)


def _ledger_parts(
    ids: "People",
    now: datetime.datetime | None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    """Sessions (direct contact: submitted work, not drafts, not the trash), her own
    entries (supervision details only on supervision), the supervision meetings she was in
    (with the number of supervisees in each) and her group's meetings (`_group_meetings`):
    four querysets, each annotated with `_COLUMNS`. Every value is as LedgerEntry holds it
    (no None where it has a default, booleans as booleans)."""
    # A bare NULL has no type: PostgreSQL would take the first one for text and refuse the
    # numbers below it in the UNION.
    no_number = Cast(Value(None), BigIntegerField())
    logs = (
        SessionLog.objects.live()
        .filter(_dated("session_date", since, until), author__in=ids)
        .filter(duration_minutes__isnull=False)
        .exclude(status=LogStatus.DRAFT)
        .annotate(
            l_person=F("author_id"),
            l_source=_text(Source.LOG),
            l_id=F("pk"),
            l_date=F("session_date"),
            l_minutes=F("duration_minutes"),
            l_category=_text(Category.DIRECT),
            l_modality=F("modality"),
            l_unit=F("client_unit"),
            l_simulated=F("simulated"),
            l_kind=_text(""),
            l_size=Value(0, output_field=BigIntegerField()),
            l_observed=_false(),
            l_mode=_text(""),
            l_supervisor=no_number,
        )
    )
    supervision = Q(kind=Category.SUPERVISION)
    # Supervision she enters herself is individual unless she says otherwise, and its
    # size is her format's when she gives none (two for triadic, one otherwise).
    entry_kind = Coalesce(
        NullIf(F("supervision_format"), _text("")), _text(SupervisionKind.INDIVIDUAL)
    )
    entries = HourEntry.objects.filter(_dated("date", since, until), person__in=ids).annotate(
        l_person=F("person_id"),
        l_source=_text(Source.ENTRY),
        l_id=F("pk"),
        l_date=F("date"),
        l_minutes=F("minutes"),
        l_category=F("kind"),
        l_modality=_text(""),
        l_unit=_text(""),
        l_simulated=_false(),
        l_kind=Case(When(supervision, then=entry_kind), default=_text("")),
        l_size=Case(
            When(
                supervision,
                then=Coalesce(
                    NullIf(F("group_size"), Value(0)),
                    Case(
                        When(supervision_format=SupervisionKind.TRIADIC, then=Value(2)),
                        default=Value(1),
                    ),
                ),
            ),
            default=Value(0),
            output_field=BigIntegerField(),
        ),
        l_observed=Case(When(supervision, then=F("observed_session")), default=_false()),
        l_mode=Case(When(supervision, then=F("mode")), default=_text("")),
        l_supervisor=no_number,
    )
    through = SupervisionMeeting.supervisees.through
    in_meeting = (
        through.objects.filter(supervisionmeeting_id=OuterRef("supervisionmeeting_id"))
        .values("supervisionmeeting_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # django-stubs cannot see an auto-created through's annotation
    )
    meetings = through.objects.filter(
        _dated("supervisionmeeting__held_on", since, until), user_id__in=ids
    ).annotate(
        l_person=F("user_id"),
        l_source=_text(Source.MEETING),
        l_id=F("supervisionmeeting_id"),
        l_date=F("supervisionmeeting__held_on"),
        l_minutes=F("supervisionmeeting__duration_minutes"),
        l_category=_text(Category.SUPERVISION),
        l_modality=_text(""),
        l_unit=_text(""),
        l_simulated=_false(),
        l_kind=F("supervisionmeeting__kind"),
        l_size=Coalesce(
            Subquery(in_meeting, output_field=BigIntegerField()),
            Value(0),
            output_field=BigIntegerField(),
        ),
        l_observed=F("supervisionmeeting__observed_session"),
        l_mode=F("supervisionmeeting__mode"),
        l_supervisor=F("supervisionmeeting__supervisor_id"),
    )
    return logs, entries, meetings, _group_meetings(ids, now, since, until)


def _group_meetings(
    ids: "People",
    now: datetime.datetime | None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    """Group supervision, one row per person and meeting: the meetings of her groups held
    by `now` (all of them, those still to come too, when `now` is None), on a day she was
    a member (its local day), unless she sent apologies. The group's size is its members
    on the day, less the apologies (someone who sent apologies and then left the group
    before the meeting was not expected at it); one at least. Annotated with `_COLUMNS`."""

    def apologies(meeting: OuterRef, member: OuterRef) -> Exists:
        return Exists(
            GroupMeeting.absent.through.objects.filter(groupmeeting_id=meeting, user_id=member)
        )

    def member_on_the_day() -> Q:
        day = OuterRef("l_date")
        return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))

    # Counted once, whatever the number of their memberships that hold the day.
    expected = (
        GroupMembership.objects.filter(member_on_the_day(), group_id=OuterRef("group_id"))
        .exclude(apologies(OuterRef(OuterRef("l_id")), OuterRef("member_id")))
        .values("group_id")
        .annotate(n=Count("member_id", distinct=True))
        .values("n")
    )
    # Her membership that holds the day with the lowest id: one row even if two do.
    earlier = GroupMembership.objects.filter(
        member_on_the_day(),
        group_id=OuterRef("group_id"),
        member_id=OuterRef("member_id"),
        pk__lt=OuterRef("pk"),
    )
    return (
        GroupMembership.objects.filter(member__in=ids)
        # One join to the meetings: a later filter on `group__meetings__` would join them
        # again, and pair her membership with every meeting of the group.
        .annotate(
            l_id=F("group__meetings__pk"),
            l_at=F("group__meetings__starts_at"),
            l_date=F("group__meetings__starts_at__date"),  # the local day
        )
        .filter(
            _dated("l_date", since, until),
            Q(left_on__isnull=True) | Q(l_date__lte=F("left_on")),
            Q() if now is None else Q(l_at__lte=now),
            l_date__gte=F("joined_on"),
        )
        .exclude(apologies(OuterRef("l_id"), OuterRef("member_id")))
        .exclude(Exists(earlier))
        .annotate(
            l_person=F("member_id"),
            l_source=_text(Source.GROUP),
            l_minutes=Value(GROUP_MEETING_MINUTES, output_field=IntegerField()),
            l_category=_text(Category.SUPERVISION),
            l_modality=_text(""),
            l_unit=_text(""),
            l_simulated=_false(),
            l_kind=_text(SupervisionKind.GROUP),
            l_size=Greatest(
                Coalesce(Subquery(expected, output_field=BigIntegerField()), Value(0)),
                Value(1),
                output_field=BigIntegerField(),
            ),
            l_observed=_false(),
            l_mode=_text(""),
            l_supervisor=F("group__facilitator_id"),
        )
    )


def _days_with_hours(ids: list[int]) -> list[tuple[int, datetime.date, datetime.datetime | None]]:
    """Each (person, day with hours, when the day's hours count) once, from the ledger's
    own sources (`_ledger_parts`), with no entry read: `None` for a day with any session,
    entry or supervision meeting (they count once written), else the start of its earliest
    group meeting, which counts once it has started. Meetings still to come are in, so
    that what is kept (`_periods_with_hours`) stays true as time passes."""
    no_time = Cast(Value(None), DateTimeField())
    *others, groups = _ledger_parts(ids, None)
    parts = [qs.annotate(l_from=no_time) for qs in others] + [groups.annotate(l_from=F("l_at"))]
    first, *rest = [qs.values_list("l_person", "l_date", "l_from").order_by() for qs in parts]
    return list(first.union(*rest))


@dataclass(frozen=True)
class PeriodsWithHours:
    """One person's periods with hours by her sign period, newest first, as day numbers
    (`date.toordinal()`: cheap to keep and to read back), each with the moment its hours
    begin to count (a timestamp; minus infinity for a period with a session, an entry or a
    supervision meeting, which count once written; else the start of its earliest group
    meeting, which counts once it has started)."""

    starts: tuple[int, ...]
    counts_from: tuple[float, ...]

    @property
    def all_from(self) -> float:
        return max(self.counts_from, default=-math.inf)

    def at(self, now: float) -> tuple[int, ...]:
        """The periods with hours at `now` (a timestamp), newest first."""
        if now >= self.all_from:
            return self.starts
        return tuple(s for s, t in zip(self.starts, self.counts_from, strict=True) if t <= now)


def _periods_from_days(
    period: str, days: Iterable[tuple[datetime.date, datetime.datetime | None]]
) -> PeriodsWithHours:
    """A person's days with hours (`_days_with_hours`) as periods of hers."""
    start_of = period_start(period)
    counts_from: dict[int, float] = {}
    for day, since in days:
        start = start_of(day).toordinal()
        when = -math.inf if since is None else since.timestamp()
        counts_from[start] = min(counts_from.get(start, math.inf), when)
    starts = tuple(sorted(counts_from, reverse=True))
    return PeriodsWithHours(starts=starts, counts_from=tuple(counts_from[s] for s in starts))


# Each person's periods with hours, kept under her id, her sign period, the time zone and her
# newest change (dashboards.cache.newest_changes): see `_periods_with_hours`. The version
# names the shape of what is kept: a new shape must not read an old entry left in a shared
# cache (Redis) by the code before it.
_PERIODS_PREFIX = "hours:periods:v1:"


def _periods_with_hours(people: dict[int, str]) -> dict[int, PeriodsWithHours]:
    """The periods with hours of these people ({id: sign period}), each read from the
    cache or, for those not there, from their ledgers (one query for all of them).

    Reading three years of a supervisor's twenty supervisees' ledgers took 5 ms of
    PostgreSQL's time on every visit of *Hours to sign*, and between two visits few of
    them change. So each person's periods are kept under a key that is the data they are
    made of: her id, her sign period, the time zone and her newest change. Every write
    that changes someone's hours writes an audit row she owns in the same transaction (a
    session, an entry, a supervision meeting, a group meeting scheduled, apologies, a
    membership; a group deleted), so her newest change moves on and her old entry is
    never read again; time passing is in the entry itself (`PeriodsWithHours.at`). The
    entry holds one person's dates and nothing else, read only for someone the reader may
    sign for (`_signable`): two supervisors of hers read the same entry, which holds
    nothing of either. Off (read every time) when DASHBOARD_CACHE_SECONDS is 0."""
    if not people:
        return {}
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
    if not seconds:
        return _periods_read(people)
    stamps = newest_changes(people)
    # A group meeting's day is its local day: the time zone is part of what is kept.
    zone = timezone.get_current_timezone_name()
    keys = {
        pk: f"{_PERIODS_PREFIX}{pk}:{period}:{zone}:{stamps[pk]}" for pk, period in people.items()
    }
    kept = cache.get_many(keys.values())
    found = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = {pk: period for pk, period in people.items() if pk not in found}
    if missing:
        fresh = _periods_read(missing)
        cache.set_many({keys[pk]: fresh[pk] for pk in missing}, seconds)
        found.update(fresh)
    return found


def _periods_read(people: dict[int, str]) -> dict[int, PeriodsWithHours]:
    days: dict[int, list[tuple[datetime.date, datetime.datetime | None]]] = defaultdict(list)
    for person, day, since in _days_with_hours(list(people)):
        days[person].append((day, since))
    return {pk: _periods_from_days(period, days[pk]) for pk, period in people.items()}


# The ledger's integer columns, taken as the database gives them (ints or NULL): see
# FixedQuery's `as_given`.
_LEDGER_INTEGERS = ("l_size", "l_supervisor")

# Whose ledgers a query reads: a list of ids, or a subquery of them (the supervisees a
# supervisor may sign for, in the queries *Hours to sign* compiles once).
People = list[int] | QuerySet


_ONE_LEDGER = FixedQuery(
    lambda person, now: _rows_of_one_shape([person], now),
    as_given=_LEDGER_INTEGERS,
    person=int,
    now=datetime.datetime,
)


def ledger_for(person: User) -> list[LedgerEntry]:
    return ledgers_for([person.pk])[person.pk]


# --- Periods ----------------------------------------------------------------------------


def period_start(period: str) -> Callable[[datetime.date], datetime.date]:
    """The first day of the week (Monday) or month holding a day, for periods of this kind:
    chosen once for a whole ledger (three years of entries for each supervisee on *Hours to
    sign*), so that nothing is worked out per entry but the start."""
    return week_start if period == SignPeriod.WEEK else month_start


def period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The week (Monday to Sunday) or calendar month holding `day`, end inclusive."""
    if period == SignPeriod.WEEK:
        start = week_start(day)
        return start, start + DAYS[6]
    start = month_start(day)
    return start, month_end(start)


def period_label(period: str, start: datetime.date) -> str:
    # As `{start:%b %Y}` and `{start:%B %Y}` write them, without strftime.
    if period == SignPeriod.WEEK:
        return f"Week of {start.day} {MONTHS[start.month - 1]} {start.year}"
    return f"{MONTH_NAMES[start.month - 1]} {start.year}"


@dataclass(frozen=True)
class SignatureRow:
    pk: int
    supervisor_id: int
    facts: SignatureFacts


class PeriodRow(NamedTuple):
    """One of her periods. A named tuple, not a frozen dataclass: her page lists years of
    them, and a frozen dataclass sets each field through `object.__setattr__`."""

    period: str
    starts_on: datetime.date
    ends_on: datetime.date
    label: str
    entries: tuple[LedgerEntry, ...]
    minutes: tuple[tuple[str, int], ...]  # (category label, minutes), every category
    total_minutes: int
    supervisee_id: int
    signatures: tuple[SignatureRow, ...]  # standing ones, oldest first
    closed: bool  # over: it can be signed
    # Worked out up front only where a signature is compared with it: most periods on a
    # long list are never asked (hashing every period of three years is what costs).
    known_sha256: str = ""

    @property
    def sha256(self) -> str:
        return self.known_sha256 or period_digest(
            supervisee_id=self.supervisee_id,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            entries=self.entries,
        )

    @property
    def signed(self) -> bool:
        return any(s.facts.current for s in self.signatures)

    @property
    def changed_since_signed(self) -> bool:
        return bool(self.signatures) and not self.signed

    def signed_by(self, supervisor_id: int) -> bool:
        return any(s.supervisor_id == supervisor_id and s.facts.current for s in self.signatures)

    @property
    def state(self) -> str:
        if self.signed:
            return "signed"
        if self.changed_since_signed:
            return "changed"
        return "unsigned" if self.closed else "open"

    @property
    def path(self) -> str:
        """The period's part of its page's address: kind and first day."""
        return self.path_of(self.period, self.starts_on)

    @staticmethod
    def path_of(period: str, start: datetime.date) -> str:
        return f"{period}/{start.isoformat()}"


def signature_facts(row: PeriodSignature, sha256: str) -> SignatureFacts:
    return SignatureFacts(
        supervisor_name=row.supervisor_name,
        licence_number=row.licence_number,
        jurisdiction=row.licence_jurisdiction,
        signed_at=row.signed_at,
        sha256=row.sha256,
        current=row.sha256 == sha256,
    )


def periods_from(
    *,
    supervisee_id: int,
    period: str,
    entries: Sequence[LedgerEntry],
    signatures: Iterable[PeriodSignature],
    today: datetime.date,
) -> list[PeriodRow]:
    """Her periods, newest first: every period with hours, and every signed one."""
    by_start: dict[datetime.date, list[LedgerEntry]] = defaultdict(list)
    # A ledger comes in date order: an entry is mostly in the period of the one before it.
    low = high = datetime.date.max
    bucket: list[LedgerEntry] = []
    for entry in entries:
        day = entry.date
        if not low <= day <= high:
            low, high = period_bounds(period, day)
            bucket = by_start[low]
        bucket.append(entry)
    signed: dict[datetime.date, list[PeriodSignature]] = defaultdict(list)
    for row in signatures:
        if row.period == period:
            signed[row.starts_on].append(row)
            by_start.setdefault(row.starts_on, [])
    rows = []
    labels = tuple(CATEGORY_LABELS.items())
    for start in sorted(by_start, reverse=True):
        start, end = period_bounds(period, start)
        in_period = tuple(by_start[start])
        given = signed.get(start)
        sha = (
            period_digest(
                supervisee_id=supervisee_id, starts_on=start, ends_on=end, entries=in_period
            )
            if given
            else ""
        )
        totals: dict[str, int] = defaultdict(int)
        for entry in in_period:
            totals[entry.category] += entry.minutes
        # By position, in PeriodRow's order: years of periods on her page.
        rows.append(
            PeriodRow(
                period,
                start,
                end,
                period_label(period, start),
                in_period,
                tuple([(label, totals[cat]) for cat, label in labels]),
                sum(totals.values()),
                supervisee_id,
                tuple(
                    SignatureRow(
                        pk=s.pk, supervisor_id=s.supervisor_id, facts=signature_facts(s, sha)
                    )
                    for s in sorted(given, key=lambda s: s.signed_at)
                )
                if given
                else (),
                end < today,
                sha,
            )
        )
    return rows


# --- Her page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    label: str
    recorded_minutes: int
    counted_minutes: int


@dataclass(frozen=True)
class HoursOverview:
    profile: HoursProfile
    rule_set: RuleSet | None
    period: str
    entries: tuple[LedgerEntry, ...]
    categories: tuple[CategoryRow, ...]
    evaluation: Evaluation | None
    periods: tuple[PeriodRow, ...]
    earlier_periods: tuple[PeriodRow, ...]  # signed by the other kind of period


def profile_of(person: User) -> HoursProfile:
    """Her settings (or his licence), unsaved defaults when there are none yet: read on
    every hours page, by a query compiled once per process."""
    found = cast(list[HoursProfile], _PROFILE.objects(person=person.pk))
    return found[0] if found else HoursProfile(person=person)


# One row at most: a person has one profile.
_PROFILE = FixedQuery(
    lambda person: HoursProfile.objects.select_related("rule_set").filter(person_id=person),
    person=int,
)


def standing_signatures(person: User) -> list[PeriodSignature]:
    """Every signature of her periods that no later one of the same supervisor replaced: one
    query, compiled once per process (her hours page reads them on every visit)."""
    return cast(list[PeriodSignature], _STANDING_SIGNATURES.objects(person=person.pk))


_STANDING_SIGNATURES = FixedQuery(
    lambda person: PeriodSignature.objects.standing().filter(supervisee_id=person), person=int
)


def context_of(profile: HoursProfile, today: datetime.date) -> LedgerContext:
    return LedgerContext(
        today=today,
        degree_on=profile.degree_on,
        started_on=profile.started_on,
        principal_supervisor_id=profile.principal_supervisor_id,
    )


def sign_period_of(profile: HoursProfile) -> str:
    return profile.rule_set.sign_period if profile.rule_set else SignPeriod.MONTH


@functools.lru_cache(maxsize=64)
def evaluation_of(
    person_id: int, rule_set: str, context: LedgerContext, entries: tuple[LedgerEntry, ...]
) -> Evaluation:
    """What her entries come to under her rules (`hours.rules.evaluate`), kept by this
    process for the next visit: the rules read every entry (about 6 M instructions for
    three years of hours), and her page is read again with nothing changed far more often
    than it is read after a change. The key is everything the answer is made of: her, her
    rule set as JSON, her dates and today (`context`), and every field of every entry, so
    a changed hour, a new day or another person is another key, and an entry is never
    stale. It holds figures and the rules' own sentences, never clinical text; the 64 most
    recent people per process (a few MB)."""
    return evaluate(json.loads(rule_set), entries, context)


def hours_overview(person: User, today: datetime.date | None = None) -> HoursOverview:
    today = today or timezone.localdate()
    profile = profile_of(person)
    entries = ledger_for(person)
    evaluation = None
    if profile.rule_set is not None:
        evaluation = evaluation_of(
            person.pk,
            json.dumps(profile.rule_set.definition, sort_keys=True),
            context_of(profile, today),
            tuple(entries),
        )
    recorded: dict[str, int] = defaultdict(int)
    if evaluation:
        # The rules' own sums of what is recorded up to today, every category.
        recorded.update(evaluation.recorded)
    else:
        for entry in entries:
            if entry.date <= today:
                recorded[entry.category] += entry.minutes
    counted = dict(evaluation.counted) if evaluation else recorded
    categories = tuple(
        CategoryRow(label=label, recorded_minutes=recorded[cat], counted_minutes=counted[cat])
        for cat, label in CATEGORY_LABELS.items()
    )
    period = sign_period_of(profile)
    signatures = standing_signatures(person)
    periods = periods_from(
        supervisee_id=person.pk,
        period=period,
        entries=entries,
        signatures=signatures,
        today=today,
    )
    # Signatures given by weeks when her rules now sign months (or the other way round):
    # still hers, still checked against today's hours, shown apart.
    other = SignPeriod.MONTH if period == SignPeriod.WEEK else SignPeriod.WEEK
    other_signed = [s for s in signatures if s.period == other]
    # Only the signed ones are shown: read only their entries (most people have none).
    signed_starts, start_of = {s.starts_on for s in other_signed}, period_start(other)
    earlier = [
        row
        for row in periods_from(
            supervisee_id=person.pk,
            period=other,
            entries=[e for e in entries if start_of(e.date) in signed_starts]
            if signed_starts
            else [],
            signatures=other_signed,
            today=today,
        )
        if row.signatures
    ]
    return HoursOverview(
        profile=profile,
        rule_set=profile.rule_set,
        period=period,
        entries=tuple(entries),
        categories=categories,
        evaluation=evaluation,
        periods=tuple(periods),
        earlier_periods=tuple(earlier),
    )


def period_of(
    supervisee: User, period: str, start: datetime.date, today: datetime.date | None = None
) -> PeriodRow | None:
    """One period of hers, or None when `start` does not begin a period of that kind."""
    today = today or timezone.localdate()
    if period_bounds(period, start)[0] != start:
        return None
    end = period_bounds(period, start)[1]
    entries = ledgers_for([supervisee.pk], since=start, until=end)[supervisee.pk]
    signatures = PeriodSignature.objects.standing().filter(
        supervisee=supervisee, period=period, starts_on=start
    )
    rows = periods_from(
        supervisee_id=supervisee.pk,
        period=period,
        entries=entries,
        signatures=signatures,
        today=today,
    )
    if rows:
        return rows[0]
    return PeriodRow(
        period=period,
        starts_on=start,
        ends_on=end,
        label=period_label(period, start),
        entries=(),
        minutes=tuple((label, 0) for label in CATEGORY_LABELS.values()),
        total_minutes=0,
        supervisee_id=supervisee.pk,
        signatures=(),
        closed=end < today,
    )


def signature_history(supervisee: User, period: str, start: datetime.date, sha256: str):
    """Every signature of the period, superseded ones too, oldest first."""
    rows = PeriodSignature.objects.filter(
        supervisee=supervisee, period=period, starts_on=start
    ).order_by("signed_at", "pk")
    return [(row, signature_facts(row, sha256)) for row in rows]


# --- A supervisor's periods to sign -----------------------------------------------------


@dataclass(frozen=True)
class ToSign:
    supervisee_id: int
    supervisee_name: str
    periods: tuple[PeriodRow, ...]  # closed, with hours, not (or no longer) signed; newest first

    # What *Hours to sign* shows of her: the list of her periods is a page of its own.
    @property
    def newest(self) -> PeriodRow:
        return self.periods[0]

    @property
    def oldest(self) -> PeriodRow:
        return self.periods[-1]

    @property
    def changed(self) -> int:
        """How many were signed once and have changed since."""
        return sum(1 for row in self.periods if row.changed_since_signed)


def periods_to_sign(
    supervisor: User,
    spans_by_supervisee: dict[int, list[Span]],
    today: datetime.date | None = None,
) -> list[ToSign]:
    """For each supervisee she may sign for, the closed periods inside her supervision that
    nobody has signed as they stand (never signed, or changed since): one signature is what
    a period needs, whichever of her supervisors gives it. A fixed number of queries."""
    today = today or timezone.localdate()
    ids = list(spans_by_supervisee)
    if not ids:
        return []
    people = _names_and_periods(_names_and_periods_of(User.objects.filter(pk__in=ids)))
    ledgers = ledgers_for(ids)
    signatures: dict[int, list[PeriodSignature]] = defaultdict(list)
    for row in PeriodSignature.objects.standing().filter(supervisee__in=ids):
        signatures[row.supervisee_id].append(row)
    result = []
    for pk, (name, period) in people.items():
        spans = spans_by_supervisee[pk]
        rows = periods_from(
            supervisee_id=pk,
            period=period,
            entries=ledgers[pk],
            signatures=signatures[pk],
            today=today,
        )
        waiting = tuple(
            row
            for row in rows
            if row.closed
            and row.entries
            and not row.signed
            and any(span.overlaps(row.starts_on, row.ends_on) for span in spans)
        )
        if waiting:
            result.append(ToSign(supervisee_id=pk, supervisee_name=name, periods=waiting))
    return result


@dataclass(frozen=True)
class Waiting:
    """What *Hours to sign* shows of one supervisee: how many of her periods wait for a
    signature, from which to which, and how many of them were signed and changed since.
    The periods themselves are on her own page (`periods_to_sign`)."""

    supervisee_id: int
    supervisee_name: str
    count: int
    oldest_label: str
    newest_label: str
    changed: int


def waiting_to_sign(
    supervisor: User,
    spans_by_supervisee: dict[int, list[Span]],
    today: datetime.date | None = None,
) -> list[Waiting]:
    """`periods_to_sign` counted rather than listed, for every supervisee at once: the same
    periods (a test compares the two), without reading three years of entries: each
    supervisee's periods with hours are kept under her newest change
    (`_periods_with_hours`; the database works them out for those whose entry is not
    kept), and only a period with a standing signature has its entries read, to see
    whether they are still the ones signed.

    `spans_by_supervisee` is `signable_spans(supervisor, today)` (or part of it): the
    queries read the supervisees she may sign for (access.signable_supervisee_ids), each
    compiled once per process with her and the day as its only values. Five queries at
    most, whatever the number of supervisees or hours."""
    today = today or timezone.localdate()
    wanted = set(spans_by_supervisee)
    if not wanted or not may_sign_hours(supervisor):
        return []
    values: dict[str, Any] = {
        "person": supervisor.pk,
        "today": today,
        "ended_since": today - SIGNING_GRACE,
    }
    now = timezone.now()
    people = {
        pk: named
        for pk, named in _names_and_periods(_TO_SIGN_NAMES.rows(**values)).items()
        if pk in wanted
    }
    signatures: dict[int, list[PeriodSignature]] = defaultdict(list)
    for signature in cast(list[PeriodSignature], _TO_SIGN_SIGNATURES.objects(**values)):
        signatures[signature.supervisee_id].append(signature)
    with_hours = _periods_with_hours({pk: period for pk, (_, period) in people.items()})
    # Each supervisee's closed periods with hours inside her supervision (newest first, as
    # day numbers), and those of them with a standing signature.
    candidates: dict[int, list[int]] = {}
    signed: dict[int, list[PeriodSignature]] = {}
    for pk, (_, period) in people.items():
        # Periods tile the calendar, so each test is on the period's start alone: it is
        # over when it starts before the current one, and it overlaps a span when it
        # starts between the start of the period holding the span's first day and its
        # last day.
        start_of = period_start(period)
        current = start_of(today).toordinal()
        # Oldest first, to be cut by bisection: a span takes a run of them.
        oldest_first = with_hours[pk].at(now.timestamp())[::-1]
        inside: set[int] = set()
        for span in spans_by_supervisee[pk]:
            lo = start_of(span.starts_on).toordinal()
            hi = min((span.ends_on or today).toordinal(), current - 1)
            inside.update(
                oldest_first[
                    bisect.bisect_left(oldest_first, lo) : bisect.bisect_right(oldest_first, hi)
                ]
            )
        candidates[pk] = sorted(inside, reverse=True)
        signed[pk] = [
            s for s in signatures[pk] if s.period == period and s.starts_on.toordinal() in inside
        ]
    standing, changed = _signatures_standing(people, signed, values | {"now": now})
    result = []
    for pk, (name, period) in people.items():
        done = {start.toordinal() for start in standing[pk]}
        waiting = [start for start in candidates[pk] if start not in done]
        if waiting:
            oldest, newest = (datetime.date.fromordinal(waiting[i]) for i in (-1, 0))
            result.append(
                Waiting(
                    supervisee_id=pk,
                    supervisee_name=name,
                    count=len(waiting),
                    oldest_label=period_label(period, oldest),
                    newest_label=period_label(period, newest),
                    changed=len(changed[pk]),
                )
            )
    return result


def _names_and_periods(rows: Iterable[tuple]) -> dict[int, tuple[str, str]]:
    """Each supervisee's name and the period her rules sign by, in her name's order, from
    the rows of `_names_and_periods_of`."""
    return {pk: (name, period or SignPeriod.MONTH) for pk, name, period in rows}


def _names_and_periods_of(people: QuerySet):
    return people.order_by("display_name", "pk").values_list(
        "pk", "display_name", "hours_profile__rule_set__sign_period"
    )


def _signatures_standing(
    people: dict[int, tuple[str, str]],
    signed: dict[int, list[PeriodSignature]],
    values: dict,
) -> tuple[dict[int, set[datetime.date]], dict[int, set[datetime.date]]]:
    """Of the signed periods, those whose entries are still the ones signed and those
    changed since, per supervisee: the ledgers of her supervisees over the signed stretch
    (one query)."""
    standing: dict[int, set[datetime.date]] = defaultdict(set)
    changed: dict[int, set[datetime.date]] = defaultdict(set)
    ids = [pk for pk, rows in signed.items() if rows]
    if not ids:
        return standing, changed
    bounds = [period_bounds(s.period, s.starts_on) for pk in ids for s in signed[pk]]
    since, until = min(b[0] for b in bounds), max(b[1] for b in bounds)
    ledgers = _ledgers_from(ids, _TO_SIGN_STRETCH.rows(**values, since=since, until=until))
    for pk in ids:
        period = people[pk][1]
        start_of, starts = period_start(period), {s.starts_on for s in signed[pk]}
        for row in periods_from(
            supervisee_id=pk,
            period=period,
            entries=[e for e in ledgers[pk] if start_of(e.date) in starts],
            signatures=signed[pk],
            today=datetime.date.max,
        ):
            (standing if row.signed else changed)[pk].add(row.starts_on)
    return standing, changed


# *Hours to sign*, compiled once: every query reads the supervisees she may sign for today.
def _signable(person: int, today: datetime.date, ended_since: datetime.date) -> QuerySet:
    supervisor = User(pk=person, role=Role.SUPERVISOR)
    return signable_supervisee_ids(supervisor, today, ended_since=ended_since)


_TO_SIGN_NAMES = FixedQuery(
    lambda person, today, ended_since: _names_and_periods_of(
        User.objects.filter(pk__in=_signable(person, today, ended_since))
    ),
    person=int,
    today=datetime.date,
    ended_since=datetime.date,
)
_TO_SIGN_SIGNATURES = FixedQuery(
    lambda person, today, ended_since: PeriodSignature.objects.standing().filter(
        supervisee__in=_signable(person, today, ended_since)
    ),
    person=int,
    today=datetime.date,
    ended_since=datetime.date,
)
_TO_SIGN_STRETCH = FixedQuery(
    lambda person, today, ended_since, now, since, until: _rows_of_one_shape(
        _signable(person, today, ended_since), now, since, until
    ),
    as_given=_LEDGER_INTEGERS,
    person=int,
    today=datetime.date,
    ended_since=datetime.date,
    now=datetime.datetime,
    since=datetime.date,
    until=datetime.date,
)


def supervisees_with_new_hours(
    supervisor: User, today: datetime.date | None = None
) -> list[tuple[int, str]]:
    """Her supervisees (whose hours she may sign) with hours in a period that is over and
    later than their newest signature, as (id, name): one query, for the review queue,
    which is read many times a day, compiled once per process (supervision.compiled). A
    nudge, not the list: a gap between signed periods, or a signed period changed since,
    shows on *Hours to sign* (`periods_to_sign`), which reads every period."""
    if not may_sign_hours(supervisor):
        return []
    today = today or timezone.localdate()
    return _NEW_HOURS.rows(
        person=supervisor.pk,
        today=today,
        ended_since=today - SIGNING_GRACE,
        this_week=week_start(today),
        this_month=month_start(today),
    )


def _new_hours_query(
    person: int,
    today: datetime.date,
    ended_since: datetime.date,
    this_week: datetime.date,
    this_month: datetime.date,
):
    """The query of `supervisees_with_new_hours`; every date in it is a value of its own."""
    supervisor = User(pk=person, role=Role.SUPERVISOR)
    # The first day of the period still going: this week or this month, by her rules.
    going = Case(
        When(hours_profile__rule_set__sign_period=SignPeriod.WEEK, then=Value(this_week)),
        default=Value(this_month),
        output_field=DateField(),
    )
    never = Value(datetime.date(1900, 1, 1), output_field=DateField())
    far_off = Value(datetime.date(9999, 12, 31), output_field=DateField())

    def newest(queryset, field: str, who: str):
        return Coalesce(
            Subquery(
                queryset.filter(
                    **{
                        who: OuterRef("pk"),
                        f"{field}__lt": OuterRef("going"),
                        f"{field}__gte": OuterRef("supervised_from"),
                        f"{field}__lte": Coalesce(OuterRef("supervised_until"), far_off),
                    }
                )
                .order_by(f"-{field}")
                .values(field)[:1]
            ),
            never,
        )

    def relationships():
        return signable_relationships(supervisor, today, ended_since=ended_since)

    through = SupervisionMeeting.supervisees.through
    return (
        User.objects.filter(
            pk__in=signable_supervisee_ids(supervisor, today, ended_since=ended_since)
        )
        # Hours before she began supervising are not hers to sign.
        .annotate(
            going=going,
            supervised_from=Subquery(
                relationships()
                .filter(supervisee=OuterRef("pk"))
                .order_by("starts_on")
                .values("starts_on")[:1]
            ),
            # None while it goes on; a former supervisor's last day, in her 90 days after.
            supervised_until=Subquery(
                relationships()
                .filter(supervisee=OuterRef("pk"))
                .order_by(F("ends_on").desc(nulls_first=True))
                .values("ends_on")[:1]
            ),
        )
        .annotate(
            worked=Greatest(
                newest(
                    SessionLog.objects.live()
                    .exclude(status=LogStatus.DRAFT)
                    .filter(duration_minutes__isnull=False),
                    "session_date",
                    "author",
                ),
                newest(HourEntry.objects.all(), "date", "person"),
                newest(through.objects.all(), "supervisionmeeting__held_on", "user"),
            ),
            signed=Coalesce(
                Subquery(
                    PeriodSignature.objects.standing()
                    .filter(supervisee=OuterRef("pk"))
                    .order_by("-ends_on")
                    .values("ends_on")[:1]
                ),
                never,
            ),
        )
        .filter(worked__gt=F("signed"))
        .order_by("display_name", "pk")
        .values_list("pk", "display_name")
    )


_NEW_HOURS = FixedQuery(
    _new_hours_query,
    person=int,
    today=datetime.date,
    ended_since=datetime.date,
    this_week=datetime.date,
    this_month=datetime.date,
)


# --- Documents --------------------------------------------------------------------------


def statement_of(
    *,
    supervisee: User,
    row: PeriodRow,
    supervisor_name: str,
    signature: SignatureFacts | None,
    history: Sequence[SignatureFacts] = (),
) -> PeriodStatement:
    profile = profile_of(supervisee)
    rule_set = profile.rule_set
    note = ""
    if rule_set is not None:
        note = f"{rule_set.board_note} Source: {rule_set.source}".strip()
    return PeriodStatement(
        supervisee_name=supervisee.display_name,
        supervisor_name=supervisor_name,
        rule_set_name=rule_set.name if rule_set else "No rule set chosen",
        board_note=note,
        label=row.label,
        start=row.starts_on,
        end=row.ends_on,
        entries=row.entries,
        totals=row.minutes,
        signature=signature,
        history=tuple(history),
        generated_at=timezone.now(),
    )
