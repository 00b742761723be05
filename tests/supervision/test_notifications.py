"""In-app notifications, their e-mails, and the unread count in the nav."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cases import services as case_services
from supervision import notifications
from supervision.context_processors import unread_notifications
from supervision.models import Notification
from tests.factories import SessionLogFactory, UserFactory

NOTE_TEXT = "Synthetic: the client spoke about the orchard and her brother."


@pytest.mark.django_db
def test_inactive_recipients_are_skipped(django_capture_on_commit_callbacks, mailoutbox):
    active = UserFactory(email="here@example.org")
    inactive = UserFactory(email="gone@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = notifications.notification_send(
            recipients=[active, inactive], message="Something happened.", url="/logs/1/"
        )
    assert [n.recipient for n in created] == [active]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [active.pk]
    assert [m.to for m in mailoutbox] == [["here@example.org"]]


def test_failing_mail_is_logged_without_note_text_and_the_notice_kept(
    supervisee, supervisor, django_capture_on_commit_callbacks, mailoutbox, monkeypatch, caplog
):
    def broken(address, message, url):
        raise ConnectionRefusedError("mail relay unreachable")

    monkeypatch.setattr(notifications, "_send", broken)
    log = SessionLogFactory(author=supervisee, what_happened=NOTE_TEXT, what_i_felt=NOTE_TEXT)
    with (
        caplog.at_level(logging.ERROR, logger="supervision.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case_services.session_log_submit(log=log, by=supervisee)

    log.refresh_from_db()
    assert log.status == "submitted"  # the action stands
    notice = Notification.objects.get()
    assert notice.recipient == supervisor and notice.url == log.get_absolute_url()
    assert mailoutbox == []
    [record] = [r for r in caplog.records if r.name == "supervision.notifications"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert record.getMessage() == f"Notification e-mail to user {supervisor.pk} failed"
    assert NOTE_TEXT not in caplog.text
    assert "orchard" not in caplog.text
    assert supervisor.email not in record.getMessage()


@pytest.mark.django_db
def test_mail_is_sent_only_on_commit(django_capture_on_commit_callbacks, mailoutbox):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notification_send(recipients=[person], message="Hello.", url="/")
    assert Notification.objects.count() == 1
    assert mailoutbox == [] and len(callbacks) == 1


@pytest.mark.django_db
def test_unread_count_context_processor(rf, django_assert_num_queries):
    person = UserFactory()
    someone_else = UserFactory()
    for i in range(3):
        Notification.objects.create(recipient=person, message=f"Notice {i}.", url="/")
    Notification.objects.create(recipient=person, message="Old.", url="/", read_at=timezone.now())
    Notification.objects.create(recipient=someone_else, message="Theirs.", url="/")

    request = rf.get("/")
    request.user = person
    # Counted only when the badge is drawn, then once for the page (a lazy value: Jinja2's
    # pages would not call a callable).
    with django_assert_num_queries(0):
        context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert context["unread_count"] == 3
        assert str(context["unread_count"]) == "3"
    Notification.objects.filter(recipient=person).update(read_at=timezone.now())
    assert unread_notifications(request)["unread_count"] == 0


def test_unread_count_for_anonymous_visitors(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_notifications(request) == {}
    assert unread_notifications(rf.get("/")) == {}
