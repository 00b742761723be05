"""Attacks on the hours: other supervisors, former ones after the grace, the admin, forged
posts, someone else's entry; and what the rows can hold."""

import datetime

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from hours.access import SIGNING_GRACE
from hours.forms import period_choice
from hours.models import HourEntry, PeriodSignature
from hours.selectors import period_of
from supervision.models import SupervisionRelationship
from tests.factories import (
    HourEntryFactory,
    HoursProfileFactory,
    RelationshipFactory,
    SupervisorFactory,
    period_signature,
)
from tests.snapshot import snapshot


@pytest.fixture
def sams_month(supervisee, licensed, earlier_month):
    """A closed month of Sam's, inside her supervisor's supervision, not signed yet."""
    HourEntryFactory(person=supervisee, date=earlier_month, minutes=120)
    return period_of(supervisee, "month", earlier_month)


def her_pages(supervisee, row, signature=None):
    args = [supervisee.pk, row.period, row.starts_on]
    pages = [
        reverse("hours:supervisee_period", args=args),
        reverse("hours:supervisee_weekly_log", args=args),
    ]
    if signature is not None:
        pages.append(reverse("hours:supervisee_verification", args=[*args, signature.pk]))
    return pages


def test_another_supervisor_can_neither_see_nor_sign_her_periods(
    client, supervisee, licensed, other_supervisor, sams_month
):
    HoursProfileFactory(person=other_supervisor, licence_number="X 1", licence_jurisdiction="Y")
    signature = period_signature(
        supervisee=supervisee, supervisor=licensed, starts_on=sams_month.starts_on
    )
    client.force_login(other_supervisor)
    for url in [
        *her_pages(supervisee, sams_month, signature),
        reverse("hours:sign_periods", args=[supervisee.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    choice = {"periods": period_choice("month", sams_month.starts_on, sams_month.sha256)}
    before = snapshot()
    assert client.post(her_pages(supervisee, sams_month)[0], choice).status_code == 404
    assert client.post(reverse("hours:sign_periods", args=[supervisee.pk]), choice).status_code == (
        404
    )
    assert snapshot() == before
    html = client.get(reverse("hours:to_sign")).content.decode()
    assert "Sam Supervisee" not in html


def _end(supervisor, supervisee, days_ago):
    relationship = SupervisionRelationship.objects.get(supervisor=supervisor, supervisee=supervisee)
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    relationship.starts_on = relationship.ends_on - datetime.timedelta(days=120)
    relationship.save()


@pytest.mark.parametrize(
    ("days_ago", "status"),
    [(SIGNING_GRACE.days, 200), (SIGNING_GRACE.days + 1, 404)],
)
def test_a_former_supervisor_sees_her_periods_only_during_the_grace(
    client, supervisee, licensed, days_ago, status
):
    _end(licensed, supervisee, days_ago)
    inside = (timezone.localdate() - datetime.timedelta(days=days_ago + 30)).replace(day=1)
    HourEntryFactory(person=supervisee, date=inside)
    row = period_of(supervisee, "month", inside)
    signature = period_signature(supervisee=supervisee, supervisor=licensed, starts_on=inside)
    client.force_login(licensed)
    for url in her_pages(supervisee, row, signature):
        assert client.get(url).status_code == status, url
    listed = "Sam Supervisee" in client.get(reverse("hours:to_sign")).content.decode()
    assert listed is False  # signed: nothing waits either way
    signature.delete()
    listed = "Sam Supervisee" in client.get(reverse("hours:to_sign")).content.decode()
    assert listed is (status == 200)


def test_her_supervisor_sees_no_period_outside_the_supervision(client, supervisee, licensed):
    # The relationship began 90 days ago.
    before = (timezone.localdate() - datetime.timedelta(days=400)).replace(day=1)
    HourEntryFactory(person=supervisee, date=before)
    row = period_of(supervisee, "month", before)
    client.force_login(licensed)
    for url in her_pages(supervisee, row):
        assert client.get(url).status_code == 404, url


def test_a_supervisor_cannot_download_another_supervisors_verification(
    client, supervisee, licensed, sams_month
):
    second = SupervisorFactory(display_name="Dr Bea Second")
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    theirs = period_signature(
        supervisee=supervisee, supervisor=second, starts_on=sams_month.starts_on
    )
    mine = period_signature(
        supervisee=supervisee, supervisor=licensed, starts_on=sams_month.starts_on
    )
    client.force_login(licensed)
    args = [supervisee.pk, "month", sams_month.starts_on]
    assert (
        client.get(reverse("hours:supervisee_verification", args=[*args, mine.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("hours:supervisee_verification", args=[*args, theirs.pk])).status_code
        == 404
    )
    # Nor one of another period through this period's address.
    other_start = sams_month.starts_on.replace(day=1) - datetime.timedelta(days=1)
    other_args = [supervisee.pk, "month", other_start.replace(day=1), mine.pk]
    assert client.get(reverse("hours:supervisee_verification", args=other_args)).status_code == 404


def test_a_forged_or_borrowed_period_is_not_signed(
    client, supervisee, licensed, other_supervisee, sams_month
):
    # Olu's month, with its real digest, posted as Sam's; then Sam's with a made-up digest.
    HourEntryFactory(person=other_supervisee, date=sams_month.starts_on, minutes=60)
    olus = period_of(other_supervisee, "month", sams_month.starts_on)
    client.force_login(licensed)
    before = snapshot()
    for choice in (
        period_choice("month", sams_month.starts_on, olus.sha256),
        period_choice("month", sams_month.starts_on, "f" * 64),
    ):
        for url in (
            reverse("hours:sign_periods", args=[supervisee.pk]),
            her_pages(supervisee, sams_month)[0],
        ):
            assert client.post(url, {"periods": choice}).status_code == 302
    # Olu is not hers to sign at all.
    url = reverse("hours:sign_periods", args=[other_supervisee.pk])
    assert client.post(url, {"periods": choice}).status_code == 404
    assert snapshot() == before
    assert not PeriodSignature.objects.exists()


def test_a_supervisee_cannot_touch_another_ones_entry(client, supervisee, other_supervisee):
    entry = HourEntryFactory(person=other_supervisee, minutes=60)
    client.force_login(supervisee)
    before = snapshot()
    for name in ("hours:entry_edit", "hours:entry_delete"):
        url = reverse(name, args=[entry.pk])
        assert client.get(url).status_code == 404
        post = {"date": "2026-01-05", "hours": "9", "kind": "training"}
        assert client.post(url, post).status_code == 404
    assert snapshot() == before


def test_her_supervisor_cannot_touch_her_entries(client, supervisee, supervisor):
    entry = HourEntryFactory(person=supervisee)
    client.force_login(supervisor)
    for name in ("hours:entry_edit", "hours:entry_delete"):
        assert client.post(reverse(name, args=[entry.pk])).status_code == 403
    assert HourEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_lists_rule_sets_and_nobodys_hours(client, admin_user, world):
    registered = {m._meta.label for m in admin.site._registry if m._meta.app_label == "hours"}
    assert registered == {"hours.RuleSet"}
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "Hours rule sets" in html
    for words in ("Hour entries", "Period signatures", "Hours settings"):
        assert words not in html
    assert client.get("/admin/hours/hourentry/").status_code == 404
    assert client.get("/admin/hours/periodsignature/").status_code == 404


# Text a signature keeps: who signed and the licence as they were, the rule set's name, the
# digest. None of it is about a client or a session.
SIGNATURE_TEXT = {
    "supervisor_name",
    "licence_number",
    "licence_jurisdiction",
    "rule_set_name",
    "sha256",
}


@pytest.mark.parametrize("model", [HourEntry, PeriodSignature])
def test_hours_rows_hold_no_free_text(model):
    text = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]
    assert not any(isinstance(f, models.TextField) for f in text)
    allowed = SIGNATURE_TEXT if model is PeriodSignature else set()
    assert {f.name for f in text} <= allowed
    if model is PeriodSignature:
        lengths = {f.name: f.max_length for f in text}
        assert lengths["sha256"] == 64 and max(lengths.values()) <= 120
