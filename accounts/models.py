"""What the idle limit keeps, invitations, and the codes e-mailed before a first two-factor
set-up.

Kept drafts: the text of a form open when the idle limit signed her out.

A kept draft is hers alone: no page shows it to anyone else, no share, list or export holds
it. It lives here, on the server, and never in the browser's storage (a shared computer's
next user could read that). It goes when she saves or discards the form, when she is
erased, and `KEPT_DAYS` after it was kept (`manage.py purge_kept_drafts`).

Invitations and e-mailed codes: neither table keeps a secret it could give away. The
invitation's token and the e-mailed code are stored only as keyed hashes (`secret_hash`),
so a copy of the database opens no account.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

KEPT_DAYS = 30


class KeptDraft(models.Model):
    """The fields of one form, as they stood when the idle limit ended the session.

    Never checked for identifiers: the form it goes back into checks it before anything is
    saved. One per person, form and object: a newer keep replaces the older one.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kept_drafts"
    )
    # A key registered in accounts.drafts ("log_new", "log_edit", …).
    form = models.CharField(max_length=40)
    # The object the form edits; 0 for a form that makes a new one.
    object_id = models.PositiveIntegerField(default=0)
    # {field name: [values]}: only the form's own fields, never the CSRF token.
    fields = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "form", "object_id"], name="one_kept_draft_per_form"
            )
        ]

    def __str__(self) -> str:
        return f"Kept draft #{self.pk}"


def secret_hash(purpose: str, secret: str) -> str:
    """A keyed hash of a token or code: without SECRET_KEY a stolen row cannot be tried offline."""
    return salted_hmac(f"accounts.{purpose}", secret, algorithm="sha256").hexdigest()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class Invitation(models.Model):
    """A new person's one-time link to choose a password (and set up two-factor where needed).

    One row per person invited; re-sending replaces the token (the old link dies) and the
    expiry. The person's account exists from the start, with an unusable password.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation of {self.user}"

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_usable(self) -> bool:
        """The link still opens: pending, and the account not deactivated meanwhile."""
        return self.status == InvitationStatus.PENDING and self.user.is_active


class EmailCode(models.Model):
    """A short-lived code e-mailed to a person, proving she reads her mail before a first
    two-factor set-up: a password alone must not be enough to enrol an authenticator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"E-mailed code for {self.user_id}"
