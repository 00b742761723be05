"""The 'Waiting for you' strip on her home page, and the full list of questions waiting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import waiting
from cases.models import LogStatus
from reflections.models import Decision
from reflections.selectors import questions_waiting
from tests.factories import (
    AskedQuestionFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
)

HOME = reverse("cases:log_list")


def returned_log(author, supervisor, request_text, *, ago_days=1):
    log = SubmittedLogFactory(author=author, status=LogStatus.RETURNED)
    reply = ReplyFactory(
        log=log, author=supervisor, feedback=request_text, decision=Decision.RETURN
    )
    reply.created_at = timezone.now() - datetime.timedelta(days=ago_days)
    reply.save(update_fields=["created_at"])
    return log


def strip(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return response.context["waiting"], response.content.decode()


def test_home_shows_returned_log_with_its_request_then_questions_then_drafts(
    client, supervisee, supervisor
):
    log = returned_log(supervisee, supervisor, "Could you add what you felt at the end?")
    question = AskedQuestionFactory(reply__log__author=supervisee, text="What did the silence ask?")
    draft = SessionLogFactory(author=supervisee)
    client.force_login(supervisee)
    groups, page = strip(client)
    assert [g.heading for g in groups] == [
        "Returned to you with a request",
        "Questions from your supervisors, when you are ready",
        "Drafts you have not submitted yet",
    ]
    returned = groups[0].items[0]
    assert returned.url == log.get_absolute_url()
    assert returned.detail == "Could you add what you felt at the end?"
    assert returned.by == supervisor.display_name
    assert (
        groups[1].items[0].url == f"{question.reply.log.get_absolute_url()}#question-{question.pk}"
    )
    assert groups[2].items[0].url == draft.get_absolute_url()
    assert "Waiting for you" in page
    # Calm: no counts, nothing in red, no overdue language.
    section = page.split('id="waiting-h"')[1].split("</section>")[0]
    for word in ("overdue", "text-danger", "bg-danger", "badge", "late"):
        assert word not in section


def test_the_request_shown_is_the_latest_return(client, supervisee, supervisor):
    log = returned_log(supervisee, supervisor, "First request.", ago_days=10)
    ReplyFactory(log=log, author=supervisor, feedback="Just a reply.", decision=Decision.REPLY)
    later = ReplyFactory(
        log=log, author=supervisor, feedback="Second request.", decision=Decision.RETURN
    )
    assert later.created_at > timezone.now() - datetime.timedelta(minutes=1)
    client.force_login(supervisee)
    groups, _ = strip(client)
    assert groups[0].items[0].detail == "Second request."


def test_questions_newest_first_and_all_reachable(client, supervisee, supervisor):
    texts = []
    for i in range(waiting.SHOWN + 4):
        q = AskedQuestionFactory(
            reply__log__author=supervisee, reply__author=supervisor, text=f"Question {i:02}?"
        )
        q.reply.created_at = timezone.now() - datetime.timedelta(days=30 - i)
        q.reply.save(update_fields=["created_at"])
        texts.append(q.text)
    client.force_login(supervisee)
    groups, _ = strip(client)
    questions = groups[0]
    assert [i.detail for i in questions.items] == texts[::-1][: waiting.SHOWN]
    assert questions.more_url == reverse("reflections:questions_waiting")
    # The link works, and the full list holds every one of them, newest first.
    listed = client.get(questions.more_url)
    assert [q.text for q in listed.context["page"].object_list] == texts[::-1]
    # A link to the rest, not a count of them.
    assert not any(ch.isdigit() for ch in questions.more_label)


def test_answered_and_trashed_and_others_questions_do_not_wait(
    client, supervisee, other_supervisee
):
    AskedQuestionFactory(reply__log__author=supervisee, answered_at=timezone.now())
    trashed = SubmittedLogFactory(author=supervisee, deleted_at=timezone.now())
    AskedQuestionFactory(reply__log=trashed)
    AskedQuestionFactory(reply__log__author=other_supervisee)
    assert list(questions_waiting(supervisee)) == []
    client.force_login(supervisee)
    groups, page = strip(client)
    assert groups == []
    assert "Waiting for you" not in page


def test_strip_only_on_the_unfiltered_first_page(client, supervisee):
    SessionLogFactory(author=supervisee)
    client.force_login(supervisee)
    assert client.get(HOME).context["waiting"]
    assert client.get(HOME, {"status": "draft"}).context["waiting"] == []


def test_returned_request_at_the_top_of_the_log_page_and_in_the_edit_form(
    client, supervisee, supervisor
):
    log = returned_log(supervisee, supervisor, "Please say more about the ending.")
    client.force_login(supervisee)
    page = client.get(log.get_absolute_url()).content.decode()
    request_at = page.index("Please say more about the ending.")
    assert request_at < page.index("Submit again")
    assert request_at < page.index("What happened")
    form = client.get(reverse("cases:log_edit", args=[log.pk])).content.decode()
    assert "Please say more about the ending." in form
    assert form.index("Please say more about the ending.") < form.index('name="what_happened"')
    # Her supervisor sees the same request at the top of the page.
    client.force_login(supervisor)
    assert (
        "Please say more about the ending." in client.get(log.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("status", [LogStatus.SUBMITTED, LogStatus.SIGNED, LogStatus.DRAFT])
def test_no_request_panel_once_the_log_moved_on(client, supervisee, supervisor, status):
    log = returned_log(supervisee, supervisor, "An old request.")
    log.status = status
    if status == LogStatus.SIGNED:
        log.signed_by, log.signed_at, log.signed_sha256 = supervisor, timezone.now(), "0" * 64
    log.save()
    client.force_login(supervisee)
    assert 'id="return-request"' not in client.get(log.get_absolute_url()).content.decode()


def test_questions_waiting_page_query_count(client, supervisee, django_assert_max_num_queries):
    for _ in range(40):
        AskedQuestionFactory(reply__log__author=supervisee)
    client.force_login(supervisee)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reflections:questions_waiting"))
    assert len(response.context["page"].object_list) == 20


def test_what_the_idle_limit_kept_comes_first(client, supervisee):
    from accounts.models import KeptDraft

    KeptDraft.objects.create(owner=supervisee, form="log_new", object_id=0, fields={"x": ["y"]})
    SessionLogFactory(author=supervisee)
    client.force_login(supervisee)
    groups, page = strip(client)
    assert groups[0].heading.startswith("Kept for you when you were signed out")
    assert groups[0].items[0].url == reverse("cases:log_create")
    # The strip names it; the kept text itself is only ever in her form.
    assert "y" not in groups[0].items[0].title
