"""Gentle questions, in the browser at desktop and phone width.

She keeps one of her supervisor's questions for supervision and answers the other, changing
her answer before it is read; her supervisor sees both on the log page; once read, the answer
stays as it is, and she can still take the first question back to answer it in writing.
Every page is scanned with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from reflections.models import AskedQuestion
from reflections.selectors import questions_for_supervision
from tests.e2e.helpers import nav
from tests.factories import AskedQuestionFactory, ReplyFactory, SubmittedLogFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEEP = "What did you notice in yourself when the plan fell away?"
ANSWER = "What would it mean to arrive without a plan?"


def test_gentle_questions_journey(open_as, axe_check, catalog, supervisee, supervisor, password):
    log = SubmittedLogFactory(author=supervisee, client_code="C-51")
    reply = ReplyFactory(log=log, author=supervisor)
    kept = AskedQuestionFactory(reply=reply, position=0, theme="", text=KEEP)
    answered = AskedQuestionFactory(reply=reply, position=1, theme="", text=ANSWER)

    page = open_as(supervisee, password)
    axe_check(page)
    nav(page, "My logs")
    axe_check(page)
    # From her list of logs (the "Waiting for you" strip links each question too).
    page.locator("main .list-group").get_by_role("link", name=re.compile("C-51")).click()
    expect(page.get_by_text(KEEP)).to_be_visible()
    axe_check(page)

    # --- she keeps the first question for supervision
    first = page.locator(f"#question-{kept.pk}")
    first.get_by_role("button", name="I'd rather talk about this in supervision").click()
    expect(page.get_by_text("Noted: you can talk about this one in supervision.")).to_be_visible()
    first = page.locator(f"#question-{kept.pk}")
    expect(first.get_by_text("You chose to talk about this in supervision.")).to_be_visible()
    expect(first.get_by_label("Your answer")).to_have_count(0)
    axe_check(page)

    # --- she answers the second, then changes her answer before it is read
    second = page.locator(f"#question-{answered.pk}")
    second.get_by_label("Your answer").fill("To meet the client as they come.")
    second.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    axe_check(page)
    second = page.locator(f"#question-{answered.pk}")
    second.get_by_text("Change my answer").click()
    second.get_by_label("Your answer").fill("To meet the client as they come, and myself too.")
    second.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Answer changed.")).to_be_visible()
    axe_check(page)

    # --- her supervisor sees both on the log page
    review = open_as(supervisor, password)
    axe_check(review)
    review.get_by_role("link", name=re.compile("C-51")).click()
    expect(
        review.get_by_text(
            f"{supervisee.display_name} would like to talk about this in supervision."
        )
    ).to_be_visible()
    expect(review.get_by_text("and myself too.")).to_be_visible()
    axe_check(review)
    assert [q.text for q in questions_for_supervision(supervisor, supervisee)] == [KEEP]

    # --- read now: her answer stays as it is; the kept question can still be answered here
    page.reload()
    second = page.locator(f"#question-{answered.pk}")
    expect(
        second.get_by_text(
            "Your supervisor has read this; add further thoughts in the conversation"
        )
    ).to_be_visible()
    expect(second.get_by_text("Change my answer")).to_have_count(0)
    axe_check(page)
    page.locator(f"#question-{kept.pk}").get_by_role(
        "button", name="Answer it here instead"
    ).click()
    expect(page.get_by_text("You can answer this question here again.")).to_be_visible()
    expect(page.locator(f"#question-{kept.pk}").get_by_label("Your answer")).to_be_visible()
    axe_check(page)
    assert AskedQuestion.objects.get(pk=kept.pk).deferred_at is None
    assert questions_for_supervision(supervisor, supervisee) == []
