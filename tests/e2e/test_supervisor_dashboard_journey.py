"""The supervisor's dashboard draws, in the browser, at desktop and phone width.

She opens her dashboard: each supervisee has a card with a small chart of her patterns week by
week and one of her anxiety and rumination, each with its numbers as text a click away. At
phone width nothing is cut off or scrolls sideways, the longest names included. Every page is
scanned with axe.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Pattern
from tests.dashboards.helpers import make_log
from tests.e2e.helpers import nav
from tests.factories import RelationshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def _weeks_of_logs(person, tags, *, weeks=10):
    today = timezone.localdate()
    for week in range(weeks):
        make_log(
            person,
            today - datetime.timedelta(weeks=week, days=1),
            tags[: 1 + week % len(tags)],
            anxiety=3 + week % 5,
            rumination=2 + week % 4,
        )


def test_supervisor_dashboard_draws_each_supervisee(
    open_as, axe_check, catalog, supervisor, supervisee, password
):
    tags = list(Pattern.objects.filter(is_background=False).order_by("name")[:5])
    long_name = "Maximiliana Wolkenstein-Hargreaves"
    other = UserFactory(display_name=long_name)
    quiet = UserFactory(display_name="Zoe Quiet")
    for person in (other, quiet):
        RelationshipFactory(supervisor=supervisor, supervisee=person)
    _weeks_of_logs(supervisee, tags)
    _weeks_of_logs(other, list(reversed(tags)), weeks=6)

    page = open_as(supervisor, password)
    axe_check(page)  # her home
    nav(page, "Dashboard")
    expect(page.get_by_role("heading", name="Supervision dashboard")).to_be_visible()
    axe_check(page)
    assert page.evaluate(FITS)

    # Each one's first pattern is on every log she wrote.
    for name, first in (("Sam Supervisee", tags[0]), (long_name, tags[-1])):
        card = page.get_by_role("article", name=name)
        expect(card.get_by_text("Awaiting review")).to_be_visible()
        expect(card.get_by_role("img", name=f"{name}: patterns by week")).to_be_visible()
        expect(
            card.get_by_role("img", name=f"{name}: anxiety and rumination (weekly average, 0–10)")
        ).to_be_visible()
        # The numbers behind both charts, as text.
        card.get_by_text("Numbers, week by week").click()
        weeks = card.get_by_role("listitem")
        expect(weeks.first).to_be_visible()
        expect(weeks.first).to_contain_text(f"{first.name} 1")
    expect(page.get_by_role("article", name="Zoe Quiet").get_by_text("No data yet")).to_have_count(
        2
    )
    # With both lists of numbers open, still nothing wider than the window.
    axe_check(page)
    assert page.evaluate(FITS)

    # A year, week by week: fifty-two columns in the same small charts.
    page.get_by_role("link", name="52 weeks").click()
    page.wait_for_url("**weeks=52")
    expect(page.get_by_role("img", name="Sam Supervisee: patterns by week")).to_be_visible()
    axe_check(page)
    assert page.evaluate(FITS)
