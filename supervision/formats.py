"""Dates as the pages print them, without the template filter.

`{{ day|date:"j M Y" }}` costs about 120 k instructions a call (the filter looks up the
format, builds a formatter and walks the format string); a list prints a date on every row.
These give the same text for the English-only app (`USE_I18N = False`); a test compares
them with Django's own formatting on every month.
"""

import datetime
from typing import Any, NoReturn

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_month_year(day: datetime.date) -> str:
    """As `date:"j M Y"`: 2 Mar 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# The formats the pages print, each as the `date` filter writes it (a day, or a time already
# in the local time zone). Any other format goes to Django's formatting.
_SHAPES = {
    "j M": lambda d: f"{d.day} {MONTHS[d.month - 1]}",
    "j M Y": day_month_year,
    "j F Y": lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
    "j M Y H:i": lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year} {d.hour:02}:{d.minute:02}",
    "j F Y, H:i": lambda d: (
        f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}, {d.hour:02}:{d.minute:02}"
    ),
}


def shaped(value: datetime.date, format_string: str) -> str | None:
    """`value` as Django's `date_format(value, format_string)` writes it, for the formats in
    _SHAPES (a time-of-day format needs a datetime, as Django's does); None for any other."""
    shape = _SHAPES.get(format_string)
    if shape is None or ("H" in format_string and not isinstance(value, datetime.datetime)):
        return None
    return shape(value)


def date_written(value: Any, format_string: str) -> str:
    """As Django's `date` filter writes it: a moment in the current time zone, formatted
    (through _SHAPES where the format is one of them); "" for none. Jinja2's `date` filter,
    and labels of partials both engines draw, where a filter argument cannot go."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and is_aware(value):
        value = localtime(value)
    written = shaped(value, format_string)
    return written if written is not None else date_format(value, format_string)


def _unchanged(self, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError("A Row is not changed after it is made: make a new one.")


class Row(dict):
    """A row of plain data that both template engines read without an exception.

    Django's templates look a name up as a key first, Jinja2's as an attribute first
    (config.jinja2); a miss raises an exception inside the engine, which costs more than the
    lookup (a list page reads a few hundred values). So each key is an attribute too: a copy
    of the keys made once, in the instance's own `__dict__`, which Python reads in C. (A
    `__getattr__` answering from the keys ran Python code on every value a page drew: 0.7 M
    of her list's 13.9 M instructions, with the layout's links.) Since there are two copies,
    a Row is not changed after it is made: every method that would change it refuses. A key
    may not be the name of a dict method (`items`, `get`...): as an attribute it would hide
    the method from the code that calls it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not _DICT_NAMES.isdisjoint(self):
            raise ValueError(
                f"A Row's keys may not be dict methods: {sorted(_DICT_NAMES & set(self))}"
            )
        self.__dict__.update(self)

    def __reduce__(self):
        # Copied and pickled (a cache) as a new Row from its keys, not key by key.
        return (Row, (dict(self),))

    __setitem__ = __delitem__ = __ior__ = _unchanged  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _unchanged  # type: ignore[assignment]


_DICT_NAMES = frozenset(dir(dict))
