"""The session-log side of erasure and the retention of signed logs."""

import datetime

import pytest
from django.utils import timezone

from cases import erasure
from cases.models import Addendum, LogStatus, Pattern, SessionLog
from groups.models import LogShare
from supervision.erasure import person_erase
from tests.factories import PatternTagFactory, SessionLogFactory, SubmittedLogFactory

pytestmark = pytest.mark.usefixtures("catalog")


def signed_log(author, by, *, signed_at=None):
    return SubmittedLogFactory(
        author=author,
        status=LogStatus.SIGNED,
        signed_by=by,
        signed_at=signed_at or timezone.now(),
        signed_sha256="0" * 64,
    )


def test_unsigned_means_every_status_but_signed(supervisee, supervisor):
    kept = signed_log(supervisee, supervisor)
    others = [
        SessionLogFactory(author=supervisee),
        SubmittedLogFactory(author=supervisee),
        SubmittedLogFactory(author=supervisee, status=LogStatus.RETURNED),
        SessionLogFactory(author=supervisee, deleted_at=timezone.now()),
    ]
    assert set(erasure.unsigned_logs(supervisee)) == set(others)
    assert list(erasure.signed_logs(supervisee)) == [kept]


def test_the_eraser_deletes_unsigned_logs_with_tags_and_shares(supervisee, supervisor, group):
    draft = SessionLogFactory(author=supervisee)
    PatternTagFactory(log=draft, pattern=Pattern.objects.get(slug="technique-focus"))
    submitted = SubmittedLogFactory(author=supervisee)
    LogShare.objects.create(log=submitted, group=group)
    kept = signed_log(supervisee, supervisor)
    kept_share = LogShare.objects.create(log=kept, group=group)
    erasure.erase(supervisee)
    assert list(SessionLog.objects.all()) == [kept]
    # The share of a log that goes goes with it; the groups eraser withdraws the rest.
    assert list(LogShare.objects.all()) == [kept_share]


def test_describe_counts_without_text(supervisee, supervisor):
    SessionLogFactory.create_batch(3, author=supervisee)
    signed_log(supervisee, supervisor)
    plan = erasure.describe(supervisee)
    assert plan.goes[0].startswith("3 session logs not signed off")
    assert plan.stays[0].startswith("1 signed-off session log,")
    assert "kept for 7 years after sign-off" in plan.stays[0]


def test_logs_delete_takes_addenda_with_the_log(supervisee, supervisor):
    log = signed_log(supervisee, supervisor)
    Addendum.objects.create(log=log, author=supervisee, text="Later.")
    assert erasure.logs_delete(SessionLog.objects.filter(pk=log.pk)) == 1
    assert not Addendum.objects.exists()


@pytest.mark.parametrize(
    ("now", "years", "cutoff"),
    [
        (datetime.datetime(2031, 5, 1, 12, tzinfo=datetime.UTC), 7, (2024, 5, 1)),
        (datetime.datetime(2032, 2, 29, 12, tzinfo=datetime.UTC), 7, (2025, 2, 28)),
        (datetime.datetime(2032, 2, 29, 12, tzinfo=datetime.UTC), 4, (2028, 2, 29)),
    ],
)
def test_retention_cutoff(settings, now, years, cutoff):
    settings.RECORD_RETENTION_YEARS = years
    assert erasure.retention_cutoff(now) == now.replace(*cutoff)


def test_expired_means_signed_long_ago_by_an_erased_person(
    supervisee, supervisor, other_supervisee, admin_user
):
    long_ago = timezone.now() - datetime.timedelta(days=365 * 8)
    recently = timezone.now() - datetime.timedelta(days=365 * 6)
    old = signed_log(supervisee, supervisor, signed_at=long_ago)
    signed_log(supervisee, supervisor, signed_at=recently)
    signed_log(other_supervisee, supervisor, signed_at=long_ago)  # not erased
    assert list(erasure.expired_signed_logs()) == []
    person_erase(person=supervisee, by=admin_user)
    assert list(erasure.expired_signed_logs()) == [old]


def test_a_deactivated_but_not_erased_person_keeps_her_records(supervisee, supervisor):
    signed_log(supervisee, supervisor, signed_at=timezone.now() - datetime.timedelta(days=3000))
    supervisee.is_active = False
    supervisee.save()
    assert list(erasure.expired_signed_logs()) == []
