"""Dashboard aggregates, cached under a key that changes whenever their data does.

Every write of clinical material records an audit row naming whose work it is, in the
same transaction as the write (supervision/audit.py), and audit rows are append-only.
So the number of those rows (views left out) for the people a dashboard covers goes up
with every log written, submitted, returned, signed, trashed, restored or erased, every
reply, answer and comment. That number is part of the cache key, together with the
people themselves, the day, the window and whatever else the caller passes: a stale
entry is never read, it just expires (DASHBOARD_CACHE_SECONDS). This holds with any cache
backend, a per-process locmem one included, and needs no invalidation code in the
services. Only counts and catalog names are cached, never note text.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from supervision.models import AuditAction, AuditEvent

T = TypeVar("T")
PREFIX = "dashboards:v1:"


def work_stamp(owner_ids: Iterable[int]) -> int:
    """How many changes (audit rows other than views) the work of these people has had."""
    ids = sorted(set(owner_ids))
    if not ids:
        return 0
    return AuditEvent.objects.filter(owner_id__in=ids).exclude(action=AuditAction.VIEW).count()


def cached_aggregate(
    name: str, *, owners: Iterable[int], key: Iterable, compute: Callable[[], T]
) -> T:
    """`compute()`, or its cached result for the same people, state of their work and key."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    owners = sorted(set(owners))
    raw = json.dumps([name, owners, work_stamp(owners), *key], default=str)
    cache_key = PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, seconds)
    return value
