"""Dashboard figures are cached under a key that changes with the data (dashboards/cache.py)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services as case_services
from cases.models import Pattern
from dashboards import selectors
from dashboards.cache import work_stamp
from reflections import services as reflection_services
from reflections.models import Decision, ReflectiveQuestion
from supervision import audit
from supervision.models import AuditAction
from tests.factories import RelationshipFactory, SessionLogFactory, UserFactory

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.fixture(autouse=True)
def dashboard_cache(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


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


def queries(fn):
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return result, len(captured.captured_queries)


def supervisor_row(supervisor, supervisee):
    data = selectors.supervisor_dashboard(supervisor)
    return next(r for r in data.rows if r.person == supervisee)


def test_the_second_request_reads_the_figures_from_the_cache(supervisee, supervisor):
    write_log(supervisee)
    first, n_first = queries(lambda: supervisor_row(supervisor, supervisee))
    second, n_second = queries(lambda: supervisor_row(supervisor, supervisee))
    # The three aggregates (logs, unanswered questions, patterns) are not run again; the
    # count of changes that keys them is.
    assert n_second == n_first - 3
    assert (second.last_log, second.awaiting_review) == (first.last_log, first.awaiting_review)
    assert second.awaiting_review == 1


def test_a_reply_and_an_answer_change_the_cached_figures(supervisee, supervisor):
    log = write_log(supervisee)
    assert supervisor_row(supervisor, supervisee).unanswered == 0
    reply = reflection_services.reply_create(
        log=log,
        author=supervisor,
        feedback="Thank you.",
        questions=ReflectiveQuestion.objects.all()[:2],
        decision=Decision.SIGN,
    )
    row = supervisor_row(supervisor, supervisee)
    assert (row.unanswered, row.awaiting_review) == (2, 0)
    reflection_services.answer_save(
        question=reply.questions.first(), author=supervisee, text="I stayed."
    )
    assert supervisor_row(supervisor, supervisee).unanswered == 1


def test_a_new_log_shows_on_the_supervisees_dashboard_at_once(supervisee, supervisor):
    write_log(supervisee, submit=False)
    assert selectors.supervisee_dashboard(supervisee).log_count == 1
    write_log(supervisee, days_ago=1, submit=False)
    assert selectors.supervisee_dashboard(supervisee).log_count == 2
    # Another window is another entry.
    assert selectors.supervisee_dashboard(supervisee, weeks=4).log_count == 2


def test_the_group_figures_follow_the_members_work(supervisee, supervisor, group, group_member):
    RelationshipFactory(supervisor=supervisor, supervisee=group_member)
    write_log(supervisee)
    name = Pattern.objects.filter(is_background=False).first().name

    def people():
        return next(t.people for t in selectors.group_dashboard(group).patterns if t.name == name)

    assert people() == 1
    write_log(group_member)
    assert people() == 2


def test_views_do_not_count_as_changes(supervisee, supervisor):
    log = write_log(supervisee)
    stamp = work_stamp([supervisee.pk])
    audit.record(actor=supervisor, action=AuditAction.VIEW, obj=log, owner=supervisee)
    assert work_stamp([supervisee.pk]) == stamp
    audit.record(actor=supervisee, action=AuditAction.UPDATE, obj=log, owner=supervisee)
    assert work_stamp([supervisee.pk]) > stamp


def test_the_stamp_moves_on_with_each_persons_changes_in_one_query(
    supervisee, other_supervisee, supervisor, django_assert_num_queries
):
    log = SessionLogFactory(author=supervisee)
    other = SessionLogFactory(author=other_supervisee)
    people = [supervisee.pk, other_supervisee.pk, supervisor.pk]
    seen = {work_stamp(people)}
    for actor, obj, owner in [
        (supervisee, log, supervisee),
        (other_supervisee, other, other_supervisee),
    ]:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=obj, owner=owner)
        stamp = work_stamp(people)
        assert stamp not in seen
        seen.add(stamp)
    # Someone outside the set changes nothing for it.
    audit.record(actor=supervisor, action=AuditAction.UPDATE, obj=log, owner=UserFactory())
    with django_assert_num_queries(1):
        assert work_stamp(people) in seen


def test_turned_off_it_computes_every_time(settings, supervisee, supervisor):
    settings.DASHBOARD_CACHE_SECONDS = 0
    write_log(supervisee)
    _, n_first = queries(lambda: supervisor_row(supervisor, supervisee))
    _, n_second = queries(lambda: supervisor_row(supervisor, supervisee))
    assert n_first == n_second
