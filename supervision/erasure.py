"""Erasing a person: what goes, what stays, all or nothing.

This layer knows people, relationships and groups, not case notes. Each higher
app registers an `Eraser` in its `AppConfig.ready()` that deletes its own rows
for the person and describes, in counts, what will go and what will stay.
`person_erase` runs them all, then anonymises the account, in one transaction:
if any eraser fails, nothing changes.

Erasers run in the reverse order of registration. Django calls `ready()` in
INSTALLED_APPS order, lowest layer first, so a higher layer's rows (a reply,
which points at a log) go before the rows they point at (the log).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import audit
from .models import (
    AuditAction,
    Notification,
    SupervisionMeeting,
    SupervisionRelationship,
    User,
)
from .services import sessions_end_all

ERASED_EMAIL_DOMAIN = "invalid.example"


class ErasureError(Exception):
    """The person cannot be erased this way; the message is shown to the admin."""


@dataclass
class ErasurePlan:
    """What an erasure will delete and what it will keep, in words and counts, never text."""

    goes: list[str] = field(default_factory=list)
    stays: list[str] = field(default_factory=list)

    def extend(self, other: "ErasurePlan") -> None:
        self.goes += other.goes
        self.stays += other.stays


@dataclass(frozen=True)
class Eraser:
    app_label: str
    describe: Callable[[User], ErasurePlan]
    erase: Callable[[User], None]


_erasers: list[Eraser] = []


def register(eraser: Eraser) -> None:
    """Called from an AppConfig.ready(); registering an app again replaces its eraser."""
    for i, known in enumerate(_erasers):
        if known.app_label == eraser.app_label:
            _erasers[i] = eraser
            return
    _erasers.append(eraser)


def registered() -> list[Eraser]:
    """The erasers in the order they run: highest layer first."""
    return list(reversed(_erasers))


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 reply", "3 replies": the confirmation page counts, it never quotes."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def erased_name(pk: int) -> str:
    return f"Erased person #{pk}"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@{ERASED_EMAIL_DOMAIN}"


def erased_people() -> QuerySet[User]:
    """Accounts that were erased: inactive and anonymised."""
    return User.objects.filter(
        is_active=False, email__startswith="erased-", email__endswith=f"@{ERASED_EMAIL_DOMAIN}"
    )


def is_erased(person: User) -> bool:
    return not person.is_active and person.email == erased_email(person.pk)


def refusal(*, person: User, by: User) -> str | None:
    """Why `by` may not erase `person` through the app, or None."""
    if person.pk == by.pk:
        return "You cannot erase yourself."
    if person.is_superuser:
        return f"{person} is a superuser; take that away first if they really are to be erased."
    if is_erased(person):
        return f"{person} has already been erased."
    return None


def _relationships(person: User) -> QuerySet[SupervisionRelationship]:
    return SupervisionRelationship.objects.filter(Q(supervisor=person) | Q(supervisee=person))


def not_ended(rows: QuerySet, end: str, today: datetime.date) -> QuerySet:
    """Rows that grant access today or will later."""
    return rows.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": today}))


def _own_plan(person: User) -> ErasurePlan:
    today = timezone.localdate()
    relationships = not_ended(_relationships(person), "ends_on", today).count()
    plan = ErasurePlan(
        goes=[
            counted(Notification.objects.filter(recipient=person).count(), "notification"),
            f"the name and e-mail address: the account becomes “{erased_name(person.pk)}”, "
            "inactive, with no usable password; any session still open ends",
        ],
        stays=[
            f"{counted(relationships, 'supervision relationship')}, ended "
            "(the rows stay; access ends now)",
            "the audit trail (it names objects by type and number, never their text)",
            f"{counted(_meetings(person).count(), 'supervision meeting')} recorded, as hours "
            "(date, length, kind) without the line of what was agreed",
        ],
    )
    return plan


def _meetings(person: User) -> QuerySet[SupervisionMeeting]:
    return SupervisionMeeting.objects.filter(
        Q(supervisor=person) | Q(supervisees=person)
    ).distinct()


def erasure_plan(person: User) -> ErasurePlan:
    plan = ErasurePlan()
    for eraser in _erasers:  # lowest layer first: logs, then what was written on them
        plan.extend(eraser.describe(person))
    plan.extend(_own_plan(person))
    return plan


def end_access(rows: QuerySet, start: str, end: str) -> None:
    """End rows that grant access (relationships, memberships) now, keeping them.

    The end date is the last day of access, so access that ends now ends
    yesterday; a row that began today ends today (it cannot end before it
    began). Rows that have not begun yet never granted anything and go.
    """
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    open_rows = not_ended(rows, end, today)
    open_rows.filter(**{f"{start}__gt": today}).delete()
    open_rows.filter(**{f"{start}__lte": yesterday}).update(**{end: yesterday})
    open_rows.filter(**{start: today}).update(**{end: today})


def _anonymise(person: User) -> None:
    person.display_name = erased_name(person.pk)
    person.email = erased_email(person.pk)
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.save(update_fields=["display_name", "email", "password", "is_active", "is_staff"])
    # session_epoch + 1: every session she has open ends, wherever it is.
    sessions_end_all(user=person)
    person.groups.clear()
    person.user_permissions.clear()


@transaction.atomic
def person_erase(*, person: User, by: User) -> User:
    """Delete what `person` wrote that is not part of a signed record, end her access and
    anonymise her account; signed records stay under the retention rule."""
    reason = refusal(person=person, by=by)
    if reason:
        raise ErasureError(reason)
    for eraser in registered():
        eraser.erase(person)
    Notification.objects.filter(recipient=person).delete()
    end_access(_relationships(person), "starts_on", "ends_on")
    # The hours stay (another person's licence may rest on them); the words go.
    SupervisionMeeting.objects.filter(pk__in=_meetings(person).values("pk")).update(agreed="")
    _anonymise(person)
    audit.record(actor=by, action=AuditAction.ERASE, obj=person, owner=person)
    return person
