"""Reply, answer and comment services, and the e-mails they send."""

import pytest
from django.conf import settings

from cases import services as case_services
from cases.models import LogStatus, Pattern, SessionLog
from cases.signing import log_digest
from reflections import services
from reflections.models import AskedQuestion, Decision, ReflectiveQuestion, Reply
from supervision.models import Notification
from tests.factories import (
    PatternTagFactory,
    RelationshipFactory,
    SessionLogFactory,
    SubmittedLogFactory,
    SupervisorFactory,
)

pytestmark = pytest.mark.usefixtures("catalog")

# Free text that must never leave the app by e-mail. Each is unique enough to search for.
SECRETS = {
    "what_happened": "Synthetic: the client described the lighthouse dream again.",
    "what_i_felt": "Synthetic: a tightness like before an exam.",
    "what_i_did": "Synthetic: I named the tightness out loud.",
    "what_it_teaches": "Synthetic: naming it loosened it.",
    "tag_note": "Synthetic: brought three worksheets, used none.",
    "feedback": "Synthetic: you trusted the pause.",
    "answer": "Synthetic: that pauses are not failures.",
    "comment": "Synthetic: thinking of the pause all week.",
    "addendum": "Synthetic: the client later said the pause helped.",
}


@pytest.fixture
def log(supervisee, supervisor):
    return SubmittedLogFactory(author=supervisee)


# ------------------------------------------------------------------ reply_create


@pytest.mark.parametrize("who", ["supervisee", "other_supervisor", "outsider"])
def test_reply_needs_a_current_supervisor(request, log, who):
    person = request.getfixturevalue(who)
    with pytest.raises(services.WorkflowError):
        services.reply_create(log=log, author=person, feedback="Not mine to give.")
    assert not Reply.objects.exists()


def test_reply_refused_after_the_supervision_ended(log, supervisor):
    relationship = supervisor.supervising.get()
    relationship.ends_on = relationship.starts_on
    relationship.save()
    with pytest.raises(services.WorkflowError):
        services.reply_create(log=log, author=supervisor, feedback="Too late.")
    assert not Reply.objects.exists()


def test_reply_refused_on_a_draft(supervisee, supervisor):
    draft = SessionLogFactory(author=supervisee)
    with pytest.raises(services.WorkflowError, match="draft"):
        services.reply_create(log=draft, author=supervisor, feedback="Too early.")
    assert not Reply.objects.exists()
    assert not Notification.objects.exists()


def test_return_or_sign_only_a_submitted_log(supervisee, supervisor):
    returned = SubmittedLogFactory(author=supervisee, status=LogStatus.RETURNED)
    for decision in (Decision.RETURN, Decision.SIGN):
        with pytest.raises(services.WorkflowError):
            services.reply_create(
                log=returned, author=supervisor, feedback="Again.", decision=decision
            )
    assert not Reply.objects.exists()
    # A plain reply is still welcome.
    services.reply_create(log=returned, author=supervisor, feedback="More thoughts.")
    returned.refresh_from_db()
    assert returned.status == LogStatus.RETURNED


def test_sign_stores_the_digest_of_the_signed_content(supervisee, supervisor):
    log = SubmittedLogFactory(author=supervisee)
    PatternTagFactory(log=log, pattern=Pattern.objects.get(slug="technique-focus"))
    expected = log_digest(SessionLog.objects.get(pk=log.pk))
    services.reply_create(log=log, author=supervisor, feedback="Signed.", decision=Decision.SIGN)
    log = SessionLog.objects.get(pk=log.pk)
    assert log.status == LogStatus.SIGNED and log.signed_by == supervisor
    assert log.signed_sha256 == expected == log_digest(log)


def test_failed_sign_keeps_no_reply(log, supervisor, monkeypatch):
    def refuse(**kwargs):
        raise case_services.WorkflowError("moved on")

    monkeypatch.setattr(case_services, "session_log_sign", refuse)
    with pytest.raises(services.WorkflowError):
        services.reply_create(
            log=log,
            author=supervisor,
            feedback="Signed?",
            questions=[ReflectiveQuestion.objects.first()],
            decision=Decision.SIGN,
        )
    assert not Reply.objects.exists() and not AskedQuestion.objects.exists()
    assert not Notification.objects.exists()


# ------------------------------------------------------------------- answer_save


@pytest.fixture
def asked(log, supervisor):
    reply = services.reply_create(
        log=log,
        author=supervisor,
        feedback="Look again.",
        questions=[ReflectiveQuestion.objects.get(slug="moving-forward")],
    )
    Notification.objects.all().delete()
    return reply.questions.get()


def test_answer_notifies_the_reply_author(asked, supervisee, supervisor, log):
    services.answer_save(question=asked, author=supervisee, text="To stay curious.")
    asked.refresh_from_db()
    assert asked.answer == "To stay curious." and asked.answered_at is not None
    notice = Notification.objects.get()
    assert notice.recipient == supervisor
    assert notice.url == log.get_absolute_url()
    assert "To stay curious." not in notice.message


