"""The error pages in the browser, at desktop and phone width: readable, accessible, a way back.

The test-only URLconf of tests/test_error_pages.py adds pages that fail on purpose; DEBUG is
off, as in production.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.test_error_pages"),
]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_error_pages_lead_back(new_page, axe_check, supervisee, password):
    page = new_page("/no-such-page/")
    expect(page.get_by_role("heading", name="We can’t find that page")).to_be_visible()
    axe_check(page)
    page.goto(page.url.replace("/no-such-page/", "/test-errors/500/"))
    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()
    axe_check(page)
    # Someone logged out is offered the log-in page.
    page.goto(page.url.replace("/test-errors/500/", "/no-such-page/"))
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    axe_check(page)
    log_in(page, supervisee.email, password)
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    axe_check(page)

    # Logged in: the wrong role's page, and back to her start page.
    page.goto(page.url.replace("/logs/", "/review/"))
    expect(page.get_by_role("heading", name="This page isn’t available to you")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Go to your start page").click()
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
