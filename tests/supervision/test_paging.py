"""supervision.paging.page_of gives the Paginator's page, in one query where it can."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import SessionLog
from supervision.paging import page_of
from tests.factories import SessionLogFactory


@pytest.fixture
def logs(supervisee):
    for _ in range(7):
        SessionLogFactory(author=supervisee)
    return SessionLog.objects.filter(author=supervisee).order_by("pk")


def _same(page, expected):
    assert page.number == expected.number
    assert list(page.object_list) == list(expected.object_list)
    assert page.paginator.count == expected.paginator.count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())
    assert (page.start_index(), page.end_index()) == (expected.start_index(), expected.end_index())


@pytest.mark.parametrize("number", [None, "1", "2", "3", "4", "99", "0", "-1", "abc", "", "2.5"])
def test_every_number_gives_the_paginators_page(logs, number):
    _same(page_of(logs, number, 3), Paginator(logs, 3).get_page(number))


@pytest.mark.parametrize("number", [None, "1", "2"])
def test_an_empty_list_gives_the_paginators_empty_first_page(db, number):
    none = SessionLog.objects.none().order_by("pk")
    _same(page_of(none, number, 3), Paginator(none, 3).get_page(number))


@pytest.mark.parametrize("number", ["1", "2", "3"])
def test_a_page_with_rows_is_one_query(logs, number):
    with CaptureQueriesContext(connection) as queries:
        page = page_of(logs, number, 3)
        assert page.paginator.num_pages == 3
        list(page.object_list)
    assert len(queries) == 1


def test_the_total_counts_every_row_not_only_the_page(logs, supervisee):
    SessionLogFactory(author=supervisee)
    page = page_of(logs, "3", 3)
    assert page.paginator.count == 8
    assert len(page.object_list) == 2
