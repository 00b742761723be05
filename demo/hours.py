"""Synthetic hours for the demo: each supervisee works toward a different rule set, with
months of hours, most periods signed, the last one waiting for a signature, and one period
left unsigned when a supervisor left (Eli's, after Dr Moreau stopped supervising him).

Licence numbers are visibly invented (DEMO-…). Signatures go through the same service a
supervisor's click does; only their dates are set back afterwards, to when a supervisor
would have signed.
"""

import datetime
import io
import random

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hours import services
from hours.models import (
    EntryKind,
    HourEntry,
    HoursProfile,
    PeriodSignature,
    RuleSet,
    SupervisionFormat,
)
from hours.selectors import hours_overview
from supervision.models import (
    MeetingKind,
    MeetingMode,
    SupervisionRelationship,
    User,
)
from supervision.services import supervision_meeting_record

# Each supervisee on a different board's rules.
RULE_SETS = {
    "clara": "ca-lmft",
    "dev": "tx-lpc-associate",
    "eli": "uk-bacp-accreditation",
    "fern": "au-psyba-5plus1",
}
LICENCES = {
    "moreau": ("DEMO-LMFT-4417", "California Board of Behavioral Sciences (demo)"),
    "okafor": ("DEMO-PSY-2290", "Psychology Board of Australia (demo)"),
}
# Dr Moreau co-supervised Eli at first and stopped; the month she left stays unsigned.
FORMER = ("moreau", "eli")
HISTORY_DAYS = 200


@transaction.atomic
def demo_hours_seed(*, people: dict[str, User], today: datetime.date | None = None) -> None:
    if HoursProfile.objects.filter(person__in=people.values()).exists():
        return
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=HISTORY_DAYS)
    call_command("load_rule_sets", stdout=io.StringIO())
    rng = random.Random(16)
    for key, (number, jurisdiction) in LICENCES.items():
        HoursProfile.objects.create(
            person=people[key], licence_number=number, licence_jurisdiction=jurisdiction
        )
    left_on = _former_supervision(people, start, today)
    for key, rule_key in RULE_SETS.items():
        HoursProfile.objects.create(
            person=people[key],
            rule_set=RuleSet.objects.get(key=rule_key),
            degree_on=start - datetime.timedelta(days=120),
            started_on=start,
        )
        _entries(rng, people[key], start, today, peer_group=key == "dev")
    _earlier_supervision(rng, start, today)
    for key in RULE_SETS:
        _sign(people, key, today, left_on)


def _former_supervision(
    people: dict[str, User], start: datetime.date, today: datetime.date
) -> datetime.date:
    supervisor, supervisee = (people[k] for k in FORMER)
    left_on = today - datetime.timedelta(days=120)
    relationship, _ = SupervisionRelationship.objects.get_or_create(
        supervisor=supervisor, supervisee=supervisee, starts_on=start, defaults={"ends_on": left_on}
    )
    held_on = start + datetime.timedelta(days=5)
    while held_on <= left_on:
        supervision_meeting_record(
            supervisor=supervisor,
            supervisees=[supervisee],
            held_on=held_on,
            duration_minutes=60,
            kind=MeetingKind.INDIVIDUAL,
            mode=MeetingMode.VIDEO,
            url=reverse("hours:overview"),
        )
        held_on += datetime.timedelta(days=14)
    return relationship.ends_on or left_on


def _earlier_supervision(rng: random.Random, start: datetime.date, today: datetime.date) -> None:
    """`demo_supervision_seed` records the last three months of supervision; the hours need
    the months before too, so each current relationship gets its fortnightly hour there."""
    first_recorded = today - datetime.timedelta(days=10 + 14 * 5)
    for relationship in SupervisionRelationship.objects.current(today).select_related(
        "supervisor", "supervisee"
    ):
        held_on = first_recorded - datetime.timedelta(days=14)
        while held_on >= max(start, relationship.starts_on):
            supervision_meeting_record(
                supervisor=relationship.supervisor,
                supervisees=[relationship.supervisee],
                held_on=held_on,
                duration_minutes=rng.choice([60, 60, 90]),
                kind=MeetingKind.INDIVIDUAL,
                mode=rng.choice([MeetingMode.IN_PERSON, MeetingMode.VIDEO]),
                url=reverse("hours:overview"),
            )
            held_on -= datetime.timedelta(days=14)


def _entries(
    rng: random.Random,
    person: User,
    start: datetime.date,
    today: datetime.date,
    *,
    peer_group: bool = False,
) -> None:
    """Notes and reports most weeks, a workshop most months: hours with no text. Dev's
    board asks for 4 h of supervision a month: he also meets an outside peer supervision
    group once a month, which he records himself."""
    rows = []
    day = start + datetime.timedelta(days=(4 - start.weekday()) % 7)  # Fridays
    while day < today:
        rows.append(
            HourEntry(
                person=person, date=day, minutes=rng.choice([60, 90, 120]), kind=EntryKind.INDIRECT
            )
        )
        if peer_group and 8 <= day.day <= 14:
            rows.append(
                HourEntry(
                    person=person,
                    date=day,
                    minutes=120,
                    kind=EntryKind.SUPERVISION,
                    supervision_format=SupervisionFormat.GROUP,
                    group_size=5,
                )
            )
        if day.day <= 7 and rng.random() < 0.8:
            rows.append(
                HourEntry(
                    person=person,
                    date=day + datetime.timedelta(days=1),
                    minutes=rng.choice([180, 240, 360]),
                    kind=EntryKind.TRAINING,
                )
            )
        day += datetime.timedelta(days=7)
    HourEntry.objects.bulk_create(rows)


def _sign(people: dict[str, User], key: str, today: datetime.date, left_on: datetime.date) -> None:
    """Every closed period signed by a supervisor of the time, except the latest (it waits
    for the supervisor: the demo's journey signs it) and, for Eli, the month Dr Moreau left."""
    supervisee = people[key]
    overview = hours_overview(supervisee, today)
    closed = [row for row in overview.periods if row.closed and row.entries]
    former_supervisor = people[FORMER[0]] if key == FORMER[1] else None
    for row in closed[1:]:
        if former_supervisor and row.starts_on <= left_on <= row.ends_on:
            continue  # the month she left: unsigned, for the statement of unsigned periods
        if former_supervisor and row.ends_on < left_on:
            signer = former_supervisor
        else:
            signer = (
                SupervisionRelationship.objects.current(today)
                .filter(supervisee=supervisee)
                .order_by("supervisor__display_name")
                .first()
                .supervisor
            )
        signature = services.period_sign(
            supervisor=signer,
            supervisee=supervisee,
            period=row.period,
            starts_on=row.starts_on,
            expected_sha256=row.sha256,
            url=reverse("hours:overview"),
            # Signed when it was: the former supervisor still supervised him then.
            today=row.ends_on + datetime.timedelta(days=3),
        )
        signed_at = timezone.make_aware(
            datetime.datetime.combine(row.ends_on + datetime.timedelta(days=3), datetime.time(17))
        )
        PeriodSignature.objects.filter(pk=signature.pk).update(signed_at=signed_at)
