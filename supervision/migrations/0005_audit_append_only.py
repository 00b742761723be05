"""Audit rows are append-only in the database itself, not only in the app.

PostgreSQL refuses UPDATE and DELETE of a row. TRUNCATE (a table-owner privilege, used by
test tear-down and never by the app) is left to the database's own permissions: run the
app as a role that does not own the table to take that from it too. SQLite, the local
development database, has no trigger: its tear-down deletes rows.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION supervision_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER supervision_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON supervision_auditevent
    FOR EACH ROW EXECUTE FUNCTION supervision_auditevent_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS supervision_auditevent_no_update_delete ON supervision_auditevent;
DROP FUNCTION IF EXISTS supervision_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_audit_event_session_epoch")]

    operations = [migrations.RunPython(forward, backward)]
