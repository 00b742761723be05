"""Who presents next at a group meeting.

Fair rotation: whoever has gone longest without presenting goes first (never
presented counts as longest, earliest joiner first). Someone marked absent
is skipped for that meeting but keeps their place, so they are first in line
next time.
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from supervision.models import User

from .models import GroupMeeting, GroupMembership, SupervisionGroup

NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def presenter_rota(
    group: SupervisionGroup, *, before: datetime.datetime | None = None
) -> list[User]:
    """Current members in the order they are due to present."""
    before = before or timezone.now()
    memberships = list(
        GroupMembership.objects.current().filter(group=group).select_related("member")
    )
    last = dict(
        GroupMeeting.objects.filter(group=group, starts_at__lt=before, presenter__isnull=False)
        .values("presenter")
        .annotate(last=Max("starts_at"))
        .values_list("presenter", "last")
    )
    memberships.sort(
        key=lambda m: (last.get(m.member_id, NEVER), m.joined_on, m.member.display_name, m.pk)
    )
    seen, rota = set(), []
    for m in memberships:
        if m.member_id not in seen:
            seen.add(m.member_id)
            rota.append(m.member)
    return rota


def next_presenter(group: SupervisionGroup, meeting: GroupMeeting) -> User | None:
    absent = {u.pk for u in meeting.absent.all()}
    for member in presenter_rota(group, before=meeting.starts_at):
        if member.pk not in absent:
            return member
    return None
