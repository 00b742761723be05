"""Search after every write: the stored vector on PostgreSQL, the substring match elsewhere.

The same searches must find the same logs on both databases; the tests marked
`postgresql_only` look at the stored vector itself (the migration's fill, the websearch
syntax, stemming).
"""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.models import TEXT_FIELDS, Pattern, SessionLog
from cases.search import search_vector_refresh
from tests.factories import PatternTagFactory, SessionLogFactory
from tests.sql import kept_plan

pytestmark = pytest.mark.usefixtures("catalog")

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored search vector exists on PostgreSQL only"
)

# Synthetic text, one unusual word per place it can be written.
PLAIN = {
    "what_happened": "The client arrived on time.",
    "what_i_felt": "Steady.",
    "what_i_did": "Listened.",
    "what_it_teaches": "Less is more.",
}


def found(author, text: str) -> list[SessionLog]:
    return list(selectors.logs_for_author(author, {"q": text}))


def pattern(slug: str) -> Pattern:
    return Pattern.objects.get(slug=slug)


def create(author, tags=None, **text) -> SessionLog:
    return services.session_log_create(
        author=author,
        data={
            "client_code": "C-100",
            "session_date": timezone.localdate() - datetime.timedelta(days=2),
            "duration_minutes": 50,
            **PLAIN,
            **text,
        },
        tags=tags or {},
        presentations=[],
    )


def update(log: SessionLog, tags=None, **text) -> SessionLog:
    return services.session_log_update(
        log=log,
        editor=log.author,
        data={**PLAIN, **text},
        tags=tags or {},
        presentations=[],
        expected_version=log.version,
    )


# ------------------------------------------------------------- both databases


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_new_log_is_found_by_each_text_field(supervisee, other_supervisee, field):
    mine = create(supervisee, **{field: "We spoke about the harpsichord."})
    create(supervisee)
    create(other_supervisee, **{field: "The harpsichord again."})
    assert found(supervisee, "harpsichord") == [mine]


def test_a_new_log_is_found_by_a_tag_note(supervisee):
    mine = create(supervisee, tags={pattern("technique-focus"): "Rehearsed the trampoline line."})
    create(supervisee, tags={pattern("technique-focus"): "Nothing of note."})
    assert found(supervisee, "trampoline") == [mine]


def test_an_edit_replaces_the_old_words(supervisee):
    log = create(supervisee, what_i_felt="Thinking of the lighthouse.")
    update(log, what_i_felt="Thinking of the marmalade.")
    assert found(supervisee, "lighthouse") == []
    assert found(supervisee, "marmalade") == [log]


def test_a_changed_or_removed_tag_note_is_searched_as_it_now_is(supervisee):
    tag = pattern("technique-focus")
    log = create(supervisee, tags={tag: "The lighthouse again."})
    log = update(log, tags={tag: "The marmalade again."})
    assert found(supervisee, "lighthouse") == []
    assert found(supervisee, "marmalade") == [log]
    log = update(log, tags={pattern("outcome-attachment"): "Unrelated."})
    assert found(supervisee, "marmalade") == []


def test_another_authors_logs_are_never_found(supervisee, other_supervisee):
    create(
        other_supervisee,
        tags={pattern("technique-focus"): "harpsichord"},
        what_happened="harpsichord",
    )
    assert found(supervisee, "harpsichord") == []
    assert len(found(other_supervisee, "harpsichord")) == 1


def test_a_full_save_does_not_empty_the_vector(supervisee):
    # The instance the service returns never read its vector: saving it must not write
    # that blank over the stored one.
    log = create(supervisee, what_happened="The harpsichord story.")
    log.client_code = "C-200"
    log.save()
    assert found(supervisee, "harpsichord") == [log]
    assert SessionLog.objects.get(pk=log.pk).client_code == "C-200"


def test_trashed_logs_are_not_found(supervisee):
    log = create(supervisee, what_happened="The harpsichord story.")
    services.session_log_trash(log=log, by=supervisee)
    assert found(supervisee, "harpsichord") == []
    services.session_log_restore(log=log, by=supervisee)
    assert found(supervisee, "harpsichord") == [log]


