"""The one place that decides who may see whose work.

Everything is answered from supervision relationships as they stand on a given
day: an ended relationship grants nothing. Group membership is answered the same
way by `groups.access`, in the layer that holds groups. Higher layers build their query scopes from these answers, so a
lookup never fetches a row first and checks afterwards.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import Role, SupervisionRelationship, User


def current_supervisee_ids(supervisor: User, on: datetime.date | None = None) -> QuerySet:
    """Ids of the people this supervisor supervises today (a subquery, not a list).

    An administrator (staff) supervises no one, whatever a row says: the models refuse such
    rows, and this keeps a row written before that rule (or by a bulk write) from opening
    anyone's notes to an administrator. It costs no query."""
    if supervisor.is_staff:
        return SupervisionRelationship.objects.none().values("supervisee_id")
    return (
        SupervisionRelationship.objects.current(on)
        .filter(supervisor=supervisor)
        .values("supervisee_id")
    )


def current_supervisor_ids(supervisee: User, on: datetime.date | None = None) -> QuerySet:
    return (
        SupervisionRelationship.objects.current(on)
        .filter(supervisee=supervisee)
        .values("supervisor_id")
    )


def current_supervisees(supervisor: User, on: datetime.date | None = None) -> QuerySet:
    return User.objects.filter(pk__in=current_supervisee_ids(supervisor, on), is_active=True)


def current_supervisors(supervisee: User, on: datetime.date | None = None) -> QuerySet:
    return User.objects.filter(pk__in=current_supervisor_ids(supervisee, on), is_active=True)


def supervises(supervisor: User, supervisee: User, on: datetime.date | None = None) -> bool:
    if supervisor.is_staff:
        return False  # see current_supervisee_ids
    return (
        SupervisionRelationship.objects.current(on)
        .filter(supervisor=supervisor, supervisee=supervisee)
        .exists()
    )


def may_see_supervisee_work(
    viewer: User, supervisee: User, on: datetime.date | None = None
) -> bool:
    """May `viewer` see `supervisee`'s work today? The author, or a current supervisor."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == supervisee.pk:
        return True
    return supervises(viewer, supervisee, on)


def require_role(user: User, *roles: Role) -> None:
    """Signed-in people in the wrong role get 403: they may know the page exists."""
    if user.role not in roles:
        raise PermissionDenied("This page is not part of your role.")
