"""Session limits (idle, absolute), the warning before the idle limit, and ending sessions."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from accounts.sessions import LAST_SEEN, LOGIN_AT
from tests.supervision.test_settings import GOOD_KEY, run_django

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"


def signed_in(supervisee) -> Client:
    client = Client()
    client.force_login(supervisee)
    return client


def move_back(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


# --- idle and absolute limits -------------------------------------------------------------------


def test_logging_in_starts_both_clocks(supervisee):
    client = signed_in(supervisee)
    assert client.session[LOGIN_AT] == client.session[LAST_SEEN]


def test_fourteen_idle_minutes_are_fine(supervisee):
    client = signed_in(supervisee)
    move_back(client, LAST_SEEN, 14 * 60)
    move_back(client, LOGIN_AT, 14 * 60)
    assert client.get(PAGE).status_code == 200
    # That request was activity: the idle clock starts again.
    assert client.session[LAST_SEEN] > client.session[LOGIN_AT]


def test_after_fifteen_idle_minutes_the_next_request_lands_on_log_in(supervisee):
    client = signed_in(supervisee)
    move_back(client, LAST_SEEN, 15 * 60 + 5)
    response = client.get(PAGE)
    assert is_signed_out(response)
    assert response.url == f"{reverse('login')}?next={PAGE}"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert "signed out after 15 minutes without activity" in page.content.decode()


def test_the_absolute_limit_ends_even_a_busy_session(supervisee):
    client = signed_in(supervisee)
    move_back(client, LOGIN_AT, 12 * 3600 - 60)
    assert client.get(PAGE).status_code == 200
    move_back(client, LOGIN_AT, 120)
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "signed out 12 hours after logging in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_limits_come_from_settings(supervisee, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client = signed_in(supervisee)
    move_back(client, LAST_SEEN, 6 * 60)
    assert is_signed_out(client.get(PAGE))


def test_a_session_from_before_the_limits_starts_its_clock(supervisee):
    client = signed_in(supervisee)
    session = client.session
    del session[LOGIN_AT], session[LAST_SEEN]
    session.save()
    assert client.get(PAGE).status_code == 200
    assert LOGIN_AT in client.session and LAST_SEEN in client.session


def test_an_idle_session_ending_leaves_the_others_alone(supervisee):
    idle, busy = signed_in(supervisee), signed_in(supervisee)
    move_back(idle, LAST_SEEN, 20 * 60)
    assert is_signed_out(idle.get(PAGE))
    assert busy.get(PAGE).status_code == 200


# --- the warning and "Stay signed in" ----------------------------------------------------------


def test_pages_carry_the_timeout_for_the_warning(supervisee):
    client = signed_in(supervisee)
    move_back(client, LAST_SEEN, 50)
    html = client.get(PAGE).content.decode()
    body = re.search(r"<body[^>]*>", html).group(0)
    assert 'data-session-idle="900"' in body
    assert 'data-session-warn="120"' in body
    remaining = int(re.search(r'data-session-remaining="(\d+)"', body).group(1))
    assert 840 <= remaining <= 851
    assert f'data-session-login-url="{reverse("login")}"' in body
    # The script is a file, deferred; the dialog's form carries the CSRF token.
    assert re.search(r'<script src="[^"]*/js/session-timeout\.js" defer></script>', html)
    dialog = re.search(r'<div class="modal[^"]*" id="session-timeout".*?</form>', html, re.S)
    assert dialog and "csrfmiddlewaretoken" in dialog.group(0)
    assert f'action="{reverse("keep_alive")}"' in dialog.group(0)
    assert "Stay signed in" in dialog.group(0)
    assert "style=" not in html


def test_the_warning_script_is_served(client):
    path = finders.find("js/session-timeout.js")
    assert path
    source = Path(path).read_text(encoding="utf-8")
    assert "sessionRemaining" in source and "keep-alive" in source.lower()


def test_the_log_in_page_has_no_timeout(client):
    html = client.get(reverse("login")).content.decode()
    assert "data-session-idle" not in html
    assert "session-timeout.js" not in html


def test_stay_signed_in_restarts_the_idle_clock(supervisee):
    client = signed_in(supervisee)
    move_back(client, LAST_SEEN, 14 * 60)
    before = client.session[LAST_SEEN]
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 200
    assert response.json()["remaining"] >= 15 * 60 - 5
    assert client.session[LAST_SEEN] >= before + 14 * 60


def test_keep_alive_needs_a_post_and_a_live_session(client, supervisee):
    assert client.post(reverse("keep_alive")).url.startswith(reverse("login"))
    signed = signed_in(supervisee)
    assert signed.get(reverse("keep_alive")).status_code == 405
    move_back(signed, LAST_SEEN, 16 * 60)
    # Too late: the session ended; the script then goes to the log-in page.
    assert is_signed_out(signed.post(reverse("keep_alive")))


def test_keep_alive_needs_the_csrf_token(supervisee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisee)
    assert client.post(reverse("keep_alive")).status_code == 403


# --- log-out and password change end the other sessions ----------------------------------------


def test_log_out_in_one_client_ends_the_session_in_another(supervisee):
    laptop, phone = signed_in(supervisee), signed_in(supervisee)
    assert phone.get(PAGE).status_code == 200
    laptop.post(reverse("logout"))
    assert is_signed_out(laptop.get(PAGE))
    assert is_signed_out(phone.get(PAGE))
    supervisee.refresh_from_db()
    assert supervisee.session_epoch == 1


def test_log_out_leaves_other_peoples_sessions_alone(supervisee, supervisor):
    mine, theirs = signed_in(supervisee), signed_in(supervisor)
    mine.post(reverse("logout"))
    assert theirs.get(PAGE).status_code == 200


def test_password_change_keeps_this_session_and_ends_the_others(supervisee, password):
    here, elsewhere = signed_in(supervisee), signed_in(supervisee)
    response = here.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get(PAGE).status_code == 200
    assert is_signed_out(elsewhere.get(PAGE))


def test_session_hash_follows_the_epoch_and_keeps_key_fallbacks(supervisee, settings):
    old_hash = supervisee.get_session_auth_hash()
    supervisee.session_epoch += 1
    assert supervisee.get_session_auth_hash() != old_hash
    supervisee.session_epoch -= 1

    kept, dropped = signed_in(supervisee), signed_in(supervisee)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-rotated-secret-key-" + "z" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    # A session made under the old key still verifies through the fallback (and Django
    # re-signs it with the new key)...
    assert kept.get(PAGE).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert kept.get(PAGE).status_code == 200
    # ...while one that was never re-signed ends once the fallback is gone.
    assert is_signed_out(dropped.get(PAGE))


# --- settings from the environment ---------------------------------------------------------------


def test_session_limits_are_read_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_TIMEOUT, s.SESSION_COOKIE_AGE,"
        " s.OTP_REQUIRED_FOR_STAFF_ROLES, s.CACHES['default']['BACKEND'])"
    )
    result = run_django(
        "config.settings.base",
        {
            "SECRET_KEY": GOOD_KEY,
            "SESSION_IDLE_MINUTES": "10",
            "SESSION_ABSOLUTE_HOURS": "8",
            "REQUIRE_TWO_FACTOR": "1",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
        },
        "shell",
        "--no-imports",
        "-c",
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "600 28800 28800 True django.core.cache.backends.redis.RedisCache"
    )


def test_defaults_two_factor_off_in_base_and_on_in_production():
    code = "from django.conf import settings as s; print(s.OTP_REQUIRED_FOR_STAFF_ROLES)"
    base = run_django(
        "config.settings.base", {"SECRET_KEY": GOOD_KEY}, "shell", "--no-imports", "-c", code
    )
    production = run_django(
        "config.settings.production",
        {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "goodenough.example.org"},
        "shell",
        "--no-imports",
        "-c",
        code,
    )
    assert base.stdout.split("\n")[0] == "False", base.stderr
    assert production.stdout.split("\n")[0] == "True", production.stderr
