"""What the dashboard and group dashboard tests share: data built by hand, pages read back.

Selector tests build their data with fixed dates around TODAY (a Tuesday) and pass it to the
selectors as `today`; page tests build it around the real date (days_ago).
"""

import csv
import datetime
import io
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cases import services as case_services
from cases.models import LogStatus, Pattern, PatternFamily, PatternTag, SessionLog
from cases.search import search_vector_refresh
from reflections.models import ReflectiveQuestion, Reply
from tests.factories import AskedQuestionFactory, PatternTagFactory, ReplyFactory, SessionLogFactory

D = datetime.date
TODAY = D(2026, 6, 30)


# ------------------------------------------------------------------- built by hand


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment on `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def catalog_items(model, *names, **extra):
    """Catalog rows with exactly these names (no seed file involved)."""
    return [
        model.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": i, **extra}
        )[0]
        for i, name in enumerate(names)
    ]


def patterns(*names) -> list[Pattern]:
    family, _ = PatternFamily.objects.get_or_create(slug="test-family", name="Test family")
    return catalog_items(Pattern, *names, family=family)


def make_log(author, day, tags=(), *, anxiety=5, rumination=5, status=LogStatus.SUBMITTED, **extra):
    log = SessionLogFactory(
        author=author,
        session_date=day,
        status=status,
        submitted_at=None if status == LogStatus.DRAFT else at(day, 18),
        pre_session_anxiety=anxiety,
        post_session_rumination=rumination,
        **extra,
    )
    for pattern in tags:
        PatternTagFactory(log=log, pattern=pattern)
    return log


def make_logs(rows) -> list[SessionLog]:
    """Many logs at once, each as make_log(author, day, tags, status=status) writes it, for
    `rows` of (author, day, tags, status): a history of hundreds of logs in a few statements
    instead of a few thousand (on PostgreSQL each log and tag also refreshes the search vector)."""
    rows = list(rows)
    logs = SessionLog.objects.bulk_create(
        SessionLogFactory.build(
            author=author,
            session_date=day,
            status=status,
            submitted_at=None if status == LogStatus.DRAFT else at(day, 18),
            pre_session_anxiety=5,
            post_session_rumination=5,
        )
        for author, day, _tags, status in rows
    )
    PatternTag.objects.bulk_create(
        PatternTagFactory.build(log=log, pattern=pattern)
        for log, (_author, _day, tags, _status) in zip(logs, rows, strict=True)
        for pattern in tags
    )
    search_vector_refresh(log_ids=[log.pk for log in logs])
    return logs


def trashed(author, day, tags=(), **kwargs):
    return make_log(author, day, tags, deleted_at=at(day, 20), **kwargs)


def make_reply(log, when, *, author=None, strengths=(), practice=None, questions=()):
    """A reply created at `when`; `questions` are (text, position, answered) or catalog rows."""
    reply = ReplyFactory(log=log, practice=practice, **({"author": author} if author else {}))
    reply.strengths.set(strengths)
    Reply.objects.filter(pk=reply.pk).update(created_at=when)
    for item in questions:
        if isinstance(item, ReflectiveQuestion):
            AskedQuestionFactory(
                reply=reply, catalog_question=item, theme=item.name, text=item.text
            )
        else:
            text, position, answered = item
            AskedQuestionFactory(
                reply=reply,
                theme="",
                text=text,
                position=position,
                answer="Answered." if answered else "",
                answered_at=when if answered else None,
            )
    return reply


# ------------------------------------------------------------------------ pages


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def group_url(name, group, *more):
    return reverse(f"groups:{name}", args=[group.pk, *(x.pk for x in more)])


class _Tables(HTMLParser):
    """Cell texts of every table row in a page, and the text of every SVG <desc>."""

    def __init__(self):
        super().__init__()
        self.rows, self.descs = [], []
        self._row = self._cell = self._desc = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "desc":
            self._desc = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "desc" and self._desc is not None:
            self.descs.append("".join(self._desc))
            self._desc = None

    def handle_data(self, data):
        for part in (self._cell, self._desc):
            if part is not None:
                part.append(data)


def parse(response) -> _Tables:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


# ------------------------------------------------------------------------ cache


def write_log(author, *, days_ago=3, submit=True):
    log = case_services.session_log_create(
        author=author,
        data={
            "client_code": "C-01",
            "session_date": timezone.localdate() - datetime.timedelta(days=days_ago),
            "duration_minutes": 50,
            "modality": "in_person",
            "what_happened": "A quiet session.",
            "pre_session_anxiety": 6,
            "post_session_rumination": 4,
        },
        tags={Pattern.objects.filter(is_background=False).first(): ""},
        presentations=[],
    )
    if submit:
        case_services.session_log_submit(log=log, by=author)
    return log


def visit(client, person, url):
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
