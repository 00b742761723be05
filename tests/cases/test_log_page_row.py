"""The log page's own row and the review queue, compiled once per process (cases.selectors): the
same SQL for every reader, day and log; only the parameters differ, and each reader sees
exactly what the ORM's scope lets her see on that day."""

import datetime

import pytest

from cases import selectors
from cases.models import LogStatus
from tests.factories import RelationshipFactory, SessionLogFactory, SupervisorFactory, UserFactory

DAY_1, DAY_2 = datetime.date(2026, 2, 10), datetime.date(2026, 6, 10)


@pytest.fixture
def people(db):
    """Sol supervised Sam until March; Ada supervises Sam from May. Sam has a submitted log
    and a draft; Kim, supervised by nobody here, has one log."""
    sam, kim = UserFactory(), UserFactory()
    sol, ada = SupervisorFactory(), SupervisorFactory()
    RelationshipFactory(
        supervisor=sol,
        supervisee=sam,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 3, 1),
    )
    RelationshipFactory(supervisor=ada, supervisee=sam, starts_on=datetime.date(2026, 5, 1))
    submitted = SessionLogFactory(
        author=sam, status=LogStatus.SUBMITTED, submitted_at=datetime.datetime.now(datetime.UTC)
    )
    draft = SessionLogFactory(author=sam)
    other = SessionLogFactory(author=kim)
    return {"sam": sam, "kim": kim, "sol": sol, "ada": ada}, {
        "submitted": submitted,
        "draft": draft,
        "other": other,
    }


def test_only_the_parameters_differ_between_readers_days_and_logs(people):
    who, logs = people
    sql = selectors._LOG_PAGE_ROW.sql()
    seen = set()
    for person in who.values():
        for day in (DAY_1, DAY_2):
            for log in logs.values():
                params = selectors._LOG_PAGE_ROW.params(person=person.pk, today=day, log=log.pk)
                assert person.pk in params and log.pk in params
                assert day in params or day.isoformat() in params
                seen.add(tuple(map(str, params)))
                found = selectors._LOG_PAGE_ROW.objects(person=person.pk, today=day, log=log.pk)
                expected = selectors.log_page_queryset(person, on=day).filter(pk=log.pk).first()
                if expected is None:
                    assert found == []
                    continue
                (row,) = found
                assert row.pk == expected.pk
                # Annotations and the author read in the same query, as the ORM gives them.
                for flag in ("has_presentations", "has_addenda", "has_replies", "has_shares"):
                    assert getattr(row, flag) == getattr(expected, flag)
                assert row.author.display_name == expected.author.display_name
                assert row.session_date == expected.session_date
                assert row.submitted_at == expected.submitted_at
    assert selectors._LOG_PAGE_ROW.sql() == sql
    assert len(seen) == 4 * 2 * 3


def test_each_reader_sees_what_her_scope_allows_on_each_day(people):
    who, logs = people

    def sees(person, day):
        return {
            name
            for name, log in logs.items()
            if selectors._LOG_PAGE_ROW.objects(person=who[person].pk, today=day, log=log.pk)
        }

    assert sees("sam", DAY_1) == sees("sam", DAY_2) == {"submitted", "draft"}
    assert sees("kim", DAY_1) == {"other"}
    assert (sees("sol", DAY_1), sees("sol", DAY_2)) == ({"submitted"}, set())
    assert (sees("ada", DAY_1), sees("ada", DAY_2)) == (set(), {"submitted"})


def test_the_review_queue_is_each_supervisors_on_each_day_with_one_sql(people):
    who, logs = people
    sql = selectors._AWAITING_REVIEW.sql()
    for person in (who["sol"], who["ada"], who["sam"]):
        for day in (DAY_1, DAY_2):
            found = selectors._AWAITING_REVIEW.rows(person=person.pk, today=day)
            orm = list(
                selectors.SessionLog.objects.awaiting_review_by(person, on=day).values_list(
                    *selectors.QUEUE_COLUMNS
                )
            )
            assert found == orm
            params = selectors._AWAITING_REVIEW.params(person=person.pk, today=day)
            assert person.pk in params and (day in params or day.isoformat() in params)
    assert selectors._AWAITING_REVIEW.sql() == sql
    sees = {
        (name, day): [
            row[0] for row in selectors._AWAITING_REVIEW.rows(person=who[name].pk, today=day)
        ]
        for name in ("sol", "ada")
        for day in (DAY_1, DAY_2)
    }
    submitted = logs["submitted"].pk
    assert sees == {
        ("sol", DAY_1): [submitted],
        ("sol", DAY_2): [],
        ("ada", DAY_1): [],
        ("ada", DAY_2): [submitted],
    }


def test_the_queues_tags_and_co_supervisors_are_each_supervisors_on_each_day(people, catalog):
    """The review queue's pattern names and co-supervisors' activity, compiled once with the
    queue's scope as a subquery, answer as the ORM's queries on the same logs."""
    from cases.models import Pattern, ReviewActivity
    from tests.factories import PatternTagFactory

    who, logs = people
    # Sol and Ada both supervise Sam in June, and Sol has replied to the submitted log.
    RelationshipFactory(supervisor=who["sol"], supervisee=who["sam"], starts_on=DAY_2)
    for pattern in Pattern.objects.filter(is_background=False).order_by("-pk")[:3]:
        PatternTagFactory(log=logs["submitted"], pattern=pattern)
    ReviewActivity.objects.create(
        log=logs["submitted"],
        supervisor=who["sol"],
        replied_at=datetime.datetime(2026, 6, 9, tzinfo=datetime.UTC),
    )
    for name in ("sol", "ada", "sam"):
        person = who[name]
        for day in (DAY_1, DAY_2):
            queue = selectors.SessionLog.objects.awaiting_review_by(person, on=day).values("pk")
            ids = [row["pk"] for row in queue]
            tags = selectors._QUEUE_TAG_NAMES.rows(person=person.pk, today=day)
            assert tags == list(
                selectors.PatternTag.objects.filter(log_id__in=ids).values_list(
                    "log_id", "pattern__name"
                )
            )
            activity = selectors._QUEUE_CO_SUPERVISORS.rows(person=person.pk, today=day)
            assert activity == list(selectors._co_supervisor_query(ids, person.pk, day))
            for query in (selectors._QUEUE_TAG_NAMES, selectors._QUEUE_CO_SUPERVISORS):
                params = query.params(person=person.pk, today=day)
                assert person.pk in params and (day in params or day.isoformat() in params)
    # Ada's queue in June names Sol's reply; Sol's own queue does not name herself.
    (row,) = selectors._QUEUE_CO_SUPERVISORS.rows(person=who["ada"].pk, today=DAY_2)
    assert row[:2] == (logs["submitted"].pk, who["sol"].display_name)
    assert selectors._QUEUE_CO_SUPERVISORS.rows(person=who["sol"].pk, today=DAY_2) == []
    assert len(selectors._QUEUE_TAG_NAMES.rows(person=who["ada"].pk, today=DAY_2)) == 3
    assert selectors._QUEUE_TAG_NAMES.rows(person=who["ada"].pk, today=DAY_1) == []
