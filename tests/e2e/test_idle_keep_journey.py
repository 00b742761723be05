"""The idle limit and a form being written, in the browser, with a one-minute limit.

Typing is activity: she writes for longer than the limit and stays signed in, with no
"Still there?" in her way. Then she leaves the page alone: before the limit the page sends
the form to be kept, she lands on the log-in page, logs in again and finds her text in the
form, which she saves as a draft. The waits are real time (over a minute each): the two
halves are two tests, so that parallel workers run them side by side.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import KeptDraft
from cases.models import LogStatus, SessionLog
from tests.e2e.helpers import LOGIN_PATH, log_in, nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page is told the limit on every page (accounts.context_processors); the live server
# runs in this process, so these settings are the ones it reads.
IDLE_SECONDS = 60
WARNING_SECONDS = 30
# Every 10 s: well inside the 30 s before the warning, even on a loaded machine (at 20 s
# apart a slow CI run once reached the warning, whose dialog took the keystrokes).
TYPING_EVERY_MS = 10_000
TYPING_ROUNDS = 8  # a first fill, then eight more about 10 s apart: over 80 s of writing
BEGINNING = "We talked about the week and the plan I had made"
MORE = " and we paused"


@pytest.fixture
def one_minute_limit(settings):
    settings.SESSION_IDLE_TIMEOUT = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS


def _new_log_form(open_as, axe_check, supervisee, password):
    page = open_as(supervisee, password)
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
    one_minute_limit, open_as, axe_check, catalog, supervisee, password
):
    page = _new_log_form(open_as, axe_check, supervisee, password)
    form_url = page.url
    dialog = page.get_by_role("dialog", name="Still there?")
    what_happened = page.get_by_label("What happened")
    text = BEGINNING
    # She writes for longer than the idle limit: no dialog, still on the form.
    for _ in range(TYPING_ROUNDS):
        page.wait_for_timeout(TYPING_EVERY_MS)
        expect(dialog).to_be_hidden()
        what_happened.press_sequentially(MORE)
        text += MORE
    expect(dialog).to_be_hidden()
    assert page.url == form_url
    expect(what_happened).to_have_value(text)
    assert not KeptDraft.objects.exists()


def test_a_form_left_alone_is_kept_and_comes_back_after_log_in(
    one_minute_limit, open_as, axe_check, catalog, supervisee, password
):
    page = _new_log_form(open_as, axe_check, supervisee, password)
    form_url = page.url
    text = BEGINNING

    # She leaves it: the page keeps the text and goes to the log-in page.
    page.wait_for_url(f"**{LOGIN_PATH}?next=*", timeout=(IDLE_SECONDS + 30) * 1000)
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
