"""supervision.compiled: a query compiled once must differ between people and days only in
its parameters, never in its SQL, and give each person her own answer."""

import datetime

import pytest
from django.db.models import Count, IntegerField, Q, TextChoices, Value
from django.utils import timezone

from supervision.compiled import FixedQuery, ShapeError, _literal
from supervision.models import Notification, SupervisionRelationship
from supervision.selectors import _UNREAD, unread_count
from tests.factories import RelationshipFactory, SupervisorFactory, UserFactory

DAY_1, DAY_2 = datetime.date(2026, 1, 10), datetime.date(2026, 6, 10)

SUPERVISING = FixedQuery(
    lambda person, on: (
        SupervisionRelationship.objects.current(on)
        .filter(supervisor_id=person)
        .order_by("supervisee_id")
        .values_list("supervisee_id", "starts_on")
    ),
    person=int,
    on=datetime.date,
)


@pytest.fixture
def two_supervisors(db):
    """A supervised X from DAY_1 to March; B supervises Y from May, and Z throughout."""
    a, b = SupervisorFactory(), SupervisorFactory()
    x, y, z = UserFactory(), UserFactory(), UserFactory()
    RelationshipFactory(
        supervisor=a, supervisee=x, starts_on=DAY_1, ends_on=datetime.date(2026, 3, 1)
    )
    RelationshipFactory(supervisor=b, supervisee=y, starts_on=datetime.date(2026, 5, 1))
    RelationshipFactory(supervisor=b, supervisee=z, starts_on=datetime.date(2025, 1, 1))
    return a, b, x, y, z


def test_two_people_and_two_days_share_the_sql_and_differ_only_in_parameters(two_supervisors):
    a, b, x, y, z = two_supervisors
    sql = SUPERVISING.sql()
    calls = [(a, DAY_1), (a, DAY_2), (b, DAY_1), (b, DAY_2)]
    params = [SUPERVISING.params(person=p.pk, on=day) for p, day in calls]
    assert SUPERVISING.sql() == sql  # compiled once: the same text whoever asks
    assert len({tuple(map(str, p)) for p in params}) == 4  # each call its own parameters
    # The person and the day travel as parameters, not as text in the SQL.
    for (person, day), sent in zip(calls, params, strict=True):
        assert person.pk in sent
        assert day in sent or day.isoformat() in sent  # SQLite receives dates as text
        assert day.isoformat() not in sql
    answers = {
        (p.pk, day): [row[0] for row in SUPERVISING.rows(person=p.pk, on=day)] for p, day in calls
    }
    assert answers == {
        (a.pk, DAY_1): [x.pk],
        (a.pk, DAY_2): [],
        (b.pk, DAY_1): [z.pk],
        (b.pk, DAY_2): sorted([y.pk, z.pk]),
    }
    # The same answers as the ORM's, dates converted as the ORM converts them.
    for person, day in calls:
        orm = list(
            SupervisionRelationship.objects.current(day)
            .filter(supervisor=person)
            .order_by("supervisee_id")
            .values_list("supervisee_id", "starts_on")
        )
        assert SUPERVISING.rows(person=person.pk, on=day) == orm
        assert all(isinstance(row[1], datetime.date) for row in orm)


def test_a_page_of_rows_has_its_limit_and_offset_written_in_as_numbers(two_supervisors):
    _, b, _, y, z = two_supervisors
    first = SUPERVISING.rows(person=b.pk, on=DAY_2, limit=1, offset=0)
    second = SUPERVISING.rows(person=b.pk, on=DAY_2, limit=1, offset=1)
    assert [first[0][0], second[0][0]] == sorted([y.pk, z.pk])
    # In the SQL, so that PostgreSQL's kept plan knows how few rows a page wants.
    assert SUPERVISING.sql(limit=1, offset=1) == f"{SUPERVISING.sql()} LIMIT 1 OFFSET 1"
    # Only whole numbers are written in: anything else is refused, never put in the SQL.
    for limit, offset in [
        ("1; DROP TABLE x", 0),
        (1, "0 --"),
        (1.5, 0),
        (-1, 0),
        (1, -2),
        (True, 0),
    ]:
        with pytest.raises(TypeError):
            SUPERVISING.rows(person=b.pk, on=DAY_2, limit=limit, offset=offset)


