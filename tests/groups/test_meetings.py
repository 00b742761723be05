"""Meetings: listed on the group page, a held meeting keeps its presenter, the meeting's
page and its takeaway note, and the calendar (a file and a revocable feed link)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases.models import LogStatus
from groups import services
from groups.models import CalendarFeed, GroupMeeting, GroupMembership, LogShare
from supervision.models import AuditAction, AuditEvent
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    PatternTagFactory,
    SessionLogFactory,
    UserFactory,
)

SECRET = "Synthetic secret text: the client spoke of her brother."


def in_days(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


def schedule(group, days):
    return services.group_meeting_schedule(
        group=group, starts_at=in_days(days), by=group.facilitator
    )


def held(meeting, days_ago=1):
    """Time passes: the meeting is now `days_ago` days in the past."""
    GroupMeeting.objects.filter(pk=meeting.pk).update(starts_at=in_days(-days_ago))
    meeting.refresh_from_db()
    return meeting


def absent(meeting, person, is_absent=True):
    return services.group_meeting_set_absent(
        meeting=meeting, member=person, absent=is_absent, by=meeting.group.facilitator
    )


def presenter_of(meeting):
    meeting.refresh_from_db()
    return meeting.presenter


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


# ------------------------------------------------------------------ presenters stay


def test_marking_someone_absent_from_a_held_meeting_keeps_who_presented(
    group, supervisee, group_member
):
    """The reproduction: the presenter of a meeting already held was rewritten."""
    meeting = schedule(group, 1)
    first = presenter_of(meeting)
    assert first is not None
    held(meeting)
    absent(meeting, first)
    assert presenter_of(meeting) == first
    assert first in meeting.absent.all()  # the apologies are still recorded
    absent(meeting, first, is_absent=False)
    assert presenter_of(meeting) == first


def test_absence_still_re_plans_meetings_to_come_and_never_those_held(
    group, supervisee, group_member
):
    past = held(schedule(group, 1), days_ago=7)
    before = presenter_of(past)
    upcoming = schedule(group, 7)
    due = presenter_of(upcoming)
    absent(upcoming, due)
    assert presenter_of(upcoming) not in (None, due)
    assert presenter_of(past) == before


def test_a_meeting_scheduled_and_apologies_are_audited_as_each_members_hours(
    group, supervisee, group_member, former_member
):
    """A group meeting counts toward the hours of each member on its day, so scheduling it
    writes an audit row owned by each member who may be there (never note text), and
    apologies one owned by her: her newest change moves on, and what is kept of her hours
    (hours.selectors._periods_with_hours) is read again. Someone who left before the
    meeting's day gets none."""
    meeting = schedule(group, 3)
    rows = AuditEvent.objects.filter(object_type="groups.groupmeeting", object_id=meeting.pk)
    assert sorted(rows.values_list("owner_id", flat=True)) == sorted(
        [supervisee.pk, group_member.pk]
    )
    assert {(r.actor, r.action) for r in rows} == {(group.facilitator, AuditAction.CREATE)}
    absent(meeting, group_member)
    absent(meeting, group_member, is_absent=False)
    apologies = rows.filter(action=AuditAction.UPDATE)
    assert list(apologies.values_list("owner_id", flat=True)) == [group_member.pk] * 2


# ------------------------------------------------------------------ the group page


def test_every_meeting_scheduled_is_listed_at_once(client, group, supervisee, other_supervisor):
    client.force_login(other_supervisor)
    url = reverse("groups:meeting_schedule", args=[group.pk])
    for days in (3, 10):
        when = timezone.localtime(in_days(days)).strftime("%Y-%m-%dT%H:%M")
        client.post(url, {"starts_at": when})
    page = client.get(reverse("groups:group_detail", args=[group.pk]))
    upcoming = page.context["upcoming"]
    assert len(upcoming) == 2
    html = page.content.decode()
    for meeting in upcoming:
        assert reverse("groups:meeting_detail", args=[group.pk, meeting.pk]) in html


def test_past_meetings_are_listed_with_the_presenter_they_had(
    client, group, supervisee, group_member
):
    meeting = held(schedule(group, 1), days_ago=3)
    presenter = presenter_of(meeting)
    client.force_login(group_member)
    page = client.get(reverse("groups:group_detail", args=[group.pk]))
    assert page.context["past"] == [meeting]
    past_html = page.content.decode().split('id="past-meetings"')[1]
    assert presenter.display_name in past_html.split("</ul>")[0]


