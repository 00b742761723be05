"""Her list of logs as plain rows from compiled queries (cases.selectors.HerLogs, list_rows):
each person's own logs whatever the page, with the same SQL for everyone."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import dateformat

from cases import selectors
from cases.models import SessionLog
from supervision.formats import day_month_year
from supervision.links import pk_url
from tests.factories import PatternTagFactory, SessionLogFactory, UserFactory


def test_each_person_gets_her_own_logs_from_the_same_sql(db):
    sam, kim = UserFactory(), UserFactory()
    for i in range(23):
        SessionLogFactory(author=sam, session_date=datetime.date(2026, 1, 1 + i))
    for i in range(3):
        SessionLogFactory(author=kim, session_date=datetime.date(2026, 2, 1 + i))
    SessionLogFactory(author=sam, deleted_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    sql = selectors._HER_LOGS.sql()
    for person in (sam, kim):
        logs = selectors.HerLogs(person)
        orm = SessionLog.objects.live().filter(author=person).values_list(*selectors.LIST_COLUMNS)
        assert logs.count() == orm.count()
        assert logs[0:20] == list(orm[:20])
        assert logs[20:40] == list(orm[20:40])
        assert selectors._HER_LOGS.params(person=person.pk) == [person.pk]
        assert selectors._HER_LOGS_COUNTED.params(person=person.pk) == [person.pk]
    assert selectors._HER_LOGS.sql() == sql
    assert selectors.HerLogs(sam).count() == 23  # the one in the trash is left out


@pytest.mark.parametrize("number", [None, "1", "2", "3", "99", "0", "-1", "abc", "", "2.5", "2.0"])
def test_a_page_of_her_list_and_its_total_in_one_query_is_the_paginators_page(
    db, number, django_assert_max_num_queries
):
    sam, kim = UserFactory(), UserFactory()
    for i in range(23):
        SessionLogFactory(author=sam, session_date=datetime.date(2026, 1, 1 + i))
    SessionLogFactory(author=kim)
    logs = selectors.HerLogs(sam)
    expected = Paginator(logs, 10).get_page(number)  # type: ignore[arg-type]
    with django_assert_max_num_queries(1 if number in (None, "1", "2", "3", "abc", "") else 3):
        page = logs.page(number, 10)
    assert (page.number, list(page.object_list)) == (expected.number, list(expected.object_list))
    assert (page.paginator.count, page.paginator.num_pages) == (23, 3)
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())
    # Someone with no logs: an empty first page, from the same query.
    assert selectors.HerLogs(UserFactory()).page(number, 10).paginator.count == 0


def test_rows_carry_links_dates_badges_and_pattern_names(db, catalog):
    sam = UserFactory()
    log = SessionLogFactory(author=sam, session_date=datetime.date(2026, 9, 7))
    quick = SessionLogFactory(author=sam, duration_minutes=None)
    tags = [PatternTagFactory(log=log), PatternTagFactory(log=log)]
    rows = {row["pk"]: row for row in selectors.list_rows(selectors.HerLogs(sam)[0:20])}
    assert rows[log.pk]["url"] == reverse("cases:log_detail", args=[log.pk])
    assert rows[quick.pk]["edit_url"] == reverse("cases:log_edit", args=[quick.pk])
    assert rows[log.pk]["date"] == "7 Sep 2026"
    assert rows[log.pk]["status_label"] == "Draft"
    assert (rows[log.pk]["is_quick_note"], rows[quick.pk]["is_quick_note"]) == (False, True)
    # The same names in the same order as the ORM's tags (catalog order).
    assert rows[log.pk]["tag_names"] == selectors.with_tag_names([log])[0].tag_names
    assert sorted(rows[log.pk]["tag_names"]) == sorted(t.pattern.name for t in tags)
    assert rows[quick.pk]["tag_names"] == []


def test_tag_names_for_more_than_a_page_of_logs(db, catalog):
    sam = UserFactory()
    logs = [SessionLogFactory(author=sam) for _ in range(selectors.LIST_PAGE_SIZE + 3)]
    PatternTagFactory(log=logs[0])
    PatternTagFactory(log=logs[-1])
    names = selectors.tag_names_of([log.pk for log in logs])
    assert len(names) == len(logs)
    assert len(names[logs[0].pk]) == len(names[logs[-1].pk]) == 1


def test_dates_read_as_the_template_filter_writes_them():
    for month in range(1, 13):
        for day in (1, 9, 28):
            date = datetime.date(2026, month, day)
            assert day_month_year(date) == dateformat.format(date, "j M Y")


def test_a_link_from_one_reverse_is_the_reverse_of_each_id():
    log_url = pk_url("cases:log_detail")
    for pk in (1, 9, 10, 2147480009, 12345678901):
        assert log_url(pk) == reverse("cases:log_detail", args=[pk])
    # With a fixed argument before the id (a group's shared log).
    shared = pk_url("groups:shared_log", 7)
    for pk in (1, 7, 10, 2147480009):
        assert shared(pk) == reverse("groups:shared_log", args=[7, pk])


def test_the_filters_stamp_is_the_forms_and_follows_the_catalog(db, catalog):
    from cases.forms import LogFilterForm
    from cases.models import Pattern

    def of_the_form():
        return selectors.patterns_stamp(LogFilterForm().fields["pattern"].queryset)

    before = selectors.filter_patterns_stamp()
    assert before == of_the_form()
    pattern = Pattern.objects.filter(is_background=False).first()
    pattern.name = "Renamed for the test"
    pattern.save()
    assert selectors.filter_patterns_stamp() == of_the_form() != before


def test_client_codes_are_each_persons_own(db):
    sam, kim = UserFactory(), UserFactory()
    for code in ("B-2", "A-1", "B-2"):
        SessionLogFactory(author=sam, client_code=code)
    SessionLogFactory(author=kim, client_code="K-9")
    assert selectors.client_codes_for(sam) == ["A-1", "B-2"]
    assert selectors.client_codes_for(kim) == ["K-9"]


def test_her_search_alone_compiled_once_finds_what_the_orm_finds(db, catalog):
    """On PostgreSQL a search with no other filter goes through a query compiled once, the
    person and the words her only parameters; every other filter, and any search off
    PostgreSQL, through the ORM. Both must give each person the same rows and count."""
    from django.db import connection

    from cases.search import search_vector_refresh

    sam, kim = UserFactory(), UserFactory()
    words = ["harpsichord", "allotment", "harpsichord allotment", "silence"]
    for person, n in ((sam, 25), (kim, 4)):
        for i in range(n):
            SessionLogFactory(
                author=person,
                session_date=datetime.date(2026, 1, 1 + i),
                what_happened=f"Talk of the {words[i % 3]} and the long silences.",
            )
    SessionLogFactory(
        author=sam, what_happened="harpsichord", deleted_at=datetime.datetime.now(datetime.UTC)
    )
    search_vector_refresh(log_ids=SessionLog.objects.values("pk"))
    compiled = connection.vendor == "postgresql"
    for person in (sam, kim):
        for text in (
            "harpsichord",
            "  harpsichord  ",
            '"long silences"',
            "allotment -harpsichord",
            "nothing-here",
        ):
            logs = selectors.her_logs_filtered(person, {"q": text, "pattern": None, "status": ""})
            orm = selectors.logs_for_author(person, {"q": text}).values_list(
                *selectors.LIST_COLUMNS
            )
            assert isinstance(logs, selectors.HerSearch) is compiled
            assert logs.count() == orm.count()
            assert list(logs[0:20]) == list(orm[:20])
            assert list(logs[20:40]) == list(orm[20:40])
            if compiled:
                for number in ("1", "2"):
                    page = logs.page(number, 20)
                    expected = Paginator(orm, 20).get_page(number)
                    assert list(page.object_list) == list(expected.object_list)
                    assert page.paginator.count == expected.paginator.count
    assert selectors.her_logs_filtered(sam, {"q": "harpsichord"}).count() == 17  # not the trash
    # Another filter beside the search: the ORM.
    assert not isinstance(
        selectors.her_logs_filtered(sam, {"q": "harpsichord", "client_code": "C-1"}),
        selectors.HerSearch,
    )
    if compiled:
        for query in (selectors._HER_SEARCH, selectors._HER_SEARCH_COUNTED):
            params = query.params(person=kim.pk, text="allotment")
            assert kim.pk in params and "allotment" in params and sam.pk not in params


def test_pk_urls_follow_the_script_prefix():
    from django.urls import reverse, set_script_prefix

    from supervision.links import pk_url

    assert pk_url("cases:log_detail")(7) == reverse("cases:log_detail", args=[7])
    try:
        set_script_prefix("/clinic/")
        assert pk_url("cases:log_detail")(7) == reverse("cases:log_detail", args=[7])
        assert pk_url("cases:log_detail")(7).startswith("/clinic/")
    finally:
        set_script_prefix("/")
    assert not pk_url("cases:log_detail")(7).startswith("/clinic/")


def test_her_submitted_work_compiled_once_is_the_orms_for_each_person(db, catalog):
    """Her supervisor's page of her lists her logs but drafts: unfiltered from a query
    compiled once (her id its only parameter), filtered through the ORM; the same rows."""
    from cases.models import LogStatus, Pattern

    sam, kim, sol = UserFactory(), UserFactory(), UserFactory()
    statuses = [LogStatus.DRAFT, LogStatus.SUBMITTED, LogStatus.RETURNED, LogStatus.SIGNED]
    at = datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)
    for person, n in ((sam, 27), (kim, 5)):
        for i in range(n):
            status = statuses[i % 4]
            extra = {} if status == LogStatus.DRAFT else {"submitted_at": at}
            if status == LogStatus.SIGNED:
                extra |= {"signed_by": sol, "signed_at": at, "signed_sha256": "0" * 64}
            SessionLogFactory(
                author=person,
                session_date=datetime.date(2026, 3, 1 + i),
                status=status,
                client_code=f"C-{i % 3}",
                **extra,
            )
    SessionLogFactory(author=sam, status=LogStatus.SUBMITTED, submitted_at=at, deleted_at=at)
    pattern = Pattern.objects.filter(is_background=False).first()
    for log in SessionLog.objects.filter(author=sam)[:6]:
        PatternTagFactory(log=log, pattern=pattern)
    sql = selectors._SUBMITTED_WORK_COUNTED.sql()
    for person in (sam, kim):
        orm = (
            SessionLog.objects.live()
            .filter(author=person)
            .exclude(status=LogStatus.DRAFT)
            .values_list(*selectors.LIST_COLUMNS)
        )
        work = selectors.submitted_work(person, {})
        assert isinstance(work, selectors.SubmittedWork)
        for number in ("1", "2"):
            page = work.page(number, 10)
            expected = Paginator(orm, 10).get_page(number)
            assert list(page.object_list) == list(expected.object_list)
            assert page.paginator.count == orm.count()
        assert selectors._SUBMITTED_WORK_COUNTED.params(person=person.pk)[0] == person.pk
        # Filtered, built by the ORM: still never a draft, nor another person's log.
        for filters in ({"client_code": "C-1"}, {"pattern": pattern}):
            rows = list(selectors.submitted_work(person, filters))
            assert rows == [row for row in orm if row in rows]
            assert all(status != LogStatus.DRAFT for _, _, _, status, _ in rows)
    assert selectors._SUBMITTED_WORK_COUNTED.sql() == sql
    assert selectors.SubmittedWork(sam).count() == 20  # 27 less 7 drafts; not the trashed one


@pytest.mark.parametrize("number", [None, "2", "9", "abc"])
def test_a_page_of_rows_and_its_total_from_the_orm_in_one_query(db, number):
    from supervision.paging import page_of

    sam = UserFactory()
    for i in range(13):
        SessionLogFactory(author=sam, session_date=datetime.date(2026, 1, 1 + i))
    rows = SessionLog.objects.filter(author=sam).values_list(*selectors.LIST_COLUMNS)
    expected = Paginator(rows, 5).get_page(number)
    page = page_of(rows, number, 5)
    assert (page.number, list(page.object_list)) == (expected.number, list(expected.object_list))
    assert page.paginator.count == 13
