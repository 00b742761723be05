"""The group dashboard's charts are readable on a phone (issue 15): every label of the chart
shown is drawn at least 10 px tall and ends inside its chart, at 1200 and at 375 px; the
presentations chart follows the chosen window. Every page is scanned with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import ClientPresentation, Pattern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each <text> of the charts on screen: its rendered height, and how far it sticks out of
# its chart (0 when it fits), measured by the browser.
MEASURE = """
() => [...document.querySelectorAll('svg.chart-svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      return {
        text: t.textContent,
        height: r.height,
        overflow: Math.max(box.left - r.left, r.right - box.right, 0),
        length: t.getComputedTextLength() * scale,
        room: box.width,
      };
    });
  })
"""


def test_group_dashboard_charts_are_legible_and_uncut(
    open_as, axe_check, board_page, other_supervisor, password, live_server, viewport
):
    # Long catalog names, as the real catalog has: they must wrap or fit, never be cut.
    ClientPresentation.objects.filter(name="Trauma").update(
        name="Personality disorder that challenges boundaries"
    )
    Pattern.objects.filter(name="Over-preparing").update(
        name="Over-preparing for sessions with the most anxious clients"
    )
    page = open_as(other_supervisor, password)
    axe_check(page)
    url = reverse("groups:group_dashboard", args=[board_page.pk])
    for weeks, columns in ((4, 1), (52, None)):
        page.goto(f"{live_server.url}{url}?weeks={weeks}")
        expect(page.get_by_role("heading", name="Client presentations over time")).to_be_visible()
        axe_check(page)
        texts = page.evaluate(MEASURE)
        assert len(texts) > 5
        for t in texts:
            assert t["height"] >= 10, t
            assert t["overflow"] <= 1, t
            assert t["length"] <= t["room"], t
            assert not t["text"].endswith("\u2026"), t  # shortened on the server
        # The presentations follow the window: one month for 4 weeks, and never a month
        # before the group's first member joined (100 days ago: at most 5 months).
        header = page.locator("#pres-caption").locator("xpath=..").locator("thead th")
        months = header.count() - 1
        if columns is not None:
            assert months == columns
        else:
            assert 1 <= months <= 5
