"""Who may see and sign whose hours: the hours part of the access rules.

Hours hold no clinical text, but they are still hers. She sees all of her own. A supervisor
sees and signs the periods that fall inside her supervision of the supervisee, while it
lasts and for `SIGNING_GRACE` after it ends, so a supervisor who leaves can still sign
what she supervised (the field's most common complaint is hours lost that way). Anyone
else gets 404; an administrator supervises no one here either.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from supervision.compiled import FixedQuery
from supervision.models import Role, SupervisionRelationship, User

# How long after a relationship ends its supervisor may still sign its periods.
SIGNING_GRACE = datetime.timedelta(days=90)


@dataclass(frozen=True)
class Span:
    """The dates a supervisor supervised a supervisee (end inclusive; None: goes on)."""

    starts_on: datetime.date
    ends_on: datetime.date | None

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return self.starts_on <= end and (self.ends_on is None or self.ends_on >= start)


def may_sign_hours(supervisor: User) -> bool:
    """Only a supervisor signs hours; an administrator supervises no one here."""
    return not supervisor.is_staff and supervisor.role == Role.SUPERVISOR


def signable_relationships(
    supervisor: User,
    today: datetime.date | None = None,
    *,
    ended_since: datetime.date | None = None,
):
    """The relationships in which she may sign hours today: begun, and going on or ended
    within `SIGNING_GRACE`. The one statement of the rule; the functions below read it.
    `ended_since` is `today - SIGNING_GRACE`, given only by a query compiled once
    (hours.selectors), where every date must be a value of its own."""
    if not may_sign_hours(supervisor):
        return SupervisionRelationship.objects.none()
    today = today or timezone.localdate()
    return SupervisionRelationship.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=ended_since or today - SIGNING_GRACE),
        supervisor=supervisor,
        starts_on__lte=today,
    )


def signing_spans(
    supervisor: User, supervisee: User, today: datetime.date | None = None
) -> list[Span]:
    """The spans in which `supervisor` may sign `supervisee`'s hours today."""
    rows = (
        signable_relationships(supervisor, today)
        .filter(supervisee=supervisee)
        .values_list("starts_on", "ends_on")
    )
    return [Span(start, end) for start, end in rows]


def signable_spans(supervisor: User, today: datetime.date | None = None) -> dict[int, list[Span]]:
    """Every active supervisee whose hours she may sign today, with the spans: one query,
    compiled once per process (*Hours to sign* and the review queue read it)."""
    if not may_sign_hours(supervisor):
        return {}
    today = today or timezone.localdate()
    rows = _SIGNABLE_SPANS.rows(
        person=supervisor.pk, today=today, ended_since=today - SIGNING_GRACE
    )
    spans: dict[int, list[Span]] = {}
    for supervisee, start, end in rows:
        spans.setdefault(supervisee, []).append(Span(start, end))
    return spans


def signable_supervisee_ids(
    supervisor: User,
    today: datetime.date | None = None,
    *,
    ended_since: datetime.date | None = None,
):
    """The same people as `signable_spans`, as a subquery."""
    return (
        signable_relationships(supervisor, today, ended_since=ended_since)
        .filter(supervisee__is_active=True)
        .values("supervisee_id")
    )


def supervisee_for_signing_or_404(supervisor: User, pk: int) -> tuple[User, list[Span]]:
    """The supervisee whose hours this supervisor may sign, with the spans; 404 otherwise."""
    supervisee = User.objects.filter(pk=pk, role=Role.SUPERVISEE).first()
    spans = signing_spans(supervisor, supervisee) if supervisee else []
    if supervisee is None or not spans:
        raise Http404
    return supervisee, spans


_SIGNABLE_SPANS = FixedQuery(
    lambda person, today, ended_since: (
        signable_relationships(
            User(pk=person, role=Role.SUPERVISOR), today, ended_since=ended_since
        )
        .filter(supervisee__is_active=True)
        .values_list("supervisee_id", "starts_on", "ends_on")
    ),
    person=int,
    today=datetime.date,
    ended_since=datetime.date,
)
