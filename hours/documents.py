"""The documents a licensing board accepts, made from the ledger's plain data.

Three PDFs and one CSV, each a plain function of `hours.ledger` values: no database, no request,
no settings. They print dates, hours, categories, names and signatures; the ledger holds no
clinical text, and nothing else is printed.

- `verification_pdf`: one supervisor's verification of one period: totals per category and
  her signature.
- `weekly_log_pdf`: the same period entry by entry, Monday to Sunday, with each week's subtotal.
- `unsigned_statement_pdf`: the periods no supervisor has signed, with their entries, for a
  board's process for hours that could not be verified.
- `entries_csv`: every entry, one row each, through the project's one CSV writer.

PDFs are made by fpdf2 in DejaVu Sans, embedded (hours/fonts/, with its licence): the PDF core
fonts only know Latin-1, so "Zoë Ngũgĩ", "Łucja", an em dash or a curly quote would not print.
A character the font lacks (Chinese, say) is printed as U+FFFD, visibly, rather than dropped.

Times print in the time zone they carry (the caller converts them to the zone the reader
expects); hours print to one decimal, rounded half up from the exact minutes, so a subtotal is
the rounding of the exact sum, not the sum of rounded lines.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from hours.ledger import (
    CATEGORY_LABELS,
    Category,
    ClientUnit,
    LedgerEntry,
    PeriodStatement,
    SignatureFacts,
    Source,
    SupervisionKind,
    week_start,
)
from supervision.spreadsheet import SafeWriter

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSans"
MISSING_GLYPH = "\ufffd"

VERIFICATION_TITLE = "Verification of supervised experience"
WEEKLY_LOG_TITLE = "Weekly log of supervised experience"
UNSIGNED_TITLE = "Statement of unsigned periods"

NOT_SIGNED = "Not signed."
STILL_MATCHES = "The entries still match this signature."
CHANGED_SINCE = "The entries have changed since this signature; a new signature is needed."
UNSIGNED_EXPLANATION = (
    "No supervisor has signed the periods below. Each is listed with its entries and totals, "
    "as recorded, for the board's process for hours that a supervisor could not verify."
)

# English month abbreviations, fixed: strftime's %b follows the server's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

SOURCE_LABELS = {
    Source.LOG: "Session log",
    Source.ENTRY: "Hour entry",
    Source.MEETING: "Supervision meeting",
    Source.GROUP: "Group meeting",
}
# A session's modality (cases.Modality) and a meeting's mode (supervision.MeetingMode) share
# their codes and words.
MODALITY_LABELS = {
    "in_person": "In person",
    "video": "Video",
    "telephone": "Telephone",
    "other": "Other",
}
# The words of cases.ClientUnit, whose values hours.ledger.ClientUnit mirrors.
CLIENT_UNIT_LABELS = {
    ClientUnit.INDIVIDUAL: "Individual",
    ClientUnit.COUPLE: "Couple",
    ClientUnit.FAMILY: "Family",
    ClientUnit.GROUP: "Group",
    ClientUnit.CHILD: "Child or adolescent",
}
SUPERVISION_KIND_LABELS = {
    SupervisionKind.INDIVIDUAL: "Individual",
    SupervisionKind.TRIADIC: "Triadic",
    SupervisionKind.GROUP: "Group",
}
CATEGORY_ORDER: dict[str, int] = {str(c): i for i, c in enumerate(CATEGORY_LABELS)}

CSV_HEADER = (
    "Date",
    "Category",
    "Hours",
    "Minutes",
    "Source",
    "Modality",
    "Client unit",
    "Simulated session",
    "Supervision kind",
    "Group size",
    "Observed session",
    "Mode",
)


# Words -------------------------------------------------------------------------------------


def day_label(day: datetime.date) -> str:
    """2 Nov 2026"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def dates_label(start: datetime.date, end: datetime.date) -> str:
    return f"{day_label(start)} – {day_label(end)}"


def moment_label(moment: datetime.datetime) -> str:
    """2 Nov 2026, 14:05 UTC (the zone's name when the time carries one)."""
    label = f"{day_label(moment.date())}, {moment:%H:%M}"
    zone = moment.tzname()
    return f"{label} {zone}" if zone else label


