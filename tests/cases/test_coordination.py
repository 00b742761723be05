"""Two supervisors of one supervisee see what the other is doing with her submitted logs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import ReviewActivity
from supervision.models import SupervisionRelationship
from tests.factories import RelationshipFactory, SubmittedLogFactory, SupervisorFactory

QUEUE = reverse("cases:review_queue")


@pytest.fixture
def second(supervisee):
    person = SupervisorFactory(display_name="Dr Bea Second")
    RelationshipFactory(supervisor=person, supervisee=supervisee)
    return person


@pytest.fixture
def log(supervisee, supervisor, second):
    return SubmittedLogFactory(author=supervisee)


def html_of(client, person, url):
    client.force_login(person)
    return client.get(url).content.decode()


def test_opening_the_reply_form_shows_the_other_that_she_is_writing(
    client, supervisor, second, log
):
    html_of(client, supervisor, reverse("reflections:reply_create", args=[log.pk]))
    # She is not told about herself.
    assert "is writing a reply" not in html_of(client, supervisor, QUEUE)
    for url in (QUEUE, log.get_absolute_url(), reverse("reflections:reply_create", args=[log.pk])):
        assert "<strong>Dr Sol Supervisor</strong> is writing a reply" in html_of(
            client, second, url
        )


def test_the_claim_expires(client, supervisor, second, log):
    html_of(client, supervisor, reverse("reflections:reply_create", args=[log.pk]))
    ReviewActivity.objects.update(writing_since=timezone.now() - datetime.timedelta(minutes=21))
    assert "is writing a reply" not in html_of(client, second, QUEUE)


def test_a_reply_shows_as_replied_and_a_return_leaves_the_other_queue(
    client, supervisor, second, log
):
    client.force_login(supervisor)
    url = reverse("reflections:reply_create", args=[log.pk])
    client.get(url)
    client.post(url, {"feedback": "Noted.", "decision": "reply", "version": log.version})
    page = html_of(client, second, QUEUE)
    assert "<strong>Dr Sol Supervisor</strong> replied on" in page
    assert "is writing a reply" not in page
    client.force_login(supervisor)
    client.post(url, {"feedback": "Please add more.", "decision": "return", "version": log.version})
    queue = client.get(QUEUE)
    client.force_login(second)
    assert log.pk not in [row.pk for row in client.get(QUEUE).context["logs"]]
    assert queue.status_code == 200


def test_the_author_is_not_shown_who_is_writing(client, supervisee, supervisor, log):
    html_of(client, supervisor, reverse("reflections:reply_create", args=[log.pk]))
    assert "is writing a reply" not in html_of(client, supervisee, log.get_absolute_url())


def test_a_former_supervisors_activity_is_not_news(client, supervisor, second, log):
    html_of(client, supervisor, reverse("reflections:reply_create", args=[log.pk]))
    SupervisionRelationship.objects.filter(supervisor=supervisor).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert "is writing a reply" not in html_of(client, second, QUEUE)


def test_queue_query_count_with_activity(
    client, supervisee, supervisor, second, django_assert_max_num_queries
):
    logs = SubmittedLogFactory.create_batch(30, author=supervisee)
    for log in logs:
        ReviewActivity.objects.create(log=log, supervisor=supervisor, writing_since=timezone.now())
    client.force_login(second)
    # 7 for the queue and what her co-supervisors are doing; 1 for the hours to sign.
    with django_assert_max_num_queries(8):
        response = client.get(QUEUE)
    assert all(log.co_supervisors for log in response.context["logs"])
