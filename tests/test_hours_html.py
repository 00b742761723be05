"""The hours pages draw the same HTML after they are rebuilt for speed (Jinja2, plain rows).

As tests/test_page_html.py and tests/test_dashboard_html.py: each page is drawn through the
test client on a fixed dataset and compared with the drawing kept in `tests/html/`, taken
with the Django templates before the pages changed. Which periods are over, and the
signatures' dates, follow "now", so it is frozen at FIXED (a Tuesday in June 2026) and every
date here is fixed. What still differs from run to run is replaced before comparing: object
ids (by the name of the object), the periods' SHA-256 (which cover ids: by their order on
the page), CSRF tokens and the seconds left in the session.

To take the drawings again:

    UPDATE_HTML_SNAPSHOTS=1 pytest tests/test_hours_html.py

All names and hours here are synthetic.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupMeeting, GroupMembership
from hours.models import EntryKind, PeriodSignature
from supervision.models import MeetingKind, MeetingMode, SupervisionRelationship
from tests.factories import (
    HourEntryFactory,
    HoursProfileFactory,
    RelationshipFactory,
    SupervisionMeetingFactory,
    UserFactory,
    period_signature,
)
from tests.hours.conftest import at_noon, hours_log
from tests.test_page_html import KEPT, UPDATE, _spaced

D = datetime.date
# 10:00 in London (BST) on Tuesday 16 June 2026.
FIXED = datetime.datetime(2026, 6, 16, 9, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 6, 16)
LONG_AGO = D(2025, 9, 1)  # when the supervisions and the group began


def signed_at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(17, 30), tzinfo=datetime.UTC)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: FIXED)
    assert timezone.localdate() == TODAY


class Dataset:
    """Sam signs by weeks (California LMFT); before she chose those rules her supervisor
    signed months, one of which stands. Tess has chosen no rules (months). Dr Sol Supervisor
    supervises both and has a licence; Dr Oren Other facilitates Sam's group and has none."""

    def __init__(self, sam, sol, oren, group, rule_sets):
        self.sam, self.sol, self.oren, self.group = sam, sol, oren, group
        self.tess = UserFactory(display_name="Tess Trainee", email="tess@example.org")
        self.names: dict[str, dict[int, str]] = {"person": {}, "entry": {}, "log": {}, "sig": {}}
        for person, name in ((sam, "sam"), (sol, "sol"), (oren, "oren"), (self.tess, "tess")):
            self.names["person"][person.pk] = name
        SupervisionRelationship.objects.filter(supervisor=sol).update(starts_on=LONG_AGO)
        RelationshipFactory(supervisor=sol, supervisee=self.tess, starts_on=LONG_AGO)
        GroupMembership.objects.filter(group=group, member=sam).update(joined_on=LONG_AGO)
        HoursProfileFactory(
            person=sol, licence_number="LMFT 120034", licence_jurisdiction="California"
        )
        HoursProfileFactory(
            person=sam,
            rule_set=rule_sets["ca-lmft"],
            degree_on=D(2025, 12, 10),
            started_on=D(2025, 12, 15),
            principal_supervisor=sol,
        )
        self.sam_hours()
        self.tess_hours()
        self.signatures()

    def log(self, person, name, day, minutes=50, **fields):
        log = hours_log(person, day, minutes, **fields)
        self.names["log"][log.pk] = f"{name}-{day:%Y%m%d}"
        return log

    def entry(self, person, name, day, **fields):
        entry = HourEntryFactory(person=person, date=day, **fields)
        self.names["entry"][entry.pk] = f"{name}-{day:%Y%m%d}-{fields.get('kind', 'indirect')}"
        return entry

    def sam_hours(self):
        """Two sessions a week from October to today (ten weeks before her degree, some by video,
        some simulated, some with couples), supervision every other week (one of them
        triadic, with Tess), a group meeting a month (one with her apologies), and her own
        entries of indirect work, training and supervision recorded nowhere else."""
        sam = self.sam
        monday = D(2025, 10, 6)
        week = 0
        while monday <= TODAY:
            self.log(sam, "sam", monday, 50, modality="video" if week % 3 == 0 else "in_person")
            thursday = monday + datetime.timedelta(days=3)
            if thursday <= TODAY:
                self.log(
                    sam,
                    "sam",
                    thursday,
                    50 + 10 * (week % 2),
                    client_unit="couple" if week % 4 == 1 else "individual",
                    simulated=week % 5 == 2,
                )
            if week % 2 == 0:
                wednesday = monday + datetime.timedelta(days=2)
                if wednesday <= TODAY:
                    triadic = week % 8 == 4
                    SupervisionMeetingFactory(
                        supervisor=self.sol,
                        supervisees=[sam, self.tess] if triadic else [sam],
                        held_on=wednesday,
                        kind=MeetingKind.TRIADIC if triadic else MeetingKind.INDIVIDUAL,
                        mode=MeetingMode.VIDEO if week % 4 == 2 else MeetingMode.IN_PERSON,
                        duration_minutes=60,
                    )
            if week % 3 == 1:
                self.entry(sam, "sam", monday + datetime.timedelta(days=4), minutes=90)
            monday += datetime.timedelta(days=7)
            week += 1
        self.entry(sam, "sam", D(2026, 2, 7), kind=EntryKind.TRAINING, minutes=360)
        self.entry(
            sam,
            "sam",
            D(2026, 4, 18),
            kind=EntryKind.SUPERVISION,
            minutes=60,
            supervision_format="individual",
            mode="in_person",
        )
        for month in (1, 2, 3, 4, 5, 6):
            meeting = GroupMeeting.objects.create(
                group=self.group, starts_at=at_noon(D(2026, month, 9))
            )
            if month == 3:
                meeting.absent.add(sam)
        # Not held yet: not in anyone's hours.
        GroupMeeting.objects.create(group=self.group, starts_at=at_noon(D(2026, 6, 23)))

    def tess_hours(self):
        """A session a fortnight since February; her months are not signed."""
        day = D(2026, 2, 3)
        while day <= TODAY:
            self.log(self.tess, "tess", day, 50)
            day += datetime.timedelta(days=14)
        self.entry(self.tess, "tess", D(2026, 3, 20), minutes=45)

    def signatures(self):
        """December 2025 signed as a month (her rules then); her weeks from 15 December to
        2 February signed; the week of 9 February signed, changed, and signed again (the
        first signature replaced); the week of 16 February signed and changed since."""
        sam, sol = self.sam, self.sol

        def sign(start, period="week", **fields):
            row = period_signature(
                supervisee=sam,
                supervisor=sol,
                starts_on=start,
                period=period,
                licence_number="LMFT 120034",
                licence_jurisdiction="California",
                signed_at=signed_at(start + datetime.timedelta(days=9)),
                **fields,
            )
            self.names["sig"][row.pk] = f"{period}-{start:%Y%m%d}-{row.signed_at:%d}"
            return row

        sign(D(2025, 12, 1), "month")
        start = D(2025, 12, 15)
        while start <= D(2026, 2, 2):
            sign(start)
            start += datetime.timedelta(days=7)
        first = sign(D(2026, 2, 9))
        self.entry(sam, "sam", D(2026, 2, 12), minutes=30)
        PeriodSignature.objects.filter(pk=first.pk).update(superseded_at=signed_at(D(2026, 2, 20)))
        again = period_signature(
            supervisee=sam,
            supervisor=sol,
            starts_on=D(2026, 2, 9),
            period="week",
            licence_number="LMFT 120034",
            licence_jurisdiction="California",
            signed_at=signed_at(D(2026, 2, 21)),
        )
        self.names["sig"][again.pk] = "week-20260209-again"
        sign(D(2026, 2, 16))
        self.entry(sam, "sam", D(2026, 2, 18), minutes=45)


