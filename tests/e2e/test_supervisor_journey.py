"""A supervisor's review, in the browser, at desktop and phone width.

She finds a log in her queue, replies with the suggested questions and returns it for revision;
once the supervisee has revised and resubmitted it, she signs it off and adds an addendum, and the
log page still says that the content matches what was signed. Every page is scanned with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import LogStatus, Pattern, SessionLog
from tests.e2e.helpers import nav
from tests.factories import PatternTagFactory, SubmittedLogFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _revise_and_resubmit(log: SessionLog, supervisee) -> None:
    """What the supervisee does between the two reviews (her own journey covers the form)."""
    data = {
        "what_it_teaches": "That I can let the plan go and still be useful.",
        **{f: getattr(log, f) for f in ("client_code", "session_date", "what_happened")},
    }
    log = case_services.session_log_update(
        log=log,
        editor=supervisee,
        data=data,
        tags={tag.pattern: tag.note for tag in log.tags.all()},
        presentations=log.presentations.all(),
        expected_version=log.version,
    )
    case_services.session_log_submit(log=log, by=supervisee)


def test_supervisor_journey(open_as, axe_check, catalog, supervisee, supervisor, password):
    log = SubmittedLogFactory(author=supervisee, client_code="C-23")
    PatternTagFactory(log=log, pattern=Pattern.objects.get(slug="over-preparation-trap"))

    page = open_as(supervisor, password)
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    axe_check(page)

    # --- first review: the suggested questions, and back to her for revision
    page.get_by_role("link", name=re.compile("C-23")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("C-23")
    axe_check(page)
    page.get_by_role("link", name="Reply, return or sign off").click()
    expect(page.get_by_role("heading", name="Reply to Sam Supervisee")).to_be_visible()
    axe_check(page)
    suggested = page.get_by_role(
        "checkbox", name=re.compile("Suggested for this log — Process over outcome:")
    )
    expect(suggested).to_be_checked()
    page.get_by_label("Feedback").fill(
        "You saw the plan crowding the client out. Say more about what you learned."
    )
    page.get_by_label("Return for revision").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Returned for revision").first).to_be_visible()
    expect(page.get_by_text("regardless of whether it")).to_be_visible()
    axe_check(page)
    log.refresh_from_db()
    assert log.status == LogStatus.RETURNED

    _revise_and_resubmit(log, supervisee)

    # --- second review: sign off, then an addendum under the signed content
    nav(page, "Review queue")
    axe_check(page)
    page.get_by_role("link", name=re.compile("C-23")).click()
    expect(page.get_by_text("That I can let the plan go and still be useful.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Reply, return or sign off").click()
    expect(page.get_by_role("heading", name="Reply to Sam Supervisee")).to_be_visible()
    axe_check(page)
    page.get_by_label("Feedback").fill("Letting the plan go is the learning. Signed with thanks.")
    page.get_by_label("Process focus").check()
    page.get_by_label("Sign off").check()
    page.get_by_role("button", name="Send").click()
    signature = page.locator("#signature")
    expect(signature).to_contain_text("Signed off by Dr Sol Supervisor")
    expect(signature).to_contain_text("matches what was signed")
    axe_check(page)

    page.get_by_label("Addendum").fill("Discussed again in person; nothing to add to the log.")
    page.get_by_role("button", name="Add addendum").click()
    addenda = page.get_by_role("region", name="Addenda")
    expect(addenda).to_contain_text("Discussed again in person")
    expect(signature).to_contain_text("matches what was signed")
    axe_check(page)

    log.refresh_from_db()
    assert log.status == LogStatus.SIGNED and log.signed_by == supervisor
    assert log.addenda.get().author == supervisor
