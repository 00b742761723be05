"""Dashboard figures are cached under a key that changes with the data (dashboards/cache.py)."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cases.models import Pattern
from dashboards import selectors
from dashboards.cache import work_stamp
from reflections import services as reflection_services
from reflections.models import Decision, ReflectiveQuestion
from supervision import audit
from supervision.models import AuditAction
from tests.dashboards.helpers import visit, write_log
from tests.factories import RelationshipFactory, SessionLogFactory, UserFactory

pytestmark = pytest.mark.usefixtures("catalog", "dashboard_cache")


def queries(fn):
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return result, len(captured.captured_queries)


def supervisor_row(supervisor, supervisee):
    data = selectors.supervisor_dashboard(supervisor)
    return next(r for r in data.rows if r.person.pk == supervisee.pk)


def test_the_second_request_reads_the_figures_from_the_cache(supervisee, supervisor):
    write_log(supervisee)
    first, n_first = queries(lambda: supervisor_row(supervisor, supervisee))
    second, n_second = queries(lambda: supervisor_row(supervisor, supervisee))
    # The four aggregates (logs, unanswered questions, patterns, ratings by day) are not run
    # again; the count of changes that keys them is.
    assert n_second == n_first - 4
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


def _stamp_by_the_orm(ids):
    """The stamp as one ORM aggregate, the way it was read before it was compiled once."""
    from django.db.models import OuterRef, Subquery, Sum

    from supervision.models import AuditEvent, User

    newest = (
        AuditEvent.objects.filter(owner_id=OuterRef("pk"))
        .exclude(action=AuditAction.VIEW)
        .order_by("-pk")
        .values("pk")[:1]
    )
    found = User.objects.filter(pk__in=ids).aggregate(s=Sum(Subquery(newest), default=0))
    return found["s"]


def test_the_stamp_compiled_once_is_the_orms_for_any_number_of_people(
    supervisee, supervisor, monkeypatch
):
    """Compiled once per size of group, padded with 0: the same sum as the ORM's for groups
    of every size, split into several queries past the largest size, and with the people
    as parameters, never frozen into the SQL."""
    from dashboards import cache

    people = [supervisee, supervisor, *(UserFactory() for _ in range(5))]
    for n, person in enumerate(people):
        log = SessionLogFactory(author=person)
        for _ in range(n % 3):
            audit.record(actor=person, action=AuditAction.UPDATE, obj=log, owner=person)
        audit.record(actor=supervisor, action=AuditAction.VIEW, obj=log, owner=person)
    ids = [p.pk for p in people]
    for group in (ids[:1], ids[:2], ids[:5], ids, [ids[3], ids[0], ids[3]], [UserFactory().pk]):
        assert work_stamp(group) == _stamp_by_the_orm(group)
    monkeypatch.setattr(cache, "_STAMP_SIZES", (1, 2))
    assert work_stamp(ids) == _stamp_by_the_orm(ids)  # four queries of two
    query = cache._newest_changes(4)
    assert supervisee.pk in query.params(owners=[supervisee.pk, 0, 0, 0])
    assert supervisee.pk not in query.params(owners=[supervisor.pk, 0, 0, 0])


def test_turned_off_it_computes_every_time(settings, supervisee, supervisor):
    settings.DASHBOARD_CACHE_SECONDS = 0
    write_log(supervisee)
    _, n_first = queries(lambda: supervisor_row(supervisor, supervisee))
    _, n_second = queries(lambda: supervisor_row(supervisor, supervisee))
    assert n_first == n_second


# ------------------------------------------------- figures drawn once per state of the work


def test_the_supervisees_figures_are_drawn_once_and_follow_her_work(client, supervisee, drawn):
    url = reverse("dashboards:dashboard")
    name = escape(Pattern.objects.filter(is_background=False).first().name)
    write_log(supervisee, submit=False)
    first = visit(client, supervisee, url)
    second = visit(client, supervisee, url)
    assert drawn == {"bar_chart": 1, "line_chart": 1, "stacked_columns": 0}
    for html in (first, second):
        assert f'<td>{name}</td><td class="text-end">1</td>' in html
    write_log(supervisee, days_ago=1, submit=False)
    assert f'<td>{name}</td><td class="text-end">2</td>' in visit(client, supervisee, url)
    assert drawn["bar_chart"] == 2


def test_the_supervisors_table_shows_a_new_name_at_once(client, supervisor, supervisee):
    url = reverse("dashboards:dashboard")
    write_log(supervisee)

    def table():
        html = visit(client, supervisor, url)
        return html[html.index('id="people-h"') :]

    assert "Sam Supervisee" in table()
    assert "Sam Supervisee" in table()
    supervisee.display_name = "Sam Renamed"
    supervisee.save()
    assert "Sam Renamed" in table() and "Sam Supervisee" not in table()


def test_turned_off_every_visit_draws_the_figures(settings, client, supervisee, drawn):
    settings.DASHBOARD_CACHE_SECONDS = 0
    url = reverse("dashboards:dashboard")
    visit(client, supervisee, url)
    visit(client, supervisee, url)
    assert drawn["bar_chart"] == 2


def test_every_drawn_section_is_keyed_by_its_figures(settings):
    # A section drawn once must be drawn again whenever its figures change: each kept
    # section of the dashboards (Jinja2's `drawn_once`, config.jinja2, or a Django `cache`
    # tag) is keyed by the figures' key, kept in the process's own cache. Every template
    # that keeps one: the dashboards, and the group dashboard.
    templates = Path(settings.BASE_DIR, "templates")
    django_tags = [
        tag
        for path in templates.rglob("*.html")
        for tag in re.findall(r"{%\s*cache\b.*?%}", path.read_text())
    ]
    jinja_calls = [
        call
        for path in templates.rglob("*.jinja")
        for call in re.findall(r"{%\s*call\s+drawn_once\(.*?%}", path.read_text())
    ]
    assert len(django_tags) + len(jinja_calls) == 7
    for tag in django_tags:
        assert tag.startswith("{% cache figures_seconds ")
        assert " d.figures_key" in tag and tag.endswith(' using="drawn" %}')
    for call in jinja_calls:
        assert re.match(r'{% call drawn_once\(figures_seconds, "\w+", d\.figures_key[,)]', call)


def supervisees_section(html: str) -> str:
    start = html.index('id="people-h"')
    return html[start : html.index("</section>", start)]


def test_the_supervisors_charts_are_drawn_once_and_follow_the_work(
    client, supervisor, supervisee, drawn
):
    url = reverse("dashboards:dashboard")
    name = escape(Pattern.objects.filter(is_background=False).first().name)
    write_log(supervisee)
    first = visit(client, supervisor, url)
    second = visit(client, supervisor, url)
    # One drawing of her two charts serves both visits.
    assert drawn == {"bar_chart": 0, "line_chart": 1, "stacked_columns": 1}
    for html in (first, second):
        assert f"Totals by series: {name} 1." in html
    # A new log of hers is drawn at the next visit.
    write_log(supervisee, days_ago=1)
    third = visit(client, supervisor, url)
    assert drawn == {"bar_chart": 0, "line_chart": 2, "stacked_columns": 2}
    assert f"Totals by series: {name} 2." in third


def test_one_supervisors_drawing_is_never_served_to_another(
    client, supervisor, supervisee, other_supervisor, other_supervisee, drawn
):
    # Two supervisors, each with her own supervisee, the same window and day.
    url = reverse("dashboards:dashboard")
    write_log(supervisee)
    write_log(other_supervisee)
    sol = supervisees_section(visit(client, supervisor, url))
    oren = supervisees_section(visit(client, other_supervisor, url))
    assert "Sam Supervisee" in sol and "Olu Other" not in sol
    assert "Olu Other" in oren and "Sam Supervisee" not in oren
    assert drawn["stacked_columns"] == 2
    # Each one's own drawing is what she is served again.
    assert supervisees_section(visit(client, supervisor, url)) == sol
    assert supervisees_section(visit(client, other_supervisor, url)) == oren
    assert drawn["stacked_columns"] == 2


def test_supervisors_of_the_same_supervisee_each_get_their_own_drawing(
    client, supervisor, supervisee, other_supervisor, drawn
):
    # Her figures are the same for both, but what is drawn on a supervisor's dashboard is
    # keyed by that supervisor: nothing drawn for one is served to the other.
    RelationshipFactory(supervisor=other_supervisor, supervisee=supervisee)
    other_supervisor.supervising.exclude(supervisee=supervisee).delete()
    url = reverse("dashboards:dashboard")
    write_log(supervisee)
    visit(client, supervisor, url)
    visit(client, other_supervisor, url)
    assert drawn["stacked_columns"] == 2
