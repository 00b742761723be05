"""The group models move here from supervision, cases and reflections.

State only: the tables keep their names (Meta.db_table), so no row is copied or
changed. The content types follow the models, so permissions and admin history
stay attached to them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVED = {
    "supervision": ("supervisiongroup", "groupmembership", "groupmeeting"),
    "cases": ("logshare",),
    "reflections": ("groupcomment",),
}


def _relabel(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new, model in moves:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_follow(apps, schema_editor):
    _relabel(apps, [(old, "groups", m) for old, models in MOVED.items() for m in models])


def content_types_return(apps, schema_editor):
    _relabel(apps, [("groups", old, m) for old, models in MOVED.items() for m in models])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('supervision', '0006_audit_owner_change_index'),
        ('cases', '0005_sessionlog_search_vector'),
        ('reflections', '0004_reply_created_at_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='LogShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('shared_at', models.DateTimeField(auto_now_add=True)),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                ('log', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='cases.sessionlog')),
            ],
            options={
                'db_table': 'cases_logshare',
                'ordering': ['-shared_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='GroupComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=2000)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
                ('share', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='groups.logshare')),
            ],
            options={
                'db_table': 'reflections_groupcomment',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SupervisionGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('description', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('facilitator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='facilitating', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'supervision_supervisiongroup',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='logshare',
            name='group',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='groups.supervisiongroup'),
        ),
        migrations.CreateModel(
            name='GroupMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_on', models.DateField(default=django.utils.timezone.localdate)),
                ('left_on', models.DateField(blank=True, help_text='Last day; empty while a member.', null=True)),
                ('show_name', models.BooleanField(default=False, help_text='The member chose to be shown by name on the group dashboard.')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='group_memberships', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='groups.supervisiongroup')),
            ],
            options={
                'db_table': 'supervision_groupmembership',
                'ordering': ['joined_on'],
            },
        ),
        migrations.CreateModel(
            name='GroupMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('absent', models.ManyToManyField(blank=True, related_name='meeting_absences', to=settings.AUTH_USER_MODEL)),
                ('presenter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='presentations', to=settings.AUTH_USER_MODEL)),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='groups.supervisiongroup')),
            ],
            options={
                'db_table': 'supervision_groupmeeting',
                'ordering': ['-starts_at'],
            },
        ),
        migrations.AddConstraint(
            model_name='logshare',
            constraint=models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('log', 'group'), name='one_active_share_per_group'),
        ),
        migrations.AddConstraint(
            model_name='groupmembership',
            constraint=models.CheckConstraint(condition=models.Q(('left_on__isnull', True), ('left_on__gte', models.F('joined_on')), _connector='OR'), name='membership_leaves_after_join'),
        ),
        migrations.AddIndex(
            model_name='groupmeeting',
            index=models.Index(fields=['group', 'starts_at'], name='supervision_group_i_fcfb0d_idx'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
