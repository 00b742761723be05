"""Group dashboard figures are cached under a key that changes with the members' work
(dashboards/cache.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Pattern
from groups import selectors as group_selectors
from tests.dashboards.helpers import visit, write_log
from tests.factories import RelationshipFactory

pytestmark = pytest.mark.usefixtures("catalog", "dashboard_cache")


def last_month_days_ago() -> int:
    """How many days ago the last day of last month was: the group dashboard counts closed
    months only."""
    today = timezone.localdate()
    return (today - (today.replace(day=1) - datetime.timedelta(days=1))).days


def test_the_group_figures_follow_the_members_work(supervisee, supervisor, group, group_member):
    RelationshipFactory(supervisor=supervisor, supervisee=group_member)
    write_log(supervisee, days_ago=last_month_days_ago())
    name = Pattern.objects.filter(is_background=False).first().name

    def people():
        return next(
            (
                t.people
                for t in group_selectors.group_dashboard(group, weeks=4).patterns
                if t.name == name
            ),
            0,
        )

    assert people() == 1
    write_log(group_member, days_ago=last_month_days_ago())
    assert people() == 2


def test_the_group_figures_are_drawn_once_and_follow_the_members_work(
    client, supervisee, supervisor, group, group_member, drawn
):
    RelationshipFactory(supervisor=supervisor, supervisee=group_member)
    url = reverse("groups:group_dashboard", args=[group.pk])
    write_log(supervisee, days_ago=last_month_days_ago())
    visit(client, supervisee, url)
    visit(client, supervisee, url)
    # Each chart drawn at full width and for phones, once.
    assert (drawn["bar_chart"], drawn["stacked_columns"]) == (2, 2)
    write_log(group_member, days_ago=last_month_days_ago())
    visit(client, supervisee, url)
    assert (drawn["bar_chart"], drawn["stacked_columns"]) == (4, 4)


def test_a_log_of_the_month_still_open_moves_no_group_figure(
    supervisee, supervisor, group, group_member
):
    """Only closed months are counted: today's work changes no figure."""
    RelationshipFactory(supervisor=supervisor, supervisee=group_member)
    write_log(supervisee, days_ago=last_month_days_ago())
    before = group_selectors.group_dashboard(group, weeks=4)
    write_log(group_member, days_ago=0)
    after = group_selectors.group_dashboard(group, weeks=4)
    assert (after.patterns, after.families) == (before.patterns, before.families)


def test_the_key_follows_the_memberships_of_the_group(supervisee, group, group_member):
    """Former members' work counts for the months they were members: a change of membership
    names a new key, whoever it concerns."""
    key = group_selectors.group_dashboard(group).figures_key
    membership = group.memberships.get(member=group_member)
    membership.left_on = timezone.localdate()
    membership.save()
    assert group_selectors.group_dashboard(group).figures_key != key
