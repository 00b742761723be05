"""Writes about people that other layers need (erasure, log-in)."""

from django.db import transaction
from django.db.models import F

from .models import User


@transaction.atomic
def sessions_end_all(*, user: User) -> None:
    """End every session `user` has open, wherever it is (the current one included).

    Raising `User.session_epoch` changes the session hash (`User.get_session_auth_hash`),
    so every session of that person stops verifying."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
