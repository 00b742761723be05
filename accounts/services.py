"""Writes of the accounts app: keeping a form's text when the idle limit ends the session,
and invitations.

Invitations: a person is created by someone else, and chooses her own password. The person
who invites never sees or sets a password. The new account has an unusable password until
the invitation is accepted; the e-mailed link holds a random token that is stored only as a
keyed hash, works once, and dies when re-sent, revoked or expired.
"""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervision import audit
from supervision.models import AuditAction, Role, SupervisionRelationship, User

from . import two_factor
from .mail import mail_after_commit
from .models import KEPT_DAYS, Invitation, KeptDraft, secret_hash

# Generous next to the forms' own limits (20,000 characters a text field), small enough that
# the endpoint cannot be used to store anything big.
MAX_VALUE_CHARS = 25_000
MAX_TOTAL_CHARS = 200_000
MAX_VALUES = 400


class KeepError(Exception):
    """The fields are too big to keep; nothing was stored."""


def _check_size(fields: dict[str, list[str]]) -> None:
    values = [value for values in fields.values() for value in values]
    if (
        len(values) > MAX_VALUES
        or any(len(value) > MAX_VALUE_CHARS for value in values)
        or sum(len(value) for value in values) > MAX_TOTAL_CHARS
    ):
        raise KeepError("Too much to keep.")


@transaction.atomic
def kept_draft_keep(
    *, owner: User, form: str, object_id: int, fields: dict[str, list[str]]
) -> KeptDraft | None:
    """Keep the fields of one form for her, replacing what was kept of it before.

    Nothing is kept when every field is empty. The audit row names the kept draft, not its text.
    """
    _check_size(fields)
    if not any(value.strip() for values in fields.values() for value in values):
        return None
    draft, created = KeptDraft.objects.update_or_create(
        owner=owner,
        form=form,
        object_id=object_id,
        defaults={"fields": fields, "created_at": timezone.now()},
    )
    audit.record(
        actor=owner,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=draft,
        owner=owner,
    )
    return draft


@transaction.atomic
def kept_draft_discard(*, owner: User, form: str, object_id: int = 0) -> bool:
    """Forget what was kept of this form (she saved it, or chose to discard it)."""
    drafts = list(KeptDraft.objects.filter(owner=owner, form=form, object_id=object_id))
    for draft in drafts:
        audit.record(actor=owner, action=AuditAction.DELETE, obj=draft, owner=owner)
    KeptDraft.objects.filter(pk__in=[d.pk for d in drafts]).delete()
    return bool(drafts)


def kept_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=KEPT_DAYS)


@transaction.atomic
def kept_draft_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete kept drafts older than KEPT_DAYS (manage.py purge_kept_drafts, daily)."""
    old = KeptDraft.objects.filter(created_at__lt=kept_cutoff(now))
    rows = list(old.values_list("pk", "owner_id"))
    audit.record_many(actor=None, action=AuditAction.DELETE, model=KeptDraft, objects=rows)
    KeptDraft.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return len(rows)


# --- invitations ----------------------------------------------------------------------

LINK_PURPOSE = "invitation"


class InvitationError(Exception):
    """The invitation cannot do that; the message is shown to the person."""


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, secret_hash(LINK_PURPOSE, token)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link belongs to, whatever its state; None for a link never made."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("user")
        .filter(token_hash=secret_hash(LINK_PURPOSE, token))
        .first()
    )


def _send(invitation: Invitation, token: str) -> None:
    """E-mail the link once the transaction commits. Names and a link only: no note text."""
    user = invitation.user
    inviter = invitation.invited_by
    link = f"{settings.SITE_URL}{reverse('invitation_accept', args=[token])}"
    expires = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y, %H:%M")
    steps = (
        "choose your password and set up two-factor authentication with an authenticator app"
        if two_factor.is_required_for(user)
        else "choose your password"
    )
    body = (
        f"Hello {user.display_name},\n\n"
        f"{inviter.display_name if inviter else 'Your clinic'} has invited you to Good Enough, "
        "the clinic's supervision app.\n\n"
        f"To {steps}, open this link:\n\n{link}\n\n"
        f"The link works once, until {expires}. Nobody else knows the password you choose.\n\n"
        "If you did not expect this, you can ignore this message."
    )
    mail_after_commit(
        address=user.email,
        subject="Good Enough: you are invited",
        body=body,
        about="invitation",
        user_id=user.pk,
    )


def _relationship_add(*, by: User, supervisor: User, supervisee: User, starts_on) -> None:
    relationship = SupervisionRelationship(
        supervisor=supervisor, supervisee=supervisee, starts_on=starts_on
    )
    # The model's own checks (roles, dates), the same as every other path that adds one. No
    # notice: the invited person learns of it from her invitation, before she has logged in.
    relationship.full_clean()
    relationship.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=relationship)


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    display_name: str,
    role: str,
    supervisors: Iterable[User] = (),
    supervisees: Iterable[User] = (),
    starts_on: datetime.date | None = None,
) -> Invitation:
    """Create the person (no usable password), her relationships, and e-mail her the link."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError("Someone already has an account with this e-mail address.")
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        is_staff=role == Role.ADMIN,
    )
    user.set_unusable_password()
    user.save()
    starts_on = starts_on or timezone.localdate()
    for supervisor in supervisors:
        _relationship_add(by=by, supervisor=supervisor, supervisee=user, starts_on=starts_on)
    for supervisee in supervisees:
        _relationship_add(by=by, supervisor=user, supervisee=supervisee, starts_on=starts_on)
    token, token_hash = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        invited_by=by,
        token_hash=token_hash,
        created_at=now,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=user)
    audit.record(actor=by, action=AuditAction.CREATE, obj=invitation)
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """A new link with a new expiry; the old link stops working at once."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation was already accepted.")
    token, token_hash = _new_token()
    now = timezone.now()
    invitation.token_hash = token_hash
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_DAYS)
    invitation.revoked_at = None
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "revoked_at"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=invitation)
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """The link stops working. The account stays, without a usable password."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation was already accepted; it cannot be revoked.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(actor=by, action=AuditAction.DELETE, obj=invitation)
    return invitation


def invitation_accept(
    *, token: str, password: str, device: TOTPDevice | None = None, code: str = ""
) -> tuple[User, list[str] | None]:
    """Set the chosen password and, where two-factor is required, confirm the authenticator;
    then the link is used up. Returns the person and her new recovery codes (or None).

    The authenticator's code is checked before the transaction (see two_factor_confirm), so a
    wrong one still counts towards the device's throttling.
    """
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        raise InvitationError("This invitation link has expired or was already used.")
    user = invitation.user
    validate_password(password, user)
    if two_factor.is_required_for(user):
        if device is None or device.user_id != user.pk or device.confirmed:
            raise two_factor.TwoFactorError("This set-up has expired. Please start again.")
        if not two_factor.code_matches(device, code):
            raise two_factor.TwoFactorError(
                "That code did not match. Check the time on your phone and retry."
            )
    return _accept(invitation=invitation, password=password, device=device)


@transaction.atomic
def _accept(
    *, invitation: Invitation, password: str, device: TOTPDevice | None
) -> tuple[User, list[str] | None]:
    # Single use, even for two requests at once: only one of them turns accepted_at on.
    used = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(accepted_at=timezone.now())
    if not used:
        raise InvitationError("This invitation link has expired or was already used.")
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    codes = None
    if device is not None and two_factor.is_required_for(user):
        codes = two_factor.confirm_device(user=user, device=device)
    audit.record(actor=user, action=AuditAction.UPDATE, obj=invitation)
    return user, codes