def test_the_group_page_costs_the_same_queries_with_many_meetings(
    client, group, supervisee, group_member, other_supervisor
):
    client.force_login(other_supervisor)
    url = reverse("groups:group_detail", args=[group.pk])

    def count():
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for days in (-3, 3):
        GroupMeeting.objects.create(group=group, starts_at=in_days(days), presenter=supervisee)
    few = count()
    for days in range(1, 30):
        GroupMeeting.objects.create(group=group, starts_at=in_days(-days - 3), presenter=supervisee)
        GroupMeeting.objects.create(group=group, starts_at=in_days(days + 3), presenter=supervisee)
    assert count() == few


# ------------------------------------------------------------------ the meeting page


@pytest.fixture
def brought(group, supervisee, catalog):
    """Sam presents at the next meeting and shared a tagged log for it."""
    meeting = GroupMeeting.objects.create(group=group, starts_at=in_days(1), presenter=supervisee)
    log = SessionLogFactory(
        author=supervisee,
        status=LogStatus.SUBMITTED,
        submitted_at=timezone.now(),
        what_happened=SECRET,
    )
    tag = PatternTagFactory(log=log, note=SECRET)
    share = LogShare.objects.create(log=log, group=group)
    return meeting, share, tag


def test_the_meeting_page_links_the_log_brought_and_suggests_its_patterns(
    client, group, group_member, brought
):
    meeting, share, tag = brought
    client.force_login(group_member)
    page = client.get(reverse("groups:meeting_detail", args=[group.pk, meeting.pk]))
    html = page.content.decode()
    assert reverse("groups:shared_log", args=[group.pk, share.pk]) in html
    assert page.context["topics"] == [tag.pattern.name]
    assert SECRET not in html
    assert page.context["takeaway_form"] is None


def test_without_a_log_brought_the_page_says_so_calmly(client, group, group_member, brought):
    meeting, share, _tag = brought
    share.withdrawn_at = timezone.now()
    share.save()
    client.force_login(group_member)
    page = client.get(reverse("groups:meeting_detail", args=[group.pk, meeting.pk]))
    assert page.context["share"] is None
    assert 'id="no-share"' in page.content.decode()


def test_a_log_shared_before_the_previous_meeting_is_not_this_meetings(group, brought):
    from groups.selectors import meeting_share

    meeting, share, _tag = brought
    LogShare.objects.filter(pk=share.pk).update(shared_at=in_days(-10))
    GroupMeeting.objects.create(group=group, starts_at=in_days(-5))
    assert meeting_share(meeting) is None


