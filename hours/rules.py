"""What counts toward licensure: a rule set as data, and the engine that reads a ledger with it.

Pure Python: no Django, no database. A rule set is a plain dict (loaded from a TOML file in
`seeds/hours/`, stored in a JSONField, edited in the admin as JSON); `parse_rule_set` checks it
and returns it normalised (every figure explicit, dates as ISO strings), and accepts its own
output. `evaluate` reads her `LedgerEntry` rows with it and says, in numbers and in calm words,
what is recorded, what counts, what does not count and why, how far each requirement is met,
and what is worth knowing before a limit is reached.

A rule set
----------
Top-level keys: `key` (a slug, "ca-lmft"), `name`, `jurisdiction`, `licence`, `effective_from`
(a date), `source` (the titles the figures come from), `board_note` (contains "check with your
board"), `sign_period` ("week" or "month": how supervisors sign periods under it) and `rules`,
a list of tables. Every rule has `kind`, a human `label`, and optionally `key` (a slug, unique in
the set; defaults to the kind, numbered when a kind appears more than once), `note` (shown with
its requirement) and `unchecked` (true for a figure the reference marks † because it could not
be checked against the current statute: its label gets a †, and its note and reasons say so).

Figures in hours may be fractional (1.5); the engine works in whole minutes.

Filters
-------
Some kinds take filters that choose which entries a rule looks at:
`categories` (direct, indirect, supervision, training), `client_units` (individual, couple,
family, group, child), `simulated_only` (only role-play or simulated clients),
`supervision_kinds` (individual, triadic, group), `after_degree` / `before_degree` (entries dated
on or after `LedgerContext.degree_on`, or before it; with no degree date recorded, no entry is
"after the degree" and every entry is "before" it: the cautious reading).

Rule kinds
----------
Rules that decide what counts, applied in this order whatever their order in the file (each
stage sees what the stages before it left counted):

1. `expiry` (`years`): hours dated more than `years` years before today no longer count.
   `after_degree_only`: hours dated before the degree do not count (none count while no degree
   date is recorded).
2. `group_credit` (`small_group_size`, `small_group_factor`): group supervision is credited at
   `small_group_factor` for groups of at most `small_group_size` people and at 1/size above that
   (BACP: half up to 4, a sixth for 6). Rounded down to the minute. A group entry with no size
   recorded is not credited until its size is recorded.
3. `weekly_unit_ratio` (`direct_hours_per_unit`, degree filters): in each week, direct hours
   beyond `direct_hours_per_unit` x the week's supervision units are not counted until a unit is
   logged (California trainees: 5 h per unit). `weekly_extra_unit` (`above_direct_hours`,
   `units`, degree filters): in a week with more than `above_direct_hours` of direct contact and
   fewer than `units` supervision units, the direct hours above the threshold are not counted
   until the units are logged (California associates: a second unit above 10 h). Both need a
   `supervision_units` rule.
4. `rolling_window_maximum` (`hours`, `days`, optional `categories`): no more than `hours` count
   in any `days` consecutive days. Earliest first: the hours recorded first fill the window and
   the later ones above the cap are not counted.
5. `group_share_maximum` (`share`, `individual_up_to`): group supervision counts up to `share`
   of all counted supervision; the latest group hours above it are not counted until more
   individual supervision is logged. Supervision with at most `individual_up_to` supervisees
   present counts as individual whatever its kind (Texas: "individual" is up to 2 associates),
   and triadic supervision is never group.
6. `maximum_category` (`hours`, `categories` and filters): at most `hours` of the matching
   entries count; the latest above the cap are not counted (PsyBA: 60 h simulated; California:
   1,250 h non-clinical).

Where an amount has to be taken off some entries and not others, it is taken off the latest
ones: what was recorded first keeps counting, and a later entry may count again when the
condition is met (more supervision logged).

A definition used by other rules:

- `supervision_units` (`individual_hours`, `group_hours`, `max_group_size`): a unit is
  `individual_hours` of individual or triadic supervision, or `group_hours` of group supervision
  with at most `max_group_size` people; a larger group gives no unit, and neither does a group
  with no size recorded. Counted per week, each kind rounded down separately (90 min
  individual is 1 unit; 1 h individual and 1 h group are 1 unit).

Requirements (each gives one `Requirement`, in file order):

- `minimum_total` (`hours`, `after_degree`): counted hours in all categories.
- `minimum_category` (`hours`, `categories` and filters): counted hours of the matching entries
  (California: 500 h with couples, families or children; PsyBA: 60 h training).
- `period_supervision_minimum` (`period` week or month, `hours`, `periods`, optional
  `two_period_hours`, `supervision_kinds`): counted supervision of at least `hours` in every
  period, a minimum each period and not an average. Counts the closed periods that meet it
  against the closed periods since she started: all of them (`periods = "all"`) or only those
  with direct contact (`periods = "with_direct"`: no supervision is asked for a month without
  practice). The open period gets an alert while it is short. With `two_period_hours`, a period
  also meets the rule when it and the one before hold that much between them (New York: 1 h a
  week or 2 h every other week).
- `weeks_with_individual_supervision` (`weeks`, `hours`, `supervision_kinds`): weeks with at least
  `hours` of counted individual or triadic supervision (California: 52 weeks).
- `elapsed_minimum` (`weeks` or `months`): time since `started_on` or, without it, her first
  entry; whole weeks, or whole calendar months.
- `principal_one_to_one_minimum` (`hours`): counted individual supervision with
  `LedgerContext.principal_supervisor_id`; with none recorded, all individual supervision
  (the note says so).
- `supervision_ratio` (`practice_hours_per_supervision_hour`, `practice_categories`): at least 1 h
  of counted supervision for every so many counted hours of practice, over the whole ledger
  (PsyBA: 1 h per 17 h).
- `observed_session_interval` (`months`): a supervision with an observed session in every
  stretch of `months` months from the start (PsyBA: every 6 months), counted in stretches
  ("units").

Alerts are information before a limit is reached (within 10 % of a cap, the open week or month
short of its minimum, hours about to pass the expiry), worded as information, never as failure.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hours.ledger import (
    Category,
    ClientUnit,
    LedgerContext,
    LedgerEntry,
    SupervisionKind,
    month_start,
    week_start,
)
from supervision.formats import MONTH_NAMES, day_month_year

__all__ = [
    "Alert",
    "Evaluation",
    "Exclusion",
    "KINDS",
    "Requirement",
    "RuleSetError",
    "evaluate",
    "parse_rule_set",
]


class RuleSetError(Exception):
    """A rule set that cannot be used, with a message naming what to change."""


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Exclusion:
    """Minutes of one category, recorded between start and end (inclusive), that do not count."""

    start: datetime.date
    end: datetime.date
    category: str  # a Category value
    minutes: int
    reason: str


@dataclass(frozen=True)
class Requirement:
    key: str  # the rule's key
    label: str
    unit: str  # "hours", "weeks", "months" or "units"
    required: float
    have: float  # hours rounded to 2 decimals; weeks, months and units whole
    met: bool
    note: str


@dataclass(frozen=True)
class Alert:
    text: str


@dataclass(frozen=True)
class Evaluation:
    recorded: tuple[tuple[str, int], ...]  # (Category value, minutes), every category, in order
    counted: tuple[tuple[str, int], ...]
    exclusions: tuple[Exclusion, ...]
    requirements: tuple[Requirement, ...]
    alerts: tuple[Alert, ...]

    def recorded_minutes(self, category: str) -> int:
        return dict(self.recorded)[category]

    def counted_minutes(self, category: str) -> int:
        return dict(self.counted)[category]

    @property
    def total_recorded(self) -> int:
        return sum(minutes for _, minutes in self.recorded)

    @property
    def total_counted(self) -> int:
        return sum(minutes for _, minutes in self.counted)

    def requirement(self, key: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.key == key:
                return requirement
        raise KeyError(key)


# ---------------------------------------------------------------- the rule set's shape

_MISSING = object()
CATEGORY_ORDER = tuple(Category)
_ALL_CATEGORIES = [category.value for category in Category]
TOP_LEVEL_KEYS = (
    "key",
    "name",
    "jurisdiction",
    "licence",
    "effective_from",
    "source",
    "board_note",
    "sign_period",
    "rules",
)
SIGN_PERIODS = ("week", "month")
BOARD_NOTE_PHRASE = "check with your board"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Problem(ValueError):
    """A field's problem, worded to follow the field's name."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _figure(value: Any) -> int | float:
    """Hours (or another amount): a number of 0 or more."""
    if not _is_number(value):
        raise _Problem(f"must be a number, not {value!r}")
    if value < 0:
        raise _Problem(f"must be a number of 0 or more, not {value!r}")
    return value if isinstance(value, int) else float(value)


