"""Who may see a group and what is shared with it: the group part of the access rules.

Answered from memberships as they stand on a given day, like `supervision.access`
for relationships: an ended membership grants nothing. A member sees the group, its
meetings and the logs shared with it; only its facilitator runs it.
"""

import datetime
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from supervision.compiled import FixedQuery
from supervision.models import User

from .models import GroupMembership, SupervisionGroup


def current_group_ids(user: User, on: datetime.date | None = None) -> QuerySet:
    """Groups this person belongs to today, as a member. An administrator (staff) belongs to
    none and facilitates none, whatever a row says (the models refuse such rows; this covers
    rows from before the rule), at no cost in queries."""
    if user.is_staff:
        return GroupMembership.objects.none().values("group_id")
    return GroupMembership.objects.current(on).filter(member=user).values("group_id")


def member_groups(user: User, on: datetime.date | None = None) -> QuerySet:
    """Groups this person is a current member of (where they may share their logs)."""
    return SupervisionGroup.objects.filter(pk__in=current_group_ids(user, on))


# The groups she may share with, as (id, name) in the groups' order: read on every visit
# the author makes to her log page, so compiled once per process (supervision.compiled);
# the person and the day are its values.
_MEMBER_GROUP_CHOICES = FixedQuery(
    lambda person, today: member_groups(User(pk=person), on=today).values_list("pk", "name"),
    person=int,
    today=datetime.date,
)


def member_group_choices(user: User, on: datetime.date | None = None) -> list[tuple[int, str]]:
    """`member_groups` as (id, name), as a form offers them."""
    if user.is_staff:
        return []
    return _MEMBER_GROUP_CHOICES.rows(person=user.pk, today=on or timezone.localdate())


def visible_groups(user: User, on: datetime.date | None = None) -> QuerySet:
    """Groups this person facilitates or is a current member of."""
    if user.is_staff:
        return SupervisionGroup.objects.none()
    return SupervisionGroup.objects.filter(
        Q(facilitator=user) | Q(pk__in=current_group_ids(user, on))
    )


def current_group_members(group: SupervisionGroup, on: datetime.date | None = None) -> QuerySet:
    ids = GroupMembership.objects.current(on).filter(group=group).values("member_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def is_current_member(user: User, group: SupervisionGroup, on: datetime.date | None = None) -> bool:
    if user.is_staff:
        return False
    return GroupMembership.objects.current(on).filter(group=group, member=user).exists()


def require_facilitator(user: User, group: SupervisionGroup) -> None:
    """Members may see the group page but only its facilitator runs it."""
    if group.facilitator_id != user.pk or user.is_staff:
        raise PermissionDenied("Only the group's facilitator can do this.")


# Every group page starts here: compiled once per process (supervision.compiled), the person,
# the day and the group its values.
_VISIBLE_GROUP = FixedQuery(
    lambda person, today, group: (
        visible_groups(User(pk=person), on=today).select_related("facilitator").filter(pk=group)
    ),
    person=int,
    today=datetime.date,
    group=int,
)


def visible_group_or_404(user: User, pk: int) -> SupervisionGroup:
    """A group this person facilitates or belongs to today; anyone else gets 404."""
    found = (
        []
        if user.is_staff
        else _VISIBLE_GROUP.objects(person=user.pk, today=timezone.localdate(), group=int(pk))
    )
    if not found:
        raise Http404("No such group.")
    return cast(SupervisionGroup, found[0])
