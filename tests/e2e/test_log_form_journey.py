"""The shorter log form and the quick note, in the browser at desktop and phone width.

On the full form a pattern's note box appears only once the pattern is ticked; on the phone she
writes a quick note between sessions, it is kept as a draft that cannot be submitted yet, and she
completes it later with the full form. Every page she sees is scanned with axe.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import LogStatus, SessionLog
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATTERN = "The over-preparation trap"


def test_note_box_appears_when_its_pattern_is_ticked(
    open_as, axe_check, catalog, supervisee, supervisor, password
):
    page = open_as(supervisee, password)
    axe_check(page)
    page.get_by_role("link", name="New session log").click()
    expect(page.get_by_role("heading", name="New session log")).to_be_visible()
    axe_check(page)

    expect(page.get_by_label("Session date")).to_have_value(f"{timezone.localdate():%Y-%m-%d}")
    expect(page.get_by_text("0 means calm; 10, the most anxious I get.")).to_be_visible()

    tick = page.get_by_role("checkbox", name=PATTERN)
    note = page.get_by_label(f"Note on {PATTERN}")
    expect(note).to_be_hidden()
    expect(tick).to_have_attribute("aria-expanded", "false")
    tick.check()
    expect(note).to_be_visible()
    expect(tick).to_have_attribute("aria-expanded", "true")
    axe_check(page)
    tick.uncheck()
    expect(note).to_be_hidden()
    tick.check()
    note.fill("Two plans for one hour.")

    page.get_by_label("Client code").fill("C-17")
    page.get_by_label("What happened").fill("I rewrote my plan twice before the session.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved as a draft.")).to_be_visible()
    axe_check(page)
    log = SessionLog.objects.get(client_code="C-17")
    assert log.tags.get().note == "Two plans for one hour."
    assert log.session_date == timezone.localdate()

    # Editing: the ticked pattern's note shows with its text; the others stay folded.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit session log")).to_be_visible()
    axe_check(page)
    expect(page.get_by_label(f"Note on {PATTERN}")).to_have_value("Two plans for one hour.")
    expect(page.get_by_label("Note on Technique focus")).to_be_hidden()


def test_quick_note_written_then_completed_later(
    open_as, axe_check, viewport, catalog, supervisee, supervisor, password
):
    page = open_as(supervisee, password)
    axe_check(page)
    quick = page.get_by_role("link", name="Quick note", exact=True)
    if viewport == PHONE:
        # On a phone it is the first way to start a log, above the full form's button.
        box = quick.bounding_box()
        full = page.get_by_role("link", name="New session log").bounding_box()
        assert box and full and box["y"] < full["y"]
    quick.click()
    expect(page.get_by_role("heading", name="Quick note")).to_be_visible()
    axe_check(page)
    expect(page.get_by_label("Session date")).to_have_value(f"{timezone.localdate():%Y-%m-%d}")

    page.get_by_label("Client code").fill("C-30")
    page.get_by_label("What happened, in one sentence").fill("I planned every minute again.")
    names = [PATTERN, "Technique focus", "Outcome attachment", "Error intolerance"]
    for name in names:
        page.get_by_role("checkbox", name=name).check()
    page.get_by_role("button", name="Save quick note").click()
    expect(page.get_by_text("Tick at most 3 patterns (you ticked 4)")).to_be_visible()
    axe_check(page)
    assert not SessionLog.objects.exists()

    page.get_by_role("checkbox", name="Error intolerance").uncheck()
    page.get_by_role("button", name="Save quick note").click()
    expect(page.get_by_text("Saved as a quick note.")).to_be_visible()
    axe_check(page)
    log = SessionLog.objects.get()
    assert (log.status, log.duration_minutes, log.client_code) == (LogStatus.DRAFT, None, "C-30")
    assert sorted(log.tag_names) == sorted(names[:3])

    # Submitting straight away is refused, in words.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Add how long the session was before submitting.")).to_be_visible()
    axe_check(page)

    # Later, from the list: the quick note says what it is and links to the full form.
    page.goto(page.url.split("/logs/")[0] + "/logs/")
    expect(page.get_by_text("Quick note — complete it when you have a moment.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Complete the log")).click()
    expect(page.get_by_role("heading", name="Edit session log")).to_be_visible()
    axe_check(page)
    expect(page.get_by_label(f"Note on {PATTERN}")).to_be_visible()  # ticked, so open
    page.get_by_label("Duration (minutes)").fill("50")
    page.get_by_label("What I felt").fill("Braced, then relieved.")
    page.get_by_label("Anxiety before the session").fill("6")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    axe_check(page)
    log.refresh_from_db()
    assert (log.status, log.duration_minutes, log.pre_session_anxiety) == (
        LogStatus.SUBMITTED,
        50,
        6,
    )
