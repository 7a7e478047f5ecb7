"""The one place where an export writes a cell: text that a spreadsheet would run is written inert.

A partner's name, a team's name or a label is typed by people; one that starts with `=`, `+`, `-`, `@`,
a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` can
send the sheet's contents to another site when clicked). Every CSV and XLSX writer of the project goes
through `csv_writer` and `xlsx_cell`, and tests/test_export_cells.py fails on a writer that does not.

- CSV (the OWASP rule): such text gets a leading apostrophe, so it is shown, not run.
- XLSX: a string is always stored as a string cell (openpyxl would otherwise store text starting with
  `=` as a formula); it needs no apostrophe, because a string cell is never evaluated.
Real numbers stay numbers: ints, floats, decimals and fractions are written as they are, and so is text
that is only a number ("-3", "+12.5", "-40%"), which a spreadsheet reads as that number, not a formula.
"""

import csv
import re
from decimal import Decimal
from fractions import Fraction

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")
NUMBERS = (int, float, Decimal, Fraction)


def inert_text(value: str) -> str:
    """`value`, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_cell(value):
    """A value as a CSV cell: numbers as they are, None as empty, text made inert."""
    if value is None:
        return ""
    if isinstance(value, (bool, *NUMBERS)):
        return value
    # A bare carriage return is a line break to a reader but is not quoted by a writer ending lines
    # with "\n", so it would split the row: it is written as the line break it means.
    return inert_text(str(value)).replace("\r\n", "\n").replace("\r", "\n")


class _InertWriter:
    """csv.writer, with every cell passed through `csv_cell`."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options) -> _InertWriter:
    """A CSV writer whose cells cannot run as formulas (the options are csv.writer's)."""
    return _InertWriter(out, **options)


def xlsx_cell(sheet, *, row: int, column: int, value):
    """Write one XLSX cell: numbers as numbers, everything else as a string cell, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if value is None or isinstance(value, (bool, *NUMBERS)):
        cell.value = float(value) if isinstance(value, Fraction) else value
    else:
        # Control characters XML cannot hold would stop the whole file being written: they are dropped.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # openpyxl marks text starting with "=" as a formula ("f"): never here
    return cell
