"""Bank statement exports (CSV, XLSX) -> transactions; each bank's column layout is data.

Vietnamese banks export a preamble (bank name, account, period, opening balance) and then a
table whose header names the columns, often in two languages ("Ngày giao dịch/Transaction
date"). We find the header row by matching its cells against each layout in ``LAYOUTS`` and keep
the layout that recognises the most columns. Adding a bank is adding a ``StatementLayout``.

Where each layout comes from is in docs/payments.md ("Statement layouts"); none was checked
against a file exported by the bank itself, so detection is tolerant (diacritics, case,
spacing, either language of a bilingual header) and ``--layout`` can force one.

``parse_rows`` is pure (rows in, ``Statement`` out); ``parse_statement`` (bytes) and
``read_statement`` (a file) are the edges.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook

from server.payments.layouts import LAYOUTS, LAYOUTS_BY_NAME, StatementLayout
from server.payments.transaction import Transaction
from studio.errors import StatementUnreadable

HEADER_SEARCH_ROWS = 40
Cell = object
_FIELDS = ("date", "memo", "credit", "debit", "amount", "reference", "balance")


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A table row that looked like a transaction but could not be read (kept for the report)."""

    row: int  # 1-based, as a spreadsheet shows it
    reason: str


@dataclass(frozen=True, slots=True)
class Statement:
    """What one export contained."""

    source: str
    layout: str
    transactions: tuple[Transaction, ...]
    duplicate_rows: int
    skipped: tuple[SkippedRow, ...]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def _header_names(cell: Cell) -> set[str]:
    text = "" if cell is None else str(cell)
    parts = re.split(r"[/\n|]", text)
    return {_plain(part) for part in [text, *parts]} - {""}


def _map_columns(row: Sequence[Cell], layout: StatementLayout) -> dict[str, int]:
    names = [_header_names(cell) for cell in row]
    columns: dict[str, int] = {}
    for field in _FIELDS:
        aliases = set(getattr(layout, field))
        for index, cell_names in enumerate(names):
            if aliases & cell_names and index not in columns.values():
                columns[field] = index
                break
    return columns


def _is_usable(columns: dict[str, int]) -> bool:
    has_money = "amount" in columns or "credit" in columns
    return "date" in columns and "memo" in columns and has_money


def find_header(
    rows: Sequence[Sequence[Cell]], *, layout: str | None = None
) -> tuple[int, StatementLayout, dict[str, int]] | None:
    """Find the header row and the layout that reads it best.

    Returns:
        (row index, layout, field -> column index), or None when no layout fits.
    """
    candidates = [LAYOUTS_BY_NAME[layout]] if layout else list(LAYOUTS)
    best: tuple[int, StatementLayout, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for candidate in candidates:
            columns = _map_columns(row, candidate)
            if _is_usable(columns) and (best is None or len(columns) > len(best[2])):
                best = (index, candidate, columns)
    return best


_DATE_RES = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), ("y", "m", "d")),
)


