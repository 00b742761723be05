"""Group meetings, in the browser, at desktop and phone width.

The facilitator schedules a meeting and it is listed at once; she opens the meeting's page
and keeps a "what we took away" note; a member reads it there and downloads the group's
meetings as an .ics file. Every page is scanned with axe.
"""

import datetime
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from groups.models import GroupMeeting
from tests.e2e.helpers import nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_group_meeting_journey(
    open_as, axe_check, catalog, group, supervisee, group_member, other_supervisor, password
):
    # --- the facilitator schedules a meeting; it is listed at once
    facilitator = open_as(other_supervisor, password)
    axe_check(facilitator)
    nav(facilitator, "Groups")
    axe_check(facilitator)
    facilitator.get_by_role("link", name="Sounding board").click()
    expect(facilitator.get_by_role("heading", name="Sounding board", level=1)).to_be_visible()
    axe_check(facilitator)
    next_week = timezone.localtime() + datetime.timedelta(days=7)
    facilitator.get_by_role("region", name="Next meeting").get_by_label("Next meeting").fill(
        f"{next_week:%Y-%m-%d}T18:30"
    )
    facilitator.get_by_role("button", name="Set next meeting").click()
    expect(facilitator.get_by_text("Meeting set.")).to_be_visible()
    meeting = GroupMeeting.objects.get()
    upcoming = facilitator.locator("#upcoming-meetings")
    link = upcoming.get_by_role(
        "link", name=f"{next_week:%a} {next_week.day} {next_week:%b %Y}, 18:30"
    )
    expect(link).to_be_visible()
    axe_check(facilitator)

    # --- the meeting's page; the takeaway note is saved
    link.click()
    expect(facilitator.get_by_role("heading", name="What we took away")).to_be_visible()
    expect(facilitator.locator("#no-share")).to_be_visible()
    axe_check(facilitator)
    facilitator.get_by_role("textbox", name="What we took away").fill("Slowing down helped us all.")
    facilitator.get_by_role("button", name="Save the note").click()
    expect(facilitator.get_by_text("Saved on the group's record.")).to_be_visible()
    expect(facilitator.locator("#takeaway")).to_have_text("Slowing down helped us all.")
    axe_check(facilitator)
    meeting.refresh_from_db()
    assert meeting.takeaway == "Slowing down helped us all."

    # --- a member reads the note and downloads the meetings to her calendar
    gio = open_as(group_member, password)
    axe_check(gio)
    nav(gio, "Groups")
    axe_check(gio)
    gio.get_by_role("link", name="Sounding board").click()
    expect(gio.get_by_role("heading", name="Meetings", exact=True)).to_be_visible()
    axe_check(gio)
    gio.locator("#upcoming-meetings").get_by_role("link").first.click()
    expect(gio.locator("#takeaway")).to_have_text("Slowing down helped us all.")
    expect(gio.get_by_role("button", name="Save the note")).to_have_count(0)
    axe_check(gio)
    gio.go_back()
    href = gio.get_by_role("link", name="Download the meetings to come (.ics)").get_attribute(
        "href"
    )
    response = gio.request.get(urljoin(gio.url, href))  # the page's own cookies: her session
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    (event,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(event["summary"]) == "Sounding board supervision"
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
