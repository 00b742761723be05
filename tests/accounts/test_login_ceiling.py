"""The per-account ceiling: failures from many addresses add up for one account."""

import datetime

import pytest
from axes.models import AccessFailureLog
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supervision.models import Notification
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "spray@example.org"


@pytest.fixture
def target(db):
    return UserFactory(email=EMAIL, display_name="Sid Sprayed")


def attempt(client, password, *, username=EMAIL, address="203.0.113.250"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def spray(client, times, *, username=EMAIL, start=0):
    """Failures from as many different addresses: the per-address lock-out never trips."""
    for i in range(start, start + times):
        response = attempt(client, "not-the-password", username=username, address=f"198.51.100.{i}")
        assert response.status_code == 200  # the form again, never the lock-out page


def test_the_default_ceiling_is_twenty(settings):
    assert settings.LOGIN_ACCOUNT_CEILING == 20


def test_twenty_failures_from_anywhere_do_not_pause(client, target, password):
    spray(client, 20)
    assert attempt(client, password).status_code == 302


def test_more_than_twenty_pause_the_account_even_with_the_right_password(client, target, password):
    spray(client, 21)
    response = attempt(client, password)
    assert response.status_code == 429
    assert "Log-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_page_reads_the_same_whether_or_not_the_account_exists(client, target, password):
    spray(client, 21)
    known = attempt(client, password)
    spray(client, 21, username="nobody@example.org", start=100)
    unknown = attempt(client, password, username="nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    assert known.content.decode() == unknown.content.decode()
    assert EMAIL not in known.content.decode()


def test_the_person_and_the_administrators_are_told_once(
    client, target, password, django_capture_on_commit_callbacks
):
    admin = AdminFactory(display_name="Ada Admin")
    with django_capture_on_commit_callbacks(execute=True):
        spray(client, 21)
        for _ in range(3):
            assert attempt(client, "not-the-password").status_code == 429
        attempt(client, password)
    told = Notification.objects.filter(recipient=target)
    assert told.count() == 1 and "paused" in told.get().message
    admin_notice = Notification.objects.get(recipient=admin)
    assert "Sid Sprayed" in admin_notice.message
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        body = message.subject + message.body
        assert "not-the-password" not in body and "198.51.100" not in body


def test_nobody_is_told_about_a_name_with_no_account(client):
    AdminFactory()
    spray(client, 21, username="nobody@example.org")
    assert not Notification.objects.exists()


def test_the_pause_ends_an_hour_after_the_failures(client, target, password):
    spray(client, 21)
    assert attempt(client, password).status_code == 429
    # Paused attempts are not counted: the rows are the 21 failures, no more.
    assert AccessFailureLog.objects.filter(username=EMAIL).count() == 21
    AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=61))
    assert attempt(client, password).status_code == 302


def test_an_administrator_can_end_the_pause(client, target, password):
    spray(client, 21)
    AccessFailureLog.objects.filter(username=EMAIL).delete()
    assert attempt(client, password).status_code == 302


def test_the_ceiling_comes_from_the_setting(client, target, password, settings):
    settings.LOGIN_ACCOUNT_CEILING = 3
    spray(client, 4)
    assert attempt(client, password).status_code == 429
    settings.LOGIN_ACCOUNT_CEILING = 0  # off
    assert attempt(client, password).status_code == 302
