"""Gentle questions: one suggestion per reply, answers open to change until read, and
questions she would rather talk about in supervision."""

import dataclasses
import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Pattern
from dashboards.selectors import supervisee_dashboard
from reflections import services
from reflections.catalog_loader import DEFAULT_PATH, CatalogError, catalog_load
from reflections.forms import ReplyForm
from reflections.models import AskedQuestion, ReflectiveQuestion
from reflections.selectors import QuestionForSupervision, questions_for_supervision
from supervision.models import AuditAction, AuditEvent, Notification
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    RelationshipFactory,
    ReplyFactory,
    SubmittedLogFactory,
    SupervisorFactory,
)

pytestmark = pytest.mark.usefixtures("catalog")

ANSWER = "Synthetic: that the pause was mine to hold."
READ_LINE = "Your supervisor has read this; add further thoughts in the conversation below."


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def tagged_log(author, *slugs):
    log = SubmittedLogFactory(author=author)
    for slug in slugs:
        PatternTagFactory(log=log, pattern=Pattern.objects.get(slug=slug))
    return log


def slugs_of(pks) -> list[str]:
    by_pk = dict(ReflectiveQuestion.objects.values_list("pk", "slug"))
    return [by_pk[pk] for pk in pks]


def offered(form) -> list[str]:
    return [q.slug for q in form.fields["questions"].queryset]


# ------------------------------------------------------------- the reply form


def test_the_repeating_question_is_flagged_in_the_seed_catalog():
    flagged = dict(
        ReflectiveQuestion.objects.exclude(repeats_log_field="").values_list(
            "slug", "repeats_log_field"
        )
    )
    assert flagged == {"moving-forward": "what_it_teaches"}


