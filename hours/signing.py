"""What a period's signature covers, and its SHA-256.

The digest is taken over a canonical JSON rendering of the period's ledger entries (every
field of `LedgerEntry`, sorted), the supervisee and the period's dates. Any change to an
hour in the period (a log's duration, a meeting's length, an entry added or removed) gives
another digest, so the page can say that a signature no longer matches and a new one is
needed. The rendering must never change for entries that have not: stored digests are
compared with it for as long as the signature is kept (`tests/hours/test_signing.py` pins
one).
"""

import datetime
import hashlib
import json
from collections.abc import Iterable

from .ledger import LedgerEntry

FIELDS = LedgerEntry._fields


def period_content(
    *,
    supervisee_id: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    entries: Iterable[LedgerEntry],
) -> dict:
    # Every field by name, as dataclasses.asdict gave them when LedgerEntry was a dataclass
    # (all plain values): a supervisor's list of periods reads thousands of entries.
    rows = []
    for entry in entries:
        row = dict(zip(FIELDS, entry, strict=True))
        row["date"] = entry.date.isoformat()
        rows.append(row)
    rows.sort(key=lambda r: (r["date"], r["source"], r["source_id"]))
    return {
        "supervisee": supervisee_id,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "entries": rows,
    }


def period_digest(
    *,
    supervisee_id: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    entries: Iterable[LedgerEntry],
) -> str:
    content = period_content(
        supervisee_id=supervisee_id, starts_on=starts_on, ends_on=ends_on, entries=entries
    )
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
