"""Logging in and out, and a forgotten password, in the browser at desktop and phone width.

The log-out button sits in the user menu of the navigation, which on a phone is folded behind
the toggler. The reset link is read from the e-mail the app sends. Every page is scanned with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet-harbour-lantern-7"


def test_log_in_log_out_and_reset_the_password(
    new_page, axe_check, live_server, mailoutbox, supervisee, password
):
    page = new_page("/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    axe_check(page)
    log_in(page, supervisee.email, password)
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    axe_check(page)

    # Logging out leads back to the login page (already scanned), without the user menu.
    log_out(page, "Sam Supervisee")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Sam Supervisee")).to_have_count(0)
    page.goto(f"{live_server.url}/logs/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert "/accounts/login/?next=" in page.url
    axe_check(page)

    # --- forgotten password: ask for a link, follow it from the e-mail, choose a new one
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    axe_check(page)
    page.get_by_label("Email").fill(supervisee.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    axe_check(page)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [supervisee.email]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body)
    assert link, message.body
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link.group(0)))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    axe_check(page)
    page.get_by_role("textbox", name=re.compile(r"^New password\*?$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()
    axe_check(page)

    # --- the new password works, the old one no longer does
    page.get_by_role("link", name="Log in", exact=True).click()
    log_in(page, supervisee.email, password, succeed=False)
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct e-mail address")
    axe_check(page)
    log_in(page, supervisee.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    axe_check(page)
    supervisee.refresh_from_db()
    assert supervisee.check_password(NEW_PASSWORD)
