"""What the hours tests share: logs that count as hours, a licensed supervisor, dates."""

import datetime

import pytest
from django.utils import timezone

from cases.models import LogStatus
from tests.factories import HoursProfileFactory, SessionLogFactory, month_start


def hours_log(person, day: datetime.date, minutes: int = 50, **fields):
    """A submitted session log: direct contact in her ledger."""
    fields.setdefault("status", LogStatus.SUBMITTED)
    if fields["status"] != LogStatus.DRAFT:
        fields.setdefault("submitted_at", timezone.now())
    return SessionLogFactory(author=person, session_date=day, duration_minutes=minutes, **fields)


def at_noon(day: datetime.date) -> datetime.datetime:
    """A group meeting at midday, local time, on `day`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@pytest.fixture
def licensed(supervisor):
    """Sam's supervisor, with the licence a signature records."""
    HoursProfileFactory(
        person=supervisor, licence_number="LMHC 004711", licence_jurisdiction="New York"
    )
    return supervisor


@pytest.fixture
def last_month():
    return month_start(1)


@pytest.fixture
def earlier_month():
    return month_start(2)
