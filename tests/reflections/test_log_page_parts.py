"""The log page's parts, read by queries compiled once per process (cases.selectors,
reflections.selectors): for two logs, the same SQL with only the log differing, and the
same objects, in the same order, as the ORM's prefetch_related gives."""

import pytest
from django.db.models import Prefetch, prefetch_related_objects

from cases import selectors as case_selectors
from cases.models import Addendum, ClientPresentation, Pattern, PatternTag, SessionLog
from reflections import selectors
from reflections.models import AskedQuestion, Comment, Reply, Strength
from tests.factories import (
    AskedQuestionFactory,
    PatternTagFactory,
    ReplyFactory,
    SessionLogFactory,
)

PARTS = [
    case_selectors._TAGS,
    case_selectors._PRESENTATIONS,
    case_selectors._ADDENDA,
    selectors._REPLIES,  # with the strengths they name
    selectors._QUESTIONS,
    selectors._COMMENTS,
]


@pytest.fixture
def two_logs(catalog, supervisee, supervisor):
    """Two logs with different tags, presentations, addenda, replies (with none, two or
    three strengths, and questions out of order), and comments."""
    patterns = list(Pattern.objects.filter(is_background=False).order_by("-pk")[:4])
    presentations = list(ClientPresentation.objects.order_by("-pk")[:3])
    strengths = list(Strength.objects.order_by("-pk")[:3])
    Strength.objects.filter(pk=strengths[1].pk).update(is_retired=True)  # past uses show it
    logs = []
    for n in (1, 2):
        log = SessionLogFactory(author=supervisee)
        for pattern in patterns[: n + 1]:
            PatternTagFactory(log=log, pattern=pattern)
        log.presentations.set(presentations[:n])
        for i in range(n):
            Addendum.objects.create(log=log, author=supervisee, text=f"Later note {i}.")
            Comment.objects.create(log=log, author=supervisor, text=f"Comment {i}.")
        for r in range(n + 1):
            reply = ReplyFactory(log=log, author=supervisor)
            reply.strengths.set(strengths[r:] if r < 2 else [])
            for position in (2, 0, 1)[: r + 1]:
                AskedQuestionFactory(reply=reply, position=position, text=f"Q{position}?")
        logs.append(log)
    return logs


def test_only_the_log_differs_between_two_logs(two_logs):
    first, second = two_logs
    for part in PARTS:
        a, b = part.params(log=first.pk), part.params(log=second.pk)
        assert [x for x, y in zip(a, b, strict=True) if x != y] == [first.pk]


def _orm(log):
    prefetch_related_objects(
        [log],
        Prefetch("tags", queryset=PatternTag.objects.select_related("pattern__family")),
        "presentations",
        Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
        Prefetch(
            "replies",
            queryset=Reply.objects.select_related("author", "practice").prefetch_related(
                "strengths",
                Prefetch("questions", queryset=AskedQuestion.objects.order_by("position")),
            ),
        ),
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    )
    return log


def _drawn(log):
    """What the page reads of the parts, by id and in order."""
    return {
        "tags": [(t.pk, t.pattern.family.name, t.log.pk) for t in log.tags.all()],
        "presentations": [p.pk for p in log.presentations.all()],
        "addenda": [(a.pk, a.author.display_name, a.log.pk) for a in log.addenda.all()],
        "replies": [
            (
                r.pk,
                r.author.display_name,
                r.log.pk,
                [
                    (s.pk, s.slug, s.name, s.description, s.position, s.is_retired)
                    for s in r.strengths.all()
                ],
                [(q.pk, q.position, q.reply.pk) for q in r.questions.all()],
            )
            for r in log.replies.all()
        ],
        "comments": [(c.pk, c.author.display_name, c.log.pk) for c in log.comments.all()],
    }


def test_the_page_reads_what_the_orms_prefetch_reads(two_logs, django_assert_num_queries):
    for log in two_logs:
        expected = _drawn(_orm(SessionLog.objects.get(pk=log.pk)))
        compiled = SessionLog.objects.get(pk=log.pk)
        with django_assert_num_queries(len(PARTS)):
            case_selectors.log_page_prefetch(compiled)
            selectors.log_page_prefetch(compiled)
        with django_assert_num_queries(0):
            assert _drawn(compiled) == expected
        assert expected["replies"] and expected["tags"] and expected["comments"]
    # Replies naming several strengths are read once each, and one naming none is there.
    counts = [len(r[3]) for log in two_logs for r in _drawn(_orm(log))["replies"]]
    assert sorted(counts) == [0, 2, 2, 3, 3]


def test_a_part_flagged_empty_is_not_read(two_logs, django_assert_num_queries):
    log = SessionLog.objects.get(pk=two_logs[0].pk)
    log.has_presentations = log.has_addenda = log.has_replies = log.has_comments = False
    with django_assert_num_queries(1):  # the tags, which have no flag
        case_selectors.log_page_prefetch(log)
        selectors.log_page_prefetch(log)