def test_a_searched_list_filters_on_the_vector_without_reading_it(client, supervisee):
    # Its words are the note's words: like the text, a list page leaves it unread.
    create(supervisee, what_happened="The harpsichord story.")
    client.force_login(supervisee)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("cases:log_list"), {"q": "harpsichord"}).context["page"]
    assert len(page.object_list) == 1
    for query in captured.captured_queries:
        columns = query["sql"].split(" FROM ")[0]
        assert "search_vector" not in columns, columns


# ------------------------------------------------------------- PostgreSQL


@postgresql_only
def test_websearch_syntax_and_stemming(supervisee):
    garden = create(supervisee, what_happened="We talked about her gardens.")
    both = create(supervisee, what_happened="The garden and the harpsichord.")
    assert set(found(supervisee, "garden")) == {garden, both}
    assert found(supervisee, "garden -harpsichord") == [garden]
    assert found(supervisee, '"garden and the harpsichord"') == [both]
    assert set(found(supervisee, "harpsichord or gardens")) == {garden, both}


@postgresql_only
def test_her_search_never_reads_the_words_index(supervisee):
    """PostgreSQL keeps the plan of a query the app runs often (prepared statements,
    config.settings.env) and may then plan it once without the words. A plan made blind that
    reads the words' GIN index can scan a common word's 26,000 logs to find her fifty
    (docs/performance.md, ninth round), so her search is written so that the GIN index cannot
    serve it: even with her own indexes gone and table scans discouraged, the plan kept for
    it does not touch the GIN index."""
    create(supervisee, what_happened="The harpsichord story.")
    logs = selectors.logs_for_author(supervisee, {"q": "harpsichord"})
    sql, params = logs.query.sql_with_params()
    plan = kept_plan(sql, params, drop_indexes_on="cases_sessionlog", drop_like="%(author_id%")
    assert "cases_sessionlog" in plan, plan
    assert "search_vector_gin" not in plan, plan


@postgresql_only
def test_every_write_leaves_a_vector(supervisee):
    log = create(supervisee, tags={pattern("technique-focus"): "A note."})
    assert SessionLog.objects.filter(pk=log.pk, search_vector__isnull=False).exists()
    factory_log = SessionLogFactory(author=supervisee)
    PatternTagFactory(log=factory_log, note="harpsichord")
    assert found(supervisee, "harpsichord") == [factory_log]


@postgresql_only
def test_the_migration_fills_the_same_vectors_as_the_refresh(supervisee, other_supervisee):
    create(supervisee, tags={pattern("technique-focus"): "First.", pattern("over-functioning"): ""})
    create(other_supervisee, what_i_did="", tags={pattern("outcome-attachment"): "Second."})
    create(supervisee, what_it_teaches="Nothing tagged.")
    expected = dict(SessionLog.objects.values_list("pk", "search_vector"))
    assert all(expected.values())

    SessionLog.objects.update(search_vector=None)
    migration = importlib.import_module("cases.migrations.0005_sessionlog_search_vector")
    with connection.cursor() as cursor:
        # The rows above are checked now, as a migration's table would have been: with their
        # foreign-key checks still pending, PostgreSQL refuses CREATE INDEX on the table.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        migration.fill(django_apps, editor)
        migration.index_create(django_apps, editor)  # already there: must not fail
    assert dict(SessionLog.objects.values_list("pk", "search_vector")) == expected

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_sessionlog_search_vector_gin'"
        )
        assert "USING gin (search_vector)" in cursor.fetchone()[0]


@postgresql_only
def test_refresh_takes_ids_or_a_queryset_and_nothing_is_a_no_op(supervisee):
    logs = [create(supervisee), create(supervisee)]
    SessionLog.objects.update(search_vector=None)
    assert search_vector_refresh(log_ids=[]) == 0
    assert search_vector_refresh(log_ids=[logs[0].pk]) == 1
    assert search_vector_refresh(log_ids=SessionLog.objects.values("pk")) == 2
    assert not SessionLog.objects.filter(search_vector__isnull=True).exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the other databases")
def test_refresh_does_nothing_off_postgresql(supervisee):
    log = create(supervisee)
    assert search_vector_refresh(log_ids=[log.pk]) == 0
    assert SessionLog.objects.get(pk=log.pk).search_vector is None