def test_an_unknown_log_field_in_the_catalog_is_refused(tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text(
        DEFAULT_PATH.read_text().replace(
            'repeats_log_field = "what_it_teaches"', 'repeats_log_field = "what_happened_next"'
        )
    )
    with pytest.raises(CatalogError, match="what_happened_next"):
        catalog_load(path=path)
    assert ReflectiveQuestion.objects.get(slug="moving-forward").repeats_log_field == (
        "what_it_teaches"
    )


def test_one_question_is_pre_selected_the_best_fit(supervisee, supervisor):
    # Exploring your control needs and Presence over performance both fit the first
    # three; the fourth only fits Presence, which then fits best.
    three = ("technique-focus", "pre-session-anxiety", "image-management")
    form = ReplyForm(log=tagged_log(supervisee, *three))
    assert slugs_of(form.fields["questions"].initial) == ["exploring-control-needs"]
    form = ReplyForm(log=tagged_log(supervisee, *three, "unplanned-moments"))
    assert slugs_of(form.fields["questions"].initial) == ["presence-over-performance"]
    assert offered(form)[:2] == ["presence-over-performance", "exploring-control-needs"]
    assert len(offered(form)) == ReflectiveQuestion.objects.in_use().count()


def test_a_question_repeating_the_log_form_is_never_pre_selected(supervisee, supervisor):
    # Moving forward fits all four patterns, Normalising your imperfection three.
    log = tagged_log(
        supervisee,
        "error-intolerance",
        "post-session-rumination",
        "self-preservation",
        "comparing-with-colleagues",
    )
    form = ReplyForm(log=log)
    assert slugs_of(form.fields["questions"].initial) == ["normalising-imperfection"]
    # The suggestion leads; the others follow by fit, the repeating one unticked.
    assert offered(form)[:3] == [
        "normalising-imperfection",
        "moving-forward",
        "exploring-control-needs",
    ]
    html = str(form["questions"])
    assert "Suggested for this log — Normalising your imperfection" in html
    assert "close to the log&#x27;s own “what this is teaching me”" in html
    assert html.count("checked") == 1


def test_nothing_is_pre_selected_when_only_a_repeating_question_fits(supervisee, supervisor):
    ReflectiveQuestion.objects.filter(slug="normalising-imperfection").update(is_retired=True)
    form = ReplyForm(log=tagged_log(supervisee, "error-intolerance"))
    assert form.fields["questions"].initial == []
    assert offered(form)[0] == "moving-forward"


def test_an_untagged_log_gets_no_suggestion(supervisee, supervisor):
    form = ReplyForm(log=tagged_log(supervisee))
    assert form.fields["questions"].initial == []
    assert "Suggested for this log" not in str(form["questions"])


def test_the_supervisor_can_still_ask_several(login, supervisee, supervisor):
    log = tagged_log(supervisee, "technique-focus")
    client = login(supervisor)
    page = client.get(reverse("reflections:reply_create", args=[log.pk]))
    assert len(re.findall(r'name="questions"[^>]*checked', page.content.decode())) == 1
    chosen = ReflectiveQuestion.objects.filter(
        slug__in=["moving-forward", "exploring-control-needs", "countertransference"]
    )
    response = client.post(
        reverse("reflections:reply_create", args=[log.pk]),
        {
            "feedback": "Noticed.",
            "questions": [q.pk for q in chosen],
            "decision": "reply",
            "version": log.version,
        },
    )
    assert response.status_code == 302
    assert AskedQuestion.objects.filter(reply__log=log).count() == 3


# ----------------------------------------------------- changing an answer until read


@pytest.fixture
def log(supervisee, supervisor):
    return SubmittedLogFactory(author=supervisee)


@pytest.fixture
def asked(log, supervisor):
    return AskedQuestionFactory(reply=ReplyFactory(log=log, author=supervisor))


@pytest.fixture
def answered(asked, supervisee):
    return services.answer_save(question=asked, author=supervisee, text=ANSWER)


def edit(client, question, text):
    return client.post(reverse("reflections:answer_edit", args=[question.pk]), {"answer": text})


def updates_of(question) -> int:
    return AuditEvent.objects.filter(
        object_type="reflections.askedquestion", object_id=question.pk, action=AuditAction.UPDATE
    ).count()


def test_she_can_change_her_answer_until_it_is_read(login, supervisee, supervisor, answered):
    client = login(supervisee)
    page = client.get(answered.reply.log.get_absolute_url()).content.decode()
    assert "Change my answer" in page and READ_LINE not in page
    Notification.objects.all().delete()
    response = edit(client, answered, "Synthetic: second thoughts.")
    assert response.status_code == 302
    assert response.url.endswith(f"#question-{answered.pk}")
    assert "Answer changed." in messages_of(response)
    edit(client, answered, "Synthetic: third thoughts.")
    answered.refresh_from_db()
    assert answered.answer == "Synthetic: third thoughts."
    assert answered.answer_edited_at is not None
    assert updates_of(answered) == 2  # one audit row per change
    notices = list(Notification.objects.values_list("recipient", "message"))
    assert (
        notices
        == [(supervisor.pk, f"{supervisee} changed an answer to a reflective question.")] * 2
    )
    assert all("thoughts" not in message for _, message in notices)


def test_the_same_text_again_writes_nothing(login, supervisee, answered):
    response = edit(login(supervisee), answered, ANSWER)
    assert "Your answer is unchanged." in messages_of(response)
    assert updates_of(answered) == 0


def test_once_the_supervisor_has_read_it_the_answer_stays(login, supervisee, supervisor, answered):
    login(supervisor).get(answered.reply.log.get_absolute_url())
    answered.refresh_from_db()
    assert answered.answer_read_at is not None
    client = login(supervisee)
    response = edit(client, answered, "Synthetic: rewritten after she read it.")
    assert response.status_code == 302
    assert any("has read this answer" in m for m in messages_of(response))
    answered.refresh_from_db()
    assert answered.answer == ANSWER and answered.answer_edited_at is None
    assert updates_of(answered) == 0
    page = client.get(answered.reply.log.get_absolute_url()).content.decode()
    assert READ_LINE in page and "Change my answer" not in page


def test_an_empty_change_is_refused(login, supervisee, answered):
    response = edit(login(supervisee), answered, "  ")
    assert any("needs some text" in m for m in messages_of(response))
    answered.refresh_from_db()
    assert answered.answer == ANSWER


def test_an_unanswered_question_cannot_be_changed(login, supervisee, asked):
    response = edit(login(supervisee), asked, "Synthetic: sneaking in.")
    assert any("no answer yet" in m for m in messages_of(response))
    asked.refresh_from_db()
    assert asked.answer == "" and asked.answered_at is None


def test_nobody_else_changes_her_answer(login, supervisor, other_supervisee, answered):
    assert edit(login(supervisor), answered, "Synthetic: for her.").status_code == 403
    assert edit(login(other_supervisee), answered, "Synthetic: not mine.").status_code == 404
    answered.refresh_from_db()
    assert answered.answer == ANSWER
    with pytest.raises(services.WorkflowError):
        services.asked_question_answer_edit(question=answered, author=supervisor, text="x")


def test_only_the_replys_author_reading_locks_it(login, supervisee, supervisor, answered):
    colleague = SupervisorFactory()
    RelationshipFactory(supervisor=colleague, supervisee=supervisee)
    login(colleague).get(answered.reply.log.get_absolute_url())
    login(supervisee).get(answered.reply.log.get_absolute_url())
    answered.refresh_from_db()
    assert answered.answer_read_at is None


def test_marking_read_costs_one_update_only_when_something_is_unread(
    login, supervisor, answered, log
):
    client = login(supervisor)
    url = log.get_absolute_url()

    def writes():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]

    first, second = writes(), writes()
    assert len(first) == 1 and "answer_read_at" in first[0]
    assert second == []


