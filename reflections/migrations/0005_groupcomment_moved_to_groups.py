"""GroupComment now lives in the groups app; its table stays (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
        ('reflections', '0004_reply_created_at_index'),
    ]

    state_operations = [
        migrations.DeleteModel(
            name='GroupComment',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
