"""Membership with consent, in the browser, at desktop and phone width.

The facilitator invites a supervisee; she accepts from the groups page; she shares a log
through the preview, ratings left out; at the meeting today, where she presents, the
facilitator opens her log from the meeting's page and keeps a "what we took away" note; then
removes her after a confirmation page, and she still reads the discussion of her log. Every
page is scanned with axe.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import GroupMeeting, GroupMembership, LogShare
from tests.e2e.helpers import nav
from tests.factories import SubmittedLogFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_group_membership_journey(open_as, axe_check, catalog, group, other_supervisor, password):
    nia = UserFactory(display_name="Nia Newcomer")
    SubmittedLogFactory(
        author=nia,
        client_code="C-77",
        what_happened="Synthetic: she spoke of her brother.",
        pre_session_anxiety=8,
        post_session_rumination=6,
    )

    # --- the facilitator invites Nia
    facilitator = open_as(other_supervisor, password)
    axe_check(facilitator)
    nav(facilitator, "Groups")
    axe_check(facilitator)
    facilitator.get_by_role("link", name="Sounding board").click()
    expect(facilitator.get_by_role("heading", name="Members")).to_be_visible()
    axe_check(facilitator)
    facilitator.get_by_label("Invite a supervisee").select_option(label="Nia Newcomer")
    facilitator.get_by_role("button", name="Invite", exact=True).click()
    expect(facilitator.get_by_text("Nia Newcomer is invited")).to_be_visible()
    expect(facilitator.get_by_text("Invited, no answer yet: Nia Newcomer")).to_be_visible()
    axe_check(facilitator)
    assert not GroupMembership.objects.filter(member=nia).exists()

    # --- Nia sees the invitation on the groups page and accepts
    page = open_as(nia, password)
    axe_check(page)
    nav(page, "Groups")
    expect(page.get_by_role("heading", name="Invitation to Sounding board")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Accept the invitation to Sounding board").click()
    expect(page.get_by_text("You joined Sounding board.")).to_be_visible()
    axe_check(page)

    # --- she shares a log through the preview; her ratings stay out
    nav(page, "My logs")
    axe_check(page)
    page.get_by_role("link", name=re.compile("C-77")).click()
    expect(page.get_by_role("heading", name="Group discussion")).to_be_visible()
    axe_check(page)
    page.get_by_label("Share with group").select_option(label="Sounding board")
    page.get_by_role("button", name="Preview and share").click()
    expect(page.get_by_role("heading", name="Share with Sounding board?")).to_be_visible()
    preview = page.locator("#shared-content")
    expect(preview).to_contain_text("Synthetic: she spoke of her brother.")
    expect(preview).not_to_contain_text("Pre-session anxiety")
    expect(page.get_by_label("Include my anxiety and rumination ratings")).not_to_be_checked()
    axe_check(page)
    page.get_by_role("button", name="Share with Sounding board").click()
    expect(page.get_by_text("Shared with Sounding board.")).to_be_visible()
    axe_check(page)
    share = LogShare.objects.get(log__author=nia)
    assert share.show_ratings is False

    # --- the meeting today, where she presents: her log, then the takeaway note
    # An hour from now, but never past midnight: the heading says "today" only for
    # a meeting on today's date, and this journey runs at any hour (CI once ran it at 23:03).
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    starts_at = min(now + datetime.timedelta(hours=1), midnight - datetime.timedelta(minutes=5))
    if starts_at < now + datetime.timedelta(minutes=5):  # too near midnight: tomorrow's, then
        starts_at = now + datetime.timedelta(hours=1)
    on_today = timezone.localtime(starts_at).date() == now.date()
    meeting = GroupMeeting.objects.create(group=group, starts_at=starts_at, presenter=nia)
    facilitator.reload()
    facilitator.locator("#upcoming-meetings").get_by_role("link").first.click()
    expect(facilitator.get_by_role("heading", level=1)).to_contain_text(
        "Meeting today" if on_today else "Meeting, "
    )
    expect(facilitator.locator("#meeting-presenter")).to_have_text("Nia Newcomer")
    brought = facilitator.get_by_role("region", name="The log brought")
    expect(brought.get_by_role("link", name=re.compile("C-77"))).to_be_visible()
    axe_check(facilitator)
    facilitator.get_by_role("textbox", name="What we took away").fill(
        "Naming the not-knowing out loud helped."
    )
    facilitator.get_by_role("button", name="Save the note").click()
    expect(facilitator.locator("#takeaway")).to_have_text("Naming the not-knowing out loud helped.")
    axe_check(facilitator)
    meeting.refresh_from_db()
    assert meeting.takeaway == "Naming the not-knowing out loud helped."
    facilitator.get_by_role("link", name="Sounding board").first.click()
    expect(facilitator.get_by_role("heading", name="Members")).to_be_visible()
    axe_check(facilitator)

    # --- the facilitator removes her, after a page that says what happens
    facilitator.get_by_role("link", name="remove Nia Newcomer").click()
    expect(
        facilitator.get_by_role("heading", name="Remove Nia Newcomer from Sounding board?")
    ).to_be_visible()
    expect(facilitator.locator("#what-happens")).to_contain_text("withdrawn")
    axe_check(facilitator)
    facilitator.get_by_role("button", name="Remove Nia Newcomer").click()
    expect(facilitator.get_by_text("Nia Newcomer is no longer a member")).to_be_visible()
    axe_check(facilitator)
    share.refresh_from_db()
    assert share.withdrawn_at is not None
    assert GroupMembership.objects.get(member=nia).left_on is not None

    # --- she keeps the discussion of her own log, to read
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.goto(f"{origin}/groups/{group.pk}/shared/{share.pk}/")
    expect(page.locator("#withdrawn-note")).to_be_visible()
    axe_check(page)