@pytest.fixture
def dataset(frozen, supervisee, supervisor, other_supervisor, group, rule_sets):
    return Dataset(supervisee, supervisor, other_supervisor, group, rule_sets)


def _named(kind: str, dataset: Dataset):
    def name(match: re.Match) -> str:
        pk = int(match.group(2))
        assert pk in dataset.names[kind], f"a {kind} the dataset did not make: {pk}"
        return match.group(1) + dataset.names[kind][pk]

    return name


def normalised(html: str, dataset: Dataset) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'data-session-remaining="\d+"', 'data-session-remaining="N"', html)
    html = re.sub(r"(/logs/)(\d+)(?=/)", _named("log", dataset), html)
    html = re.sub(r"(/hours/entries/)(\d+)(?=/)", _named("entry", dataset), html)
    html = re.sub(r"(/verification/)(\d+)(?=\.pdf)", _named("sig", dataset), html)
    # A period's SHA-256 covers ids too: each one by the order it first comes in on the page.
    digests: dict[str, int] = {}
    html = re.sub(
        r"\b[0-9a-f]{64}\b",
        lambda m: f"sha256-{digests.setdefault(m.group(0), len(digests) + 1)}",
        html,
    )
    return re.sub(r"(/supervisees/|/to-sign/)(\d+)(?=/)", _named("person", dataset), html)


def _to_sign_of(person: str, page: int | None = None):
    def path(d: Dataset) -> str:
        url = reverse("hours:sign_periods", args=[getattr(d, person).pk])
        return url + (f"?page={page}" if page else "")

    return path


def _her_period(period: str, start: datetime.date):
    return lambda d: reverse("hours:my_period", args=[period, start])


def _supervisee_period(period: str, start: datetime.date):
    return lambda d: reverse("hours:supervisee_period", args=[d.sam.pk, period, start])


PAGES = {
    # name: (who, how to find the path)
    "hours_hers_weeks": ("sam", lambda d: reverse("hours:overview")),
    "hours_hers_no_rules": ("tess", lambda d: reverse("hours:overview")),
    "hours_to_sign": ("sol", lambda d: reverse("hours:to_sign")),
    "hours_to_sign_nothing_no_licence": ("oren", lambda d: reverse("hours:to_sign")),
    "hours_sign_periods": ("sol", _to_sign_of("sam")),
    "hours_sign_periods_page_2": ("sol", _to_sign_of("sam", 2)),
    "hours_sign_periods_months": ("sol", _to_sign_of("tess")),
    "hours_period_signed_again": ("sam", _her_period("week", D(2026, 2, 9))),
    "hours_period_changed": ("sam", _her_period("week", D(2026, 2, 16))),
    "hours_period_still_going": ("sam", _her_period("week", D(2026, 6, 15))),
    "hours_period_earlier_month": ("sam", _her_period("month", D(2025, 12, 1))),
    "hours_period_to_sign": ("sol", _supervisee_period("week", D(2026, 3, 2))),
    "hours_period_signed_supervisor": ("sol", _supervisee_period("week", D(2026, 2, 9))),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hours_page_draws_as_before(name, dataset, client):
    who, path_of = PAGES[name]
    client.force_login(getattr(dataset, who))
    response = client.get(path_of(dataset))
    assert response.status_code == 200
    html = normalised(response.content.decode(), dataset)
    kept = KEPT / f"{name}.html"
    if UPDATE or not kept.exists():
        KEPT.mkdir(exist_ok=True)
        kept.write_text(html)
        if not UPDATE:
            pytest.fail(f"No drawing kept for {name}: one was taken; run the test again.")
    assert _spaced(html) == _spaced(kept.read_text()), (
        f"{name} draws differently from tests/html/{name}.html"
    )
