"""Playwright driving Debian's Chromium against pytest-django's live server.

The browser is never downloaded: the tests launch /usr/bin/chromium (Debian's
package `chromium`, which `.ci/run` installs). Without it the browser tests
are skipped on a developer's machine and fail in CI, where
GOODENOUGH_REQUIRE_BROWSER=1 is set.

Every test that opens a page runs twice, at desktop and at phone width (the
`viewport` fixture). A test that asks for `axe_check` must scan every page it
visits with axe-core (bundled in axe-playwright-python, nothing is fetched):
pages that loaded but were never scanned fail the test at teardown.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

from tests.e2e.helpers import log_in

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

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 375, "height": 812}
# axe impacts that fail a test; "moderate" and "minor" findings are fixed as they turn up.
BLOCKING_IMPACTS = ("serious", "critical")
SHOWN_TARGETS = 3


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so teardown knows whether the test itself passed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def viewport(request):
    """The window size the test's pages open at: a desktop and a phone."""
    return request.param


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Visits:
    """Which pages each browser page loaded, and which of them axe has scanned."""

    def __init__(self):
        self.loaded: dict[int, tuple[str, list[str]]] = {}
        self.scanned: set[tuple[int, str]] = set()
        self.csp_violations: list[str] = []

    def track(self, page, who: str) -> None:
        record = (who, [])
        self.loaded[id(page)] = record
        page.on("load", lambda loaded: record[1].append(_path(loaded.url)))
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message) -> None:
        # The pages run under a strict Content-Security-Policy: an inline script or style=
        # attribute would be refused, and Chromium says so on the console.
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{_path(page.url)}: {message.text}")

    def mark_scanned(self, page) -> None:
        self.scanned.add((id(page), _path(page.url)))

    def unscanned(self) -> list[str]:
        missing = []
        for key, (who, paths) in self.loaded.items():
            for path in dict.fromkeys(paths):
                if (key, path) not in self.scanned:
                    missing.append(f"{path} (as {who})")
        return missing


@pytest.fixture
def _visits():
    return _Visits()


def _axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


# Elements wider than the window: at phone width the page must not scroll sideways (a wide
# table scrolls inside its own .table-responsive box instead).
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest('.table-responsive, .visually-hidden'))
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && el.className.baseVal === undefined ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  }
  return wide.length ? wide.slice(0, 5) : ['(the page scrolls sideways)'];
}"""


def _describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:SHOWN_TARGETS]]
    more = len(violation["nodes"]) - len(targets)
    return (
        f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"      at {'; '.join(targets)}{f' (and {more} more)' if more > 0 else ''}"
    )


@pytest.fixture
def axe_check(_visits):
    """Scan the page as it is now with axe-core; fail on any serious or critical violation.

    It also fails when the page is wider than the window (content cut off on a phone).
    """

    def _check(page) -> None:
        violations = _axe_violations(page)
        _visits.mark_scanned(page)
        width = page.viewport_size["width"] if page.viewport_size else "?"
        if violations:
            details = "\n".join(_describe(v) for v in violations)
            pytest.fail(
                f"axe found {len(violations)} serious or critical problem(s) on "
                f"{_path(page.url)} at {width}px:\n{details}",
                pytrace=False,
            )
        too_wide = page.evaluate(_OVERFLOW_JS)
        if too_wide:
            pytest.fail(
                f"{_path(page.url)} is wider than the {width}px window: {', '.join(too_wide)}",
                pytrace=False,
            )

    return _check


@pytest.fixture
def new_page(browser, live_server, viewport, _visits, request):
    """A fresh browser page (its own cookies) at the test's viewport, not logged in."""
    contexts = []

    def _new(path: str | None = "/accounts/login/", *, who: str = "anonymous", size=None):
        context = browser.new_context(viewport=size or viewport, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _visits.track(page, who)
        if path is not None:
            page.goto(f"{live_server.url}{path}")
        return page

    yield _new
    for context in contexts:
        context.close()
    assert not _visits.csp_violations, "\n".join(dict.fromkeys(_visits.csp_violations))
    call = getattr(request.node, "rep_call", None)
    if "axe_check" in request.fixturenames and call is not None and call.passed:
        missing = _visits.unscanned()
        assert not missing, "pages visited without an axe scan: " + ", ".join(missing)


@pytest.fixture
def open_as(new_page, request):
    """A fresh, logged-in browser page for a person (the login page is scanned too)."""
    scan = request.getfixturevalue("axe_check") if "axe_check" in request.fixturenames else None

    def _open(user, password, viewport=None):
        page = new_page(who=user.email, size=viewport)
        if scan:
            scan(page)
        log_in(page, user.email, password)
        return page

    return _open
