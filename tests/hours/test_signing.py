"""The SHA-256 of a period's hours: its rendering must never change for unchanged hours,
since signatures stored years ago are compared with it."""

import datetime

from hours.ledger import LEDGER_ORDER, LedgerEntry
from hours.signing import FIELDS, period_content, period_digest

ENTRIES = [
    LedgerEntry(
        source="log",
        source_id=7,
        date=datetime.date(2026, 10, 5),
        minutes=50,
        category="direct",
        modality="video",
        client_unit="couple",
    ),
    LedgerEntry(
        source="meeting",
        source_id=3,
        date=datetime.date(2026, 10, 8),
        minutes=60,
        category="supervision",
        supervision_kind="triadic",
        group_size=2,
        observed_session=True,
        mode="in_person",
        supervisor_id=12,
    ),
    LedgerEntry(
        source="entry",
        source_id=9,
        date=datetime.date(2026, 10, 1),
        minutes=120,
        category="training",
    ),
]
OCTOBER = {"starts_on": datetime.date(2026, 10, 1), "ends_on": datetime.date(2026, 10, 31)}


def test_the_digest_of_a_period_never_changes():
    # Taken when signatures began (with dataclasses.asdict); a change of rendering would make
    # every stored signature read "changed since it was signed".
    assert (
        period_digest(supervisee_id=4, entries=ENTRIES, **OCTOBER)
        == "968a8d020e9532498fe8c0130960af56e0127906f25b8ddc4d378b302e40f4f3"
    )


def test_the_ledgers_order_reads_the_date_source_and_id():
    # LEDGER_ORDER reads fields by position: moving a field of LedgerEntry must not change it.
    entry = ENTRIES[0]
    assert LEDGER_ORDER(entry) == (entry.date, entry.source, entry.source_id)


def test_every_field_of_an_entry_is_signed():
    content = period_content(supervisee_id=4, entries=ENTRIES, **OCTOBER)
    assert set(FIELDS) == set(LedgerEntry._fields)
    assert all(set(row) == set(FIELDS) for row in content["entries"])


def test_order_does_not_matter_and_any_change_does():
    digest = period_digest(supervisee_id=4, entries=ENTRIES, **OCTOBER)
    assert period_digest(supervisee_id=4, entries=ENTRIES[::-1], **OCTOBER) == digest
    for name, value in [("minutes", 51), ("client_unit", "family"), ("simulated", True)]:
        changed = [ENTRIES[0]._replace(**{name: value}), *ENTRIES[1:]]
        assert period_digest(supervisee_id=4, entries=changed, **OCTOBER) != digest
    assert period_digest(supervisee_id=5, entries=ENTRIES, **OCTOBER) != digest
