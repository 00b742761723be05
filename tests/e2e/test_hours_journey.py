"""Hours toward a licence, in the browser, at desktop and phone width.

She logs a session with a couple, chooses her board's rules and finds the hours on her page;
her supervisor adds her licence, signs the month from her queue in one step; she sees the
signature and downloads the verification, whose text holds the totals and the signature.
Every page visited is scanned with axe.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from hours.models import PeriodSignature
from tests.e2e.helpers import nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _last_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_log_hours_sign_a_month_download_the_verification(
    open_as, axe_check, catalog, supervisee, supervisor, password
):
    call_command("load_rule_sets", stdout=io.StringIO())
    month = _last_month(timezone.localdate())
    month_label = f"{month:%B %Y}"

    # --- she logs a session with a couple last month
    page = open_as(supervisee, password)
    axe_check(page)
    nav(page, "New log")
    page.get_by_label("Client code").fill("H-1")
    page.get_by_label("Session date").fill((month + datetime.timedelta(days=9)).isoformat())
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Client", exact=True).select_option(label="Couple")
    page.get_by_label("What happened").fill("We worked on how they argue about chores.")
    axe_check(page)
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    axe_check(page)

    # --- her hours: she chooses her board's rules; the session is there, unsigned
    nav(page, "Hours")
    expect(page.get_by_role("heading", name="Hours toward your licence")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Rules and dates").click()
    page.get_by_label("Rule set").select_option(label="Texas LPC Associate (BHEC)")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your hours are read again under these rules.")).to_be_visible()
    expect(page.get_by_role("heading", name="Texas LPC Associate (BHEC)")).to_be_visible()
    totals = page.get_by_role("region", name="Recorded and counted")
    expect(totals.get_by_role("row", name=re.compile("Direct client contact"))).to_contain_text(
        "1.5 h"
    )
    periods = page.get_by_role("region", name="Months and signatures")
    expect(periods.get_by_role("row", name=re.compile(month_label))).to_contain_text(
        "Not signed yet"
    )
    axe_check(page)

    # --- her supervisor adds her licence and signs the month from her queue
    review = open_as(supervisor, password)
    expect(review.get_by_role("heading", name="Review queue")).to_be_visible()
    waiting = review.get_by_role("region", name="Hours to sign")
    expect(waiting).to_contain_text("Sam Supervisee: hours since the last signature")
    axe_check(review)
    waiting.get_by_role("link", name="Sign hours").click()
    expect(review.get_by_role("heading", name="Hours to sign")).to_be_visible()
    axe_check(review)
    review.get_by_role("link", name="Add your licence").click()
    review.get_by_label("Licence number").fill("TX-LPC-S 70001")
    review.get_by_label("Licensed in").fill("Texas BHEC")
    axe_check(review)
    review.get_by_role("button", name="Save").click()
    expect(review.get_by_text("Your licence is saved.")).to_be_visible()
    # One line per supervisee; her periods are on her own page.
    review.get_by_role("link", name="Review and sign the hours of Sam Supervisee").click()
    expect(review.get_by_role("heading", name="Hours of Sam Supervisee to sign")).to_be_visible()
    axe_check(review)
    review.get_by_role("checkbox", name=re.compile(month_label)).check()
    review.get_by_role("button", name="Sign the ticked periods").click()
    expect(review.get_by_text("Signed 1 period of Sam Supervisee's hours.")).to_be_visible()
    axe_check(review)
    signature = PeriodSignature.objects.get()
    assert (signature.licence_number, signature.starts_on) == ("TX-LPC-S 70001", month)

    # --- she sees the signature and downloads the verification
    page.reload()
    periods = page.get_by_role("region", name="Months and signatures")
    row = periods.get_by_role("row", name=re.compile(month_label))
    expect(row).to_contain_text("Signed by Dr Sol Supervisor")
    axe_check(page)
    row.get_by_role("link", name=month_label).click()
    expect(page.get_by_role("heading", name=month_label)).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Verification (PDF)").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Verification of supervised experience" in text
    assert "Dr Sol Supervisor" in text
    assert "TX-LPC-S 70001" in text
    assert signature.sha256 in text.replace("\n", "")
    assert "1.5 h" in text