def test_constants_are_written_into_the_sql_and_slots_never_are(two_supervisors):
    """A value that is the same whoever asks (a status, a count) is written into the SQL, so
    PostgreSQL plans the query knowing it; the person and the day stay parameters, even
    where the person's id is a number like the constants."""
    a, b, x, _, _ = two_supervisors
    query = FixedQuery(
        lambda person, on: (
            SupervisionRelationship.objects.current(on)
            .filter(supervisor_id=person, supervisee__role="supervisee")
            .exclude(supervisee_id=1_000_000_007)
            .exclude(supervisee__display_name="it's")
            .values_list("supervisee_id")
        ),
        person=int,
        on=datetime.date,
    )
    sql = query.sql()
    assert "'supervisee'" in sql and "1000000007" in sql
    # Text that is not a plain name stays a parameter.
    assert "it's" not in sql and "'it''s'" not in sql
    for person, day in [(a, DAY_1), (b, DAY_2)]:
        params = query.params(person=person.pk, on=day)
        assert person.pk in params and "it's" in params
        assert "supervisee" not in params and 1_000_000_007 not in params
        assert str(person.pk) not in sql.replace("1000000007", "")
    assert query.rows(person=a.pk, on=DAY_1) == [(x.pk,)]
    assert query.rows(person=a.pk, on=DAY_2) == []
    assert query.rows(person=a.pk, on=DAY_1) == list(query.orm(person=a.pk, on=DAY_1))
    assert query.count(person=b.pk, on=DAY_2) == query.orm(person=b.pk, on=DAY_2).count()


class Status(TextChoices):
    SUBMITTED = "submitted", "Submitted"


def test_only_whole_numbers_and_plain_names_are_written_in():
    assert _literal(7) == "7" and _literal(Status.SUBMITTED) == "'submitted'"
    for value in (True, False, None, 1.5, "it's", "a b", "x;--", "", "é", DAY_1, "9" * 65):
        assert _literal(value) is None, value


def test_a_query_is_compiled_for_its_rows_or_its_count_alone(db):
    with pytest.raises(ValueError, match="rows or its count"):
        SUPERVISING.sql("slice")


def test_the_unread_count_is_each_persons_own(db, django_assert_num_queries):
    sam, kim = UserFactory(), UserFactory()
    for _ in range(3):
        Notification.objects.create(recipient=sam, message="m", url="/")
    Notification.objects.create(recipient=kim, message="m", url="/")
    Notification.objects.create(recipient=kim, message="m", url="/", read_at=timezone.now())
    with django_assert_num_queries(1):
        assert unread_count(sam) == 3
    assert unread_count(kim) == 1
    assert _UNREAD.params("count", person=sam.pk) != _UNREAD.params("count", person=kim.pk)
    assert _UNREAD.params("count", person=sam.pk) == [sam.pk]


def test_a_value_that_is_not_a_slot_is_refused(db):
    now_frozen = FixedQuery(
        lambda person: Notification.objects.filter(
            recipient_id=person, created_at__lte=timezone.now()
        ),
        person=int,
    )
    with pytest.raises(ShapeError, match="not a slot"):
        now_frozen.count(person=1)


def test_a_slot_the_sql_never_receives_is_refused(db):
    unused = FixedQuery(
        lambda person, on: Notification.objects.filter(recipient_id=person),
        person=int,
        on=datetime.date,
    )
    with pytest.raises(ShapeError, match="not parameters"):
        unused.count(person=1, on=DAY_1)


def test_a_query_whose_shape_depends_on_its_values_is_refused(db):
    shifting = FixedQuery(
        lambda person: Notification.objects.filter(
            Q(recipient_id=person) if person % 2 else Q(pk=person, read_at__isnull=True)
        ),
        person=int,
    )
    with pytest.raises(ShapeError):
        shifting.count(person=1)


def test_a_local_day_is_read_in_the_time_zone_of_the_request(db):
    """`__date` puts the time zone's name in the SQL as a constant: each time zone has its
    own compilation, so a query compiled under one never answers for another."""
    sam = UserFactory()
    # 23:30 UTC on 9 June: 10 June in London (BST), 9 June in Toronto.
    late = datetime.datetime(2026, 6, 9, 23, 30, tzinfo=datetime.UTC)
    Notification.objects.create(recipient=sam, message="m", url="/")
    Notification.objects.filter(recipient=sam).update(created_at=late)
    days = FixedQuery(
        lambda person: Notification.objects.filter(recipient_id=person).values_list(
            "created_at__date"
        ),
        person=int,
    )
    assert days.rows(person=sam.pk) == [(datetime.date(2026, 6, 10),)]
    with timezone.override("America/Toronto"):
        assert days.rows(person=sam.pk) == [(datetime.date(2026, 6, 9),)]
        assert "America/Toronto" in days.params(person=sam.pk)
    assert days.rows(person=sam.pk) == [(datetime.date(2026, 6, 10),)]
    assert "America/Toronto" not in days.params(person=sam.pk)


