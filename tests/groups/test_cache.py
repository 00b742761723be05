"""Group dashboard figures are cached under a key that changes with the members' work
(dashboards/cache.py)."""

import pytest
from django.urls import reverse

from cases.models import Pattern
from groups import selectors as group_selectors
from tests.dashboards.helpers import visit, write_log
from tests.factories import RelationshipFactory

pytestmark = pytest.mark.usefixtures("catalog", "dashboard_cache")


def test_the_group_figures_follow_the_members_work(supervisee, supervisor, group, group_member):
    RelationshipFactory(supervisor=supervisor, supervisee=group_member)
    write_log(supervisee)
    name = Pattern.objects.filter(is_background=False).first().name

    def people():
        return next(
            t.people for t in group_selectors.group_dashboard(group).patterns if t.name == name
        )

    assert people() == 1
    write_log(group_member)
    assert people() == 2


def test_the_group_figures_are_drawn_once_and_follow_the_members_work(
    client, supervisee, supervisor, group, group_member, drawn
):
    RelationshipFactory(supervisor=supervisor, supervisee=group_member)
    url = reverse("groups:group_dashboard", args=[group.pk])
    write_log(supervisee)
    visit(client, supervisee, url)
    visit(client, supervisee, url)
    assert (drawn["bar_chart"], drawn["stacked_columns"]) == (1, 1)
    write_log(group_member)
    visit(client, supervisee, url)
    assert (drawn["bar_chart"], drawn["stacked_columns"]) == (2, 2)
