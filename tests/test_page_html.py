"""Pages draw the same HTML after a change made for speed (the performance issue).

Each page is drawn through the test client on a small fixed dataset and compared with the
drawing kept in `tests/html/`, which was taken before the pages were rebuilt. What differs
from run to run is replaced before comparing: object ids (by the name of the object), CSRF
tokens and the seconds left in the session. Any other change to a page's text or markup
fails here (runs of white space count as one space); when a page is changed on purpose, take the drawings again:

    UPDATE_HTML_SNAPSHOTS=1 pytest tests/test_page_html.py
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import LogStatus, Pattern
from reflections.models import Reply
from supervision.models import Notification
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    ReplyFactory,
    SessionLogFactory,
)

KEPT = Path(__file__).parent / "html"
UPDATE = os.environ.get("UPDATE_HTML_SNAPSHOTS") == "1"
FIRST_DAY = datetime.date(2026, 3, 2)
SIGNED_AT = datetime.datetime(2026, 3, 30, 9, 15, tzinfo=datetime.UTC)


@pytest.fixture
def dataset(supervisee, supervisor, catalog):
    """25 logs of Sam's over 25 days (two pages), some tagged, in every status; a quick note;
    a returned log's request and five questions waiting for her; two unread notices for her and one for her
    supervisor."""
    patterns = list(Pattern.objects.filter(is_background=False).order_by("pk")[:3])
    statuses = [LogStatus.SIGNED, LogStatus.SUBMITTED, LogStatus.RETURNED, LogStatus.DRAFT]
    names = {}
    now = timezone.now()
    for i in range(25):
        status = statuses[i % 4]
        extra = {}
        if status != LogStatus.DRAFT:
            extra["submitted_at"] = now - datetime.timedelta(days=2, hours=i)
        if status == LogStatus.SIGNED:
            extra |= {"signed_by": supervisor, "signed_at": SIGNED_AT, "signed_sha256": "0" * 64}
        log = SessionLogFactory(
            author=supervisee,
            client_code=f"C-{i % 7:03d}",
            session_date=FIRST_DAY + datetime.timedelta(days=i),
            status=status,
            **extra,
        )
        for pattern in patterns[: i % 4]:
            PatternTagFactory(log=log, pattern=pattern)
        names[log.pk] = f"log{i}"
    quick = SessionLogFactory(
        author=supervisee, client_code="Q-1", session_date=FIRST_DAY, duration_minutes=None
    )
    names[quick.pk] = "quicknote"
    by_index = {name: pk for pk, name in names.items()}
    # Every returned log has the request that returned it, as in the app (NULLs would sort
    # differently on SQLite and PostgreSQL).
    for i in (2, 6, 10, 14, 18, 22):
        ReplyFactory(
            log_id=by_index[f"log{i}"],
            author=supervisor,
            decision="return",
            feedback=f"Please say more about the silence before the ending ({i}).",
        )
    asking = ReplyFactory(log_id=by_index["log17"], author=supervisor)
    questions = {}
    for position in range(5):
        question = AskedQuestionFactory(
            reply=asking,
            position=position,
            text=f"Question {position}: what did the silence ask of you?",
            **({"answered_at": SIGNED_AT, "answer": "Patience."} if position == 4 else {}),
        )
        questions[question.pk] = f"q{position}"
    # Replies show their time; these are drawn on the page of the log they were asked on.
    Reply.objects.filter(pk=asking.pk).update(created_at=SIGNED_AT)
    for text in ("A reply on C-001", "A question on C-002"):
        Notification.objects.create(recipient=supervisee, message=text, url="/logs/")
    Notification.objects.create(recipient=supervisor, message="Sam submitted C-003", url="/")
    by_code = {name: pk for pk, name in names.items()}
    return {
        "names": names,
        "signed": by_code["log24"],
        "submitted": by_code["log21"],
        "asked": by_code["log17"],
        "people": {supervisee.pk: "sam", supervisor.pk: "sol"},
        "questions": questions,
    }


def normalised(html: str, dataset: dict) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    html = re.sub(r'data-session-remaining="\d+"', 'data-session-remaining="N"', html)

    def log_id(match: re.Match) -> str:
        return f"/logs/{dataset['names'].get(int(match.group(1)), 'other')}/"

    def person_id(match: re.Match) -> str:
        return f"/supervisees/{dataset['people'].get(int(match.group(1)), 'other')}/"

    html = re.sub(r"/logs/(\d+)/", log_id, html)

    def question(match: re.Match) -> str:
        return match.group(1) + dataset["questions"][int(match.group(2))] + match.group(3)

    html = re.sub(r"(question-|/questions/|answer-|edit-)(\d+)(\b)", question, html)
    html = re.sub(r"\?log=(\d+)", lambda m: f"?log={dataset['names'][int(m.group(1))]}", html)
    # Catalog rows and notices are numbered differently on each database.
    html = re.sub(r'<option value="\d+"', '<option value="N"', html)
    html = re.sub(r"/notifications/\d+/", "/notifications/N/", html)
    return re.sub(r"/supervisees/(\d+)/", person_id, html)


PAGES = {
    # name: (who, how to find the path)
    "log_list": ("supervisee", lambda d: reverse("cases:log_list")),
    "log_list_page2": ("supervisee", lambda d: reverse("cases:log_list") + "?page=2"),
    "log_list_filtered": (
        "supervisee",
        lambda d: reverse("cases:log_list") + "?status=submitted&client_code=C-001",
    ),
    "log_list_search": ("supervisee", lambda d: reverse("cases:log_list") + "?q=arrived"),
    "log_page_author": (
        "supervisee",
        lambda d: reverse("cases:log_detail", args=[d["signed"]]),
    ),
    "log_page_questions": (
        "supervisee",
        lambda d: reverse("cases:log_detail", args=[d["asked"]]),
    ),
    "log_page_supervisor": (
        "supervisor",
        lambda d: reverse("cases:log_detail", args=[d["submitted"]]),
    ),
    "notifications": ("supervisee", lambda d: reverse("notifications")),
    "review_queue": ("supervisor", lambda d: reverse("cases:review_queue")),
    "trash": ("supervisee", lambda d: reverse("cases:trash")),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_draws_as_before(name, dataset, client, supervisee, supervisor):
    who, path_of = PAGES[name]
    client.force_login(supervisee if who == "supervisee" else supervisor)
    response = client.get(path_of(dataset))
    assert response.status_code == 200
    html = normalised(response.content.decode(), dataset)
    kept = KEPT / f"{name}.html"
    if UPDATE or not kept.exists():
        KEPT.mkdir(exist_ok=True)
        kept.write_text(html)
        if not UPDATE:
            pytest.fail(f"No drawing kept for {name}: one was taken; run the test again.")
    # Runs of white space count as one space, as a browser draws them (no page here has a
    # <pre> or a filled <textarea>): a template may be laid out differently.
    assert _spaced(html) == _spaced(kept.read_text()), (
        f"{name} draws differently from tests/html/{name}.html"
    )


def _spaced(html: str) -> str:
    # Jinja2's pages spell two entities as MarkupSafe does (config.jinja2): the same characters.
    html = html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    return re.sub(r"\s+", " ", html)
