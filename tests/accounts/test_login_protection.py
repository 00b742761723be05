"""Log-in lock-out (django-axes), rate limits (django-ratelimit) and the client address."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "lee@example.org"


@pytest.fixture
def lee(db):
    return UserFactory(email=EMAIL, display_name="Lee Lockout")


def attempt(client, password, *, username=EMAIL, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, times, *, username=EMAIL, **extra):
    for _ in range(times):
        attempt(client, "not-the-password", username=username, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_failures_do_not_lock(client, lee, password):
    fail(client, 4)
    response = attempt(client, password)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_five_failures_lock_out_even_the_right_password(client, lee, password):
    fail(client, 5)
    response = attempt(client, password)
    assert response.status_code == 429
    assert "Log-in paused" in response.content.decode()
    assert not is_logged_in(client)


def test_lock_out_page_does_not_say_whether_the_account_exists(client, lee, password):
    fail(client, 5)
    known = attempt(client, password)
    fail(client, 5, username="nobody@example.org")
    unknown = attempt(client, password, username="nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    assert EMAIL not in known.content.decode()


def test_the_account_is_one_whatever_the_case(client, lee, password):
    for username in ("LEE@example.org", "Lee@Example.org", "lee@example.org", " lee@EXAMPLE.org"):
        attempt(client, "wrong-password", username=username)
    attempt(client, "wrong-password", username="lee@example.ORG")
    assert attempt(client, password).status_code == 429


def test_another_client_address_is_not_locked(client, lee, password):
    fail(client, 5, REMOTE_ADDR="198.51.100.1")
    assert attempt(client, password, REMOTE_ADDR="198.51.100.1").status_code == 429
    response = attempt(client, password, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_another_account_from_the_same_address_is_not_locked(client, lee, password):
    other = UserFactory(email="kim@example.org")
    fail(client, 5)
    response = attempt(client, password, username=other.email)
    assert response.status_code == 302


def test_the_lock_lasts_fifteen_minutes(client, lee, password):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert attempt(client, password).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = attempt(client, password)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_log_in_starts_the_count_again(client, lee, password):
    fail(client, 4)
    assert attempt(client, password).status_code == 302
    client.post(reverse("logout"))
    fail(client, 4)
    assert attempt(client, password).status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(client, lee, password):
    for n in range(5):
        attempt(client, "wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = attempt(client, password, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_forwarded_for_counts_behind_a_trusted_proxy(client, lee, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail(client, 5, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert attempt(client, password, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    response = attempt(client, password, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


def test_failed_attempts_keep_no_password(client, lee):
    attempt(client, "my-secret-guess")
    row = AccessAttempt.objects.get()
    assert "my-secret-guess" not in row.post_data


def test_wrong_password_and_unknown_account_look_the_same(client, lee):
    known = attempt(client, "wrong-password")
    unknown = attempt(client, "wrong-password", username="who@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


# --- rate limits per client address ---------------------------------------------------------


def test_log_in_posts_are_rate_limited_per_address(client, settings):
    settings.LOGIN_RATE_LIMIT = "20/10m"
    # Each attempt names another account, so the lock-out never comes into it.
    for n in range(20):
        response = attempt(client, "wrong-password", username=f"guess{n}@example.org")
        assert response.status_code == 200
    response = attempt(client, "wrong-password", username="guess-last@example.org")
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    # Another address is not limited, and looking at the page is never counted.
    other = attempt(client, "wrong-password", username="x@example.org", REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 200
    assert client.get(reverse("login")).status_code == 200


def test_password_reset_requests_are_rate_limited(client, lee, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "5/h"
    url = reverse("password_reset")
    for n in range(5):
        address = EMAIL if n % 2 == 0 else f"nobody{n}@example.org"
        response = client.post(url, {"email": address})
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 3  # only the account that exists got an e-mail
    response = client.post(url, {"email": EMAIL})
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another address may still ask.
    assert client.post(url, {"email": EMAIL}, REMOTE_ADDR="198.51.100.3").status_code == 302


def test_password_reset_answer_is_the_same_for_unknown_addresses(client, lee):
    known = client.post(reverse("password_reset"), {"email": EMAIL}, follow=True)
    unknown = Client().post(reverse("password_reset"), {"email": "no@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert "If an account uses that address" in unknown.content.decode()


def test_rate_limit_follows_the_trusted_proxy_setting(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "1/h"
    url = reverse("password_reset")
    client.post(url, {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.1")
    # Without trusted proxies a forged header does not buy a fresh allowance.
    spoofed = client.post(url, {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert spoofed.status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = client.post(url, {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.3")
    assert behind_proxy.status_code == 302
