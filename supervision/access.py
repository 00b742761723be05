"""The one place that decides who may see whose work.

Everything is answered from supervision relationships and group memberships
as they stand on a given day: an ended relationship or membership grants
nothing. Higher layers build their query scopes from these answers, so a
lookup never fetches a row first and checks afterwards.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import GroupMembership, Role, SupervisionGroup, SupervisionRelationship, User


def current_supervisee_ids(supervisor: User, on: datetime.date | None = None) -> QuerySet:
    """Ids of the people this supervisor supervises today (a subquery, not a list)."""
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


def current_group_ids(user: User, on: datetime.date | None = None) -> QuerySet:
    """Groups this person belongs to today, as a member."""
    return GroupMembership.objects.current(on).filter(member=user).values("group_id")


def member_groups(user: User, on: datetime.date | None = None) -> QuerySet:
    """Groups this person is a current member of (where they may share their logs)."""
    return SupervisionGroup.objects.filter(pk__in=current_group_ids(user, on))


def visible_groups(user: User, on: datetime.date | None = None) -> QuerySet:
    """Groups this person facilitates or is a current member of."""
    return SupervisionGroup.objects.filter(
        Q(facilitator=user) | Q(pk__in=current_group_ids(user, on))
    )


def require_role(user: User, *roles: Role) -> None:
    """Signed-in people in the wrong role get 403: they may know the page exists."""
    if user.role not in roles:
        raise PermissionDenied("This page is not part of your role.")


def current_group_members(group: SupervisionGroup, on: datetime.date | None = None) -> QuerySet:
    ids = GroupMembership.objects.current(on).filter(group=group).values("member_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def is_current_member(user: User, group: SupervisionGroup, on: datetime.date | None = None) -> bool:
    return GroupMembership.objects.current(on).filter(group=group, member=user).exists()


def require_facilitator(user: User, group: SupervisionGroup) -> None:
    """Members may see the group page but only its facilitator runs it."""
    if group.facilitator_id != user.pk:
        raise PermissionDenied("Only the group's facilitator can do this.")
