"""A supervisee's week, in the browser, at desktop and phone width.

She writes and tags a log, is stopped by the identifier check, fixes the text and submits; she
answers her supervisor's question on an earlier log, writes a private reflection from a catalog
question, and reads her dashboard. Every page she sees is scanned with axe.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import LogStatus, SessionLog
from reflections.models import PrivateReflection
from supervision import audit
from supervision.models import AuditAction
from tests.e2e.helpers import nav
from tests.factories import AskedQuestionFactory, ReplyFactory, SubmittedLogFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "What did you notice in yourself when the plan fell away?"


def test_supervisee_journey(open_as, axe_check, catalog, supervisee, supervisor, password):
    earlier = SubmittedLogFactory(author=supervisee, client_code="C-42")
    reply = ReplyFactory(log=earlier, author=supervisor)
    AskedQuestionFactory(reply=reply, theme="Presence over performance", text=QUESTION)
    audit.record(actor=supervisor, action=AuditAction.VIEW, obj=earlier, owner=supervisee)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    page = open_as(supervisee, password)
    expect(page.get_by_role("heading", name="My session logs")).to_be_visible()
    axe_check(page)

    # --- a new log, tagged, with an e-mail address the identifier check catches
    nav(page, "New log")
    expect(page.get_by_role("heading", name="New session log")).to_be_visible()
    axe_check(page)
    page.get_by_label("Client code").fill("C-17")
    page.get_by_label("Session date").fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_label("What happened").fill(
        "The client wrote from river.k@example.net the night before and I rewrote my plan twice."
    )
    page.get_by_label("What I felt").fill("Braced, as if the session were an exam.")
    page.get_by_label("Anxiety before the session").fill("6")
    page.get_by_role("checkbox", name="The over-preparation trap").check()
    page.get_by_label("Note on The over-preparation trap").fill("Two plans for one hour.")
    page.get_by_role("button", name="Save and submit for review").click()

    warning = page.get_by_role("alert").filter(has_text="Possible identifiers")
    expect(warning).to_contain_text("river.k@example.net")
    expect(page.get_by_role("checkbox", name="The over-preparation trap")).to_be_checked()
    axe_check(page)
    assert not SessionLog.objects.filter(client_code="C-17").exists()

    page.get_by_label("What happened").fill(
        "The client wrote the night before and I rewrote my plan twice."
    )
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C-17")
    axe_check(page)
    log = SessionLog.objects.get(client_code="C-17")
    assert log.status == LogStatus.SUBMITTED
    assert log.tags.get().note == "Two plans for one hour."

    # --- she answers the question her supervisor asked on the earlier log: her home page
    # lists it under "Waiting for you", and the link lands on the question
    nav(page, "My logs")
    axe_check(page)
    waiting = page.get_by_role("region", name="Waiting for you")
    waiting.get_by_role("link", name=re.compile("C-42")).click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    axe_check(page)
    page.get_by_label("Your answer").fill("That I could stay with the client without a script.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    # The paragraph: the form to change it (folded away) holds the same text.
    expect(
        page.get_by_role("paragraph").filter(
            has_text="That I could stay with the client without a script."
        )
    ).to_be_visible()
    axe_check(page)

    # --- who has opened that log, and her work as a whole
    page.get_by_role("link", name="Who has opened this log").click()
    expect(page.get_by_role("heading", name="Who has opened this log")).to_be_visible()
    expect(page.get_by_role("cell", name=supervisor.display_name)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="All my work").click()
    expect(page.get_by_role("heading", name="Who has seen my work")).to_be_visible()
    expect(page.get_by_role("cell", name=supervisor.display_name)).to_be_visible()
    axe_check(page)

    # --- a private reflection that starts from a catalog question
    nav(page, "Journal")
    expect(page.get_by_role("heading", name="My private journal")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="New reflection").click()
    expect(page.get_by_role("heading", name="New private reflection")).to_be_visible()
    axe_check(page)
    page.get_by_label("Title").fill("Plans as armour")
    page.get_by_label("Starting from").select_option(label="How can I be most present?")
    page.get_by_label("Reflection").fill("The second plan was for me, not for the client.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved to your private journal.")).to_be_visible()
    expect(page.get_by_role("blockquote")).to_contain_text("How can I be most present?")
    axe_check(page)
    entry = PrivateReflection.objects.get()
    assert entry.author == supervisee and entry.question.name == "Presence over performance"

    # --- the dashboard: each chart comes with a table of the same numbers
    nav(page, "Dashboard")
    expect(page.get_by_role("heading", name="My dashboard")).to_be_visible()
    axe_check(page)
    patterns = page.get_by_role("region", name="Patterns I noticed")
    expect(patterns.get_by_role("img")).to_be_visible()
    patterns.get_by_text("Table", exact=True).click()
    table = patterns.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("The over-preparation trap"))).to_be_visible()
    axe_check(page)
