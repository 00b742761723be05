"""Dashboard aggregates, cached under a key that changes whenever their data does.

Every write of clinical material records an audit row naming whose work it is, in the
same transaction as the write (supervision/audit.py), and audit rows are append-only.
So the newest of those rows (views left out) for each person a dashboard covers moves on
with every log written, submitted, returned, signed, trashed, restored or erased, every
reply, answer and comment. The sum of their ids is part of the cache key, together with the
people themselves, the day, the window and whatever else the caller passes: a stale
entry is never read, it just expires (DASHBOARD_CACHE_SECONDS). This holds with any cache
backend, a per-process locmem one included, and needs no invalidation code in the
services. Only counts and catalog names are cached, never note text.
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery

from supervision.compiled import FixedQuery
from supervision.models import AuditAction, AuditEvent, User

T = TypeVar("T")
# The version names the shape of what is cached: a new shape must not read an old entry
# left in a shared cache (Redis) by the code before it.
PREFIX = "dashboards:v3:"


def work_stamp(owner_ids: Iterable[int]) -> int:
    """A number that grows with every change (audit row other than a view) to the work of
    these people: the sum of each one's newest change id (`newest_changes`). Ids only grow
    and audit rows are never removed, so the sum never comes back to an earlier value."""
    return sum(newest_changes(owner_ids).values())


def newest_changes(owner_ids: Iterable[int]) -> dict[int, int]:
    """Each person's newest change: the id of her newest audit row other than a view (0 for
    someone with none). It moves on with every change to her work, and to her hours
    (hours.selectors keys each person's periods with hours by it).

    One index probe per person (the partial index on owner and id that leaves views out),
    so it costs the same with three years of history as with a week: counting the rows,
    as this did before, read every one of them. Every dashboard asks it on every visit, so
    the query is compiled once per process for each size of group of people (padded with
    0, which is nobody: `_STAMP_SIZES`)."""
    ids = sorted(set(owner_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), _STAMP_SIZES[-1]):
        chunk = ids[start : start + _STAMP_SIZES[-1]]
        size = next(n for n in _STAMP_SIZES if n >= len(chunk))
        padded = chunk + [0] * (size - len(chunk))
        for pk, newest in _newest_changes(size).rows(owners=padded):
            found[pk] = newest or 0
    # Someone who is no longer there (erased) has no row: nothing of hers changes again.
    return {pk: found.get(pk, 0) for pk in ids}


# A dashboard covers one person, her supervisees or a group: a few sizes of query cover all.
_STAMP_SIZES = (1, 4, 16, 64, 256)


@functools.cache
def _newest_changes(size: int) -> FixedQuery:
    """Each of `size` people's id and newest change id (None for someone with none)."""

    def build(owners: list[int]):
        newest = (
            AuditEvent.objects.filter(owner_id=OuterRef("pk"))
            .exclude(action=AuditAction.VIEW)
            .order_by("-pk")
            .values("pk")[:1]
        )
        return User.objects.filter(pk__in=owners).values_list("pk", Subquery(newest))

    return FixedQuery(build, owners=(int, size))


def figures_key(name: str, *, owners: Iterable[int], key: Iterable) -> str | None:
    """The cache key of a dashboard's figures for these people as their work stands now,
    with whatever else the figures depend on (`key`); None when caching is turned off.
    Pages also draw those figures once under it (templates, `drawn_once`: config.jinja2)."""
    if not getattr(settings, "DASHBOARD_CACHE_SECONDS", 0):
        return None
    owners = sorted(set(owners))
    raw = json.dumps([name, owners, work_stamp(owners), *key], default=str)
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cached_aggregate(cache_key: str | None, compute: Callable[[], T]) -> T:
    """`compute()`, or its cached result under `cache_key` (from `figures_key`)."""
    if cache_key is None:
        return compute()
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, settings.DASHBOARD_CACHE_SECONDS)
    return value
