"""Synthetic demo people, relationships and a group. No real person is in here."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from groups.models import GroupMembership, SupervisionGroup
from supervision.models import Role, SupervisionRelationship, User

DEMO_PASSWORD = "good-enough-demo"


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    display_name: str
    role: Role
    is_staff: bool = False


PEOPLE = [
    DemoPerson("admin", "admin@example.org", "Alex Admin", Role.ADMIN, is_staff=True),
    DemoPerson("moreau", "moreau@example.org", "Dr Ana Moreau", Role.SUPERVISOR),
    DemoPerson("okafor", "okafor@example.org", "Dr Ben Okafor", Role.SUPERVISOR),
    DemoPerson("clara", "clara@example.org", "Clara Lind", Role.SUPERVISEE),
    DemoPerson("dev", "dev@example.org", "Dev Shah", Role.SUPERVISEE),
    DemoPerson("eli", "eli@example.org", "Eli Novak", Role.SUPERVISEE),
    DemoPerson("fern", "fern@example.org", "Fern Adeyemi", Role.SUPERVISEE),
]

# (supervisor, supervisee): Fern has both supervisors.
RELATIONSHIPS = [
    ("moreau", "clara"),
    ("moreau", "dev"),
    ("moreau", "fern"),
    ("okafor", "eli"),
    ("okafor", "fern"),
]

GROUP_NAME = "Thursday sounding board"
GROUP_MEMBERS = ["clara", "dev", "eli", "fern"]


@transaction.atomic
def demo_people_seed(*, today: datetime.date | None = None) -> dict[str, User]:
    """Create or refresh the demo people; safe to run again."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=200)
    people = {}
    for p in PEOPLE:
        user, _ = User.objects.update_or_create(
            email=p.email,
            defaults={
                "display_name": p.display_name,
                "role": p.role,
                "is_staff": p.is_staff,
                "is_superuser": p.is_staff,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        people[p.key] = user
    for supervisor, supervisee in RELATIONSHIPS:
        SupervisionRelationship.objects.get_or_create(
            supervisor=people[supervisor],
            supervisee=people[supervisee],
            ends_on=None,
            defaults={"starts_on": start},
        )
    group, _ = SupervisionGroup.objects.get_or_create(
        name=GROUP_NAME,
        defaults={
            "facilitator": people["moreau"],
            "description": "Fortnightly group supervision: a sounding board for the work.",
        },
    )
    for key in GROUP_MEMBERS:
        GroupMembership.objects.get_or_create(
            group=group, member=people[key], left_on=None, defaults={"joined_on": start}
        )
    return people
