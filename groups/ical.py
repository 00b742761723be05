"""Group meetings as an iCalendar file (RFC 5545), for a member's calendar app.

Built with the `icalendar` library rather than by hand: escaping, line folding and time
zones are where hand-written files go wrong. Each event says when, which group and who
presents, never any note text. The presenter is named only if she chose to be shown by
name in the group, or if she is the person the calendar is for; otherwise "a member":
a calendar leaves the app (synced to phones and shared calendars), so it says less than
the group page does.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from supervision.models import User

from .access import visible_groups
from .models import GroupMeeting
from .selectors import named_presenters

PRODID = "-//Good Enough//Group supervision//EN"


def presenter_label(meeting: GroupMeeting, viewer: User, named: set[tuple[int, int]]) -> str:
    presenter = meeting.presenter
    if presenter is None:
        return "not chosen yet"
    if presenter.pk == viewer.pk or (meeting.group_id, presenter.pk) in named:
        return presenter.display_name
    return "a member"


def upcoming_for(viewer: User, groups: Iterable | None = None) -> list[GroupMeeting]:
    """Meetings still to come of the groups she facilitates or belongs to today (or of
    `groups`, already checked by the caller), soonest first."""
    ids = groups if groups is not None else visible_groups(viewer).values("pk")
    return list(
        GroupMeeting.objects.filter(group__in=ids, starts_at__gte=timezone.now())
        .select_related("group", "presenter")
        .order_by("starts_at", "pk")
    )


def ics(viewer: User, meetings: list[GroupMeeting]) -> bytes:
    named = named_presenters({m.group_id for m in meetings})
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Good Enough group meetings")
    now = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"group-meeting-{meeting.pk}@good-enough")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add("summary", f"{meeting.group.name} supervision")
        event.add("description", f"Presenting: {presenter_label(meeting, viewer, named)}.")
        event.add(
            "url",
            settings.SITE_URL
            + reverse("groups:meeting_detail", args=[meeting.group_id, meeting.pk]),
        )
        cal.add_component(event)
    return cal.to_ical()
