"""Stored-XSS payloads in every free-text field render as inert text on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Addendum, ClientPresentation, LogStatus, Pattern, PatternFamily
from groups.models import GroupComment, LogShare
from reflections.models import (
    Comment,
    Practice,
    PrivateReflection,
    ReflectiveQuestion,
    Strength,
)
from supervision.models import Notification
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    ReplyFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.usefixtures("catalog")


def payload(field: str) -> str:
    """Markup that would run or inject if it reached the page unescaped."""
    return f'{field}<script>alert("{field}")</script>"><img src=x onerror=alert(1)><b>bold</b>'


RAW = ("<script>alert(", "<img src=x onerror", "<b>bold</b>")


@pytest.fixture
def hostile(supervisee, supervisor, group, group_member, other_supervisor):
    """Every free-text field filled with a payload."""
    supervisee.display_name = payload("display_name")
    supervisee.save()
    log = SessionLogFactory(
        author=supervisee,
        status=LogStatus.SIGNED,
        submitted_at=timezone.now() - datetime.timedelta(days=1),
        signed_by=supervisor,
        signed_at=timezone.now(),
        signed_sha256="0" * 64,
        session_date=timezone.localdate() - datetime.timedelta(days=2),
        what_happened=payload("what_happened"),
        what_i_felt=payload("what_i_felt"),
        what_i_did=payload("what_i_did"),
        what_it_teaches=payload("what_it_teaches"),
    )
    PatternTagFactory(
        log=log, pattern=Pattern.objects.filter(is_background=False).first(), note=payload("note")
    )
    reply = ReplyFactory(log=log, author=supervisor, feedback=payload("feedback"))
    AskedQuestionFactory(
        reply=reply,
        theme=payload("theme"),
        text=payload("question"),
        answer=payload("answer"),
        answered_at=timezone.now(),
    )
    AskedQuestionFactory(reply=reply, text=payload("open_question"))
    Addendum.objects.create(log=log, author=supervisee, text=payload("addendum"))
    Comment.objects.create(log=log, author=supervisor, text=payload("comment"))
    share = LogShare.objects.create(log=log, group=group)
    GroupComment.objects.create(share=share, author=group_member, text=payload("group_comment"))
    entry = PrivateReflection.objects.create(
        author=supervisee, title=payload("title"), text=payload("journal"), log=log
    )
    submitted = SessionLogFactory(
        author=supervisee,
        status=LogStatus.SUBMITTED,
        submitted_at=timezone.now(),
        what_happened=payload("queued"),
    )
    PatternTagFactory(log=submitted, note=payload("queued_note"))
    Notification.objects.create(recipient=supervisee, message=payload("notice"), url="/")
    return {"log": log, "share": share, "entry": entry, "group": group, "submitted": submitted}


def pages(h):
    log, share, entry, group = h["log"], h["share"], h["entry"], h["group"]
    return [
        ("author", log.get_absolute_url()),
        ("author", reverse("cases:log_list")),
        ("author", reverse("cases:log_list") + "?q=script"),
        ("author", reverse("reflections:journal_list")),
        ("author", reverse("reflections:journal_detail", args=[entry.pk])),
        ("author", reverse("reflections:journal_edit", args=[entry.pk])),
        ("author", reverse("dashboards:dashboard")),
        ("author", reverse("notifications")),
        ("supervisor", log.get_absolute_url()),
        ("supervisor", reverse("cases:review_queue")),
        ("supervisor", h["submitted"].get_absolute_url()),
        ("supervisor", reverse("reflections:reply_create", args=[h["submitted"].pk])),
        ("supervisor", reverse("dashboards:dashboard")),
        ("group_member", reverse("groups:shared_log", args=[group.pk, share.pk])),
        ("group_member", reverse("groups:group_detail", args=[group.pk])),
        ("group_member", reverse("groups:group_dashboard", args=[group.pk])),
        ("facilitator", reverse("groups:group_detail", args=[group.pk])),
    ]


def test_payloads_render_as_text_everywhere(
    client, hostile, supervisee, supervisor, group_member, other_supervisor
):
    people = {
        "author": supervisee,
        "supervisor": supervisor,
        "group_member": group_member,
        "facilitator": other_supervisor,
    }
    escaped_somewhere = set()
    for persona, url in pages(hostile):
        client.force_login(people[persona])
        response = client.get(url)
        assert response.status_code == 200, f"{url} as {persona}"
        body = response.content.decode()
        for raw in RAW:
            assert raw not in body, f"{raw!r} reached {url} unescaped (as {persona})"
        escaped_somewhere.update(
            field for field in FIELDS if f"{field}&lt;script&gt;alert(" in body
        )
    # Every payload was actually on some page: the test looked where the text is shown.
    assert escaped_somewhere == set(FIELDS)


FIELDS = [
    "display_name",
    "what_happened",
    "what_i_felt",
    "what_i_did",
    "what_it_teaches",
    "note",
    "feedback",
    "theme",
    "question",
    "answer",
    "open_question",
    "addendum",
    "comment",
    "group_comment",
    "title",
    "journal",
    "queued",
    "queued_note",
    "notice",
]


# --- Catalog text: an administrator edits it, every supervisee's form shows it ----------


def catalog_payload(kind: str) -> str:
    return f'{kind}<a href="https://evil.example/">link</a><script>alert(1)</script>'


CATALOG_RAW = ('<a href="https://evil.example/', "<script>alert(1)")
CATALOG_TEXT = {
    PatternFamily: ("name", "description"),
    Pattern: ("name", "description"),
    ClientPresentation: ("name", "description"),
    ReflectiveQuestion: ("name", "description", "text"),
    Practice: ("name", "description"),
    Strength: ("name", "description"),
}


@pytest.fixture
def hostile_catalog(hostile):
    """Every catalog name, description and question text carries links and a script."""
    for model, fields in CATALOG_TEXT.items():
        model.objects.update(**{f: catalog_payload(f"{model.__name__}.{f}") for f in fields})
    reply = hostile["log"].replies.first()
    reply.practice = Practice.objects.first()
    reply.save()
    reply.strengths.set(Strength.objects.all()[:2])
    hostile["log"].presentations.set(ClientPresentation.objects.all()[:2])
    return hostile


def test_catalog_descriptions_render_as_text_in_the_log_form(client, hostile_catalog, supervisee):
    """The reproduction: crispy marks help text safe, and a pattern's description is help text."""
    client.force_login(supervisee)
    body = client.get(reverse("cases:log_create")).content.decode()
    for raw in CATALOG_RAW:
        assert raw not in body
    assert "Pattern.description&lt;a href=" in body


