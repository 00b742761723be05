"""Group supervision, in the browser, at desktop and phone width.

A member shares a submitted log with her group from the log page; another member reads it and
adds to the discussion; the facilitator sets the next meeting, marks the presenter absent and the
rota moves on; a member opens the group dashboard. Every page is scanned with axe.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import GroupComment, LogShare
from tests.e2e.helpers import nav
from tests.factories import SubmittedLogFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_group_journey(
    open_as, axe_check, catalog, group, supervisee, group_member, other_supervisor, password
):
    SubmittedLogFactory(author=supervisee, client_code="C-55")

    # --- Sam shares her submitted log with the group, from the log page
    sam = open_as(supervisee, password)
    axe_check(sam)
    sam.get_by_role("link", name=re.compile("C-55")).click()
    expect(sam.get_by_role("heading", name="Group discussion")).to_be_visible()
    axe_check(sam)
    sam.get_by_label("Share with group").select_option(label="Sounding board")
    sam.get_by_role("button", name="Preview and share").click()
    expect(sam.get_by_role("heading", name="Share with Sounding board?")).to_be_visible()
    axe_check(sam)
    sam.get_by_role("button", name="Share with Sounding board").click()
    expect(sam.get_by_text("Shared with Sounding board.")).to_be_visible()
    axe_check(sam)
    share = LogShare.objects.get()

    # --- Gio, another member, reads it and adds to the discussion
    gio = open_as(group_member, password)
    axe_check(gio)
    nav(gio, "Groups")
    expect(gio.get_by_role("heading", name="Supervision groups")).to_be_visible()
    axe_check(gio)
    gio.get_by_role("link", name="Sounding board").click()
    expect(gio.get_by_role("heading", name="Sounding board", level=1)).to_be_visible()
    axe_check(gio)
    gio.get_by_role("link", name=re.compile("Sam Supervisee · C-55")).click()
    expect(gio.get_by_role("heading", name="Discussion")).to_be_visible()
    axe_check(gio)
    gio.get_by_label("Add to the discussion").fill("I recognise the second plan. Mine is a list.")
    gio.get_by_role("button", name="Add comment").click()
    expect(gio.get_by_text("Added to the discussion.")).to_be_visible()
    expect(gio.get_by_text("I recognise the second plan. Mine is a list.")).to_be_visible()
    axe_check(gio)
    assert GroupComment.objects.get().share == share

    # --- the facilitator sets the next meeting; the presenter sends apologies; the rota moves on
    facilitator = open_as(other_supervisor, password)
    axe_check(facilitator)
    nav(facilitator, "Groups")
    axe_check(facilitator)
    facilitator.get_by_role("link", name="Sounding board").click()
    expect(facilitator.get_by_role("heading", name="Next meeting")).to_be_visible()
    axe_check(facilitator)
    next_week = timezone.localtime() + datetime.timedelta(days=7)
    meeting = facilitator.get_by_role("region", name="Next meeting")
    meeting.get_by_label("Next meeting").fill(f"{next_week:%Y-%m-%d}T18:30")
    facilitator.get_by_role("button", name="Set next meeting").click()
    expect(facilitator.get_by_text("Meeting set. Presenting: Gio Groupmember.")).to_be_visible()
    presenter = facilitator.locator("#presenter")
    expect(presenter).to_have_text("Gio Groupmember")
    axe_check(facilitator)
    facilitator.get_by_role("button", name="mark absent Gio Groupmember").click()
    expect(presenter).to_have_text("Sam Supervisee")
    rota = facilitator.get_by_role("list").filter(has_text="mark present")
    expect(rota.get_by_role("listitem").first).to_contain_text("absent")
    axe_check(facilitator)

    # --- Gio opens the group dashboard from the group page
    gio.get_by_role("link", name="Sounding board", exact=True).click()
    expect(gio.get_by_role("heading", name="Sounding board", level=1)).to_be_visible()
    expect(gio.locator("#presenter")).to_have_text("Sam Supervisee")
    axe_check(gio)
    gio.get_by_role("link", name="Group dashboard").click()
    expect(gio.get_by_role("heading", name="Sounding board: dashboard")).to_be_visible()
    shared = gio.get_by_role("region", name="Shared logs to discuss")
    expect(shared).to_contain_text("1 comment")
    axe_check(gio)