def test_only_the_log_author_answers(asked, supervisor):
    with pytest.raises(services.WorkflowError):
        services.answer_save(question=asked, author=supervisor, text="On her behalf.")
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_an_answer_is_saved_once(asked, supervisee):
    services.answer_save(question=asked, author=supervisee, text="First.")
    with pytest.raises(services.WorkflowError, match="already answered"):
        services.answer_save(question=asked, author=supervisee, text="Second.")
    asked.refresh_from_db()
    assert asked.answer == "First."
    assert Notification.objects.count() == 1


# ------------------------------------------------------------------------ e-mail


def assert_no_free_text(outbox):
    for message in outbox:
        for secret in SECRETS.values():
            assert secret not in message.subject
            assert secret not in message.body


def assert_links_to(message, log):
    assert f"{settings.SITE_URL}{log.get_absolute_url()}" in message.body


def test_submit_mails_every_current_supervisor(
    supervisee, supervisor, django_capture_on_commit_callbacks, mailoutbox
):
    second = SupervisorFactory(display_name="Dr Sec Second", email="second@example.org")
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    log = SessionLogFactory(author=supervisee, what_happened=SECRETS["what_happened"])
    with django_capture_on_commit_callbacks(execute=True):
        case_services.session_log_submit(log=log, by=supervisee)
    assert sorted(m.to[0] for m in mailoutbox) == ["second@example.org", "sol@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)
    for message in mailoutbox:
        assert "Sam Supervisee submitted a session log" in message.subject
        assert_links_to(message, log)
    assert_no_free_text(mailoutbox)


def test_no_mail_before_the_transaction_commits(
    supervisee, supervisor, django_capture_on_commit_callbacks, mailoutbox
):
    log = SessionLogFactory(author=supervisee)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_services.session_log_submit(log=log, by=supervisee)
    assert mailoutbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("decision", "words"),
    [
        (Decision.REPLY, "replied to your session log"),
        (Decision.RETURN, "returned your session log for revision"),
        (Decision.SIGN, "signed off your session log"),
    ],
)
def test_reply_mails_the_author(
    log, supervisor, decision, words, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(
            log=log, author=supervisor, feedback=SECRETS["feedback"], decision=decision
        )
    [message] = mailoutbox
    assert message.to == ["sam@example.org"]
    assert words in message.subject
    assert_links_to(message, log)
    assert_no_free_text(mailoutbox)


def test_answer_mails_the_supervisor(
    asked, supervisee, log, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_save(question=asked, author=supervisee, text=SECRETS["answer"])
    [message] = mailoutbox
    assert message.to == ["sol@example.org"]
    assert "answered a reflective question" in message.subject
    assert_links_to(message, log)
    assert_no_free_text(mailoutbox)


def test_no_mail_ever_carries_the_log_text(
    supervisee, supervisor, django_capture_on_commit_callbacks, mailoutbox
):
    log = SessionLogFactory(
        author=supervisee,
        what_happened=SECRETS["what_happened"],
        what_i_felt=SECRETS["what_i_felt"],
        what_i_did=SECRETS["what_i_did"],
        what_it_teaches=SECRETS["what_it_teaches"],
    )
    PatternTagFactory(
        log=log, pattern=Pattern.objects.get(slug="technique-focus"), note=SECRETS["tag_note"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.session_log_submit(log=log, by=supervisee)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_create(
            log=log,
            author=supervisor,
            feedback=SECRETS["feedback"],
            questions=[ReflectiveQuestion.objects.get(slug="moving-forward")],
            own_questions=["Synthetic: what did the pause hold?"],
            decision=Decision.SIGN,
        )
    for asked in reply.questions.all():
        with django_capture_on_commit_callbacks(execute=True):
            services.answer_save(question=asked, author=supervisee, text=SECRETS["answer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(log=log, author=supervisee, text=SECRETS["comment"])
    log.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.addendum_add(log=log, author=supervisee, text=SECRETS["addendum"])

    # submit, sign, two answers, comment, addendum
    assert len(mailoutbox) == 6
    assert_no_free_text(mailoutbox)
    for message in mailoutbox:
        assert "Synthetic" not in message.subject + message.body
        assert_links_to(message, log)
    for notice in Notification.objects.all():
        assert "Synthetic" not in notice.message


@pytest.mark.parametrize("decision", [Decision.REPLY, Decision.RETURN, Decision.SIGN])
def test_the_notice_names_the_log_and_the_mail_does_not(
    log, supervisor, decision, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_create(log=log, author=supervisor, feedback="Fine.", decision=decision)
    notice = Notification.objects.get(recipient=log.author)
    # Thirty notices a month should not read alike: each says which log.
    assert notice.message.endswith(f": {log.client_code} · {log.session_date:%d %b %Y}.")
    [message] = mailoutbox
    # The client code stays behind the log-in.
    assert log.client_code not in message.subject
    assert log.client_code not in message.body