def test_integers_taken_as_given_are_the_orms_and_a_wrong_name_is_refused(two_supervisors):
    a, b, *_ = two_supervisors
    counted = FixedQuery(
        lambda person: (
            SupervisionRelationship.objects.filter(supervisor_id=person)
            .annotate(n=Count("pk"), none=Value(None, output_field=IntegerField()))
            .order_by("supervisee_id")
            .values_list("supervisee_id", "n", "none")
        ),
        as_given=("n", "none"),
        person=int,
    )
    for person in (a, b):
        rows = counted.rows(person=person.pk)
        assert rows == list(counted.orm(person=person.pk))
        assert all(type(n) is int and none is None for _, n, none in rows)
    misnamed = FixedQuery(
        lambda person: SupervisionRelationship.objects.filter(supervisor_id=person).values_list(
            "supervisee_id"
        ),
        as_given=("size",),
        person=int,
    )
    with pytest.raises(ShapeError, match="size"):
        misnamed.rows(person=a.pk)


# ------------------------------------------------------------ one row written, compiled once


def test_the_audit_row_written_once_compiled_is_the_row_the_orm_writes(
    db, django_assert_num_queries
):
    """Each field as the ORM stores it, on either database: the time (aware, in UTC), the
    address (v4 and v6), nulls; one INSERT, and the second call uses the same SQL."""
    from supervision import audit
    from supervision.models import AuditAction, AuditEvent

    person, other = UserFactory(), UserFactory()
    at = datetime.datetime(2026, 3, 2, 23, 30, 15, 123456, tzinfo=datetime.UTC)
    rows = [
        {
            "actor": person.pk,
            "at": at,
            "action": AuditAction.VIEW,
            "object_type": "cases.sessionlog",
            "object_id": 2**40,
            "owner": other.pk,
            "client_ip": "203.0.113.9",
        },
        {
            "actor": None,
            "at": at,
            "action": AuditAction.SIGN,
            "object_type": "groups.logshare",
            "object_id": None,
            "owner": None,
            "client_ip": "2001:db8::1",
        },
        {
            "actor": other.pk,
            "at": at,
            "action": AuditAction.CREATE,
            "object_type": "x",
            "object_id": 1,
            "owner": person.pk,
            "client_ip": None,
        },
    ]
    columns = ("actor_id", "at", "action", "object_type", "object_id", "owner_id", "client_ip")
    for row in rows:
        with django_assert_num_queries(1):
            audit._ROW.insert(**row)
        written = AuditEvent.objects.order_by("-pk").values_list(*columns).first()
        AuditEvent.objects.create(
            **{f"{k}_id" if k in ("actor", "owner") else k: v for k, v in row.items()}
        )
        created = AuditEvent.objects.order_by("-pk").values_list(*columns).first()
        assert written == created
    assert AuditEvent.objects.count() == 6


def test_record_writes_who_what_and_when(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from supervision import audit
    from supervision.models import AuditAction, AuditEvent

    person = UserFactory()
    before = timezone.now()
    with django_assert_num_queries(1):
        audit.record(actor=person, action=AuditAction.VIEW, obj=person, owner=person.pk)
    audit.record(actor=AnonymousUser(), action=AuditAction.VIEW, obj=person, owner=None)  # type: ignore[arg-type]
    first, second = AuditEvent.objects.order_by("pk")
    assert (first.actor_id, first.owner_id, first.object_type, first.object_id) == (
        person.pk,
        person.pk,
        "supervision.user",
        person.pk,
    )
    assert before <= first.at <= timezone.now()
    assert (second.actor_id, second.owner_id) == (None, None)


def test_an_insert_needs_every_field(db):
    from supervision import audit

    with pytest.raises(TypeError, match="Expected values"):
        audit._ROW.insert(action="view")
