"""The supervisor's view of one supervisee, in the browser, at desktop and phone width.

She opens a supervisee's page from her dashboard, prepares the next hour with the sheet and
records the meeting; a reply form loaded before the log changed cannot sign it off; and a
co-supervisor sees that she is writing a reply. Every page visited is scanned with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import LogStatus, Pattern
from reflections import services as reflection_services
from reflections.models import Decision, Reply
from supervision.models import SupervisionMeeting
from tests.e2e.helpers import nav
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    RelationshipFactory,
    ReplyFactory,
    SubmittedLogFactory,
    SupervisorFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_dashboard_to_her_page_the_sheet_and_the_meeting(
    open_as, axe_check, catalog, supervisee, supervisor, password
):
    log = SubmittedLogFactory(author=supervisee, client_code="ARC-1", post_session_rumination=9)
    PatternTagFactory(log=log, pattern=Pattern.objects.get(slug="over-preparation-trap"))
    AskedQuestionFactory(
        reply=ReplyFactory(log=log, author=supervisor),
        text="What did the plan protect you from?",
        answer="From not knowing what to say next.",
        answered_at=log.submitted_at,
    )

    page = open_as(supervisor, password)
    axe_check(page)
    nav(page, "Dashboard")
    axe_check(page)
    page.get_by_role("link", name="Sam Supervisee", exact=True).click()
    expect(page.get_by_role("heading", name="Sam Supervisee", level=1)).to_be_visible()
    expect(page.get_by_text("From not knowing what to say next.")).to_be_visible()
    logs = page.get_by_role("region", name="Her session logs")
    expect(logs.get_by_role("link", name=re.compile("ARC-1"))).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Prepare the next hour").click()
    expect(
        page.get_by_role("heading", name="Preparing supervision with Sam Supervisee")
    ).to_be_visible()
    sheet = page.get_by_role("region", name="Sessions that stayed with her")
    expect(sheet).to_contain_text("ARC-1")
    axe_check(page)

    page.get_by_label("Duration (minutes)").fill("50")
    page.get_by_label("What was agreed (one line)").fill("Bring one plan, not three.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text(re.compile("Meeting of .* recorded"))).to_be_visible()
    expect(page.get_by_text("(you agreed: “Bring one plan, not three.”)")).to_be_visible()
    axe_check(page)
    meeting = SupervisionMeeting.objects.get()
    assert list(meeting.supervisees.all()) == [supervisee]
    assert meeting.duration_minutes == 50


def test_a_form_loaded_before_the_log_changed_cannot_sign_it(
    open_as, axe_check, live_server, catalog, supervisee, supervisor, password
):
    second = SupervisorFactory(display_name="Dr Bea Second")
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    log = SubmittedLogFactory(author=supervisee, client_code="STALE-1")

    page = open_as(supervisor, password)
    axe_check(page)
    page.goto(f"{live_server.url}/logs/{log.pk}/reply/")
    expect(page.get_by_role("heading", name="Reply to Sam Supervisee")).to_be_visible()
    axe_check(page)

    # Meanwhile: her other supervisor returns it, she rewrites it and submits it again.
    reflection_services.reply_create(
        log=log, author=second, feedback="Say more.", decision=Decision.RETURN, version=log.version
    )
    log.refresh_from_db()
    log = case_services.session_log_update(
        log=log,
        editor=supervisee,
        data={
            "client_code": log.client_code,
            "session_date": log.session_date,
            "what_happened": "A second account, written after the first review.",
        },
        tags={},
        presentations=[],
        expected_version=log.version,
    )
    case_services.session_log_submit(log=log, by=supervisee)

    page.get_by_label("Feedback").fill("Signed on what I read this morning.")
    page.get_by_label("Sign off").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("has changed since you opened it")
    expect(page.get_by_label("Feedback")).to_have_value("Signed on what I read this morning.")
    expect(page.get_by_text("A second account, written after the first review.")).to_be_visible()
    axe_check(page)
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    assert not Reply.objects.filter(author=supervisor).exists()


def test_a_co_supervisor_sees_who_is_writing(
    open_as, axe_check, catalog, supervisee, supervisor, password
):
    second = SupervisorFactory(display_name="Dr Bea Second", email="bea@example.org")
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    log = SubmittedLogFactory(author=supervisee, client_code="BOTH-1")
    case_services.review_writing_start(log=log, by=supervisor)

    page = open_as(second, password)
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.get_by_text(re.compile("Dr Sol Supervisor is writing a reply"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("BOTH-1")).click()
    expect(page.get_by_text(re.compile("Dr Sol Supervisor is writing a reply"))).to_be_visible()
    axe_check(page)