def hours_label(minutes: int) -> str:
    """750 -> "12.5 h"; 45 -> "0.8 h" (half up, from the exact minutes)."""
    if minutes < 0:
        hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{hours} h"
    # Tenths of an hour are minutes / 6, rounded half up: in whole numbers, without the
    # Decimal arithmetic (a page prints this on every row).
    tenths = (minutes + 3) // 6
    return f"{tenths // 10}.{tenths % 10} h"


def _words(labels: dict[Any, str], code: str) -> str:
    # An unknown code prints as it is: a board document should show what was recorded rather
    # than hide it.
    return labels.get(code, code)


def category_label(code: str) -> str:
    return _words(CATEGORY_LABELS, code)


def entry_details(entry: LedgerEntry) -> str:
    """What kind of hour it was, in words: "Couple, video, simulated session"."""
    if entry.category == Category.DIRECT:
        parts = [
            _words(CLIENT_UNIT_LABELS, entry.client_unit),
            _words(MODALITY_LABELS, entry.modality).lower(),
            "simulated session" if entry.simulated else "",
        ]
    elif entry.category == Category.SUPERVISION:
        kind = _words(SUPERVISION_KIND_LABELS, entry.supervision_kind)
        parts = [
            f"{kind} supervision" if kind else "",
            f"{entry.group_size} supervisees present" if entry.group_size > 1 else "",
            _words(MODALITY_LABELS, entry.mode).lower(),
            "session observed" if entry.observed_session else "",
        ]
    else:
        parts = []
    text = ", ".join(part for part in parts if part)
    return text[:1].upper() + text[1:]


