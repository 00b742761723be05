"""A stored full-text vector per session log, kept current by cases.search.

On PostgreSQL the existing logs get their vector here (one UPDATE), then a GIN index
serves the search. The index is made here and not declared on the model: SQLite, the
local development database, has no GIN, and there the column simply stays empty.

The UPDATE is plain SQL rather than the app's expression, so that this migration keeps
doing what it did when the app changes; tests/cases/test_search_vector.py holds it to the
same result as `search_vector_refresh`.
"""

import django.contrib.postgres.search
from django.db import migrations

POSTGRES_FILL = """
UPDATE cases_sessionlog AS log SET search_vector = to_tsvector(
    'english'::regconfig,
    COALESCE(log.what_happened, '') || ' ' || COALESCE(log.what_i_felt, '') || ' '
    || COALESCE(log.what_i_did, '') || ' ' || COALESCE(log.what_it_teaches, '') || ' '
    || COALESCE(
        (SELECT string_agg(tag.note, ' ' ORDER BY tag.id)
         FROM cases_patterntag AS tag WHERE tag.log_id = log.id),
        ''
    )
);
"""
# Built after the fill: one pass over the finished vectors, not an index update per row.
# Then statistics on the new column: without them the planner takes every word for a rare
# one and intersects the GIN index with the author's logs even for a word a third of all
# logs contain (measured: 2.5 ms instead of 0.1 ms until autovacuum's ANALYZE came round).
POSTGRES_INDEX = """
CREATE INDEX IF NOT EXISTS cases_sessionlog_search_vector_gin
    ON cases_sessionlog USING gin (search_vector);
ANALYZE cases_sessionlog;
"""
POSTGRES_INDEX_DROP = "DROP INDEX IF EXISTS cases_sessionlog_search_vector_gin;"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FILL)


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INDEX)


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_INDEX_DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_logshare")]

    operations = [
        migrations.AddField(
            model_name="sessionlog",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_create, index_drop),
    ]
