"""The log form with the keyboard alone, at desktop and phone width.

After the page loads there is no mouse: Tab to move, typing, Space to tick, Enter to submit.
Every element that takes focus on the way must show it (an outline or a focus shadow) and be
on screen.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import LogStatus, SessionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 150

# What the focused element looks like: its name for messages, whether the focus is visible.
# It waits two frames first: focus moves inside a date input land a little after the key press.
FOCUS_JS = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].textContent
              : el.getAttribute('aria-label') || el.textContent;
  return {
    name: el.tagName.toLowerCase() + ' "' + (label || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"',
    visible: Boolean(outline || shadow),
    onScreen: box.width > 0 && box.height > 0,
  };
}"""


class Keyboard:
    """Moves through the page with Tab and remembers anything focused without a visible focus."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []

    def tab_to(self, locator) -> None:
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUS_JS)
            if focused:
                if not focused["visible"]:
                    self.problems.append(f"{focused['name']}: no visible focus")
                if not focused["onScreen"]:
                    self.problems.append(f"{focused['name']}: focused but not on screen")
            if locator.evaluate("el => el === document.activeElement"):
                return
        pytest.fail(f"{locator} never took focus after {MAX_TABS} presses of Tab")


def _recent_day_equal_to_month() -> datetime.date:
    """A past date such as 11 Nov: typed the same in day-first and month-first order.

    A date input's segment order follows the browser's own locale, which the tests cannot set
    (headless Chromium ignores the context's locale there), so the date is typed in a way both
    orders read alike.
    """
    day = timezone.localdate()
    while day.day != day.month:
        day -= datetime.timedelta(days=1)
    return day


def test_log_form_with_the_keyboard_alone(
    open_as, axe_check, live_server, catalog, supervisee, supervisor, password
):
    session_day = _recent_day_equal_to_month()
    page = open_as(supervisee, password)
    axe_check(page)
    page.goto(f"{live_server.url}/logs/new/")
    expect(page.get_by_role("heading", name="New session log")).to_be_visible()
    axe_check(page)
    keys = Keyboard(page)

    # The first Tab reaches the skip link, which jumps over the navigation.
    skip = page.get_by_role("link", name="Skip to main content")
    keys.tab_to(skip)
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    client_code = page.get_by_label("Client code")
    keys.tab_to(client_code)
    page.keyboard.type("K-9")

    session_date = page.get_by_label("Session date")
    keys.tab_to(session_date)
    page.keyboard.type(f"{session_day:%d%m%Y}")
    expect(session_date).to_have_value(f"{session_day:%Y-%m-%d}")

    keys.tab_to(page.get_by_label("What happened"))
    page.keyboard.type("We sat with a long silence and I did not fill it.")

    keys.tab_to(page.get_by_label("Anxiety before the session"))
    page.keyboard.type("5")

    tick = page.get_by_role("checkbox", name="The over-preparation trap")
    keys.tab_to(tick)
    page.keyboard.press("Space")
    expect(tick).to_be_checked()
    keys.tab_to(page.get_by_label("Note on The over-preparation trap"))
    page.keyboard.type("No plan B this time.")

    keys.tab_to(page.get_by_role("button", name="Save and submit for review"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    axe_check(page)

    assert not keys.problems, "focus problems:\n" + "\n".join(dict.fromkeys(keys.problems))
    log = SessionLog.objects.get()
    assert log.client_code == "K-9" and log.status == LogStatus.SUBMITTED
    assert log.session_date == session_day
    assert log.tags.get().note == "No plan B this time."
