"""Writes to the hours: her settings and entries, and supervisors' signatures of periods.

Each is keyword-only, atomic, and writes its audit row in the same transaction. A signature
is given to what the supervisor saw: the form carries the period's SHA-256, and a period
whose hours changed since the page was drawn is refused (`StaleHoursError`), so nobody
signs hours she has not seen.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from supervision import audit
from supervision.models import AuditAction, SupervisionRelationship, User
from supervision.notifications import notification_send
from supervision.services import relationship_end

from .access import signing_spans
from .models import HourEntry, HoursProfile, PeriodSignature
from .selectors import period_of, profile_of, sign_period_of


class HoursError(Exception):
    """A write that cannot be done as asked; the message says why, for the person."""


class StaleHoursError(HoursError):
    """The period's hours changed after the page was drawn."""


@transaction.atomic
def hours_profile_save(*, profile: HoursProfile, by: User) -> HoursProfile:
    """Her settings (or a supervisor's licence). A new rule set re-reads every hour she has
    under it: nothing is stored per rule set, so nothing is lost."""
    profile.full_clean()
    created = profile.pk is None
    profile.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=profile,
        owner=profile.person_id,
    )
    return profile


@transaction.atomic
def hour_entry_save(*, entry: HourEntry, by: User) -> HourEntry:
    if entry.person_id != by.pk:
        raise HoursError("Only she can record her own hours.")
    created = entry.pk is None
    entry.full_clean()
    entry.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=entry,
        owner=entry.person_id,
    )
    return entry


@transaction.atomic
def hour_entry_delete(*, entry: HourEntry, by: User) -> None:
    if entry.person_id != by.pk:
        raise HoursError("Only she can remove her own hours.")
    audit.record(actor=by, action=AuditAction.DELETE, obj=entry, owner=entry.person_id)
    entry.delete()


@transaction.atomic
def period_sign(
    *,
    supervisor: User,
    supervisee: User,
    period: str,
    starts_on: datetime.date,
    expected_sha256: str,
    url: str,
    today: datetime.date | None = None,
) -> PeriodSignature:
    """Sign one period of her hours. `url` is her page of the period, for the notice."""
    return _sign(
        supervisor=supervisor,
        supervisee=supervisee,
        periods=[(period, starts_on, expected_sha256)],
        url=url,
        today=today,
    )[0]


@transaction.atomic
def periods_sign(
    *,
    supervisor: User,
    supervisee: User,
    periods: Sequence[tuple[str, datetime.date, str]],
    url: str,
    today: datetime.date | None = None,
) -> list[PeriodSignature]:
    """Sign several periods in one step (from her queue): all or none."""
    if not periods:
        raise HoursError("Choose at least one period to sign.")
    return _sign(
        supervisor=supervisor, supervisee=supervisee, periods=periods, url=url, today=today
    )


def _sign(
    *,
    supervisor: User,
    supervisee: User,
    periods: Sequence[tuple[str, datetime.date, str]],
    url: str,
    today: datetime.date | None,
) -> list[PeriodSignature]:
    today = today or timezone.localdate()
    spans = signing_spans(supervisor, supervisee, today)
    if not spans:
        raise HoursError("You do not supervise this person.")
    credentials = profile_of(supervisor)
    if not credentials.licence_number.strip() or not credentials.licence_jurisdiction.strip():
        raise HoursError(
            "Add your licence number and where you are licensed first: every signature "
            "records them."
        )
    her_settings = profile_of(supervisee)
    expected_period = sign_period_of(her_settings)
    rule_set_name = her_settings.rule_set.name if her_settings.rule_set else ""
    now = timezone.now()
    signed = []
    for period, starts_on, expected in periods:
        row = period_of(supervisee, period, starts_on, today)
        if row is None or period != expected_period:
            raise HoursError("That is not one of her periods under her rules.")
        if not any(span.overlaps(row.starts_on, row.ends_on) for span in spans):
            raise HoursError(f"{row.label} is outside your supervision of her.")
        if not row.closed:
            raise HoursError(f"{row.label} is not over yet; it can be signed once it ends.")
        if not row.entries:
            raise HoursError(f"{row.label} has no hours to sign.")
        if row.sha256 != expected:
            raise StaleHoursError(
                f"The hours of {row.label} changed after you opened this page. Nothing was "
                "signed: look at them again, then sign."
            )
        if row.signed_by(supervisor.pk):
            raise HoursError(f"You have already signed {row.label} as it stands.")
        previous = PeriodSignature.objects.standing().filter(
            supervisee=supervisee, supervisor=supervisor, period=period, starts_on=starts_on
        )
        for old in previous:
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
            audit.record(actor=supervisor, action=AuditAction.UPDATE, obj=old, owner=supervisee)
        signature = PeriodSignature.objects.create(
            supervisee=supervisee,
            supervisor=supervisor,
            period=period,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            supervisor_name=supervisor.display_name,
            licence_number=credentials.licence_number.strip(),
            licence_jurisdiction=credentials.licence_jurisdiction.strip(),
            rule_set_name=rule_set_name,
            sha256=row.sha256,
            entry_count=len(row.entries),
            minutes=row.total_minutes,
            signed_at=now,
        )
        audit.record(actor=supervisor, action=AuditAction.SIGN, obj=signature, owner=supervisee)
        signed.append(signature)
    labels = ", ".join(s_label for s_label in (_label(s) for s in signed))
    notification_send(
        recipients=[supervisee],
        message=f"{supervisor.display_name} signed your hours: {labels}.",
        email_message=f"{supervisor.display_name} signed some of your hours.",
        url=url,
    )
    return signed


def _label(signature: PeriodSignature) -> str:
    from .selectors import period_label

    return period_label(signature.period, signature.starts_on)


@transaction.atomic
def supervision_end(*, relationship: SupervisionRelationship, by: User) -> None:
    """End a supervision from the hours side, after both have seen its unsigned periods.
    Access ends as `relationship_end` says; the supervisor may still sign the periods of
    her supervision for `hours.access.SIGNING_GRACE`."""
    if by.pk not in (relationship.supervisor_id, relationship.supervisee_id):
        raise HoursError("Only the two people in a supervision can end it here.")
    if relationship.ends_on is not None and relationship.ends_on < timezone.localdate():
        raise HoursError("This supervision has already ended.")
    relationship_end(relationship=relationship, by=by)
