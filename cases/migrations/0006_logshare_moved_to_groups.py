"""LogShare now lives in the groups app; its table stays (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
        ('cases', '0005_sessionlog_search_vector'),
        ('reflections', '0005_groupcomment_moved_to_groups'),
    ]

    state_operations = [
        migrations.DeleteModel(
            name='LogShare',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
