"""The log page's queries: a fixed number whatever a log has, fewer when it has less."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Addendum, ClientPresentation, LogStatus, Pattern, PatternTag
from groups.models import LogShare
from reflections.models import Comment, Strength
from tests.factories import AskedQuestionFactory, ReplyFactory, SessionLogFactory

pytestmark = pytest.mark.usefixtures("catalog")


def signed_log(author, supervisor, *, replies: int, extras: int, group=None):
    log = SessionLogFactory(
        author=author,
        status=LogStatus.SIGNED,
        submitted_at=timezone.now(),
        signed_by=supervisor,
        signed_at=timezone.now(),
        signed_sha256="0" * 64,
    )
    for pattern in Pattern.objects.filter(is_background=False)[:4]:
        PatternTag.objects.create(log=log, pattern=pattern, note="Noticed it.")
    for _ in range(replies):
        reply = ReplyFactory(log=log, author=supervisor)
        reply.strengths.set(Strength.objects.all()[:2])
        AskedQuestionFactory(reply=reply, position=0)
        AskedQuestionFactory(reply=reply, position=1)
    if extras:
        log.presentations.set(ClientPresentation.objects.all()[:extras])
        for i in range(extras):
            Addendum.objects.create(log=log, author=author, text=f"Later note {i}.")
            Comment.objects.create(log=log, author=supervisor, text=f"Comment {i}.")
        if group is not None:
            LogShare.objects.create(log=log, group=group)
    return log


def count(client, log, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(reverse("cases:log_detail", args=[log.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_count_does_not_grow_with_what_a_log_has(
    login, supervisee, supervisor, group, django_assert_max_num_queries
):
    client = login(supervisee)
    small = signed_log(supervisee, supervisor, replies=1, extras=1, group=group)
    large = signed_log(supervisee, supervisor, replies=5, extras=4, group=group)
    # Everything present, for the author: session, user, log, tags, presentations, addenda,
    # replies with their strengths, questions, comments, shares, groups for the share form,
    # audit row, unread count.
    n_small, _ = count(client, small, django_assert_max_num_queries, 13)
    n_large, page = count(client, large, django_assert_max_num_queries, 13)
    assert n_small == n_large
    assert "Later note 3." in page and "Comment 3." in page and "Sounding board" in page


def test_a_log_without_addenda_comments_or_shares_skips_those_queries(
    login, supervisee, supervisor, group, django_assert_max_num_queries
):
    client = login(supervisee)
    full = signed_log(supervisee, supervisor, replies=2, extras=2, group=group)
    plain = signed_log(supervisee, supervisor, replies=2, extras=0)
    n_full, _ = count(client, full, django_assert_max_num_queries, 13)
    n_plain, page = count(client, plain, django_assert_max_num_queries, 9)
    # No presentations, addenda, comments or shares: four queries fewer.
    assert n_plain == n_full - 4
    assert "No comments yet." in page


def test_a_supervisor_reads_a_typical_log_in_at_most_eleven_queries(
    login, supervisee, supervisor, django_assert_max_num_queries
):
    log = signed_log(supervisee, supervisor, replies=1, extras=0)
    client = login(supervisor)
    _, page = count(client, log, django_assert_max_num_queries, 11)
    assert "You stayed with the client" in page
