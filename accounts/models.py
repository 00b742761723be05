"""What the idle limit keeps: the text of a form open when it signed her out.

A kept draft is hers alone: no page shows it to anyone else, no share, list or export holds
it. It lives here, on the server, and never in the browser's storage (a shared computer's
next user could read that). It goes when she saves or discards the form, when she is
erased, and `KEPT_DAYS` after it was kept (`manage.py purge_kept_drafts`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

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
