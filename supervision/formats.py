"""Dates as the pages print them, without the template filter.

`{{ day|date:"j M Y" }}` costs about 120 k instructions a call (the filter looks up the
format, builds a formatter and walks the format string); a list prints a date on every row.
These give the same text for the English-only app (`USE_I18N = False`); a test compares
them with Django's own formatting on every month.
"""

import datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_month_year(day: datetime.date) -> str:
    """As `date:"j M Y"`: 2 Mar 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
