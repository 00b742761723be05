"""Signing periods, what a later change does to a signature, what is refused (and that a
refusal writes nothing), and ending a supervision from the hours side."""

import datetime

import pytest
from django.utils import timezone

from hours import services
from hours.models import HourEntry, HoursProfile, PeriodSignature
from hours.selectors import hours_overview, period_of, periods_to_sign, signature_history
from hours.services import (
    HoursError,
    StaleHoursError,
    hour_entry_delete,
    hour_entry_save,
    hours_profile_save,
    period_sign,
    periods_sign,
    supervision_end,
)
from supervision.models import AuditAction, AuditEvent, Notification, SupervisionRelationship
from tests.factories import HourEntryFactory, HoursProfileFactory, SupervisorFactory, UserFactory
from tests.hours.conftest import hours_log
from tests.snapshot import snapshot

URL = "/hours/"


def sign(supervisor, supervisee, start, *, sha=None, period="month", today=None):
    row = period_of(supervisee, period, start, today)
    return period_sign(
        supervisor=supervisor,
        supervisee=supervisee,
        period=period,
        starts_on=start,
        expected_sha256=sha or (row.sha256 if row else "0" * 64),
        url=URL,
        today=today,
    )


def audit_rows(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.pk, action=action
    )


@pytest.fixture
def month(supervisee, last_month):
    """Last month of Sam's: a session and an hour of training."""
    log = hours_log(supervisee, last_month + datetime.timedelta(days=3), 50)
    entry = HourEntryFactory(
        person=supervisee, date=last_month + datetime.timedelta(days=5), kind="training"
    )
    return {"start": last_month, "log": log, "entry": entry}


# --- Signing ----------------------------------------------------------------------------


def test_a_signature_records_who_her_licence_and_what_she_signed(
    supervisee, licensed, month, rule_sets
):
    HoursProfileFactory(person=supervisee, rule_set=rule_sets["ny-lmhc"])
    row = period_of(supervisee, "month", month["start"])

    signature = sign(licensed, supervisee, month["start"])

    assert signature.supervisor == licensed and signature.supervisee == supervisee
    assert signature.supervisor_name == "Dr Sol Supervisor"
    assert (signature.licence_number, signature.licence_jurisdiction) == (
        "LMHC 004711",
        "New York",
    )
    assert signature.rule_set_name == "New York LMHC (NYSED)"
    assert (signature.period, signature.starts_on, signature.ends_on) == (
        "month",
        row.starts_on,
        row.ends_on,
    )
    assert len(signature.sha256) == 64 and signature.sha256 == row.sha256
    assert (signature.entry_count, signature.minutes) == (2, 110)
    assert signature.superseded_at is None
    assert audit_rows(signature, AuditAction.SIGN).get().owner_id == supervisee.pk
    notice = Notification.objects.get(recipient=supervisee)
    assert notice.message == (f"Dr Sol Supervisor signed your hours: {month['start']:%B %Y}.")
    assert notice.url == URL
    assert period_of(supervisee, "month", month["start"]).state == "signed"


def test_the_signature_keeps_the_name_and_licence_as_they_were(supervisee, licensed, month):
    signature = sign(licensed, supervisee, month["start"])
    licensed.display_name = "Dr Sol Newname"
    licensed.save()
    HoursProfile.objects.filter(person=licensed).update(licence_number="LMHC 999999")
    signature.refresh_from_db()
    assert (signature.supervisor_name, signature.licence_number) == (
        "Dr Sol Supervisor",
        "LMHC 004711",
    )


