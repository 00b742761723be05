"""The hours ledger's vocabulary: what one recorded stretch of time is, in plain data.

Everything the rules and the documents read is a `LedgerEntry`. `hours.selectors` builds
them from the four places hours are recorded (session logs for direct contact, her own hour
entries, the supervision meetings her supervisors record, the group meetings she attended);
`hours.rules` decides what counts; `hours.documents` prints them. No entry holds clinical
text: a date, minutes and a few categories.

Time is kept in whole minutes (integers), so sums are exact; pages show hours.
"""

from __future__ import annotations

import calendar
import datetime
import operator
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Category(StrEnum):
    DIRECT = "direct"  # direct client contact (from session logs)
    INDIRECT = "indirect"  # notes, reports, case consultation: non-clinical hours
    SUPERVISION = "supervision"  # supervision received
    TRAINING = "training"  # workshops, courses, education


CATEGORY_LABELS = {
    Category.DIRECT: "Direct client contact",
    Category.INDIRECT: "Indirect work",
    Category.SUPERVISION: "Supervision received",
    Category.TRAINING: "Training",
}


class Source(StrEnum):
    LOG = "log"  # cases.SessionLog (direct contact)
    ENTRY = "entry"  # hours.HourEntry (indirect, training, supervision not recorded elsewhere)
    MEETING = "meeting"  # supervision.SupervisionMeeting (individual or triadic)
    GROUP = "group"  # groups.GroupMeeting she attended


class ClientUnit(StrEnum):
    INDIVIDUAL = "individual"
    COUPLE = "couple"
    FAMILY = "family"
    GROUP = "group"
    CHILD = "child"


class SupervisionKind(StrEnum):
    INDIVIDUAL = "individual"
    TRIADIC = "triadic"
    GROUP = "group"


class LedgerEntry(NamedTuple):
    """One stretch of recorded time. A named tuple, not a frozen dataclass: a page reads
    years of them, and a frozen dataclass sets each of its 13 fields through
    `object.__setattr__` (about 24 k instructions an entry, a tuple a tenth of that)."""

    source: str  # a Source value
    source_id: int  # the row's primary key in its source
    date: datetime.date
    minutes: int
    category: str  # a Category value
    # Direct contact only.
    modality: str = ""  # cases.Modality: in_person, video, telephone, other
    client_unit: str = ""  # a ClientUnit value
    simulated: bool = False  # role-play or simulated client (PsyBA counts at most 60 h)
    # Supervision only.
    supervision_kind: str = ""  # a SupervisionKind value
    group_size: int = 0  # supervisees present, her included (1 for individual)
    observed_session: bool = False  # included observing one of her sessions
    mode: str = ""  # in_person or video
    supervisor_id: int | None = None  # who gave it, when known

    @property
    def hours(self) -> float:
        return self.minutes / 60


# A ledger's one order, also the order a period's digest is taken in (hours.signing): by
# date, source and id. The fields by position (date, source, source_id), read in C.
LEDGER_ORDER = operator.itemgetter(2, 0, 1)


@dataclass(frozen=True)
class LedgerContext:
    """What the rules need to know about her besides her entries."""

    today: datetime.date
    degree_on: datetime.date | None = None  # hours before it are "before the degree"
    started_on: datetime.date | None = None  # first day of supervised practice
    principal_supervisor_id: int | None = None  # PsyBA: one-to-one with the principal


# 0 to 30 days, made once: the ledger finds the period of every entry on every visit, and
# building a timedelta, or `date.replace(day=1)`, costs several times subtracting one.
DAYS = tuple(datetime.timedelta(days=n) for n in range(31))


def week_start(day: datetime.date) -> datetime.date:
    """Weeks run Monday to Sunday everywhere in the ledger (periods, rules, charts)."""
    return day - DAYS[day.weekday()]


def month_start(day: datetime.date) -> datetime.date:
    return day - DAYS[day.day - 1]


def month_end(start: datetime.date) -> datetime.date:
    """The last day of the month that begins on `start`."""
    if start.month == 2 and calendar.isleap(start.year):
        return start + DAYS[28]
    return start + DAYS[_MONTH_DAYS[start.month] - 1]


# Days in each month of a common year (February's leap day is `calendar.isleap`'s).
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class SignatureFacts:
    """A period's signature as it was given: who, when, her licence as it was then, and the
    SHA-256 of the period's entries she signed."""

    supervisor_name: str
    licence_number: str
    jurisdiction: str
    signed_at: datetime.datetime
    sha256: str
    current: bool  # the period's entries still hash to sha256 (False: changed since, re-sign)


@dataclass(frozen=True)
class PeriodStatement:
    """One period (a week or a month) of her hours, as a document prints it."""

    supervisee_name: str
    supervisor_name: str  # whom the document is for; "" for a statement of unsigned periods
    rule_set_name: str  # "California LMFT (BBS)"
    board_note: str  # the rule set's "check with your board" sentence and source
    label: str  # "November 2026", "Week of 2 Nov 2026"
    start: datetime.date
    end: datetime.date  # inclusive
    entries: tuple[LedgerEntry, ...]
    totals: tuple[tuple[str, int], ...]  # (category label, minutes), in CATEGORY_LABELS order
    signature: SignatureFacts | None  # the current signature, if any
    history: tuple[SignatureFacts, ...]  # earlier signatures of this period, oldest first
    generated_at: datetime.datetime
