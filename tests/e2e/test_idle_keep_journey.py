"""The idle limit and a form being written, in the browser, with a one-minute limit.

Typing is activity: she writes for longer than the limit and stays signed in, with no
"Still there?" in her way. Then she leaves the page alone: before the limit the page sends
the form to be kept, she lands on the log-in page, logs in again and finds her text in the
form, which she saves as a draft.

The minutes are not waited for: the page's clock (Playwright's fake timers) and the live
server's (the `time` that accounts.middleware and accounts.sessions read, shifted) are moved
forward together, a second at a time, so the page's 5-second checks and every request it makes
meet the server where that much real time would have put it. The script and the middleware
are the real ones; only the time they read is moved. The journeys used to wait in real time,
over a minute each, for the same steps (a quarter of the browser tests' time in CI).
"""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import middleware, sessions
from accounts.models import KeptDraft
from cases.models import LogStatus, SessionLog
from tests.e2e.helpers import LOGIN_PATH, log_in, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page is told the limit on every page (accounts.context_processors); the live server
# runs in this process, so these settings are the ones it reads.
IDLE_SECONDS = 60
WARNING_SECONDS = 30
TYPING_EVERY_SECONDS = 10  # well inside the 30 s of quiet after which the warning opens
TYPING_ROUNDS = 8  # a first fill, then eight more 10 s apart: 80 s of writing
BEGINNING = "We talked about the week and the plan I had made"
MORE = " and we paused"


class ServerClock:
    """`time` as the session limits read it, `offset` seconds ahead of the real one."""

    def __init__(self) -> None:
        self.offset = 0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def server_clock(settings, monkeypatch):
    settings.SESSION_IDLE_TIMEOUT = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    clock = ServerClock()
    monkeypatch.setattr(middleware, "time", clock)
    monkeypatch.setattr(sessions, "time", clock)
    return clock


def _let_time_pass(page, server_clock: ServerClock, seconds: int, *, unless_at=None) -> None:
    """`seconds` go by on both clocks, one second at a time; stop early once the page has
    gone to a URL containing `unless_at`."""
    for _ in range(seconds):
        if unless_at and unless_at in page.url:
            return
        server_clock.offset += 1
        page.clock.run_for(1000)
        # The requests a timer started are answered in real time: give them a moment.
        page.wait_for_timeout(20)


def _new_log_form(new_page, live_server, axe_check, supervisee, password):
    page = new_page(None, who=supervisee.email)
    # Before the first page loads, so that the session script's timers are the fake ones.
    page.clock.install()
    page.goto(live_server.url + LOGIN_PATH)
    axe_check(page)
    log_in(page, supervisee.email, password)
    axe_check(page)
    nav(page, "New log")
    expect(page.get_by_role("heading", name="New session log")).to_be_visible()
    axe_check(page)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Client code").fill("C-17")
    page.get_by_label("Session date").fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_label("What happened").fill(BEGINNING)
    return page


def test_typing_keeps_her_signed_in(
    server_clock, new_page, live_server, axe_check, catalog, supervisee, password
):
    page = _new_log_form(new_page, live_server, axe_check, supervisee, password)
    form_url = page.url
    dialog = page.get_by_role("dialog", name="Still there?")
    what_happened = page.get_by_label("What happened")
    text = BEGINNING
    # She writes for longer than the idle limit: no dialog, still on the form.
    for _ in range(TYPING_ROUNDS):
        _let_time_pass(page, server_clock, TYPING_EVERY_SECONDS)
        expect(dialog).to_be_hidden()
        what_happened.press_sequentially(MORE)
        text += MORE
    expect(dialog).to_be_hidden()
    assert page.url == form_url
    expect(what_happened).to_have_value(text)
    assert not KeptDraft.objects.exists()
    assert server_clock.offset > IDLE_SECONDS
    # The server agrees: her session is alive, past the limit counted from when she logged in.
    page.goto(form_url)
    expect(page.get_by_role("heading", name="New session log")).to_be_visible()
    axe_check(page)


def test_a_form_left_alone_is_kept_and_comes_back_after_log_in(
    server_clock, new_page, live_server, axe_check, catalog, supervisee, password
):
    page = _new_log_form(new_page, live_server, axe_check, supervisee, password)
    form_url = page.url
    text = BEGINNING

    # She leaves it: the page keeps the text and goes to the log-in page, before the limit.
    _let_time_pass(page, server_clock, IDLE_SECONDS, unless_at=LOGIN_PATH)
    page.wait_for_url(f"**{LOGIN_PATH}?next=*")
    assert server_clock.offset < IDLE_SECONDS
    expect(page.get_by_text("What you were writing is kept for you")).to_be_visible()
    axe_check(page)
    assert KeptDraft.objects.filter(owner=supervisee, form="log_new").exists()
    assert not SessionLog.objects.filter(author=supervisee).exists()

    log_in(page, supervisee.email, password)
    page.wait_for_url(form_url)
    expect(page.get_by_text("We kept what you were writing")).to_be_visible()
    expect(page.get_by_label("What happened")).to_have_value(text)
    expect(page.get_by_label("Client code")).to_have_value("C-17")
    axe_check(page)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    axe_check(page)
    log = SessionLog.objects.get(author=supervisee)
    assert log.status == LogStatus.DRAFT and log.what_happened == text
    assert not KeptDraft.objects.exists()
