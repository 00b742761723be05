import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from supervision import access
from supervision.models import Role
from tests.factories import RelationshipFactory, SupervisorFactory

TODAY = timezone.localdate


def days(n):
    return datetime.timedelta(days=n)


def test_author_sees_own_work(supervisee):
    assert access.may_see_supervisee_work(supervisee, supervisee)


def test_current_supervisor_sees_work(supervisee, supervisor):
    assert access.may_see_supervisee_work(supervisor, supervisee)


def test_other_supervisor_and_outsider_do_not(supervisee, other_supervisor, outsider):
    assert not access.may_see_supervisee_work(other_supervisor, supervisee)
    assert not access.may_see_supervisee_work(outsider, supervisee)


def test_ended_relationship_grants_nothing(supervisee):
    former = SupervisorFactory()
    RelationshipFactory(
        supervisor=former,
        supervisee=supervisee,
        starts_on=TODAY() - days(300),
        ends_on=TODAY() - days(1),
    )
    assert not access.may_see_supervisee_work(former, supervisee)
    # ...but it did on a day inside the relationship.
    assert access.may_see_supervisee_work(former, supervisee, on=TODAY() - days(10))


def test_end_date_is_the_last_day_of_access(supervisee):
    sup = SupervisorFactory()
    RelationshipFactory(supervisor=sup, supervisee=supervisee, ends_on=TODAY())
    assert access.may_see_supervisee_work(sup, supervisee)
    assert not access.may_see_supervisee_work(sup, supervisee, on=TODAY() + days(1))


def test_future_relationship_grants_nothing_yet(supervisee):
    sup = SupervisorFactory()
    RelationshipFactory(supervisor=sup, supervisee=supervisee, starts_on=TODAY() + days(3))
    assert not access.may_see_supervisee_work(sup, supervisee)


def test_two_supervisors_at_once(supervisee, supervisor):
    second = SupervisorFactory()
    RelationshipFactory(supervisor=second, supervisee=supervisee)
    assert set(access.current_supervisors(supervisee)) == {supervisor, second}
    assert access.may_see_supervisee_work(second, supervisee)
    assert list(access.current_supervisees(second)) == [supervisee]


def test_supervisor_sees_only_own_supervisees(supervisor, supervisee, other_supervisee):
    assert list(access.current_supervisees(supervisor)) == [supervisee]
    assert not access.may_see_supervisee_work(supervisor, other_supervisee)


def test_relationship_is_directional(supervisee, supervisor):
    assert not access.may_see_supervisee_work(supervisee, supervisor)


def test_inactive_viewer_sees_nothing(supervisee, supervisor):
    supervisor.is_active = False
    supervisor.save()
    assert not access.may_see_supervisee_work(supervisor, supervisee)


def test_group_membership_grants_no_supervision(group, supervisee, group_member):
    assert not access.may_see_supervisee_work(group_member, supervisee)
    assert not access.may_see_supervisee_work(group.facilitator, supervisee)


def test_require_role(supervisee, supervisor):
    access.require_role(supervisee, Role.SUPERVISEE)
    with pytest.raises(PermissionDenied):
        access.require_role(supervisee, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        access.require_role(supervisor, Role.SUPERVISEE)
