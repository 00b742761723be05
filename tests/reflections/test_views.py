"""Replies, answers, the thread, addenda, the journal and notifications, through the client."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cases.models import Addendum, LogStatus, Pattern, SessionLog
from cases.signing import log_digest
from reflections.models import (
    AskedQuestion,
    Comment,
    Practice,
    PrivateReflection,
    ReflectiveQuestion,
    Reply,
)
from supervision.models import Notification
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    RelationshipFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
    SupervisorFactory,
)
from tests.test_core_loop import log_post

pytestmark = pytest.mark.usefixtures("catalog")

HEX64 = re.compile(r"^[0-9a-f]{64}$")
MATCHES = "The content below matches what was signed."
NO_LONGER = "The content no longer matches what was signed."


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def question(slug: str) -> ReflectiveQuestion:
    return ReflectiveQuestion.objects.get(slug=slug)


@pytest.fixture
def log(supervisee, supervisor):
    log = SubmittedLogFactory(author=supervisee)
    PatternTagFactory(log=log, pattern=Pattern.objects.get(slug="technique-focus"))
    return log


def reply(client, log, **overrides):
    data = {
        "feedback": "You let the silence do some of the work.",
        "questions": [question("moving-forward").pk],
        "decision": "reply",
        # The version of the log the form showed, as a browser sends it.
        "version": SessionLog.objects.get(pk=log.pk).version,
    }
    data.update(overrides)
    return client.post(reverse("reflections:reply_create", args=[log.pk]), data)


def assert_nothing_replied(log, status):
    assert Reply.objects.count() == 0
    assert AskedQuestion.objects.count() == 0
    log.refresh_from_db()
    assert log.status == status
    assert not Notification.objects.filter(recipient=log.author).exists()


# ------------------------------------------------------------ reply: bad input


def _retired_question():
    retired = question("countertransference")
    ReflectiveQuestion.objects.filter(pk=retired.pk).update(is_retired=True)
    return {"questions": [retired.pk]}


@pytest.mark.parametrize(
    ("make_overrides", "field", "message"),
    [
        (lambda: {"feedback": ""}, "feedback", "This field is required."),
        (lambda: {"feedback": "x" * 20_001}, "feedback", "at most 20000 characters"),
        (lambda: {"questions": ["999999"]}, "questions", "Select a valid choice"),
        (_retired_question, "questions", "Select a valid choice"),
        (lambda: {"practice": "999999"}, "practice", "Select a valid choice"),
        (
            lambda: {"own_questions": "\n".join(f"Own question {i}?" for i in range(6))},
            "own_questions",
            "Ask at most 5 questions of your own.",
        ),
        (
            lambda: {"own_questions": "Short one?\n" + "y" * 501},
            "own_questions",
            "under 500 characters",
        ),
        (lambda: {"decision": "maybe"}, "decision", "Select a valid choice"),
    ],
    ids=[
        "empty-feedback",
        "long-feedback",
        "unknown-question",
        "retired-question",
        "unknown-practice",
        "six-own-questions",
        "long-own-question",
        "unknown-decision",
    ],
)
def test_bad_reply_gets_a_form_error_and_changes_nothing(
    login, supervisor, log, make_overrides, field, message
):
    client = login(supervisor)
    response = reply(client, log, **make_overrides())
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors
    assert_nothing_replied(log, LogStatus.SUBMITTED)


@pytest.mark.parametrize("status", [LogStatus.RETURNED, LogStatus.SIGNED])
@pytest.mark.parametrize("decision", ["sign", "return"])
def test_only_a_submitted_log_can_be_signed_or_returned(
    login, supervisee, supervisor, status, decision
):
    signature = {}
    if status == LogStatus.SIGNED:
        signature = {
            "signed_by": supervisor,
            "signed_at": timezone.now(),
            "signed_sha256": "b" * 64,
        }
    log = SubmittedLogFactory(author=supervisee, status=status, **signature)
    client = login(supervisor)
    offered = client.get(reverse("reflections:reply_create", args=[log.pk])).context["form"]
    assert [value for value, _ in offered.fields["decision"].choices] == ["reply"]
    response = reply(client, log, decision=decision)
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["decision"])
    assert_nothing_replied(log, status)


def test_five_own_questions_of_500_characters_are_accepted(login, supervisor, log):
    # Browsers send CRLF line breaks; they must not count against the questions.
    own = [f"{i}" + "q" * 499 for i in range(5)]
    response = reply(login(supervisor), log, own_questions="\r\n".join(own))
    assert response.status_code == 302, response.context["form"].errors
    assert (
        list(AskedQuestion.objects.filter(catalog_question=None).values_list("text", flat=True))
        == own
    )


# ---------------------------------------------------------- reply: the good path


def test_own_questions_follow_the_catalog_ones_and_wording_is_copied(
    login, supervisor, supervisee, log
):
    first, second = question("presence-over-performance"), question("moving-forward")
    client = login(supervisor)
    response = reply(
        client,
        log,
        questions=[first.pk, second.pk],
        own_questions="  What surprised you?\n\nWhere did you feel it in your body?  \n",
        practice=Practice.objects.get(slug="beginners-mind").pk,
    )
    assert response.status_code == 302
    assert response.url == log.get_absolute_url()
    asked = list(AskedQuestion.objects.order_by("position"))
    catalog_order = sorted([first, second], key=lambda q: (q.position, q.pk))
    assert [(q.catalog_question, q.theme, q.text) for q in asked] == [
        *((q, q.name, q.text) for q in catalog_order),
        (None, "", "What surprised you?"),
        (None, "", "Where did you feel it in your body?"),
    ]
    assert [q.position for q in asked] == [0, 1, 2, 3]
    original = second.text
    ReflectiveQuestion.objects.filter(pk=second.pk).update(text="A reworded catalog question?")
    copied = AskedQuestion.objects.get(catalog_question=second)
    assert copied.text == original
    page = login(supervisee).get(log.get_absolute_url()).content.decode()
    assert original in page
    assert "A reworded catalog question?" not in page


def test_return_for_revision_and_resubmit(login, supervisee, supervisor, log):
    client = login(supervisor)
    reply(client, log, decision="return")
    log.refresh_from_db()
    assert log.status == LogStatus.RETURNED
    assert list(client.get(reverse("cases:review_queue")).context["logs"]) == []

    client = login(supervisee)
    assert client.get(reverse("cases:log_edit", args=[log.pk])).status_code == 200
    response = client.post(
        reverse("cases:log_edit", args=[log.pk]),
        log_post(what_i_felt="Less exposed now.", version=log.version, then="submit"),
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED

    client = login(supervisor)
    assert [row.pk for row in client.get(reverse("cases:review_queue")).context["logs"]] == [log.pk]


def test_sign_off_stores_the_signature_and_the_page_checks_it(login, supervisee, supervisor, log):
    client = login(supervisor)
    before = timezone.now()
    reply(client, log, decision="sign")
    log.refresh_from_db()
    assert log.status == LogStatus.SIGNED
    assert log.signed_by == supervisor
    assert before <= log.signed_at <= timezone.now()
    assert HEX64.match(log.signed_sha256)
    assert log.signed_sha256 == log_digest(log)

    page = login(supervisee).get(log.get_absolute_url())
    assert page.context["signature_ok"] is True
    assert MATCHES in page.content.decode()
    assert log.signed_sha256 in page.content.decode()

    SessionLog.objects.filter(pk=log.pk).update(what_happened="tampered")
    page = login(supervisee).get(log.get_absolute_url())
    assert page.context["signature_ok"] is False
    content = page.content.decode()
    assert NO_LONGER in content
    assert MATCHES not in content


def test_a_changed_tag_note_breaks_the_signature_too(login, supervisee, supervisor, log):
    reply(login(supervisor), log, decision="sign")
    log.tags.update(note="Rewritten afterwards.")
    page = login(supervisee).get(log.get_absolute_url())
    assert NO_LONGER in page.content.decode()


# ----------------------------------------------------------------- answers


@pytest.fixture
def asked(log, supervisor):
    return AskedQuestionFactory(reply=ReplyFactory(log=log, author=supervisor))


def answer(client, asked, text):
    return client.post(reverse("reflections:answer", args=[asked.pk]), {"answer": text})


def test_answer_is_saved_once(login, supervisee, asked):
    client = login(supervisee)
    first = answer(client, asked, "That I can stay with not knowing.")
    assert first.status_code == 302
    assert first.url == f"{asked.reply.log.get_absolute_url()}#question-{asked.pk}"
    second = answer(client, asked, "Second thoughts, overwriting the first.")
    assert second.status_code == 302
    assert any("already answered" in m for m in messages_of(second))
    asked.refresh_from_db()
    assert asked.answer == "That I can stay with not knowing."


def test_empty_answer_changes_nothing(login, supervisee, asked):
    response = answer(login(supervisee), asked, "   ")
    assert response.status_code == 302
    assert any("needs some text" in m for m in messages_of(response))
    asked.refresh_from_db()
    assert asked.answer == "" and asked.answered_at is None
    assert not Notification.objects.exists()


def test_supervisor_cannot_answer(login, supervisor, asked):
    assert answer(login(supervisor), asked, "Answering for her.").status_code == 403
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_question_on_someone_elses_log_is_not_found(
    login, supervisee, other_supervisee, other_supervisor
):
    theirs = AskedQuestionFactory(
        reply=ReplyFactory(
            log=SubmittedLogFactory(author=other_supervisee), author=other_supervisor
        )
    )
    assert answer(login(supervisee), theirs, "Not my question.").status_code == 404
    theirs.refresh_from_db()
    assert theirs.answered_at is None


# ----------------------------------------------------------------- comments


def comment(client, log, text):
    return client.post(reverse("reflections:comment_create", args=[log.pk]), {"text": text})


def test_thread_shows_in_order(login, supervisee, supervisor, log):
    lines = [
        (supervisee, "First from the author: the opening felt rushed."),
        (supervisor, "Second from the supervisor: rushed for whom?"),
        (supervisee, "Third from the author: for me, mostly."),
    ]
    for person, text in lines:
        response = comment(login(person), log, text)
        assert response.status_code == 302
        assert response.url == f"{log.get_absolute_url()}#thread"
    assert [(c.author, c.text) for c in Comment.objects.filter(log=log)] == lines
    page = login(supervisor).get(log.get_absolute_url()).content.decode()
    positions = [page.index(text) for _, text in lines]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("text", "message"), [("", "needs some text"), ("z" * 2001, "2,000")])
def test_bad_comment_changes_nothing(login, supervisee, log, text, message):
    response = comment(login(supervisee), log, text)
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response))
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


def test_comment_on_her_own_draft_is_refused_with_a_message(login, supervisee):
    """The conversation opens at submission; before that a comment is refused, not a 500."""
    draft = SessionLogFactory(author=supervisee)
    response = comment(login(supervisee), draft, "Talking to myself.")
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    assert any("opens once the log is submitted" in m for m in messages_of(response))
    assert not Comment.objects.exists()
    assert not Notification.objects.exists()


# ------------------------------------------------------------------ addenda


def addendum(client, log, text):
    return client.post(reverse("cases:addendum_create", args=[log.pk]), {"text": text})


def test_addendum_only_on_signed_logs(login, supervisee, log):
    response = addendum(login(supervisee), log, "Something I forgot to say.")
    assert response.status_code == 302
    assert any("Addenda are for signed logs" in m for m in messages_of(response))
    assert not Addendum.objects.exists()


def test_addenda_leave_the_signed_content_alone(login, supervisee, supervisor, log):
    reply(login(supervisor), log, decision="sign")
    log.refresh_from_db()
    signed = (log.what_happened, log.version, log.signed_sha256, log.signed_at)

    addendum(login(supervisee), log, "Later: the client wrote to say thanks.")
    addendum(login(supervisor), log, "Discussed in our next meeting.")

    log.refresh_from_db()
    assert (log.what_happened, log.version, log.signed_sha256, log.signed_at) == signed
    assert log_digest(log) == log.signed_sha256
    assert list(Addendum.objects.values_list("author", flat=True)) == [
        supervisee.pk,
        supervisor.pk,
    ]
    page = login(supervisee).get(log.get_absolute_url())
    content = page.content.decode()
    assert page.context["signature_ok"] is True
    assert MATCHES in content
    assert "Later: the client wrote to say thanks." in content
    assert "Discussed in our next meeting." in content


# ------------------------------------------------------------------ journal


def journal_post(**overrides):
    data = {"title": "After Tuesday", "question": "", "log": "", "text": "I wanted to fix it."}
    data.update(overrides)
    return data


def test_journal_entry_about_my_log_from_a_question(login, supervisee, log):
    start = question("moving-forward")
    client = login(supervisee)
    response = client.get(reverse("reflections:journal_create"), {"question": start.pk})
    assert response.context["form"]["question"].value() == str(start.pk)
    response = client.post(
        reverse("reflections:journal_create"),
        journal_post(question=start.pk, log=log.pk, text="It is teaching me to slow down."),
    )
    entry = PrivateReflection.objects.get()
    assert response.status_code == 302
    assert response.url == entry.get_absolute_url()
    assert (entry.author, entry.log, entry.question) == (supervisee, log, start)
    assert entry.shared_with is None
    page = client.get(entry.get_absolute_url()).content.decode()
    assert start.text in page and "It is teaching me to slow down." in page


def test_journal_cannot_link_someone_elses_log(login, supervisee, other_supervisee):
    theirs = SessionLogFactory(author=other_supervisee)
    response = login(supervisee).post(
        reverse("reflections:journal_create"), journal_post(log=theirs.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["log"])
    assert not PrivateReflection.objects.exists()


def test_journal_identifier_warning_stores_nothing_until_confirmed(login, supervisee):
    client = login(supervisee)
    text = "Her sister wrote from someone@example.com before the session."
    response = client.post(reverse("reflections:journal_create"), journal_post(text=text))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.identifier_findings[0]["excerpt"] == "someone@example.com"
    assert form.identifier_findings[0]["field"] == "Reflection"
    assert "someone@example.com</mark>" in response.content.decode()
    assert not PrivateReflection.objects.exists()
    digest = form.data["identifiers_digest"]

    # Ticking without the digest of what was shown is not enough.
    response = client.post(
        reverse("reflections:journal_create"),
        journal_post(text=text, confirm_not_identifying="on"),
    )
    assert response.status_code == 200
    assert not PrivateReflection.objects.exists()

    response = client.post(
        reverse("reflections:journal_create"),
        journal_post(text=text, identifiers_digest=digest, confirm_not_identifying="on"),
    )
    assert response.status_code == 302
    assert PrivateReflection.objects.get().text == text


def test_journal_edit(login, supervisee):
    entry = PrivateReflection.objects.create(author=supervisee, text="First version.")
    client = login(supervisee)
    url = reverse("reflections:journal_edit", args=[entry.pk])
    response = client.post(url, journal_post(title="Renamed", text="Second version."))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.text, entry.author) == ("Renamed", "Second version.", supervisee)
    # An edit is checked for identifiers like a new entry.
    response = client.post(url, journal_post(title="Renamed", text="Call 07700 900123."))
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.text == "Second version."


def test_journal_edit_keeps_a_retired_question_and_a_trashed_log(login, supervisee):
    start = question("moving-forward")
    about = SessionLogFactory(author=supervisee)
    entry = PrivateReflection.objects.create(
        author=supervisee, text="Before.", question=start, log=about
    )
    ReflectiveQuestion.objects.filter(pk=start.pk).update(is_retired=True)
    SessionLog.objects.filter(pk=about.pk).update(deleted_at=timezone.now())
    client = login(supervisee)
    url = reverse("reflections:journal_edit", args=[entry.pk])
    response = client.post(url, journal_post(question=start.pk, log=about.pk, text="After."))
    assert response.status_code == 302, response.context["form"].errors
    entry.refresh_from_db()
    assert (entry.text, entry.question, entry.log) == ("After.", start, about)
    # Neither is offered for a new entry.
    form = client.get(reverse("reflections:journal_create")).context["form"]
    assert start not in form.fields["question"].queryset
    assert about not in form.fields["log"].queryset


def share(client, entry, supervisor):
    return client.post(
        reverse("reflections:journal_share", args=[entry.pk]),
        {"supervisor": supervisor.pk if supervisor else ""},
    )


def test_share_and_take_back(login, supervisee, supervisor):
    entry = PrivateReflection.objects.create(author=supervisee, text="About my own training.")
    detail = reverse("reflections:journal_detail", args=[entry.pk])
    share(login(supervisee), entry, supervisor)
    entry.refresh_from_db()
    assert entry.shared_with == supervisor and entry.shared_at is not None
    client = login(supervisor)
    assert client.get(detail).status_code == 200
    assert list(client.get(reverse("reflections:journal_list")).context["shared"]) == [entry]

    response = share(login(supervisee), entry, None)
    assert any("private again" in m for m in messages_of(response))
    entry.refresh_from_db()
    assert entry.shared_with is None and entry.shared_at is None
    client = login(supervisor)
    assert client.get(detail).status_code == 404
    assert list(client.get(reverse("reflections:journal_list")).context["shared"]) == []


def test_shared_entry_closes_when_the_supervision_ends(login, supervisee, supervisor):
    entry = PrivateReflection.objects.create(author=supervisee, text="Shared, then ended.")
    share(login(supervisee), entry, supervisor)
    relationship = supervisor.supervising.get()
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    relationship.save()
    client = login(supervisor)
    assert client.get(reverse("reflections:journal_detail", args=[entry.pk])).status_code == 404
    assert list(client.get(reverse("reflections:journal_list")).context["shared"]) == []


@pytest.fixture
def full_journal(supervisee, supervisor):
    logs = SubmittedLogFactory.create_batch(6, author=supervisee)
    questions = list(ReflectiveQuestion.objects.all())
    return PrivateReflection.objects.bulk_create(
        PrivateReflection(
            author=supervisee,
            title=f"Entry {i}" if i % 2 else "",
            text=f"Synthetic reflection number {i}.",
            log=logs[i % len(logs)],
            question=questions[i % len(questions)],
            shared_with=supervisor if i % 3 == 0 else None,
            shared_at=timezone.now() if i % 3 == 0 else None,
        )
        for i in range(60)
    )


def test_journal_list_query_count(login, supervisee, full_journal, django_assert_max_num_queries):
    client = login(supervisee)
    # session, user, unread count, own entries, shared with me: 5 measured.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reflections:journal_list"))
    assert len(response.context["entries"]) == 60


def test_shared_journal_list_query_count(
    login, supervisor, full_journal, django_assert_max_num_queries
):
    client = login(supervisor)
    # session, user, unread count, shared with me: 4 measured.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("reflections:journal_list"))
    assert len(response.context["shared"]) == 20


# ------------------------------------------------------------ notifications


def badge(count: int) -> str:
    return f'text-bg-primary">{count}<span class="visually-hidden"> unread</span>'


def test_notifications_open_and_mark_read(login, supervisee, other_supervisee, log):
    first = Notification.objects.create(
        recipient=supervisee, message="Dr Sol Supervisor replied.", url=log.get_absolute_url()
    )
    Notification.objects.create(
        recipient=supervisee, message="Dr Sol Supervisor commented.", url="/journal/"
    )
    someone_elses = Notification.objects.create(
        recipient=other_supervisee, message="Not for Sam.", url="/logs/"
    )
    client = login(supervisee)
    page = client.get(reverse("notifications"))
    content = page.content.decode()
    assert "Dr Sol Supervisor replied." in content and "Not for Sam." not in content
    assert badge(2) in content

    response = client.post(reverse("notification_open", args=[first.pk]))
    assert response.status_code == 302 and response.url == log.get_absolute_url()
    first.refresh_from_db()
    assert first.read_at is not None
    assert badge(1) in client.get(reverse("notifications")).content.decode()

    assert client.post(reverse("notification_open", args=[someone_elses.pk])).status_code == 404
    someone_elses.refresh_from_db()
    assert someone_elses.read_at is None

    response = client.post(reverse("notifications_read"))
    assert response.status_code == 302 and response.url == reverse("notifications")
    assert not Notification.objects.filter(recipient=supervisee, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_supervisee, read_at__isnull=True).exists()
    assert 'visually-hidden"> unread' not in client.get(reverse("notifications")).content.decode()


def test_notification_with_an_outside_url_stays_in_the_app(login, supervisee):
    notice = Notification.objects.create(
        recipient=supervisee, message="Odd.", url="https://elsewhere.example.com/"
    )
    response = login(supervisee).post(reverse("notification_open", args=[notice.pk]))
    assert response.url == reverse("notifications")


def test_actions_reach_the_nav_badge(login, supervisee, supervisor, log):
    reply(login(supervisor), log, decision="sign")
    client = login(supervisee)
    content = client.get(reverse("cases:log_list")).content.decode()
    assert badge(1) in content
    notice = Notification.objects.get(recipient=supervisee)
    assert notice.url == log.get_absolute_url()
    assert "signed off" in notice.message


# ------------------------------------------------------- sign-off means what it says


def test_a_stale_reply_form_cannot_sign_what_its_author_never_read(
    client, supervisee, supervisor, log
):
    """The issue's sequence: A opens the reply form; B returns the log; she edits and
    resubmits; A posts the form she loaded before, with "sign off"."""
    second = SupervisorFactory(display_name="Dr Bea Second")
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    client.force_login(supervisor)
    loaded = client.get(reverse("reflections:reply_create", args=[log.pk])).context["form"]
    stale_version = loaded["version"].value()

    client.force_login(second)
    assert reply(client, log, decision="return").status_code == 302
    client.force_login(supervisee)
    edited = log_post(what_happened="A different account of the session, written later.")
    client.post(reverse("cases:log_edit", args=[log.pk]), {**edited, "version": stale_version})
    client.post(reverse("cases:log_submit", args=[log.pk]))
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED and log.version > stale_version

    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:reply_create", args=[log.pk]),
        {
            "feedback": "What I wrote about the first account.",
            "decision": "sign",
            "version": stale_version,
        },
    )
    # Refused with a clear message; her reply is kept in the form; nothing was written.
    assert response.status_code == 200
    page = response.content.decode()
    assert "has changed since you opened it" in page
    assert "What I wrote about the first account." in page
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    assert not Reply.objects.filter(author=supervisor).exists()
    # The page now shows the log as it is, and the form carries that version: sending it
    # again signs what she read this time, and the signature records which version.
    assert response.context["form"]["version"].value() == str(log.version)
    assert "A different account of the session" in page
    again = client.post(
        reverse("reflections:reply_create", args=[log.pk]),
        {"feedback": "Read again.", "decision": "sign", "version": log.version},
    )
    assert again.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.SIGNED
    assert log.signed_version == log.version
    assert log.signed_sha256 == log_digest(log)


@pytest.mark.parametrize("decision", ["return", "sign"])
def test_a_reply_form_without_its_version_is_refused(client, supervisor, log, decision):
    client.force_login(supervisor)
    response = client.post(
        reverse("reflections:reply_create", args=[log.pk]),
        {"feedback": "No version.", "decision": decision},
    )
    assert response.status_code == 200
    assert not Reply.objects.exists()
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED


def test_the_signed_log_says_who_and_when_and_keeps_the_digest_one_click_away(
    client, supervisee, supervisor, log
):
    client.force_login(supervisor)
    reply(client, log, decision="sign")
    client.force_login(supervisee)
    page = client.get(log.get_absolute_url()).content.decode()
    signature = page.split('id="signature"')[1].split("</div>")[0]
    assert "Signed off by <strong>Dr Sol Supervisor</strong> on" in signature
    # The digest sits inside a closed "Integrity details".
    details = signature.split("<details")[1]
    assert "<summary>Integrity details</summary>" in details
    assert "SHA-256" in details
    assert "SHA-256" not in signature.split("<details")[0]
    # The reply names what happened, not the button that did it.
    assert "· signed off" in page
    assert "· Sign off" not in page
