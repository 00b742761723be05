"""The audit trail of clinical material: one row per read or write.

Call `record()` inside the same transaction as the write it describes, so an
error between the two leaves neither behind. The client address comes from
the request being served (supervision.middleware.AuditContextMiddleware); outside a request (a
management command) it is empty.
"""

from collections.abc import Iterable
from contextvars import ContextVar, Token

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from . import batches
from .client_ip import client_ip
from .compiled import FixedInsert
from .models import AuditAction, AuditEvent, User

_client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def bind_request(request: HttpRequest) -> Token:
    """Audit rows written while serving `request` record its client address."""
    return _client_ip.set(client_ip(request))


def unbind_request(token: Token) -> None:
    _client_ip.reset(token)


def object_type(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


# Written on every visit of a log page: the INSERT is compiled once (supervision.compiled).
_ROW = FixedInsert(
    AuditEvent, "actor", "at", "action", "object_type", "object_id", "owner", "client_ip"
)


def record(
    *,
    actor: User | None,
    action: AuditAction,
    obj: models.Model,
    owner: User | int | None = None,
) -> None:
    """Write one audit row naming `obj` by type and id (never its text)."""
    _ROW.insert(
        actor=actor.pk if actor is not None and actor.is_authenticated else None,
        at=timezone.now(),
        action=action,
        object_type=object_type(obj),
        object_id=obj.pk,
        owner=owner.pk if isinstance(owner, User) else owner,
        client_ip=_client_ip.get(),
    )


def record_many(
    *,
    actor: User | None,
    action: AuditAction,
    model: type[models.Model],
    objects: Iterable[tuple[int, int | None]],
) -> list[AuditEvent]:
    """One row per (object id, owner id) pair of `model`, in bulk INSERTs of at most
    `batches.BATCH` rows (a query carries at most 65,535 values on PostgreSQL).

    For bulk work such as the nightly purge of old drafts, where the objects are
    gone (or about to be) and only their ids are at hand.
    """
    ip = _client_ip.get()
    rows = [
        AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            object_type=object_type(model),
            object_id=object_id,
            owner_id=owner_id,
            client_ip=ip,
        )
        for object_id, owner_id in objects
    ]
    return AuditEvent.objects.bulk_create(rows, batch_size=batches.BATCH) if rows else []