def test_the_audit_row_and_the_notice_are_written_with_the_signature_or_not_at_all(
    supervisee, licensed, month, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the notice could not be stored")

    monkeypatch.setattr(services, "notification_send", broken)
    before = snapshot()
    audits = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        sign(licensed, supervisee, month["start"])
    assert snapshot() == before
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize("what", ["log", "entry", "new entry", "removed entry"])
def test_a_later_change_needs_a_new_signature(supervisee, licensed, month, what):
    signature = sign(licensed, supervisee, month["start"])
    if what == "log":
        month["log"].duration_minutes = 55
        month["log"].save()
    elif what == "entry":
        month["entry"].minutes = 45
        month["entry"].save()
    elif what == "new entry":
        HourEntryFactory(person=supervisee, date=month["start"])
    else:
        month["entry"].delete()

    row = period_of(supervisee, "month", month["start"])
    assert row.state == "changed"
    (waiting,) = periods_to_sign(licensed, {supervisee.pk: _spans(licensed, supervisee)})
    assert [p.starts_on for p in waiting.periods] == [month["start"]]

    again = sign(licensed, supervisee, month["start"])

    signature.refresh_from_db()
    assert signature.superseded_at is not None
    assert audit_rows(signature, AuditAction.UPDATE).count() == 1
    assert again.superseded_at is None and again.sha256 == row.sha256 != signature.sha256
    history = signature_history(supervisee, "month", month["start"], row.sha256)
    assert [r.pk for r, _facts in history] == [signature.pk, again.pk]
    assert [facts.current for _r, facts in history] == [False, True]
    assert list(PeriodSignature.objects.standing().filter(supervisee=supervisee)) == [again]
    assert period_of(supervisee, "month", month["start"]).state == "signed"


def _spans(supervisor, supervisee):
    from hours.access import signing_spans

    return signing_spans(supervisor, supervisee)


def test_signing_what_she_already_signed_is_refused(supervisee, licensed, month):
    sign(licensed, supervisee, month["start"])
    with pytest.raises(HoursError, match="already signed"):
        sign(licensed, supervisee, month["start"])
    assert PeriodSignature.objects.count() == 1


def test_two_supervisors_each_sign_the_same_period(supervisee, licensed, month):
    second = SupervisorFactory(display_name="Dr Bea Second")
    HoursProfileFactory(person=second, licence_number="LPC 1", licence_jurisdiction="Texas")
    SupervisionRelationship.objects.create(
        supervisor=second, supervisee=supervisee, starts_on=month["start"]
    )
    sign(licensed, supervisee, month["start"])
    sign(second, supervisee, month["start"])
    row = period_of(supervisee, "month", month["start"])
    assert sorted(s.facts.supervisor_name for s in row.signatures) == [
        "Dr Bea Second",
        "Dr Sol Supervisor",
    ]


def test_hours_changed_after_the_page_was_drawn_are_not_signed(supervisee, licensed, month):
    drawn = period_of(supervisee, "month", month["start"]).sha256
    month["entry"].minutes = 90
    month["entry"].save()
    before = snapshot()
    audits = AuditEvent.objects.count()

    with pytest.raises(StaleHoursError, match="changed after you opened this page"):
        sign(licensed, supervisee, month["start"], sha=drawn)

    assert snapshot() == before
    assert AuditEvent.objects.count() == audits


def test_several_periods_are_signed_all_or_none(supervisee, licensed, month, earlier_month):
    HourEntryFactory(person=supervisee, date=earlier_month)
    earlier = period_of(supervisee, "month", earlier_month)
    last = period_of(supervisee, "month", month["start"])
    before = snapshot()
    with pytest.raises(StaleHoursError):
        periods_sign(
            supervisor=licensed,
            supervisee=supervisee,
            periods=[("month", earlier_month, earlier.sha256), ("month", month["start"], "0" * 64)],
            url=URL,
        )
    assert snapshot() == before

    signed = periods_sign(
        supervisor=licensed,
        supervisee=supervisee,
        periods=[("month", earlier_month, earlier.sha256), ("month", month["start"], last.sha256)],
        url=URL,
    )
    assert len(signed) == 2
    # One notice for the step, naming both.
    (notice,) = Notification.objects.filter(recipient=supervisee)
    assert f"{earlier_month:%B %Y}" in notice.message
    assert f"{month['start']:%B %Y}" in notice.message


def _refused(call, match):
    before = snapshot()
    audits = AuditEvent.objects.count()
    with pytest.raises(HoursError, match=match):
        call()
    assert snapshot() == before, "a refusal writes nothing"
    assert AuditEvent.objects.count() == audits


def test_a_period_not_over_yet_is_refused(supervisee, licensed):
    this_month = timezone.localdate().replace(day=1)
    HourEntryFactory(person=supervisee, date=this_month)
    _refused(lambda: sign(licensed, supervisee, this_month), "not over yet")


def test_an_empty_period_is_refused(supervisee, licensed, last_month):
    _refused(lambda: sign(licensed, supervisee, last_month), "has no hours to sign")


def test_a_period_outside_her_supervision_is_refused(supervisee, licensed):
    # The relationship began 90 days ago; a year ago she did not supervise Sam.
    start = (timezone.localdate() - datetime.timedelta(days=365)).replace(day=1)
    HourEntryFactory(person=supervisee, date=start)
    _refused(lambda: sign(licensed, supervisee, start), "outside your supervision")


def test_signing_without_a_licence_is_refused(supervisee, supervisor, month):
    _refused(lambda: sign(supervisor, supervisee, month["start"]), "licence number")
    HoursProfileFactory(person=supervisor, licence_number="   ", licence_jurisdiction="NY")
    _refused(lambda: sign(supervisor, supervisee, month["start"]), "licence number")


def test_a_period_of_another_kind_than_her_rules_is_refused(supervisee, licensed, month):
    # No rule set: she is signed monthly, so a week is not one of her periods.
    monday = month["start"] + datetime.timedelta(days=(7 - month["start"].weekday()) % 7)
    _refused(lambda: sign(licensed, supervisee, monday, period="week"), "not one of her periods")
    _refused(
        lambda: sign(licensed, supervisee, month["start"] + datetime.timedelta(days=1)),
        "not one of her periods",
    )


def test_someone_who_does_not_supervise_her_cannot_sign(
    supervisee, month, other_supervisor, admin_user
):
    HoursProfileFactory(person=other_supervisor, licence_number="X1", licence_jurisdiction="Y")
    for person in (other_supervisor, admin_user, UserFactory()):
        _refused(lambda p=person: sign(p, supervisee, month["start"]), "do not supervise")


def test_choosing_nothing_is_refused(supervisee, licensed):
    _refused(
        lambda: periods_sign(supervisor=licensed, supervisee=supervisee, periods=[], url=URL),
        "Choose at least one",
    )


# --- After the relationship ends --------------------------------------------------------


def _ended(supervisor, supervisee, days_ago):
    relationship = SupervisionRelationship.objects.get(supervisor=supervisor, supervisee=supervisee)
    relationship.starts_on = timezone.localdate() - datetime.timedelta(days=days_ago + 120)
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    relationship.save()
    return relationship


def test_a_signature_outlives_the_relationship(client, supervisee, licensed, month):
    signature = sign(licensed, supervisee, month["start"])
    _ended(licensed, supervisee, days_ago=200)

    assert hours_overview(supervisee).periods[0].state == "signed"
    client.force_login(supervisee)
    page = client.get(f"/hours/month/{month['start']:%Y-%m-%d}/").content.decode()
    assert "Signed by Dr Sol Supervisor" in page
    assert signature.sha256 in page


@pytest.mark.parametrize(("days_ago", "may_sign"), [(1, True), (90, True), (91, False)])
def test_a_former_supervisor_may_sign_for_ninety_days(
    supervisee, licensed, days_ago, may_sign, last_month
):
    _ended(licensed, supervisee, days_ago)
    # A period inside the supervision, which ended `days_ago` days ago.
    inside = (timezone.localdate() - datetime.timedelta(days=days_ago + 30)).replace(day=1)
    HourEntryFactory(person=supervisee, date=inside + datetime.timedelta(days=1))
    if may_sign:
        assert sign(licensed, supervisee, inside).supervisor == licensed
    else:
        _refused(lambda: sign(licensed, supervisee, inside), "do not supervise")


# --- Ending a supervision ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "supervisee"])
def test_either_of_the_two_ends_it_and_it_is_audited(request, supervisee, supervisor, who):
    person = request.getfixturevalue(who)
    relationship = SupervisionRelationship.objects.get(supervisor=supervisor, supervisee=supervisee)

    supervision_end(relationship=relationship, by=person)

    relationship.refresh_from_db()
    assert relationship.ends_on == timezone.localdate() - datetime.timedelta(days=1)
    event = audit_rows(relationship, AuditAction.UPDATE).get()
    assert event.actor == person and event.owner_id == supervisee.pk
    assert Notification.objects.filter(recipient__in=[supervisor, supervisee]).count() == 2


def test_nobody_else_ends_it(supervisee, supervisor, other_supervisor, admin_user):
    relationship = SupervisionRelationship.objects.get(supervisor=supervisor, supervisee=supervisee)
    for person in (other_supervisor, admin_user, UserFactory()):
        _refused(lambda p=person: supervision_end(relationship=relationship, by=p), "Only the two")


def test_an_ended_supervision_cannot_end_again(supervisee, supervisor):
    relationship = _ended(supervisor, supervisee, days_ago=5)
    _refused(lambda: supervision_end(relationship=relationship, by=supervisor), "already ended")


# --- Her settings and entries -------------------------------------------------------------


def test_her_settings_and_entries_are_audited(supervisee, rule_sets):
    profile = hours_profile_save(
        profile=HoursProfile(person=supervisee, rule_set=rule_sets["tx-lpc-associate"]),
        by=supervisee,
    )
    assert audit_rows(profile, AuditAction.CREATE).count() == 1
    entry = hour_entry_save(
        entry=HourEntry(
            person=supervisee,
            date=timezone.localdate(),
            minutes=60,
            kind="indirect",
        ),
        by=supervisee,
    )
    assert audit_rows(entry, AuditAction.CREATE).count() == 1
    entry.minutes = 90
    hour_entry_save(entry=entry, by=supervisee)
    assert audit_rows(entry, AuditAction.UPDATE).count() == 1
    pk = entry.pk
    hour_entry_delete(entry=entry, by=supervisee)
    assert not HourEntry.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(object_id=pk, action=AuditAction.DELETE).count() == 1


def test_nobody_records_or_removes_hours_for_her(supervisee, supervisor):
    entry = HourEntryFactory(person=supervisee)
    _refused(lambda: hour_entry_save(entry=entry, by=supervisor), "Only she")
    _refused(lambda: hour_entry_delete(entry=entry, by=supervisor), "Only she")
