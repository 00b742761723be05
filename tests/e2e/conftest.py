"""Playwright driving Debian's Chromium against pytest-django's live server.

The browser is never downloaded: the tests launch /usr/bin/chromium (Debian's
package `chromium`, which `.ci/run` installs). Without it the browser tests
are skipped on a developer's machine and fail in CI, where
GOODENOUGH_REQUIRE_BROWSER=1 is set.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_available() -> bool:
    return os.path.exists(CHROMIUM)


@pytest.fixture(scope="session")
def browser():
    if not _browser_available():
        message = f"Chromium not found at {CHROMIUM}; install Debian's package 'chromium'."
        if os.environ.get("GOODENOUGH_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def open_as(browser, live_server):
    """A fresh, logged-in browser page for a person."""
    contexts = []

    def _open(user, password, viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1200, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    yield _open
    for context in contexts:
        context.close()
