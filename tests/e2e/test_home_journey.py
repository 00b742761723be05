"""Her home page says what needs her: a returned log with its request, a question waiting.

At desktop and phone width; every page visited is scanned with axe.
"""

import pytest
from playwright.sync_api import expect

from cases.models import LogStatus
from reflections.models import Decision
from tests.factories import AskedQuestionFactory, ReplyFactory, SubmittedLogFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = "Could you add what you felt when the client went quiet?"
QUESTION = "What would good enough have looked like in that hour?"


def test_home_strip_shows_a_returned_log_and_a_question_and_both_links_work(
    open_as, axe_check, catalog, supervisee, supervisor, password
):
    returned = SubmittedLogFactory(
        author=supervisee, client_code="RET-1", status=LogStatus.RETURNED
    )
    ReplyFactory(log=returned, author=supervisor, feedback=REQUEST, decision=Decision.RETURN)
    asked = AskedQuestionFactory(
        reply__log__author=supervisee,
        reply__log__client_code="ASK-1",
        reply__author=supervisor,
        text=QUESTION,
    )

    page = open_as(supervisee, password)
    strip = page.get_by_role("region", name="Waiting for you")
    expect(strip).to_be_visible()
    expect(strip).to_contain_text(REQUEST)
    expect(strip).to_contain_text(QUESTION)
    axe_check(page)

    # The returned log: its request is the first thing on the page, above the buttons.
    strip.get_by_role("link", name=f"{returned}").click()
    page.wait_for_url(f"**{returned.get_absolute_url()}")
    request = page.get_by_role("region", name=f"{supervisor.display_name} returned this log")
    expect(request).to_contain_text(REQUEST)
    axe_check(page)
    # ... and inside the edit form, where the revision is written.
    page.get_by_role("link", name="Edit").click()
    page.wait_for_url("**/edit/")
    expect(
        page.get_by_role("region", name=f"{supervisor.display_name} returned this log")
    ).to_contain_text(REQUEST)
    axe_check(page)

    # The question: the link lands on it, ready to answer.
    page.go_back()
    page.go_back()
    page.wait_for_url("**/logs/")
    page.get_by_role("region", name="Waiting for you").get_by_role(
        "link", name=f"{asked.reply.log}"
    ).click()
    page.wait_for_url(f"**{asked.reply.log.get_absolute_url()}#question-{asked.pk}")
    expect(page.locator(f"#question-{asked.pk}")).to_contain_text(QUESTION)
    axe_check(page)