def _positive(value: Any) -> int | float:
    if not _is_number(value):
        raise _Problem(f"must be a number, not {value!r}")
    if value <= 0:
        raise _Problem(f"must be a number above 0, not {value!r}")
    return value if isinstance(value, int) else float(value)


def _fraction_of_one(value: Any) -> int | float:
    """A share or factor: above 0 and at most 1."""
    if not _is_number(value) or not 0 < value <= 1:
        raise _Problem(f"must be a number above 0 and at most 1 (0.5 for half), not {value!r}")
    return value if isinstance(value, int) else float(value)


def _whole(minimum: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if not _is_number(value) or value != int(value):
            raise _Problem(f"must be a whole number, not {value!r}")
        if value < minimum:
            raise _Problem(f"must be {minimum} or more, not {value!r}")
        return int(value)

    return check


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Problem(f"must be true or false, not {value!r}")
    return value


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise _Problem(f"must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    return check


def _values_of(
    vocabulary: type[Category] | type[ClientUnit] | type[SupervisionKind], noun: str, nouns: str
) -> Callable[[Any], list[str]]:
    known = [member.value for member in vocabulary]

    def check(value: Any) -> list[str]:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise _Problem(f"must be a list of {nouns}, not {value!r}")
        for item in value:
            if item not in known:
                raise _Problem(
                    f"has an unknown {noun} {item!r}; the {nouns} are {', '.join(known)}"
                )
        return [item for item in known if item in value]  # the vocabulary's order, once each

    return check


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def optional(value: Any) -> Any:
        return None if value is None else check(value)

    return optional


@dataclass(frozen=True)
class _Field:
    check: Callable[[Any], Any]
    default: Any = _MISSING  # _MISSING: the figure is required


_CATEGORIES = _values_of(Category, "category", "categories")
_CLIENT_UNITS = _values_of(ClientUnit, "client unit", "client units")
_SUPERVISION_KINDS = _values_of(SupervisionKind, "supervision kind", "supervision kinds")
_NO_FIGURE = _Field(_optional(_positive), None)
_FILTERS = {
    "categories": _Field(_CATEGORIES),
    "client_units": _Field(_CLIENT_UNITS, []),
    "simulated_only": _Field(_flag, False),
    "supervision_kinds": _Field(_SUPERVISION_KINDS, []),
    "after_degree": _Field(_flag, False),
    "before_degree": _Field(_flag, False),
}
_DEGREE = {"after_degree": _Field(_flag, False), "before_degree": _Field(_flag, False)}

# Every kind and its figures. The module docstring says what each one does.
KINDS: dict[str, dict[str, _Field]] = {
    "expiry": {"years": _Field(_whole(1))},
    "after_degree_only": {},
    "group_credit": {
        "small_group_size": _Field(_whole(1)),
        "small_group_factor": _Field(_fraction_of_one),
    },
    "weekly_unit_ratio": {"direct_hours_per_unit": _Field(_positive), **_DEGREE},
    "weekly_extra_unit": {
        "above_direct_hours": _Field(_figure),
        "units": _Field(_whole(1)),
        **_DEGREE,
    },
    "rolling_window_maximum": {
        "hours": _Field(_figure),
        "days": _Field(_whole(1)),
        "categories": _Field(_CATEGORIES, _ALL_CATEGORIES),
    },
    "group_share_maximum": {
        "share": _Field(_fraction_of_one),
        "individual_up_to": _Field(_whole(0), 0),
    },
    "maximum_category": {"hours": _Field(_figure), **_FILTERS},
    "supervision_units": {
        "individual_hours": _Field(_positive),
        "group_hours": _Field(_positive),
        "max_group_size": _Field(_whole(1)),
    },
    "minimum_total": {"hours": _Field(_figure), "after_degree": _Field(_flag, False)},
    "minimum_category": {"hours": _Field(_figure), **_FILTERS},
    "period_supervision_minimum": {
        "period": _Field(_one_of(*SIGN_PERIODS)),
        "hours": _Field(_figure),
        "periods": _Field(_one_of("with_direct", "all"), "with_direct"),
        "two_period_hours": _NO_FIGURE,
        "supervision_kinds": _Field(_SUPERVISION_KINDS, []),
    },
    "weeks_with_individual_supervision": {
        "weeks": _Field(_whole(0)),
        "hours": _Field(_positive),
        "supervision_kinds": _Field(
            _SUPERVISION_KINDS, [SupervisionKind.INDIVIDUAL.value, SupervisionKind.TRIADIC.value]
        ),
    },
    "elapsed_minimum": {
        "weeks": _Field(_optional(_whole(0)), None),
        "months": _Field(_optional(_whole(0)), None),
    },
    "principal_one_to_one_minimum": {"hours": _Field(_figure)},
    "supervision_ratio": {
        "practice_hours_per_supervision_hour": _Field(_positive),
        "practice_categories": _Field(
            _CATEGORIES,
            [Category.DIRECT.value, Category.INDIRECT.value, Category.TRAINING.value],
        ),
    },
    "observed_session_interval": {"months": _Field(_whole(1))},
}
_ONE_PER_SET = {
    "expiry",
    "after_degree_only",
    "group_credit",
    "group_share_maximum",
    "supervision_units",
}
_NEEDS_UNITS = {"weekly_unit_ratio", "weekly_extra_unit"}
_COMMON_KEYS = ("kind", "key", "label", "note", "unchecked")


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        raise RuleSetError(f"The rule set has no {name!r}.")
    if not isinstance(value, str) or not value.strip():
        raise RuleSetError(f"The rule set's {name!r} must be some text, not {value!r}.")
    return value.strip()


def _date(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise RuleSetError(
        f"The rule set's 'effective_from' must be a date (2026-11-01), not {value!r}."
    )


def parse_rule_set(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check a rule set and return it normalised: a JSON-serialisable dict with every figure
    explicit. Raises RuleSetError with a message naming the setting or rule to change."""
    if not isinstance(data, Mapping):
        raise RuleSetError(f"A rule set is a table of settings, not {type(data).__name__}.")
    unknown = sorted(set(data) - set(TOP_LEVEL_KEYS))
    if unknown:
        raise RuleSetError(
            f"Unknown setting {unknown[0]!r} in the rule set; the settings are "
            f"{', '.join(TOP_LEVEL_KEYS)}."
        )
    key = _text(data, "key")
    if not _SLUG.match(key):
        raise RuleSetError(
            f"The rule set's key {key!r} must be a slug: lower-case letters, digits and hyphens."
        )
    board_note = _text(data, "board_note")
    if BOARD_NOTE_PHRASE not in board_note.lower():
        raise RuleSetError(
            f"The board note must contain {BOARD_NOTE_PHRASE!r}: rules change, and some figures "
            "could not be checked."
        )
    if "effective_from" not in data:
        raise RuleSetError("The rule set has no 'effective_from' date.")
    sign_period = data.get("sign_period")
    if sign_period not in SIGN_PERIODS:
        raise RuleSetError(
            f"The rule set's 'sign_period' must be one of {', '.join(SIGN_PERIODS)}, "
            f"not {sign_period!r}."
        )
    rules = data.get("rules")
    if not isinstance(rules, list | tuple) or not rules:
        raise RuleSetError("The rule set has no rules: 'rules' must be a list of rule tables.")
    parsed_rules = _parse_rules(rules)
    return {
        "key": key,
        "name": _text(data, "name"),
        "jurisdiction": _text(data, "jurisdiction"),
        "licence": _text(data, "licence"),
        "effective_from": _date(data["effective_from"]),
        "source": _text(data, "source"),
        "board_note": board_note,
        "sign_period": sign_period,
        "rules": parsed_rules,
    }


def _parse_rules(rules: Sequence[Any]) -> list[dict[str, Any]]:
    kinds_seen = [rule.get("kind") if isinstance(rule, Mapping) else None for rule in rules]
    parsed: list[dict[str, Any]] = []
    occurrences: dict[str, int] = defaultdict(int)
    for number, rule in enumerate(rules, start=1):
        parsed_rule = _parse_rule(number, rule)
        kind = parsed_rule["kind"]
        occurrences[kind] += 1
        if not parsed_rule["key"]:
            repeated = kinds_seen.count(kind) > 1
            parsed_rule["key"] = f"{kind}-{occurrences[kind]}" if repeated else kind
        parsed.append(parsed_rule)
    seen_keys: set[str] = set()
    for number, rule in enumerate(parsed, start=1):
        name = _rule_name(number, rule)
        if rule["key"] in seen_keys:
            raise RuleSetError(
                f"{name}: another rule has the key {rule['key']!r}; keys are unique."
            )
        seen_keys.add(rule["key"])
        if rule["kind"] in _ONE_PER_SET and occurrences[rule["kind"]] > 1:
            raise RuleSetError(f"{name}: a rule set has at most one {rule['kind']} rule.")
        if rule["kind"] in _NEEDS_UNITS and not occurrences["supervision_units"]:
            raise RuleSetError(
                f"{name}: counts supervision units, so the rule set needs a supervision_units "
                "rule saying what a unit is."
            )
    return parsed


def _rule_name(number: int, rule: Mapping[str, Any]) -> str:
    label = rule.get("label")
    kind = rule.get("kind")
    if isinstance(label, str) and label.strip():
        return f'Rule {number} "{label.strip()}" ({kind})'
    return f"Rule {number} ({kind})"


def _parse_rule(number: int, rule: Any) -> dict[str, Any]:
    if not isinstance(rule, Mapping):
        raise RuleSetError(f"Rule {number} must be a table of settings, not {rule!r}.")
    name = _rule_name(number, rule)
    kind = rule.get("kind")
    if kind is None:
        raise RuleSetError(f"{name}: has no 'kind'; the kinds are {', '.join(sorted(KINDS))}.")
    if kind not in KINDS:
        raise RuleSetError(
            f"{name}: unknown kind {kind!r}; the kinds are {', '.join(sorted(KINDS))}."
        )
    label = rule.get("label")
    if not isinstance(label, str) or not label.strip():
        raise RuleSetError(f"{name}: has no 'label'; every rule needs a label a person can read.")
    fields = KINDS[kind]
    unknown = sorted(set(rule) - set(_COMMON_KEYS) - set(fields))
    if unknown:
        expected = ", ".join([*_COMMON_KEYS, *fields])
        raise RuleSetError(f"{name}: unknown setting {unknown[0]!r}; this kind takes {expected}.")
    key = rule.get("key") or ""
    if key and (not isinstance(key, str) or not _SLUG.match(key)):
        raise RuleSetError(
            f"{name}: the key {key!r} must be a slug: lower-case letters, digits and hyphens."
        )
    note = rule.get("note", "")
    if not isinstance(note, str):
        raise RuleSetError(f"{name}: 'note' must be some text, not {note!r}.")
    try:
        unchecked = _flag(rule.get("unchecked", False))
    except _Problem as problem:
        raise RuleSetError(f"{name}: 'unchecked' {problem}.") from None
    parsed: dict[str, Any] = {
        "kind": kind,
        "key": key,
        "label": label.strip(),
        "note": note.strip(),
        "unchecked": unchecked,
    }
    for field_name, field in fields.items():
        value = rule.get(field_name)
        if value is None:  # absent (TOML) or null (JSON)
            if field.default is _MISSING:
                raise RuleSetError(f"{name}: the figure {field_name!r} is missing.")
            default = field.default
            parsed[field_name] = list(default) if isinstance(default, list) else default
            continue
        try:
            parsed[field_name] = field.check(value)
        except _Problem as problem:
            raise RuleSetError(f"{name}: {field_name!r} {problem}.") from None
    _check_rule(name, parsed)
    return parsed


def _check_rule(name: str, rule: dict[str, Any]) -> None:
    """What the figures mean together."""
    if rule.get("after_degree") and rule.get("before_degree"):
        raise RuleSetError(f"{name}: choose 'after_degree' or 'before_degree', not both.")
    if "categories" in rule and not rule["categories"]:
        raise RuleSetError(f"{name}: 'categories' names no category.")
    if rule["kind"] == "elapsed_minimum" and (rule["weeks"] is None) == (rule["months"] is None):
        raise RuleSetError(f"{name}: give either 'weeks' or 'months'.")


# ---------------------------------------------------------------- words

UNCHECKED_REASON = " († a figure that could not be checked: check with your board)"
UNCHECKED_NOTE = (
    "† This figure could not be checked against the current rules; check with your board."
)
NEAR = Fraction(9, 10)  # alerts start at 90 % of a cap
EXPIRY_NOTICE_DAYS = 90  # hours about to pass the expiry are announced this long before
OBSERVED_NOTICE_DAYS = 60  # a stretch without an observed session, in its last two months


def _number(value: float) -> str:
    """1250 -> "1,250", 1.5 -> "1.5"."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _hours(minutes: int) -> str:
    """12 h, 1.5 h, 45 min, 1 h 40 min."""
    if minutes % 60 == 0:
        return f"{minutes // 60:,} h"
    if minutes < 60:
        return f"{minutes} min"
    if minutes % 15 == 0:
        return f"{_number(minutes / 60)} h"
    return f"{minutes // 60:,} h {minutes % 60} min"


def _minutes(hours: float) -> int:
    return round(hours * 60)


def _period_label(start: datetime.date, period: str, in_sentence: bool = False) -> str:
    if period == "week":
        return f"{'week' if in_sentence else 'Week'} of {day_month_year(start)}"
    return f"{MONTH_NAMES[start.month - 1]} {start.year}"


def _units(count: int) -> str:
    return "1 supervision unit" if count == 1 else f"{count} supervision units"


def _until_units(missing: int, have: int) -> str:
    if missing == 1:
        return "a supervision unit is logged"
    return f"{missing} {'more ' if have else ''}supervision units are logged"


def _sentence(text: str, rule: Mapping[str, Any]) -> str:
    """A reason or alert from this rule, marked when its figure could not be checked."""
    return text + (UNCHECKED_REASON if rule["unchecked"] else "") + "."


def _label(rule: Mapping[str, Any]) -> str:
    return f"{rule['label']} †" if rule["unchecked"] else rule["label"]


def _note(rule: Mapping[str, Any], *parts: str) -> str:
    texts = [*parts, rule["note"], UNCHECKED_NOTE if rule["unchecked"] else ""]
    return " ".join(text for text in texts if text)


# ---------------------------------------------------------------- dates


def _period_start(day: datetime.date, period: str) -> datetime.date:
    return week_start(day) if period == "week" else month_start(day)


def _next_period(start: datetime.date, period: str) -> datetime.date:
    return start + datetime.timedelta(days=7) if period == "week" else _add_months(start, 1)


def _previous_period(start: datetime.date, period: str) -> datetime.date:
    if period == "week":
        return start - datetime.timedelta(days=7)
    return month_start(start - datetime.timedelta(days=1))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last_day in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _whole_months(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


# ---------------------------------------------------------------- the engine


class _Item:
    """An entry and the minutes of it that still count. Its day and category are copied
    out once: every rule reads them of every entry."""

    __slots__ = ("category", "counted", "day", "entry")

    def __init__(self, entry: LedgerEntry, counted: int) -> None:
        self.entry = entry
        self.counted = counted
        self.day: datetime.date = entry.date
        self.category: str = entry.category


# Each category's place in CATEGORY_ORDER, by its value.
_CATEGORY_RANK = {category.value: rank for rank, category in enumerate(CATEGORY_ORDER)}


def _order(item: _Item) -> tuple[datetime.date, int, str, int]:
    entry = item.entry
    return (entry.date, _CATEGORY_RANK[entry.category], entry.source, entry.source_id)


class _Run:
    def __init__(
        self, rule_set: dict[str, Any], entries: Sequence[LedgerEntry], context: LedgerContext
    ) -> None:
        self.rules: list[dict[str, Any]] = rule_set["rules"]
        self.context = context
        for entry in entries:
            if entry.category not in _ALL_CATEGORIES:
                raise ValueError(f"unknown ledger category {entry.category!r}")
        self.items = sorted(
            (_Item(entry, entry.minutes) for entry in entries if entry.date <= context.today),
            key=_order,
        )
        self.recorded = self.totals(lambda item: item.entry.minutes)
        self.exclusions: list[Exclusion] = []
        self.requirements: list[tuple[int, Requirement]] = []
        self.alerts: list[tuple[int, Alert]] = []
        self.units_rule = next((r for r in self.rules if r["kind"] == "supervision_units"), None)
        self.start = context.started_on or (self.items[0].day if self.items else None)

    def totals(self, minutes_of: Callable[[_Item], int]) -> tuple[tuple[str, int], ...]:
        sums = dict.fromkeys(_ALL_CATEGORIES, 0)
        for item in self.items:
            sums[item.category] += minutes_of(item)
        return tuple(sums.items())

    def counting(self, category: str | None = None) -> list[_Item]:
        return [
            item
            for item in self.items
            if item.counted > 0 and (category is None or item.category == category)
        ]

    def after_degree(self, day: datetime.date) -> bool:
        degree_on = self.context.degree_on
        return degree_on is not None and day >= degree_on

    def matches(self, rule: Mapping[str, Any], item: _Item) -> bool:
        """Whether the rule's filters choose this entry."""
        entry = item.entry
        if rule.get("categories") and entry.category not in rule["categories"]:
            return False
        if rule.get("client_units") and entry.client_unit not in rule["client_units"]:
            return False
        if rule.get("simulated_only") and not entry.simulated:
            return False
        if (
            rule.get("supervision_kinds")
            and entry.supervision_kind not in rule["supervision_kinds"]
        ):
            return False
        if rule.get("after_degree") and not self.after_degree(entry.date):
            return False
        return not (rule.get("before_degree") and self.after_degree(entry.date))

    def exclude(self, taken: Iterable[tuple[_Item, int]], reason: str) -> None:
        """One exclusion per category for minutes taken off these items."""
        by_category: dict[str, list[tuple[_Item, int]]] = defaultdict(list)
        for item, minutes in taken:
            if minutes > 0:
                by_category[item.category].append((item, minutes))
        for category in _ALL_CATEGORIES:
            pairs = by_category.get(category)
            if pairs:
                self.exclusions.append(
                    Exclusion(
                        start=min(item.day for item, _ in pairs),
                        end=max(item.day for item, _ in pairs),
                        category=category,
                        minutes=sum(minutes for _, minutes in pairs),
                        reason=reason,
                    )
                )

    def alert(self, index: int, text: str) -> None:
        self.alerts.append((index, Alert(text)))

    def require(
        self,
        index: int,
        rule: Mapping[str, Any],
        unit: str,
        required: float,
        have: float,
        met: bool,
        note: str = "",
    ) -> None:
        self.requirements.append(
            (
                index,
                Requirement(
                    key=rule["key"],
                    label=_label(rule),
                    unit=unit,
                    required=required,
                    have=have,
                    met=met,
                    note=_note(rule, note),
                ),
            )
        )

    def require_hours(
        self, index: int, rule: Mapping[str, Any], minutes: int, note: str = ""
    ) -> None:
        needed = _minutes(rule["hours"])
        self.require(
            index, rule, "hours", rule["hours"], round(minutes / 60, 2), minutes >= needed, note
        )

    def units_by_week(self) -> tuple[dict[datetime.date, int], dict[datetime.date, int]]:
        """Supervision units in each week, and the week's counted supervision minutes."""
        rule = self.units_rule
        assert rule is not None  # parse_rule_set asks for one where a rule counts units
        individual: dict[datetime.date, int] = defaultdict(int)
        group: dict[datetime.date, int] = defaultdict(int)
        supervision: dict[datetime.date, int] = defaultdict(int)
        for item in self.counting(Category.SUPERVISION):
            week = week_start(item.day)
            supervision[week] += item.counted
            kind = item.entry.supervision_kind
            if kind in (SupervisionKind.INDIVIDUAL, SupervisionKind.TRIADIC):
                individual[week] += item.counted
            elif (
                kind == SupervisionKind.GROUP
                and 0 < item.entry.group_size <= rule["max_group_size"]
            ):
                group[week] += item.counted
        units = {
            week: individual[week] // _minutes(rule["individual_hours"])
            + group[week] // _minutes(rule["group_hours"])
            for week in supervision
        }
        return units, supervision

    def result(self) -> Evaluation:
        return Evaluation(
            recorded=self.recorded,
            counted=self.totals(lambda item: item.counted),
            exclusions=tuple(self.exclusions),
            requirements=tuple(r for _, r in sorted(self.requirements, key=lambda pair: pair[0])),
            alerts=tuple(a for _, a in sorted(self.alerts, key=lambda pair: pair[0])),
        )


def _take_latest(items: Iterable[_Item], minutes: int) -> list[tuple[_Item, int]]:
    """Take minutes off the latest items first; returns what was taken from each."""
    taken = []
    for item in sorted(items, key=_order, reverse=True):
        if minutes <= 0:
            break
        amount = min(item.counted, minutes)
        if amount > 0:
            item.counted -= amount
            minutes -= amount
            taken.append((item, amount))
    return taken


def _take_all(items: Iterable[_Item]) -> list[tuple[_Item, int]]:
    taken = []
    for item in items:
        taken.append((item, item.counted))
        item.counted = 0
    return taken


# ---- stage 1: what can count at all


def _apply_expiry(run: _Run, index: int, rule: dict[str, Any]) -> None:
    years = rule["years"]
    today = run.context.today
    cutoff = _years_before(today, years)
    run.exclude(
        _take_all(item for item in run.counting() if item.day < cutoff),
        _sentence(f"Hours older than {years} years no longer count", rule),
    )
    soon = _years_before(today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS), years)
    expiring = sum(item.counted for item in run.counting() if item.day < soon)
    if expiring:
        run.alert(
            index,
            _sentence(
                f"{_hours(expiring)} recorded before {day_month_year(soon)} will be older than {years} "
                f"years within the next {EXPIRY_NOTICE_DAYS} days; hours older than {years} "
                "years no longer count",
                rule,
            ),
        )


def _apply_after_degree_only(run: _Run, index: int, rule: dict[str, Any]) -> None:
    degree_on = run.context.degree_on
    if degree_on is None:
        reason = (
            "Only hours after the degree count under these rules, and no degree date is "
            "recorded yet"
        )
    else:
        reason = (
            f"Hours before the degree ({day_month_year(degree_on)}) do not count under these rules"
        )
    run.exclude(
        _take_all(item for item in run.counting() if not run.after_degree(item.day)),
        _sentence(reason, rule),
    )


# ---- stage 2: group supervision credit


def _apply_group_credit(run: _Run, index: int, rule: dict[str, Any]) -> None:
    small = rule["small_group_size"]
    small_factor = Fraction(str(rule["small_group_factor"]))
    for item in run.counting(Category.SUPERVISION):
        if item.entry.supervision_kind != SupervisionKind.GROUP:
            continue
        size = item.entry.group_size
        if size <= 0:
            run.exclude(
                _take_all([item]),
                _sentence(
                    f"Group supervision on {day_month_year(item.day)} has no group size recorded, so it "
                    "is not credited until its size is recorded",
                    rule,
                ),
            )
            continue
        factor = small_factor if size <= small else Fraction(1, size)
        credited = math.floor(item.counted * factor)
        before = item.counted
        share = "half" if factor == Fraction(1, 2) else f"{factor.numerator}/{factor.denominator}"
        reason = (
            f"Group supervision on {day_month_year(item.day)} with {size} people is credited at {share}: "
            f"{_hours(credited)} of {_hours(before)} counted"
        )
        run.exclude(_take_latest([item], before - credited), _sentence(reason, rule))


# ---- stage 3: supervision units in each week


def _direct_by_week(run: _Run, rule: Mapping[str, Any]) -> dict[datetime.date, list[_Item]]:
    weeks: dict[datetime.date, list[_Item]] = defaultdict(list)
    for item in run.counting(Category.DIRECT):
        if run.matches(rule, item):
            weeks[week_start(item.day)].append(item)
    return weeks


def _no_units(units: int, supervision_minutes: int) -> str:
    if units:
        return _units(units)
    return "no supervision unit" if supervision_minutes else "no supervision"


def _apply_weekly_unit_ratio(run: _Run, index: int, rule: dict[str, Any]) -> None:
    per_unit = _minutes(rule["direct_hours_per_unit"])
    units, supervision = run.units_by_week()
    this_week = week_start(run.context.today)
    for week, items in sorted(_direct_by_week(run, rule).items()):
        direct = sum(item.counted for item in items)
        have = units.get(week, 0)
        covered = have * per_unit
        described = _no_units(have, supervision.get(week, 0))
        if direct > covered:
            excess = direct - covered
            missing = math.ceil(direct / per_unit) - have
            run.exclude(
                _take_latest(items, excess),
                _sentence(
                    f"{_period_label(week, 'week')}: {_hours(direct)} direct contact and "
                    f"{described}: {_hours(excess)} not counted until "
                    f"{_until_units(missing, have)}",
                    rule,
                ),
            )
        if week == this_week and direct > covered - 60:
            run.alert(
                index,
                _sentence(
                    f"This week has {_hours(direct)} of direct contact and {described} so far; "
                    f"your rules count {_hours(per_unit)} of direct contact in a week for each "
                    "supervision unit",
                    rule,
                ),
            )


def _apply_weekly_extra_unit(run: _Run, index: int, rule: dict[str, Any]) -> None:
    above = _minutes(rule["above_direct_hours"])
    needed = rule["units"]
    units, supervision = run.units_by_week()
    this_week = week_start(run.context.today)
    for week, items in sorted(_direct_by_week(run, rule).items()):
        direct = sum(item.counted for item in items)
        have = units.get(week, 0)
        if have >= needed:
            continue
        described = _no_units(have, supervision.get(week, 0))
        if direct > above:
            excess = direct - above
            run.exclude(
                _take_latest(items, excess),
                _sentence(
                    f"{_period_label(week, 'week')}: {_hours(direct)} direct contact and "
                    f"{described}: {_hours(excess)} not counted until "
                    f"{_until_units(needed - have, have)}",
                    rule,
                ),
            )
        if week == this_week and direct > above - 120:
            run.alert(
                index,
                _sentence(
                    f"This week has {_hours(direct)} of direct contact and {described} so far; "
                    f"in a week with more than {_hours(above)} of direct contact your rules ask "
                    f"for {_units(needed)}",
                    rule,
                ),
            )


# ---- stage 4: the rolling window


def _apply_rolling_window(run: _Run, index: int, rule: dict[str, Any]) -> None:
    cap = _minutes(rule["hours"])
    days = rule["days"]
    counted_on: dict[datetime.date, int] = defaultdict(int)
    taken_by_week: dict[datetime.date, list[tuple[_Item, int]]] = defaultdict(list)
    for item in run.counting():
        if item.category not in rule["categories"]:
            continue
        window = sum(
            counted_on.get(item.day - datetime.timedelta(days=back), 0) for back in range(days)
        )
        room = max(0, cap - window)
        if item.counted > room:
            taken_by_week[week_start(item.day)].append((item, item.counted - room))
            item.counted = room
        counted_on[item.day] += item.counted
    reason = _sentence(f"Hours above {_number(rule['hours'])} in {days} days are not counted", rule)
    for week in sorted(taken_by_week):
        run.exclude(taken_by_week[week], reason)
    today = run.context.today
    recent = sum(counted_on.get(today - datetime.timedelta(days=back), 0) for back in range(days))
    if cap and recent >= cap * NEAR:
        run.alert(
            index,
            _sentence(
                f"You have {_hours(recent)} in the last {days} days; hours above "
                f"{_number(rule['hours'])} in any {days} days are not counted",
                rule,
            ),
        )


# ---- stage 5 and 6: caps


def _is_group(item: _Item, individual_up_to: int) -> bool:
    entry = item.entry
    if entry.supervision_kind != SupervisionKind.GROUP:
        return False
    return not 0 < entry.group_size <= individual_up_to


def _apply_group_share(run: _Run, index: int, rule: dict[str, Any]) -> None:
    share = Fraction(str(rule["share"]))
    supervision = run.counting(Category.SUPERVISION)
    group = [item for item in supervision if _is_group(item, rule["individual_up_to"])]
    group_minutes = sum(item.counted for item in group)
    other_minutes = sum(item.counted for item in supervision) - group_minutes
    # group <= share x (other + group)  <=>  group <= other x share / (1 - share)
    allowed = group_minutes if share == 1 else math.floor(other_minutes * share / (1 - share))
    percent = _number(float(share * 100))
    if group_minutes > allowed:
        run.exclude(
            _take_latest(group, group_minutes - allowed),
            _sentence(
                f"Group supervision above {percent}% of counted supervision is not counted "
                "until more individual supervision is logged",
                rule,
            ),
        )
    elif group_minutes and group_minutes >= allowed * NEAR:  # above it, the exclusion says so
        run.alert(
            index,
            _sentence(
                f"Group supervision is {_hours(group_minutes)} of your "
                f"{_hours(other_minutes + group_minutes)} of counted supervision; at most "
                f"{percent}% of supervision counts as group",
                rule,
            ),
        )


def _apply_maximum_category(run: _Run, index: int, rule: dict[str, Any]) -> None:
    cap = _minutes(rule["hours"])
    chosen = [item for item in run.counting() if run.matches(rule, item)]
    have = sum(item.counted for item in chosen)
    cap_text = _hours(cap)
    if have > cap:
        run.exclude(
            _take_latest(chosen, have - cap),
            _sentence(f"{rule['label']}: hours above {cap_text} are not counted", rule),
        )
    elif cap and have >= cap * NEAR:
        run.alert(
            index,
            _sentence(
                f"{rule['label']}: {_hours(have)} so far; hours above {cap_text} are not counted",
                rule,
            ),
        )


# ---- requirements


def _degree_note(run: _Run, rule: Mapping[str, Any]) -> str:
    if rule.get("after_degree") and run.context.degree_on is None:
        return "No degree date is recorded yet, so no hours are counted as after the degree."
    return ""


def _report_minimum_total(run: _Run, index: int, rule: dict[str, Any]) -> None:
    minutes = sum(
        item.counted
        for item in run.counting()
        if not rule["after_degree"] or run.after_degree(item.day)
    )
    run.require_hours(index, rule, minutes, _degree_note(run, rule))


def _report_minimum_category(run: _Run, index: int, rule: dict[str, Any]) -> None:
    minutes = sum(item.counted for item in run.counting() if run.matches(rule, item))
    run.require_hours(index, rule, minutes, _degree_note(run, rule))


def _report_period_minimum(run: _Run, index: int, rule: dict[str, Any]) -> None:
    period = rule["period"]
    needed = _minutes(rule["hours"])
    two_periods = rule["two_period_hours"]
    supervision: dict[datetime.date, int] = defaultdict(int)
    direct: dict[datetime.date, int] = defaultdict(int)
    for item in run.counting():
        start = _period_start(item.day, period)
        if item.category == Category.DIRECT:
            direct[start] += item.counted
        elif item.category == Category.SUPERVISION and run.matches(rule, item):
            supervision[start] += item.counted

    def meets(start: datetime.date) -> bool:
        if supervision[start] >= needed:
            return True
        if two_periods is None:
            return False
        together = supervision[start] + supervision[_previous_period(start, period)]
        return together >= _minutes(two_periods)

    def asked(start: datetime.date) -> bool:
        return rule["periods"] == "all" or direct[start] > 0

    current = _period_start(run.context.today, period)
    closed: list[datetime.date] = []
    if run.start is not None:
        start = _period_start(run.start, period)
        while start < current:
            if asked(start):
                closed.append(start)
            start = _next_period(start, period)
    short = [start for start in closed if not meets(start)]
    noun = period  # "week" or "month"
    each = f"{_hours(needed)} in every {noun}"
    if two_periods is not None:
        each += f" (or {_hours(_minutes(two_periods))} across two {noun}s)"
    note = ""
    if short:
        listed = ", ".join(
            f"{_period_label(start, period, in_sentence=True)} ({_hours(supervision[start])})"
            for start in short[:6]
        )
        more = f" and {len(short) - 6} more" if len(short) > 6 else ""
        note = f"{noun.capitalize()}s with less than {_hours(needed)}: {listed}{more}."
    run.require(index, rule, f"{noun}s", len(closed), len(closed) - len(short), not short, note)
    started = run.start is not None and run.start <= run.context.today
    if started and asked(current) and not meets(current):
        run.alert(
            index,
            _sentence(
                f"This {noun} has {_hours(supervision[current])} of supervision so far; your "
                f"rules ask for {each}",
                rule,
            ),
        )


def _report_weeks_with_individual(run: _Run, index: int, rule: dict[str, Any]) -> None:
    by_week: dict[datetime.date, int] = defaultdict(int)
    for item in run.counting(Category.SUPERVISION):
        if run.matches(rule, item):
            by_week[week_start(item.day)] += item.counted
    needed = _minutes(rule["hours"])
    have = sum(1 for minutes in by_week.values() if minutes >= needed)
    run.require(index, rule, "weeks", rule["weeks"], have, have >= rule["weeks"])


def _report_elapsed(run: _Run, index: int, rule: dict[str, Any]) -> None:
    unit = "weeks" if rule["weeks"] is not None else "months"
    required = rule[unit]
    start = run.start
    if start is None:
        run.require(index, rule, unit, required, 0, required == 0, "Nothing is recorded yet.")
        return
    today = run.context.today
    have = (today - start).days // 7 if unit == "weeks" else _whole_months(start, today)
    have = max(0, have)  # a start date after today
    origin = "the start date you recorded" if run.context.started_on else "your first entry"
    run.require(
        index,
        rule,
        unit,
        required,
        have,
        have >= required,
        f"Counted from {day_month_year(start)}, {origin}.",
    )


def _report_principal(run: _Run, index: int, rule: dict[str, Any]) -> None:
    principal = run.context.principal_supervisor_id
    minutes = sum(
        item.counted
        for item in run.counting(Category.SUPERVISION)
        if item.entry.supervision_kind == SupervisionKind.INDIVIDUAL
        and (principal is None or item.entry.supervisor_id == principal)
    )
    note = (
        "No principal supervisor is recorded, so all one-to-one supervision is counted here."
        if principal is None
        else ""
    )
    run.require_hours(index, rule, minutes, note)


def _report_supervision_ratio(run: _Run, index: int, rule: dict[str, Any]) -> None:
    ratio = Fraction(str(rule["practice_hours_per_supervision_hour"]))
    practice = sum(
        item.counted for item in run.counting() if item.category in rule["practice_categories"]
    )
    supervision = sum(item.counted for item in run.counting(Category.SUPERVISION))
    required = round(float(practice / ratio / 60), 2)
    met = supervision * ratio >= practice
    run.require(index, rule, "hours", required, round(supervision / 60, 2), met)
    if practice and supervision * ratio < practice + ratio * 60:
        run.alert(
            index,
            _sentence(
                f"You have {_hours(practice)} of practice and {_hours(supervision)} of "
                f"supervision; your rules ask for at least 1 h of supervision for every "
                f"{_number(float(ratio))} h of practice",
                rule,
            ),
        )


def _report_observed(run: _Run, index: int, rule: dict[str, Any]) -> None:
    months = rule["months"]
    today = run.context.today
    observed = [
        item.day
        for item in run.items
        if item.category == Category.SUPERVISION and item.entry.observed_session
    ]
    stretches = closed = 0
    if run.start is not None:
        start = run.start
        while start <= today:
            end = _add_months(start, months)  # exclusive
            seen = any(start <= day < end for day in observed)
            if end <= today:
                stretches += 1
                closed += seen
            elif not seen and (end - today).days <= OBSERVED_NOTICE_DAYS:
                last_day = end - datetime.timedelta(days=1)
                run.alert(
                    index,
                    _sentence(
                        f"No observed session yet in the {months} months from {day_month_year(start)}; "
                        f"your rules ask for one in every {months} months (this stretch ends "
                        f"on {day_month_year(last_day)})",
                        rule,
                    ),
                )
            start = end
    run.require(index, rule, "units", stretches, closed, closed >= stretches)


_Action = Callable[[_Run, int, dict[str, Any]], None]
# The stages that decide what counts, in order (see the module docstring).
_STAGES: tuple[dict[str, _Action], ...] = (
    {"expiry": _apply_expiry, "after_degree_only": _apply_after_degree_only},
    {"group_credit": _apply_group_credit},
    {"weekly_unit_ratio": _apply_weekly_unit_ratio, "weekly_extra_unit": _apply_weekly_extra_unit},
    {"rolling_window_maximum": _apply_rolling_window},
    {"group_share_maximum": _apply_group_share},
    {"maximum_category": _apply_maximum_category},
)
_REPORTS: dict[str, _Action] = {
    "minimum_total": _report_minimum_total,
    "minimum_category": _report_minimum_category,
    "period_supervision_minimum": _report_period_minimum,
    "weeks_with_individual_supervision": _report_weeks_with_individual,
    "elapsed_minimum": _report_elapsed,
    "principal_one_to_one_minimum": _report_principal,
    "supervision_ratio": _report_supervision_ratio,
    "observed_session_interval": _report_observed,
}
_DEFINITIONS = {"supervision_units"}
assert set(KINDS) == {*_DEFINITIONS, *_REPORTS, *(kind for stage in _STAGES for kind in stage)}


def evaluate(
    rule_set: Mapping[str, Any], entries: Sequence[LedgerEntry], context: LedgerContext
) -> Evaluation:
    """What her entries up to context.today come to under this rule set. Entries dated after
    today are left out; the rule set is checked first (RuleSetError if it cannot be used)."""
    parsed = parse_rule_set(rule_set)
    run = _Run(parsed, entries, context)
    for stage in _STAGES:
        for index, rule in enumerate(run.rules):
            action = stage.get(rule["kind"])
            if action is not None:
                action(run, index, rule)
    for index, rule in enumerate(run.rules):
        report = _REPORTS.get(rule["kind"])
        if report is not None:
            report(run, index, rule)
    return run.result()