def _sorted(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    return sorted(
        entries,
        key=lambda e: (e.date, CATEGORY_ORDER.get(e.category, 99), e.source, e.source_id),
    )


# The PDF -----------------------------------------------------------------------------------

BODY_SIZE = 10
SMALL_SIZE = 8.5
LINE = 5.5
BOLD = FontFace(emphasis="BOLD")


class _Document(FPDF):
    """An A4 page in DejaVu Sans with page numbers; every text goes through `printable`."""

    def __init__(self, *, title: str, generated_at: datetime.datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=16)
        self.add_font(FONT_FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT_FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        regular, bold = (self.fonts[FONT_FAMILY.lower() + s] for s in ("", "B"))
        self._glyphs = set(regular.cmap) & set(bold.cmap)  # type: ignore[union-attr]
        # Metadata: the title and when, nothing about who made it or on what machine.
        self.set_title(self.printable(title))
        self.set_lang("en-GB")
        self.set_creator("Good Enough")
        self.set_producer("Good Enough")
        self.set_creation_date(generated_at)
        self.add_page()

    def printable(self, text: str) -> str:
        # NFC first, so "ĩ" typed as i + combining tilde uses the font's own "ĩ".
        text = unicodedata.normalize("NFC", text)
        return "".join(
            ch if ch == "\n" or ord(ch) in self._glyphs else " " if ch.isspace() else MISSING_GLYPH
            for ch in text
        )

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    # Building blocks.

    def title_line(self, text: str) -> None:
        self.set_font(FONT_FAMILY, "B", 16)
        self.multi_cell(0, 8, self.printable(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def heading(self, text: str, *, size: float = 12, rule: bool = False) -> None:
        self.ln(3)
        if rule:  # a line above: where one period of several begins
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)
        self.set_font(FONT_FAMILY, "B", size)
        self.multi_cell(0, 7, self.printable(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def field(self, label: str, value: str) -> None:
        self.set_font(FONT_FAMILY, "B", BODY_SIZE)
        label_text = self.printable(label + ": ")
        self.cell(self.get_string_width(label_text), LINE, label_text)
        self.set_font(FONT_FAMILY, "", BODY_SIZE)
        self.multi_cell(0, LINE, self.printable(value), align="L", new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, *, size: float = BODY_SIZE) -> None:
        self.set_font(FONT_FAMILY, "", size)
        self.multi_cell(0, LINE, self.printable(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def bullet(self, text: str, *, size: float = BODY_SIZE) -> None:
        self.set_font(FONT_FAMILY, "", size)
        self.cell(5, LINE, "•")
        self.multi_cell(0, LINE, self.printable(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def keep_together(self, lines: int) -> None:
        """Start a new page unless about `lines` lines still fit on this one, so that a heading
        is not left alone at the foot of a page, nor a short table split from its heading."""
        if self.get_y() + lines * LINE + 10 > self.page_break_trigger:
            self.add_page()

    def table_of(
        self,
        headings: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        col_widths: Sequence[float],
        bold_last_row: bool = False,
    ) -> None:
        """A table with a heading row (repeated on a new page); the last column, the hours, is
        aligned right."""
        self.set_font(FONT_FAMILY, "", BODY_SIZE - 1)
        align = ["LEFT"] * (len(headings) - 1) + ["RIGHT"]
        body = list(rows)
        with self.table(
            col_widths=tuple(col_widths),
            text_align=tuple(align),
            borders_layout="HORIZONTAL_LINES",
            headings_style=BOLD,
            line_height=LINE,
            width=self.epw,
        ) as table:
            table.row([self.printable(h) for h in headings])
            for i, cells in enumerate(body):
                last = bold_last_row and i == len(body) - 1
                table.row([self.printable(c) for c in cells], style=BOLD if last else None)
        self.ln(2)

    def done(self) -> bytes:
        return bytes(self.output())


def _header(pdf: _Document, title: str, statement: PeriodStatement) -> None:
    pdf.title_line(title)
    pdf.field("Supervisee", statement.supervisee_name)
    if statement.supervisor_name:
        pdf.field("Supervisor", statement.supervisor_name)
    pdf.field("Rule set", statement.rule_set_name)
    pdf.field("Period", f"{statement.label} ({dates_label(statement.start, statement.end)})")


def _totals(pdf: _Document, statement: PeriodStatement) -> None:
    pdf.keep_together(len(statement.totals) + 1)
    pdf.heading("Totals")
    pdf.table_of(
        ("Category", "Hours"),
        [(label, hours_label(minutes)) for label, minutes in statement.totals],
        col_widths=(3, 1),
    )


def _entries_table(pdf: _Document, entries: Sequence[LedgerEntry], *, subtotal: str = "") -> None:
    rows = [
        (day_label(e.date), category_label(e.category), entry_details(e), hours_label(e.minutes))
        for e in _sorted(entries)
    ]
    if not rows:
        rows.append(("No entries", "", "", ""))
    if subtotal:
        total = sum(e.minutes for e in entries)
        rows.append((subtotal, "", "", hours_label(total)))
    pdf.table_of(
        ("Date", "Category", "Details", "Hours"),
        rows,
        col_widths=(22, 34, 64, 16),
        bold_last_row=bool(subtotal),
    )


def _signature_line(signature: SignatureFacts) -> str:
    return (
        f"{signature.supervisor_name}, licence {signature.licence_number} "
        f"({signature.jurisdiction}), signed {moment_label(signature.signed_at)}; "
        f"SHA-256 {signature.sha256}"
    )


def _signature(pdf: _Document, statement: PeriodStatement) -> None:
    pdf.keep_together(7)
    pdf.heading("Signature")
    signature = statement.signature
    if signature is None:
        pdf.paragraph(NOT_SIGNED)
    else:
        pdf.field("Signed by", signature.supervisor_name)
        pdf.field("Licence number", signature.licence_number)
        pdf.field("Jurisdiction", signature.jurisdiction)
        pdf.field("Signed at", moment_label(signature.signed_at))
        # Small enough that the 64 hex digits stay on one line with their label.
        pdf.paragraph(f"SHA-256 of the period's entries: {signature.sha256}", size=SMALL_SIZE)
        pdf.paragraph(STILL_MATCHES if signature.current else CHANGED_SINCE)
    if statement.history:
        pdf.heading("Earlier signatures")
        for earlier in statement.history:
            pdf.bullet(_signature_line(earlier), size=SMALL_SIZE)


def _closing(pdf: _Document, board_notes: Iterable[str], generated_at: datetime.datetime) -> None:
    notes = list(dict.fromkeys(note for note in board_notes if note))  # each once, in order
    if notes:
        pdf.heading("Check with your board")
        for note in notes:
            pdf.paragraph(note, size=SMALL_SIZE)
    pdf.ln(3)
    pdf.field("Generated at", moment_label(generated_at))


def _metadata_title(title: str, label: str) -> str:
    return f"{title}, {label}" if label else title


# The documents -----------------------------------------------------------------------------


def verification_pdf(statement: PeriodStatement) -> bytes:
    """One supervisor's verification of one period: the totals per category and her signature
    (or "Not signed."), with the earlier signatures of the period."""
    pdf = _Document(
        title=_metadata_title(VERIFICATION_TITLE, statement.label),
        generated_at=statement.generated_at,
    )
    _header(pdf, VERIFICATION_TITLE, statement)
    _totals(pdf, statement)
    _signature(pdf, statement)
    _closing(pdf, [statement.board_note], statement.generated_at)
    return pdf.done()


def weeks_of(statement: PeriodStatement) -> list[tuple[datetime.date, list[LedgerEntry]]]:
    """Every week (its Monday) the period touches, with its entries; an entry outside the
    period still gets its week, so nothing recorded is left out of the log."""
    mondays = {week_start(statement.start)}
    monday = week_start(statement.start)
    while monday + datetime.timedelta(days=7) <= statement.end:
        monday += datetime.timedelta(days=7)
        mondays.add(monday)
    by_week: dict[datetime.date, list[LedgerEntry]] = {m: [] for m in mondays}
    for entry in statement.entries:
        by_week.setdefault(week_start(entry.date), []).append(entry)
    return sorted(by_week.items())


def weekly_log_pdf(statement: PeriodStatement) -> bytes:
    """The period's entries week by week (Monday to Sunday), each week with its subtotal, then
    the period's totals and the signature."""
    pdf = _Document(
        title=_metadata_title(WEEKLY_LOG_TITLE, statement.label),
        generated_at=statement.generated_at,
    )
    _header(pdf, WEEKLY_LOG_TITLE, statement)
    for monday, entries in weeks_of(statement):
        sunday = monday + datetime.timedelta(days=6)
        pdf.keep_together(min(len(entries), 3) + 2)
        pdf.heading(f"Week of {dates_label(monday, sunday)}")
        _entries_table(pdf, entries, subtotal="Week subtotal")
    _totals(pdf, statement)
    _signature(pdf, statement)
    _closing(pdf, [statement.board_note], statement.generated_at)
    return pdf.done()


def unsigned_statement_pdf(
    statements: Sequence[PeriodStatement],
    *,
    supervisee_name: str,
    generated_at: datetime.datetime,
) -> bytes:
    """Her periods that no supervisor has signed (or whose signature no longer matches), each
    with its entries and totals, for a board's process for hours that could not be verified."""
    pdf = _Document(title=UNSIGNED_TITLE, generated_at=generated_at)
    pdf.title_line(UNSIGNED_TITLE)
    pdf.field("Supervisee", supervisee_name)
    pdf.ln(2)
    pdf.paragraph(UNSIGNED_EXPLANATION)
    if not statements:
        pdf.ln(2)
        pdf.paragraph("There are no unsigned periods.")
    for statement in statements:
        pdf.keep_together(min(len(statement.entries), 3) + 5)
        pdf.heading(statement.label, size=14, rule=True)
        pdf.field("Dates", dates_label(statement.start, statement.end))
        pdf.field("Rule set", statement.rule_set_name)
        if statement.supervisor_name:
            pdf.field("Supervisor", statement.supervisor_name)
        pdf.ln(2)
        _entries_table(pdf, statement.entries)
        _totals(pdf, statement)
        _signature(pdf, statement)
    _closing(pdf, [s.board_note for s in statements], generated_at)
    return pdf.done()


# The CSV -----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def entry_row(entry: LedgerEntry) -> list[Any]:
    """One entry as CSV cells: ISO dates (a spreadsheet sorts them), numbers as numbers, codes
    in words; a column that does not apply to the entry's category is left empty."""
    direct = entry.category == Category.DIRECT
    supervision = entry.category == Category.SUPERVISION
    return [
        entry.date.isoformat(),
        category_label(entry.category),
        round(entry.minutes / 60, 2),
        entry.minutes,
        _words(SOURCE_LABELS, entry.source),
        _words(MODALITY_LABELS, entry.modality),
        _words(CLIENT_UNIT_LABELS, entry.client_unit),
        _yes_no(entry.simulated) if direct else "",
        _words(SUPERVISION_KIND_LABELS, entry.supervision_kind),
        entry.group_size if supervision else "",
        _yes_no(entry.observed_session) if supervision else "",
        _words(MODALITY_LABELS, entry.mode),
    ]


def entries_csv(entries: Iterable[LedgerEntry], stream) -> None:
    """Every entry, in the order given, under a header row of human labels, written through
    the project's one CSV writer (no cell can become a spreadsheet formula)."""
    writer = SafeWriter(stream)
    writer.writerow(CSV_HEADER)
    writer.writerows(entry_row(entry) for entry in entries)