def parse_date(cell: Cell) -> date | None:
    """Read a statement date: a spreadsheet date, ``31/10/2023``, ``31-10-2023 14:02`` or ISO."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = "" if cell is None else str(cell)
    for pattern, order in _DATE_RES:
        found = pattern.search(text)
        if found:
            parts = dict(zip(order, (int(g) for g in found.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def parse_money(cell: Cell) -> Decimal | None:
    """Read an amount cell: numbers, ``2,277,000``, ``2.277.000``, ``(150,000)``, ``-150000 VND``.

    Returns None for an empty cell. Raises ValueError for text that is not an amount.
    """
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        return Decimal(str(cell))
    text = re.sub(r"(?i)vnd|đ|₫|\s", "", str(cell))
    if text in ("", "-"):
        return None
    sign = -1 if text.startswith("-") or (text.startswith("(") and text.endswith(")")) else 1
    text = text.strip("()+-")
    if re.fullmatch(r"\d{1,3}([.,])\d{3}(\1\d{3})*", text):
        text = re.sub(r"[.,]", "", text)
    elif "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        return sign * Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{cell!r} is not an amount") from None


def _cell(row: Sequence[Cell], columns: dict[str, int], field: str) -> Cell:
    index = columns.get(field)
    return row[index] if index is not None and index < len(row) else None


def _text(cell: Cell) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def _row_amount(row: Sequence[Cell], columns: dict[str, int]) -> Decimal | None:
    if "amount" in columns:
        return parse_money(_cell(row, columns, "amount"))
    credit = parse_money(_cell(row, columns, "credit"))
    debit = parse_money(_cell(row, columns, "debit"))
    if credit is None and debit is None:
        return None
    # Some exports write debits as negative numbers, others as positive ones: both are out.
    return abs(credit or Decimal(0)) - abs(debit or Decimal(0))


def _transaction_id(layout: str, reference: str, fields: Iterable[str]) -> str:
    if reference:
        return f"{layout}:{reference}"
    digest = hashlib.sha256("|".join(fields).encode("utf-8")).hexdigest()[:20]
    return f"{layout}:row-{digest}"


def parse_rows(
    rows: Sequence[Sequence[Cell]], *, source: str, layout: str | None = None
) -> Statement:
    """Turn a statement table (rows of cells, preamble included) into transactions.

    Rows without a date or without an amount (titles, totals, blank lines) are passed over;
    rows with a date whose amount cannot be read are listed in ``skipped``. A row that repeats
    an earlier one (same id) counts in ``duplicate_rows`` and is kept once.

    Raises:
        StatementUnreadable: when no known layout's header is found.
    """
    found = find_header(rows, layout=layout)
    if found is None:
        known = ", ".join(LAYOUTS_BY_NAME)
        raise StatementUnreadable(
            f"{source}: no transaction table with a known header in the first "
            f"{HEADER_SEARCH_ROWS} rows",
            hint=f"export the statement as XLSX or CSV from the bank; known layouts: {known}",
            params={"file": Path(source).name, "problem": "statement.no_table"},
        )
    header_index, chosen, columns = found
    transactions: dict[str, Transaction] = {}
    duplicates = 0
    skipped: list[SkippedRow] = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        posted = parse_date(_cell(row, columns, "date"))
        if posted is None:
            continue
        try:
            amount = _row_amount(row, columns)
        except ValueError as exc:
            skipped.append(SkippedRow(number, str(exc)))
            continue
        if amount is None or amount == 0:
            continue
        memo = _text(_cell(row, columns, "memo"))
        reference = _text(_cell(row, columns, "reference"))
        balance = _text(_cell(row, columns, "balance"))
        txn_id = _transaction_id(
            chosen.name, reference, (posted.isoformat(), str(amount), memo, balance)
        )
        if txn_id in transactions:
            duplicates += 1
            continue
        transactions[txn_id] = Transaction(
            id=txn_id,
            posted=posted,
            amount=amount,
            memo=memo,
            reference=reference,
            source=chosen.name,
        )
    return Statement(source, chosen.name, tuple(transactions.values()), duplicates, tuple(skipped))


def _decode_csv(data: bytes, *, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            # Windows-1258 writes tone marks as separate characters: compose them back.
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise StatementUnreadable(
        f"{source}: the CSV is neither UTF-8 nor Windows-1258 text",
        hint="export it again as 'CSV UTF-8' or as XLSX",
        params={"file": Path(source).name, "problem": "statement.encoding"},
    )


def csv_rows(data: bytes, *, source: str) -> list[list[Cell]]:
    """Split CSV bytes into rows, guessing the delimiter (comma, semicolon or tab)."""
    text = _decode_csv(data, source=source)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def xlsx_sheets(data: bytes, *, source: str) -> list[list[list[Cell]]]:
    """Return the rows of every sheet of an XLSX workbook (values, not formulas)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise StatementUnreadable(
            f"{source}: cannot open the workbook ({exc})",
            hint="open it in a spreadsheet app and save it as .xlsx or CSV",
            params={"file": Path(source).name, "problem": "statement.workbook"},
        ) from exc
    try:
        return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook]
    finally:
        workbook.close()


def parse_statement(data: bytes, *, filename: str, layout: str | None = None) -> Statement:
    """Read the bytes of a statement export; the file name's extension says CSV or XLSX.

    This is what an upload handler calls (no temporary file needed).

    Raises:
        StatementUnreadable: unsupported format, unreadable workbook or no known header.
    """
    if layout is not None and layout not in LAYOUTS_BY_NAME:
        raise StatementUnreadable(
            f"no statement layout {layout!r}", hint=f"choose one of {', '.join(LAYOUTS_BY_NAME)}"
        )
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return parse_rows(csv_rows(data, source=filename), source=filename, layout=layout)
    if suffix in (".xlsx", ".xlsm"):
        errors: list[StatementUnreadable] = []
        for rows in xlsx_sheets(data, source=filename):
            try:
                return parse_rows(rows, source=filename, layout=layout)
            except StatementUnreadable as exc:
                errors.append(exc)
        if errors:
            raise errors[0]
        raise StatementUnreadable(
            f"{filename}: the workbook is empty",
            params={"file": Path(filename).name, "problem": "statement.empty"},
        )
    raise StatementUnreadable(
        f"{filename}: {suffix or 'no extension'} is not a statement format we read",
        hint="export the statement as .xlsx or .csv (old .xls: open and save as .xlsx)",
        params={"file": Path(filename).name, "problem": "statement.format"},
    )


def read_statement(path: Path, *, layout: str | None = None) -> Statement:
    """Read a bank statement export file (.csv or .xlsx) and return its transactions.

    Args:
        path: the exported file.
        layout: force a layout name from ``LAYOUTS`` instead of detecting it.

    Raises:
        StatementUnreadable: missing file, unsupported format, or no known header.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StatementUnreadable(
            f"{path}: cannot read ({exc.strerror})", hint="check the path"
        ) from exc
    return parse_statement(data, filename=path.name, layout=layout)
