"""The audit table's index on the owner alone goes: its (owner, action, at) index leads with the
owner and serves every lookup the single-column one did, and an audit row is written on every
view of a log, so each index it carries is paid for on the hottest write there is.

Only the index is dropped (the same name on both databases: Django derives it from the table
and column). AlterField would rebuild the whole table on SQLite to do it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEX = "supervision_auditevent_owner_id_18da3e18"


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0009_people_in_the_admin"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "supervision_auditevent" ("owner_id")',
                ),
            ],
        ),
    ]
