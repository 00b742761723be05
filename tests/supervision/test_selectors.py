"""supervision.selectors: reads compiled once per process answer as the ORM does."""

import datetime

from supervision import access, selectors
from supervision.models import SupervisionRelationship
from tests.factories import AdminFactory, RelationshipFactory, SupervisorFactory, UserFactory

FIRST = datetime.date(2026, 1, 1)


def test_her_supervisees_by_name_for_each_supervisor_and_day(db):
    """One SQL for every supervisor and day (compiled once): only its values differ, and it
    names the people access.current_supervisees gives, by name."""
    sol, ada = SupervisorFactory(), SupervisorFactory()
    zoe, abe = UserFactory(display_name="Zoe Zed"), UserFactory(display_name="Abe Able")
    RelationshipFactory(
        supervisor=sol,
        supervisee=zoe,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 3, 1),
    )
    RelationshipFactory(supervisor=sol, supervisee=abe, starts_on=datetime.date(2026, 1, 1))
    RelationshipFactory(supervisor=ada, supervisee=zoe, starts_on=datetime.date(2026, 5, 1))
    named = {}
    for person in (sol, ada, zoe):
        for day in (datetime.date(2026, 2, 1), datetime.date(2026, 6, 1)):
            found = selectors._SUPERVISEE_NAMES.rows(person=person.pk, today=day)
            orm = access.current_supervisees(person, on=day).order_by("display_name")
            assert found == [(p.pk, p.display_name) for p in orm]
            params = selectors._SUPERVISEE_NAMES.params(person=person.pk, today=day)
            assert person.pk in params and (day in params or day.isoformat() in params)
            named[(person, day)] = [name for _, name in found]
    assert named[(sol, datetime.date(2026, 2, 1))] == ["Abe Able", "Zoe Zed"]
    assert named[(sol, datetime.date(2026, 6, 1))] == ["Abe Able"]
    assert named[(ada, datetime.date(2026, 2, 1))] == []
    assert named[(ada, datetime.date(2026, 6, 1))] == ["Zoe Zed"]
    assert named[(zoe, datetime.date(2026, 6, 1))] == []


def test_an_administrator_supervises_no_one_here_either(db):
    """Even with a relationship row written past the models' checks (a bulk write)."""
    admin, someone = AdminFactory(), UserFactory()
    SupervisionRelationship.objects.bulk_create(
        [SupervisionRelationship(supervisor=admin, supervisee=someone, starts_on=FIRST)]
    )
    assert selectors._SUPERVISEE_NAMES.rows(person=admin.pk, today=FIRST) == [
        (someone.pk, someone.display_name)
    ]  # the row is there, and the query alone would read it
    assert selectors.supervisee_names(admin) == []
