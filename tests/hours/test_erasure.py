"""Erasing a person: her hours go; a supervisor's signatures of other people's hours stay."""

import datetime

import pytest

from hours.models import HourEntry, HoursProfile, PeriodSignature
from hours.selectors import period_of
from supervision.erasure import erasure_plan, person_erase
from tests.factories import HourEntryFactory, HoursProfileFactory, period_signature
from tests.hours.conftest import hours_log
from tests.snapshot import snapshot


def test_erasing_a_supervisee_takes_her_hours(
    supervisee, licensed, other_supervisee, admin_user, last_month, rule_sets
):
    HoursProfileFactory(
        person=supervisee, rule_set=rule_sets["ny-lmhc"], principal_supervisor=licensed
    )
    HourEntryFactory(person=supervisee, date=last_month)
    period_signature(supervisee=supervisee, supervisor=licensed, starts_on=last_month)
    theirs = HourEntryFactory(person=other_supervisee, date=last_month)
    HoursProfileFactory(person=other_supervisee, rule_set=rule_sets["ny-lmhc"])

    plan = erasure_plan(supervisee)
    assert "1 hour entry and 1 signature of her hours" in plan.goes

    person_erase(person=supervisee, by=admin_user)

    assert not HourEntry.objects.filter(person=supervisee).exists()
    assert not PeriodSignature.objects.filter(supervisee=supervisee).exists()
    assert not HoursProfile.objects.filter(person=supervisee).exists()
    # Nobody else's.
    assert HourEntry.objects.filter(pk=theirs.pk).exists()
    assert HoursProfile.objects.filter(person=other_supervisee).exists()
    assert HoursProfile.objects.filter(person=licensed).exists()


def test_erasing_a_supervisor_keeps_the_signatures_she_gave(
    supervisee, licensed, admin_user, last_month
):
    hours_log(supervisee, last_month + datetime.timedelta(days=1), 50)
    HoursProfileFactory(person=supervisee, principal_supervisor=licensed)
    signature = period_signature(
        supervisee=supervisee,
        supervisor=licensed,
        starts_on=last_month,
        licence_number="LMHC 004711",
    )

    plan = erasure_plan(licensed)
    assert any(line.startswith("1 signature of other people's hours") for line in plan.stays)

    person_erase(person=licensed, by=admin_user)

    signature.refresh_from_db()
    assert signature.supervisor_name == "Dr Sol Supervisor"
    assert signature.licence_number == "LMHC 004711"
    # Still the signature of her period as it stands: her evidence for her board.
    row = period_of(supervisee, "month", last_month)
    assert row.state == "signed"
    assert HoursProfile.objects.get(person=supervisee).principal_supervisor is None
    # Her own licence settings went with her.
    assert not HoursProfile.objects.filter(person=licensed).exists()


def test_her_hours_stay_when_another_eraser_fails(
    supervisee, licensed, admin_user, last_month, monkeypatch
):
    from supervision import erasure

    HourEntryFactory(person=supervisee, date=last_month)
    period_signature(supervisee=supervisee, supervisor=licensed, starts_on=last_month)

    def explode(person):
        raise RuntimeError("synthetic failure")

    # Registered first, so it runs last: after the hours are gone.
    failing = erasure.Eraser(
        app_label="failing", describe=lambda p: erasure.ErasurePlan(), erase=explode
    )
    monkeypatch.setattr(erasure, "_erasers", [failing, *erasure._erasers])
    before = snapshot()
    with pytest.raises(RuntimeError):
        person_erase(person=supervisee, by=admin_user)
    assert snapshot() == before
    assert HourEntry.objects.filter(person=supervisee).count() == 1
