"""The author's page: who has seen (or acted on) her logs and reflections."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from groups.models import GroupComment, LogShare
from reflections.models import Comment, PrivateReflection
from reflections.views import AUDIT_PAGE_SIZE
from supervision.models import AuditAction, AuditEvent, MeetingKind
from supervision.selectors import audit_events_by_others
from tests.factories import (
    AskedQuestionFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
    SupervisorFactory,
    UserFactory,
)

pytestmark = pytest.mark.usefixtures("catalog")

SECRET_IP = "203.0.113.77"
SEEN = reverse("reflections:seen_by_others")


def event(actor, action, obj, owner, *, minutes_ago=0):
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        owner=owner,
        client_ip=SECRET_IP,
        at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def seen_url(log):
    return reverse("reflections:log_seen_by", args=[log.pk])


@pytest.fixture
def log(supervisee, supervisor):
    return SubmittedLogFactory(author=supervisee, client_code="AB-12")


def test_lists_what_others_did_newest_first_and_nothing_else(
    client, supervisee, supervisor, other_supervisee, log
):
    viewed = event(supervisor, AuditAction.VIEW, log, supervisee, minutes_ago=30)
    signed = event(supervisor, AuditAction.SIGN, log, supervisee, minutes_ago=10)
    event(supervisee, AuditAction.VIEW, log, supervisee, minutes_ago=5)  # her own
    event(None, AuditAction.DELETE, log, supervisee, minutes_ago=4)  # the system
    theirs = SessionLogFactory(author=other_supervisee)
    event(supervisor, AuditAction.VIEW, theirs, other_supervisee)  # someone else's work

    client.force_login(supervisee)
    response = client.get(SEEN)
    assert response.status_code == 200
    assert [e for e, _ in response.context["rows"]] == [signed, viewed]
    page = response.content.decode()
    assert "Dr Sol Supervisor" in page
    assert "signed off" in page and "viewed" in page
    assert f'href="{log.get_absolute_url()}"' in page
    assert SECRET_IP not in page


def test_names_what_each_event_was_about(client, supervisee, supervisor, group, group_member, log):
    reply = ReplyFactory(log=log, author=supervisor)
    comment = Comment.objects.create(log=log, author=supervisor, text="Synthetic.")
    share = LogShare.objects.create(log=log, group=group)
    group_comment = GroupComment.objects.create(share=share, author=group_member, text="Hm.")
    entry = PrivateReflection.objects.create(author=supervisee, title="After Tuesday", text="x")
    gone = SessionLogFactory(author=supervisee)
    event(supervisor, AuditAction.CREATE, reply, supervisee, minutes_ago=6)
    event(supervisor, AuditAction.CREATE, comment, supervisee, minutes_ago=5)
    event(group_member, AuditAction.CREATE, group_comment, supervisee, minutes_ago=4)
    event(supervisor, AuditAction.VIEW, entry, supervisee, minutes_ago=3)
    event(supervisor, AuditAction.VIEW, gone, supervisee, minutes_ago=2)
    gone.delete()

    client.force_login(supervisee)
    rows = client.get(SEEN).context["rows"]
    described = [(t.kind, t.label, t.url) for _, t in rows]
    log_label = str(log)
    assert described == [
        ("session log", "a session log that no longer exists", ""),
        ("journal entry", "After Tuesday", entry.get_absolute_url()),
        ("a group discussion comment on", log_label, log.get_absolute_url()),
        ("a comment on", log_label, log.get_absolute_url()),
        ("a reply on", log_label, log.get_absolute_url()),
    ]


def test_names_what_others_did_with_her_hours(client, supervisee, supervisor, group):
    """Her hours are hers too: a supervision meeting recorded for her, a group meeting
    scheduled and apologies marked for her are named, not shown as a table's name."""
    from groups import services as group_services
    from supervision import services as supervision_services

    supervision_services.supervision_meeting_record(
        supervisor=supervisor,
        supervisees=[supervisee],
        held_on=timezone.localdate(),
        duration_minutes=60,
        kind=MeetingKind.INDIVIDUAL,
        url="/",
    )
    facilitator = group.facilitator
    meeting = group_services.group_meeting_schedule(
        group=group, starts_at=timezone.now() + datetime.timedelta(days=3), by=facilitator
    )
    group_services.group_meeting_set_absent(
        meeting=meeting, member=supervisee, absent=True, by=facilitator
    )
    client.force_login(supervisee)
    rows = client.get(SEEN).context["rows"]
    described = [(e.actor, e.action, t.kind, t.label) for e, t in rows]
    assert described == [
        (facilitator, AuditAction.UPDATE, "a meeting of your group", ""),
        (facilitator, AuditAction.CREATE, "a meeting of your group", ""),
        (supervisor, AuditAction.CREATE, "a supervision meeting of yours", ""),
    ]


def test_a_trashed_log_is_named_but_not_linked(client, supervisee, supervisor):
    draft = SessionLogFactory(author=supervisee)
    event(supervisor, AuditAction.VIEW, draft, supervisee)
    case_services.session_log_trash(log=draft, by=supervisee)
    client.force_login(supervisee)
    [(_, target)] = client.get(SEEN).context["rows"]
    assert (target.label, target.url) == (str(draft), "")