# ----------------------------------------------------- talking about it in supervision


def defer(client, question, **data):
    return client.post(reverse("reflections:question_defer", args=[question.pk]), data)


def test_she_keeps_a_question_for_supervision_and_can_undo_it(login, supervisee, supervisor, asked):
    client = login(supervisee)
    response = defer(client, asked)
    assert response.status_code == 302
    assert response.url.endswith(f"#question-{asked.pk}")
    asked.refresh_from_db()
    assert asked.deferred_at is not None
    assert updates_of(asked) == 1
    page = client.get(asked.reply.log.get_absolute_url()).content.decode()
    assert "You chose to talk about this in supervision." in page
    assert f'action="{reverse("reflections:answer", args=[asked.pk])}"' not in page
    assert supervisee_dashboard(supervisee).waiting_questions == []

    seen = login(supervisor).get(asked.reply.log.get_absolute_url()).content.decode()
    assert f"{supervisee.display_name} would like to talk about this in supervision." in seen

    defer(login(supervisee), asked, undo="1")
    asked.refresh_from_db()
    assert asked.deferred_at is None
    assert updates_of(asked) == 2
    assert [q.pk for q in supervisee_dashboard(supervisee).waiting_questions] == [asked.pk]


def test_a_supervisor_cannot_defer_for_her(login, supervisor, other_supervisee, asked):
    assert defer(login(supervisor), asked).status_code == 403
    assert defer(login(other_supervisee), asked).status_code == 404
    asked.refresh_from_db()
    assert asked.deferred_at is None
    assert updates_of(asked) == 0


def test_an_answered_question_is_not_deferred(login, supervisee, answered):
    response = defer(login(supervisee), answered)
    assert any("already answered" in m for m in messages_of(response))
    answered.refresh_from_db()
    assert answered.deferred_at is None


def test_deferring_twice_writes_one_row(supervisee, asked):
    services.asked_question_defer(question=asked, author=supervisee)
    services.asked_question_defer(question=asked, author=supervisee)
    assert updates_of(asked) == 1


def test_answering_after_all_takes_it_off_the_supervision_list(supervisee, supervisor, asked):
    services.asked_question_defer(question=asked, author=supervisee)
    services.answer_save(question=asked, author=supervisee, text=ANSWER)
    asked.refresh_from_db()
    assert asked.deferred_at is None
    assert questions_for_supervision(supervisor, supervisee) == []


# ------------------------------------------------------------ the selector


def test_questions_for_supervision(supervisee, supervisor, log, asked):
    services.asked_question_defer(question=asked, author=supervisee)
    waiting = AskedQuestionFactory(reply=asked.reply, position=1, text="Not kept back?")
    answered = AskedQuestionFactory(reply=asked.reply, position=2, text="Answered one?")
    services.asked_question_defer(question=answered, author=supervisee)
    AskedQuestion.objects.filter(pk=answered.pk).update(answered_at=timezone.now(), answer="x")
    trashed = SubmittedLogFactory(author=supervisee)
    gone = AskedQuestionFactory(reply=ReplyFactory(log=trashed, author=supervisor))
    services.asked_question_defer(question=gone, author=supervisee)
    trashed.deleted_at = timezone.now()
    trashed.save()

    found = questions_for_supervision(supervisor, supervisee)
    asked.refresh_from_db()
    assert found == [
        QuestionForSupervision(
            text=asked.text,
            client_code=log.client_code,
            session_date=log.session_date,
            log_url=log.get_absolute_url(),
            deferred_at=asked.deferred_at,
        )
    ]
    assert waiting.text not in [q.text for q in found]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].text = "changed"  # type: ignore[misc]


def test_questions_for_supervision_are_scoped(
    supervisee, supervisor, other_supervisee, other_supervisor, asked
):
    services.asked_question_defer(question=asked, author=supervisee)
    theirs = AskedQuestionFactory(
        reply=ReplyFactory(
            log=SubmittedLogFactory(author=other_supervisee), author=other_supervisor
        )
    )
    services.asked_question_defer(question=theirs, author=other_supervisee)
    # Another supervisor's supervisee's questions never appear, whoever is asked about.
    assert questions_for_supervision(supervisor, other_supervisee) == []
    assert questions_for_supervision(other_supervisor, supervisee) == []
    assert [q.text for q in questions_for_supervision(other_supervisor, other_supervisee)] == [
        theirs.text
    ]
    # A former supervisor gets nothing.
    relationship = supervisor.supervising.get()
    relationship.starts_on = timezone.localdate() - datetime.timedelta(days=30)
    relationship.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    relationship.save()
    assert questions_for_supervision(supervisor, supervisee) == []
