"""Groups, memberships and meetings now live in the groups app; their tables stay (state only)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0001_initial'),
        ('cases', '0006_logshare_moved_to_groups'),
        ('supervision', '0006_audit_owner_change_index'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='groupmembership',
            name='group',
        ),
        migrations.RemoveField(
            model_name='groupmembership',
            name='member',
        ),
        migrations.RemoveField(
            model_name='supervisiongroup',
            name='facilitator',
        ),
        migrations.DeleteModel(
            name='GroupMeeting',
        ),
        migrations.DeleteModel(
            name='GroupMembership',
        ),
        migrations.DeleteModel(
            name='SupervisionGroup',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