def test_catalog_text_renders_as_text_everywhere(
    client, hostile_catalog, supervisee, supervisor, group_member, other_supervisor
):
    people = {
        "author": supervisee,
        "supervisor": supervisor,
        "group_member": group_member,
        "facilitator": other_supervisor,
    }
    h = hostile_catalog
    extra = [
        ("author", reverse("cases:log_create")),
        ("author", reverse("cases:log_edit", args=[h["submitted"].pk])),
        ("author", reverse("reflections:journal_create")),
        ("author", reverse("reflections:journal_create") + f"?log={h['log'].pk}"),
    ]
    shown = set()
    for persona, url in [*pages(h), *extra]:
        client.force_login(people[persona])
        response = client.get(url)
        if response.status_code != 200:
            continue  # a page this persona cannot open shows no catalog text either
        body = response.content.decode()
        for raw in CATALOG_RAW:
            assert raw not in body, f"{raw!r} reached {url} unescaped (as {persona})"
        shown.update(
            f"{model.__name__}.{f}"
            for model, fields in CATALOG_TEXT.items()
            for f in fields
            if f"{model.__name__}.{f}&lt;a href=" in body
        )
    # The test looked where catalog text is shown: at least these reached a page, escaped.
    assert {
        "Pattern.name",
        "Pattern.description",
        "PatternFamily.name",
        "ClientPresentation.name",
        "ReflectiveQuestion.text",
        "Practice.name",
        "Strength.name",
    } <= shown, shown
