"""The content a signature covers, and its SHA-256.

The digest is taken over a canonical JSON rendering of everything the
supervisee wrote (`cases.content`), so the log page can show whether the stored
content still matches what was signed. The rendering must never change for a
log whose content has not: digests stored at sign-off are compared with it for
as long as the log is kept (`tests/cases/test_content.py` pins one).
"""

import datetime
import hashlib
import json
from collections.abc import Iterable

from supervision.catalog import CatalogItem

from .content import CATALOG_FIELDS, LATER_FIELDS, SCALAR_FIELDS, TAG_FIELDS, TAGS
from .models import SessionLog


def _signed_value(value):
    if isinstance(value, CatalogItem):
        return value.slug
    # JSON has no date type; a date has always been signed in ISO 8601.
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def log_signed_content(log: SessionLog, *, related: dict[str, Iterable] | None = None) -> dict:
    """The log's identity and its content: scalars as they are, catalog items by slug and
    sorted, tags as [pattern slug, note] lists, sorted. Tags and catalog items are read
    through `.all()` (free when prefetched), or taken from `related` by name, for a caller
    that holds them before they are saved (the scale seeder)."""
    related = related or {}

    def rows(name: str) -> Iterable:
        return related[name] if name in related else getattr(log, name).all()

    content = {
        name: _signed_value(getattr(log, name))
        for name in SCALAR_FIELDS
        if name not in LATER_FIELDS or getattr(log, name) != LATER_FIELDS[name]
    }
    for name in CATALOG_FIELDS:
        content[name] = sorted(item.slug for item in rows(name))
    content[TAGS] = sorted(
        [_signed_value(getattr(tag, field)) for field in TAG_FIELDS] for tag in rows(TAGS)
    )
    return {"log": log.pk, "author": log.author_id, **content}


def log_digest(log: SessionLog, *, related: dict[str, Iterable] | None = None) -> str:
    content = log_signed_content(log, related=related)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def signature_matches(log: SessionLog, *, related: dict[str, Iterable] | None = None) -> bool:
    return bool(log.signed_sha256) and log_digest(log, related=related) == log.signed_sha256