def test_the_facilitator_keeps_a_takeaway_note_members_read(
    client, group, group_member, other_supervisor, brought
):
    meeting, _share, _tag = brought
    url = reverse("groups:meeting_takeaway", args=[group.pk, meeting.pk])
    client.force_login(other_supervisor)
    client.post(url, {"takeaway": "Slowing down helped."})
    client.post(url, {"takeaway": "Slowing down helped; so did naming it."})
    meeting.refresh_from_db()
    assert meeting.takeaway == "Slowing down helped; so did naming it."
    rows = AuditEvent.objects.filter(object_type="groups.groupmeeting", object_id=meeting.pk)
    assert [r.action for r in rows.order_by("pk")] == [AuditAction.CREATE, AuditAction.UPDATE]
    client.force_login(group_member)
    page = client.get(reverse("groups:meeting_detail", args=[group.pk, meeting.pk]))
    assert "so did naming it" in page.content.decode()
    assert client.post(url, {"takeaway": "Mine."}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.takeaway.endswith("naming it.")


def test_a_takeaway_too_long_is_refused_and_changes_nothing(
    client, group, other_supervisor, brought
):
    meeting, _share, _tag = brought
    client.force_login(other_supervisor)
    response = client.post(
        reverse("groups:meeting_takeaway", args=[group.pk, meeting.pk]),
        {"takeaway": "x" * 501},
        follow=True,
    )
    assert response.status_code == 200
    assert "500" in " ".join(str(m) for m in response.context["messages"])
    meeting.refresh_from_db()
    assert meeting.takeaway == ""


# ------------------------------------------------------------------ the calendar


def test_a_member_downloads_the_groups_meetings_to_come(
    client, group, supervisee, group_member, brought
):
    meeting, _share, _tag = brought
    GroupMeeting.objects.create(group=group, starts_at=in_days(-7), presenter=supervisee)
    client.force_login(group_member)
    response = client.get(reverse("groups:meeting_calendar", args=[group.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = events(response.content)
    assert str(event["summary"]) == "Sounding board supervision"
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=90)
    # Sam did not choose to be named: the calendar (which leaves the app) says "a member".
    assert str(event["description"]) == "Presenting: a member."
    assert SECRET.encode() not in response.content


def test_the_presenter_is_named_if_she_opted_in_or_reads_her_own_calendar(
    client, group, supervisee, group_member, brought
):
    client.force_login(supervisee)
    (event,) = events(client.get(reverse("groups:meeting_calendar", args=[group.pk])).content)
    assert str(event["description"]) == f"Presenting: {supervisee.display_name}."
    GroupMembership.objects.filter(group=group, member=supervisee).update(show_name=True)
    client.force_login(group_member)
    (event,) = events(client.get(reverse("groups:meeting_calendar", args=[group.pk])).content)
    assert str(event["description"]) == f"Presenting: {supervisee.display_name}."


def make_feed(client, person) -> str:
    client.force_login(person)
    response = client.post(reverse("groups:calendar_feed_new"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client.logout()
    return re.sub(r"^https?://[^/]+", "", response.context["feed_url"])


def test_the_feed_answers_without_a_session_and_dies_when_revoked(
    client, group, group_member, brought
):
    meeting, _share, _tag = brought
    url = make_feed(client, group_member)
    token = url.rstrip("/").split("/")[-1].removesuffix(".ics")
    # Only a keyed hash is stored.
    assert not CalendarFeed.objects.filter(token_hash__contains=token).exists()
    response = client.get(url)
    assert response.status_code == 200
    (event,) = events(response.content)
    assert str(event["uid"]) == f"group-meeting-{meeting.pk}@good-enough"
    # A new link ends the old one.
    newer = make_feed(client, group_member)
    assert client.get(url).status_code == 404
    assert client.get(newer).status_code == 200
    client.force_login(group_member)
    client.post(reverse("groups:calendar_feed_revoke"), {"group": group.pk})
    client.logout()
    assert client.get(newer).status_code == 404
    made_up = reverse("groups:calendar_feed", args=["not-a-real-token"])
    assert client.get(made_up).status_code == 404


def test_the_feed_leaves_out_groups_she_has_left(client, group, group_member, brought):
    elsewhere = GroupFactory(name="Second circle")
    MembershipFactory(group=elsewhere, member=group_member)
    there = GroupMeeting.objects.create(group=elsewhere, starts_at=in_days(4))
    url = make_feed(client, group_member)
    assert len(events(client.get(url).content)) == 2
    GroupMembership.objects.filter(group=group, member=group_member).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    (event,) = events(client.get(url).content)
    assert str(event["uid"]) == f"group-meeting-{there.pk}@good-enough"


def test_the_feed_of_an_outsider_shows_no_group(client, other_supervisee, brought):
    url = make_feed(client, other_supervisee)
    assert events(client.get(url).content) == []


def test_erasure_ends_her_feed_links(group_member):
    from groups import erasure

    services.calendar_feed_new(person=group_member)
    erasure.erase(group_member)
    assert not CalendarFeed.objects.filter(person=group_member).exists()


def test_someone_new_in_no_group_gets_an_empty_feed(client, db):
    person = UserFactory()
    url = make_feed(client, person)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("days_from_today", "heading"), [(0, "Meeting today, "), (1, "Meeting, ")])
def test_the_meeting_page_says_today_only_for_a_meeting_on_todays_date(
    client, group, group_member, days_from_today, heading
):
    # Noon of a local date: on that date whatever the hour the test runs at.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    meeting = GroupMeeting.objects.create(
        group=group, starts_at=noon + datetime.timedelta(days=days_from_today)
    )
    client.force_login(group_member)
    page = client.get(reverse("groups:meeting_detail", args=[group.pk, meeting.pk]))
    h1 = re.search(r"<h1>(.*?)</h1>", page.content.decode()).group(1)
    assert h1.startswith(heading)