def test_the_log_page_links_its_author_to_who_opened_it(client, supervisee, supervisor, log):
    client.force_login(supervisee)
    assert f'href="{seen_url(log)}"' in client.get(log.get_absolute_url()).content.decode()
    client.force_login(supervisor)
    assert seen_url(log) not in client.get(log.get_absolute_url()).content.decode()


def test_opening_a_log_shows_up_for_its_author(client, supervisee, supervisor, log):
    client.force_login(supervisor)
    client.get(log.get_absolute_url())
    client.get(log.get_absolute_url())
    client.force_login(supervisee)
    client.get(log.get_absolute_url())  # her own visit is not listed
    rows = client.get(seen_url(log)).context["rows"]
    assert [(e.actor, e.action) for e, _ in rows] == [(supervisor, AuditAction.VIEW)] * 2
    assert "Dr Sol Supervisor" in client.get(SEEN).content.decode()


def test_the_log_page_lists_only_that_log(client, supervisee, supervisor, log):
    other = SubmittedLogFactory(author=supervisee)
    mine = event(supervisor, AuditAction.VIEW, log, supervisee)
    event(supervisor, AuditAction.VIEW, other, supervisee)
    event(supervisor, AuditAction.CREATE, ReplyFactory(log=log, author=supervisor), supervisee)
    client.force_login(supervisee)
    response = client.get(seen_url(log))
    assert [e for e, _ in response.context["rows"]] == [mine]
    assert SECRET_IP not in response.content.decode()


def test_nothing_yet(client, supervisee, log):
    client.force_login(supervisee)
    assert "Nobody else has opened your work yet" in client.get(SEEN).content.decode()
    assert "Nobody else has opened this log yet" in client.get(seen_url(log)).content.decode()


def test_pages(client, supervisee, supervisor, log):
    for i in range(AUDIT_PAGE_SIZE + 5):
        event(supervisor, AuditAction.VIEW, log, supervisee, minutes_ago=i)
    client.force_login(supervisee)
    first = client.get(SEEN)
    assert len(first.context["rows"]) == AUDIT_PAGE_SIZE
    assert "page=2" in first.content.decode()
    second = client.get(SEEN, {"page": 2})
    assert len(second.context["rows"]) == 5
    assert second.context["rows"][-1][0].at < first.context["rows"][-1][0].at


def test_selector_leaves_out_her_own_and_the_systems_actions(supervisee, supervisor, log):
    event(supervisee, AuditAction.UPDATE, log, supervisee)
    event(None, AuditAction.DELETE, log, supervisee)
    assert not audit_events_by_others(supervisee).exists()
    seen = event(supervisor, AuditAction.VIEW, log, supervisee)
    assert list(audit_events_by_others(supervisee)) == [seen]


# ------------------------------------------------------------- query counts


@pytest.fixture
def busy_trail(supervisee, supervisor, group, group_member):
    """Everything the page can name, from several people, many times over."""

    def grow(times: int):
        share = None
        for _ in range(times):
            log = SubmittedLogFactory(author=supervisee)
            reply = ReplyFactory(log=log, author=supervisor)
            question = AskedQuestionFactory(reply=reply)
            comment = Comment.objects.create(log=log, author=supervisor, text="Synthetic.")
            share = LogShare.objects.create(log=log, group=group)
            group_comment = GroupComment.objects.create(share=share, author=group_member, text=".")
            entry = PrivateReflection.objects.create(
                author=supervisee, text="Synthetic.", shared_with=supervisor
            )
            someone = UserFactory()
            for actor, obj in [
                (supervisor, log),
                (group_member, log),
                (SupervisorFactory(), log),
                (supervisor, reply),
                (someone, question),
                (supervisor, comment),
                (group_member, group_comment),
                (supervisor, entry),
            ]:
                event(actor, AuditAction.VIEW, obj, supervisee)
        return share

    return grow


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_query_count_does_not_grow_with_the_data(
    client, supervisee, busy_trail, django_assert_max_num_queries
):
    share = busy_trail(4)  # 32 events: more than a page, every kind of object on it
    client.force_login(supervisee)
    log_url = seen_url(share.log)
    client.get(SEEN)
    small, small_log = count_queries(client, SEEN), count_queries(client, log_url)
    busy_trail(40)  # ten times more
    assert count_queries(client, SEEN) == small
    assert count_queries(client, log_url) == small_log
    # session, user, unread count, page count, the page of events with their actors,
    # then one query per kind of object named (replies, answers, comments, group
    # comments) plus one for their logs and one for journal entries.
    with django_assert_max_num_queries(11):
        response = client.get(SEEN)
    assert len(response.context["rows"]) == AUDIT_PAGE_SIZE
    # session, user, unread count, the log, page count, the page of events.
    with django_assert_max_num_queries(6):
        assert client.get(log_url).status_code == 200
