"""CSV for spreadsheets: the one writer every CSV download uses.

A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return) as a formula, so a display name such as `=HYPERLINK(...)` would run in the
reader's spreadsheet. Every text cell that begins with one of them is written with a single
quote in front (OWASP's advice), which spreadsheets show as text. Numbers are not text: an
int or float (a negative mean, say) is written as the number it is and stays a number; only
strings are changed.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write: None as empty, text that could be a formula quoted, the rest as is."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows pass through safe_cell."""

    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream) -> SafeWriter:
    return SafeWriter(stream)
