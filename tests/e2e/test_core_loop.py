"""The whole core loop in a real browser.

A supervisee writes, tags and submits a log; her supervisor sees it in the
queue, replies with the suggested questions and signs off; she answers the
question and sees the signature.
"""

import re

import pytest
from playwright.sync_api import expect

from cases.models import LogStatus, SessionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_submit_review_sign_answer(open_as, catalog, supervisee, supervisor, password):
    # --- the supervisee writes, is warned about a phone number, confirms, submits
    page = open_as(supervisee, password)
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    page.get_by_role("link", name="New session log").click()
    page.get_by_label("Client code").fill("C-17")
    page.get_by_label("Session date").fill("2026-11-20")
    page.get_by_label("What happened").fill(
        "The client came late and the plan fell apart. Left a message on 07700 900123."
    )
    page.get_by_label("What I felt").fill("Exposed, as if I should have known what to do.")
    page.get_by_label("Anxiety before the session").fill("7")
    page.get_by_role("checkbox", name="The over-preparation trap").check()
    page.get_by_label("Note on The over-preparation trap").fill("Planned three exercises.")
    page.get_by_role("button", name="Save and submit for review").click()

    warning = page.locator("#identifier-warning")
    expect(warning).to_contain_text("07700 900123")
    assert SessionLog.objects.count() == 0, "nothing is stored before the writer decides"
    page.get_by_label("What happened").fill("The client came late and the plan fell apart.")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    expect(page.get_by_text("Submitted for review").first).to_be_visible()
    log = SessionLog.objects.get()
    assert log.status == LogStatus.SUBMITTED

    # --- the supervisor finds it in the queue, replies with the suggested question, signs off
    review = open_as(supervisor, password)
    expect(review.get_by_role("heading", name="Review queue")).to_be_visible()
    review.get_by_role("link", name=re.compile("C-17")).click()
    review.get_by_role("link", name="Reply, return or sign off").click()
    # One question is suggested: of the two that fit the pattern, the first in the catalog.
    process = review.get_by_role("checkbox", name=re.compile("Process over outcome:"))
    expect(process).to_be_checked()
    presence = review.get_by_role("checkbox", name=re.compile("Presence over performance:"))
    expect(presence).not_to_be_checked()
    presence.check()
    for box in review.get_by_role("checkbox").all():
        label = box.evaluate("el => el.labels[0].textContent")
        if box.is_checked() and "Presence over performance:" not in label:
            box.uncheck()
    review.get_by_label("Feedback").fill(
        "You noticed the plan getting in the way. That is the work."
    )
    review.get_by_label("Authentic presence").check()
    review.get_by_label("Sign off").check()
    review.get_by_role("button", name="Send").click()
    expect(review.locator("#signature")).to_contain_text("Signed off by Dr Sol Supervisor")

    # --- the supervisee answers the question and sees the signature
    page.reload()
    expect(page.locator("#signature")).to_contain_text("matches what was signed")
    page.get_by_label("Your answer").fill("That I can be present without a perfect plan.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    # The paragraph: the form to change it (folded away) holds the same text.
    expect(
        page.get_by_role("paragraph").filter(
            has_text="That I can be present without a perfect plan."
        )
    ).to_be_visible()

    log.refresh_from_db()
    assert log.status == LogStatus.SIGNED
    asked = log.replies.get().questions.get()
    assert asked.theme == "Presence over performance"
    assert asked.answer == "That I can be present without a perfect plan."
