"""Two-factor set-up and log-in with a code, and the idle-timeout warning, in the browser.

Every page is scanned with axe; the pages run under the strict CSP (the QR code is inline
SVG, the warning a script file), so a refused inline script or style fails the test.
"""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.sessions import LAST_SEEN
from tests.e2e.helpers import log_in, log_out, main_menu, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_an_authenticator_then_log_in_with_a_recovery_code(
    open_as, axe_check, mailoutbox, supervisee, password
):
    page = open_as(supervisee, password)
    axe_check(page)
    open_menu(page)
    main_menu(page).get_by_role("button", name="Sam Supervisee", exact=True).click()
    main_menu(page).get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Set up an authenticator app").click()
    # First a code from the e-mail: the password alone does not add an authenticator.
    expect(page.get_by_role("heading", name="First, a code from your e-mail")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="E-mail me a code").click()
    expect(page.get_by_label("Code from the e-mail")).to_be_visible()
    axe_check(page)
    emailed = re.search(r"Your code is (\d{6})", mailoutbox[-1].body).group(1)
    page.get_by_label("Code from the e-mail").fill(emailed)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("img", name="QR code to add Good Enough")).to_be_visible()
    axe_check(page)
    device = TOTPDevice.objects.get(user=supervisee)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    axe_check(page)
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()

    log_out(page, "Sam Supervisee")
    log_in(page, supervisee.email, password, succeed=False)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    expect(page.get_by_text("You used a recovery code; 9 left")).to_be_visible()
    axe_check(page)


def _age_session(page, seconds: int) -> None:
    """Move the server's idle clock back by `seconds` (no sleeping in tests)."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[LAST_SEEN] -= seconds
    session.save()


def test_the_idle_warning_offers_to_stay_signed_in(open_as, axe_check, supervisee, password):
    page = open_as(supervisee, password)
    # The page's clock is Playwright's to move: the warning's timers run on it.
    page.clock.install()
    page.reload()
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    axe_check(page)
    dialog = page.get_by_role("dialog", name="Still there?")
    expect(dialog).to_be_hidden()

    # Thirteen quiet minutes: the warning comes, two minutes before the end.
    page.clock.fast_forward("13:00")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("you will be signed out in about 2 minutes")
    axe_check(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    # Another 13 minutes from the keep-alive bring it back; staying away signs them out.
    page.clock.fast_forward("13:00")
    expect(dialog).to_be_visible()
    _age_session(page, 16 * 60)
    page.clock.fast_forward("02:30")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text("signed out after 15 minutes without activity")).to_be_visible()
    assert "/accounts/login/?next=%2Flogs%2F" in page.url
    axe_check(page)
