"""Download my records: JSON and a printable page of everything the signed-in person wrote."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Addendum, ClientPresentation, LogStatus, Pattern
from groups.models import GroupComment, LogShare
from reflections.export import FORMAT, VERSION
from reflections.models import Comment, Practice, PrivateReflection, ReflectiveQuestion, Strength
from supervision.models import AuditAction, AuditEvent
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    ReplyFactory,
    SessionLogFactory,
    SubmittedLogFactory,
)

pytestmark = pytest.mark.usefixtures("catalog")

JSON_URL = reverse("reflections:export_json")
PRINT_URL = reverse("reflections:export_print")
PAGE_URL = reverse("reflections:export")
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def iso(moment: datetime.datetime | None) -> str | None:
    """How DjangoJSONEncoder writes an aware UTC time."""
    if moment is None:
        return None
    text = moment.isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]
    return text.removesuffix("+00:00") + "Z"


@pytest.fixture
def written(supervisee, supervisor, other_supervisee, group, group_member):
    """Sam's writing in every place, and other people's writing next to it."""
    now = timezone.now()
    signed = SessionLogFactory(
        author=supervisee,
        client_code="SAM-1",
        what_happened="Sam's own words about the session.",
        status=LogStatus.SIGNED,
        submitted_at=now - datetime.timedelta(days=2),
        signed_by=supervisor,
        signed_at=now - datetime.timedelta(days=1),
        signed_sha256="a" * 64,
    )
    signed.presentations.set([ClientPresentation.objects.get(slug="complex-trauma")])
    over_prep = Pattern.objects.get(slug="over-preparation-trap")
    PatternTagFactory(log=signed, pattern=over_prep, note="Three exercises planned.")
    PatternTagFactory(log=signed, pattern=Pattern.objects.get(slug="technique-focus"), note="")
    reply = ReplyFactory(log=signed, author=supervisor, feedback="SUPERVISOR-FEEDBACK-TEXT")
    answered = AskedQuestionFactory(
        reply=reply,
        theme="Moving forward",
        text="What is this teaching me?",
        answer="That the plan can go.",
        answered_at=now,
    )
    AskedQuestionFactory(reply=reply, text="UNANSWERED-QUESTION")
    trashed = SessionLogFactory(
        author=supervisee, client_code="SAM-2", deleted_at=now, what_happened="A draft I binned."
    )
    submitted = SubmittedLogFactory(author=supervisee, client_code="SAM-3")
    addendum = Addendum.objects.create(log=signed, author=supervisee, text="Sam's addendum.")
    Addendum.objects.create(log=signed, author=supervisor, text="SUPERVISOR-ADDENDUM")
    comment = Comment.objects.create(log=signed, author=supervisee, text="Sam's comment.")
    Comment.objects.create(log=signed, author=supervisor, text="SUPERVISOR-COMMENT")
    share = LogShare.objects.create(log=submitted, group=group)
    group_comment = GroupComment.objects.create(
        share=share, author=supervisee, text="Sam in the group."
    )
    GroupComment.objects.create(share=share, author=group_member, text="MEMBER-COMMENT")
    question = ReflectiveQuestion.objects.get(slug="moving-forward")
    entry = PrivateReflection.objects.create(
        author=supervisee,
        title="After the session",
        text="Sam's private reflection.",
        log=signed,
        question=question,
        shared_with=supervisor,
        shared_at=now,
    )
    SessionLogFactory(author=other_supervisee, what_happened="OTHER-PERSON-LOG")
    PrivateReflection.objects.create(author=other_supervisee, text="OTHER-PERSON-JOURNAL")
    return {
        "signed": signed,
        "trashed": trashed,
        "submitted": submitted,
        "answered": answered,
        "addendum": addendum,
        "comment": comment,
        "group_comment": group_comment,
        "entry": entry,
        "question": question,
        "group": group,
    }


def download(client) -> dict:
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="good-enough-records-')
    return json.loads(response.content)


def test_json_holds_exactly_what_she_wrote(login, supervisee, supervisor, written):
    data = download(login(supervisee))
    assert data["format"] == FORMAT
    assert data["version"] == VERSION
    assert data["person"] == {
        "id": supervisee.pk,
        "name": "Sam Supervisee",
        "email": "sam@example.org",
        "role": "supervisee",
    }
    logs = {entry["id"]: entry for entry in data["session_logs"]}
    assert set(logs) == {written["signed"].pk, written["trashed"].pk, written["submitted"].pk}
    signed = written["signed"]
    assert logs[signed.pk] == {
        "id": signed.pk,
        "client_code": "SAM-1",
        "session_date": signed.session_date.isoformat(),
        "duration_minutes": 50,
        "modality": "in_person",
        "client_unit": "individual",
        "simulated": False,
        "presentations": ["Complex trauma"],
        "what_happened": "Sam's own words about the session.",
        "what_i_felt": signed.what_i_felt,
        "what_i_did": signed.what_i_did,
        "what_it_teaches": signed.what_it_teaches,
        "pre_session_anxiety": 6,
        "post_session_rumination": 4,
        "tags": [
            {
                "family": t.pattern.family.name,
                "pattern": t.pattern.name,
                "note": t.note,
            }
            for t in signed.tags.select_related("pattern__family")
        ],
        "status": "signed",
        "version": 1,
        "created_at": iso(signed.created_at),
        "updated_at": iso(signed.updated_at),
        "submitted_at": iso(signed.submitted_at),
        "in_trash_since": None,
        "identifiers_confirmed_at": None,
        "signed_by": {"id": supervisor.pk, "name": "Dr Sol Supervisor"},
        "signed_at": iso(signed.signed_at),
        "signed_sha256": "a" * 64,
    }
    notes = {t["pattern"]: t["note"] for t in logs[signed.pk]["tags"]}
    assert notes[Pattern.objects.get(slug="over-preparation-trap").name] == (
        "Three exercises planned."
    )
    assert logs[written["trashed"].pk]["in_trash_since"] == iso(written["trashed"].deleted_at)
    assert logs[written["trashed"].pk]["what_happened"] == "A draft I binned."

    ref = {
        "id": signed.pk,
        "author": "Sam Supervisee",
        "client_code": "SAM-1",
        "session_date": signed.session_date.isoformat(),
    }
    answered = written["answered"]
    assert data["answers"] == [
        {
            "id": answered.pk,
            "log": ref,
            "asked_by": {"id": supervisor.pk, "name": "Dr Sol Supervisor"},
            "asked_at": iso(answered.reply.created_at),
            "theme": "Moving forward",
            "question": "What is this teaching me?",
            "answer": "That the plan can go.",
            "answered_at": iso(answered.answered_at),
        }
    ]
    assert [(a["log"], a["text"]) for a in data["addenda"]] == [(ref, "Sam's addendum.")]
    assert [(c["log"], c["text"]) for c in data["comments"]] == [(ref, "Sam's comment.")]
    assert [(c["group"], c["text"], c["log"]["id"]) for c in data["group_comments"]] == [
        ("Sounding board", "Sam in the group.", written["submitted"].pk)
    ]
    question = written["question"]
    assert data["private_reflections"] == [
        {
            "id": written["entry"].pk,
            "title": "After the session",
            "text": "Sam's private reflection.",
            "log": ref,
            "question": {"theme": question.name, "text": question.text},
            "shared_with": {"id": supervisor.pk, "name": "Dr Sol Supervisor"},
            "shared_at": iso(written["entry"].shared_at),
            "created_at": iso(written["entry"].created_at),
            "updated_at": iso(written["entry"].updated_at),
        }
    ]
    assert data["replies"] == []
    # Her record of supervision: what her supervisors wrote on her logs, with her answers.
    [received] = data["feedback_received"]
    assert received["log"] == ref
    assert received["from"] == {"id": supervisor.pk, "name": "Dr Sol Supervisor"}
    assert received["feedback"] == "SUPERVISOR-FEEDBACK-TEXT"
    assert received["questions"] == [
        {
            "theme": "Moving forward",
            "question": "What is this teaching me?",
            "answer": "That the plan can go.",
        },
        {"theme": "Moving forward", "question": "UNANSWERED-QUESTION", "answer": None},
    ]


def test_json_leaves_out_everyone_elses_writing(login, supervisee, written):
    text = login(supervisee).get(JSON_URL).content.decode()
    for other in (
        "SUPERVISOR-ADDENDUM",
        "SUPERVISOR-COMMENT",
        "MEMBER-COMMENT",
        "OTHER-PERSON-LOG",
        "OTHER-PERSON-JOURNAL",
    ):
        assert other not in text


def test_printable_page_includes_the_feedback_questions_and_strengths_received(
    login, supervisee, written
):
    reply = written["answered"].reply
    reply.practice = Practice.objects.first()
    reply.save()
    reply.strengths.set(Strength.objects.all()[:2])
    html = login(supervisee).get(PRINT_URL).content.decode()
    assert "What my supervisors wrote" in html
    for text in (
        "SUPERVISOR-FEEDBACK-TEXT",
        "UNANSWERED-QUESTION",
        reply.practice.name,
        *[s.name for s in reply.strengths.all()],
    ):
        assert text in html, text


def test_a_supervisor_gets_her_replies_and_nothing_of_the_supervisees(
    login, supervisor, supervisee, written
):
    reply = written["answered"].reply
    reply.practice = Practice.objects.first()
    reply.save()
    reply.strengths.set(Strength.objects.all()[:2])
    data = download(login(supervisor))
    assert data["person"]["role"] == "supervisor"
    assert data["session_logs"] == []
    assert data["private_reflections"] == []
    assert data["answers"] == []
    [exported] = data["replies"]
    assert exported["feedback"] == "SUPERVISOR-FEEDBACK-TEXT"
    assert exported["decision"] == "reply"
    assert exported["practice"] == reply.practice.name
    assert exported["strengths"] == [s.name for s in reply.strengths.all()]
    assert exported["questions"] == [
        {"theme": "Moving forward", "question": "What is this teaching me?"},
        {"theme": "Moving forward", "question": "UNANSWERED-QUESTION"},
    ]
    assert exported["log"]["author"] == "Sam Supervisee"
    assert [c["text"] for c in data["comments"]] == ["SUPERVISOR-COMMENT"]
    assert [a["text"] for a in data["addenda"]] == ["SUPERVISOR-ADDENDUM"]
    text = json.dumps(data)
    for hers in ("Sam's own words", "That the plan can go.", "Sam's private reflection."):
        assert hers not in text


def test_nobody_can_ask_for_someone_elses_records(login, outsider, supervisee, written):
    """There is no person in the URL; a query string naming someone changes nothing."""
    client = login(outsider)
    data = json.loads(client.get(JSON_URL, {"person": supervisee.pk, "id": supervisee.pk}).content)
    assert data["person"]["id"] == outsider.pk
    assert data["session_logs"] == []
    assert "Sam" not in client.get(PRINT_URL, {"person": supervisee.pk}).content.decode()


def test_printable_page_has_the_same_content_escaped(login, supervisee, written):
    signed = written["signed"]
    type(signed).objects.filter(pk=signed.pk).update(what_i_did=HOSTILE)
    PrivateReflection.objects.filter(pk=written["entry"].pk).update(title=HOSTILE)
    response = login(supervisee).get(PRINT_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('inline; filename="good-enough-records-')
    html = response.content.decode()
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    for text in (
        "Sam&#x27;s own words about the session.",
        "A draft I binned.",
        "Three exercises planned.",
        "That the plan can go.",
        "What is this teaching me?",
        "Sam&#x27;s addendum.",
        "Sam&#x27;s comment.",
        "Sam in the group.",
        "Sam&#x27;s private reflection.",
        "shared with Dr Sol Supervisor",
        "Signed off",
        "a" * 64,
        "Complex trauma",
    ):
        assert text in html, text
    for other in ("MEMBER-COMMENT", "OTHER-PERSON-LOG"):
        assert other not in html


def test_printable_page_uses_a_print_stylesheet_and_no_inline_styles(login, supervisee, written):
    html = login(supervisee).get(PRINT_URL).content.decode()
    assert 'href="/static/css/export-print.css"' in html
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_print_stylesheet_has_print_rules():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/export-print.css"), encoding="utf-8").read()  # noqa: SIM115
    assert "@media print" in css
    assert "@page" in css


@pytest.mark.parametrize("url", [JSON_URL, PRINT_URL])
def test_each_download_writes_one_export_audit_row(login, supervisee, written, url):
    client = login(supervisee)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    client.get(url)
    rows = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert rows.count() == before + 1
    row = rows.first()
    assert (row.actor, row.owner, row.object_type, row.object_id) == (
        supervisee,
        supervisee,
        "supervision.user",
        supervisee.pk,
    )


def test_the_page_itself_writes_no_export_row(login, supervisee):
    response = login(supervisee).get(PAGE_URL)
    assert response.status_code == 200
    assert JSON_URL in response.content.decode()
    assert PRINT_URL in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_account_menu_links_to_the_page(login, supervisee):
    html = login(supervisee).get(reverse("cases:log_list")).content.decode()
    assert f'href="{PAGE_URL}">Download my records</a>' in html


@pytest.mark.parametrize("url", [PAGE_URL, JSON_URL, PRINT_URL])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not AuditEvent.objects.exists()


# ------------------------------------------------------------- query counts


@pytest.fixture
def prolific(supervisee, supervisor, group):
    """60 logs with tags, presentations, replies, answers, comments and addenda."""
    patterns = list(Pattern.objects.filter(is_background=False)[:4])
    presentations = list(ClientPresentation.objects.all()[:2])
    strengths = list(Strength.objects.all()[:2])
    logs = SubmittedLogFactory.create_batch(60, author=supervisee)
    for i, log in enumerate(logs):
        log.presentations.set(presentations)
        for pattern in patterns:
            PatternTagFactory(log=log, pattern=pattern)
        reply = ReplyFactory(log=log, author=supervisor, practice=Practice.objects.first())
        reply.strengths.set(strengths)
        AskedQuestionFactory.create_batch(
            2, reply=reply, answer=f"Answer {i}", answered_at=timezone.now()
        )
        Comment.objects.create(log=log, author=supervisee, text=f"Comment {i}")
        Comment.objects.create(log=log, author=supervisor, text=f"Reply comment {i}")
        Addendum.objects.create(log=log, author=supervisee, text=f"Addendum {i}")
        share = LogShare.objects.create(log=log, group=group)
        GroupComment.objects.create(share=share, author=supervisee, text=f"Group {i}")
        PrivateReflection.objects.create(author=supervisee, text=f"Entry {i}", log=log)
    return logs


# session, user; savepoint, logs, tags, presentations, addenda, allowed words, answers,
# comments, group comments, journal, replies written and received (+ their strengths and
# questions when there are any), the audit row, release: 18 measured, and none grows with the
# amount written.
@pytest.mark.parametrize(("url", "ceiling"), [(JSON_URL, 18), (PRINT_URL, 18)])
def test_export_query_count_is_fixed(
    login, supervisee, prolific, django_assert_max_num_queries, url, ceiling
):
    client = login(supervisee)
    with django_assert_max_num_queries(ceiling):
        response = client.get(url)
    assert response.status_code == 200
    if url == JSON_URL:
        data = json.loads(response.content)
        assert len(data["session_logs"]) == 60
        assert len(data["answers"]) == 120
        assert all(len(log["tags"]) == 4 for log in data["session_logs"])
        assert len(data["feedback_received"]) == 60


def test_supervisor_export_query_count_is_fixed(
    login, supervisor, prolific, django_assert_max_num_queries
):
    client = login(supervisor)
    # The supervisee's 15 and the replies' strengths and questions.
    with django_assert_max_num_queries(17):
        response = client.get(JSON_URL)
    data = json.loads(response.content)
    assert len(data["replies"]) == 60
    assert all(len(r["questions"]) == 2 and len(r["strengths"]) == 2 for r in data["replies"])
