"""A seller's spreadsheet as catalog rows: the file's text, its column names, its cells.

Sellers keep their products in Excel or Google Sheets and save them as CSV, so this reads what
those programs write: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode
Text"), ``,`` ``;`` or tab between cells (Excel in Vietnamese uses ``;``), a ``sep=;`` first line.

Column names are matched through ``catalog_headers.json`` beside this module, a table of the
names sellers write in Vietnamese and English (``Mã SP``, ``Giá bán``, ``Tồn kho``, ``price``),
compared without case, accents or punctuation, so ``GIA KM`` and ``giá_km`` are the sale price. Columns the table does not
know are ignored and listed, so the preview can say so.

Pure: text in, rows out (the alias table is read once). A cell the csv module refuses (longer than its field limit, a stray
quote) is a `CatalogRowInvalid` naming the row, never a crash.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from studio.errors import CatalogError, CatalogRowInvalid

HEADER_ALIASES_FILE = Path(__file__).resolve().with_name("catalog_headers.json")
REQUIRED_COLUMNS = ("sku", "name", "price")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One non-empty line of the sheet: its number as the spreadsheet shows it, its cells."""

    number: int
    cells: dict[str, str]  # canonical column -> stripped text


@dataclass(frozen=True, slots=True)
class Sheet:
    """A spreadsheet read as catalog rows.

    ``headers`` maps each canonical column found to the name the seller wrote (``price`` ->
    ``Giá bán``), so every error names the column as the seller sees it.
    """

    headers: dict[str, str]
    ignored: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def fold_header(text: str) -> str:
    """Return a column name as `HEADER_ALIASES` compares it: ``" Giá_KM "`` -> ``"gia km"``."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return " ".join(re.split(r"[^a-z0-9]+", ascii_only)).strip()


@cache
def header_aliases() -> dict[str, str]:
    """Every known column name, folded (`fold_header`), -> the catalog field it names."""
    table: dict[str, list[str]] = json.loads(HEADER_ALIASES_FILE.read_text(encoding="utf-8"))
    return {
        fold_header(alias): field
        for field, aliases in table.items()
        if not field.startswith("_")
        for alias in aliases
    }


def decode_sheet(raw: bytes, *, name: str) -> str:
    """Return the text of a catalog file saved by a spreadsheet or an editor.

    Args:
        raw: the file's bytes.
        name: the file's name, for the error.

    Returns:
        The text without its byte-order mark (UTF-8 or UTF-16 with a BOM, else UTF-8).

    Raises:
        CatalogError: the bytes are not text in one of those encodings.
    """
    encoding, body = "utf-8", raw
    for bom, bom_encoding in _BOMS:
        if raw.startswith(bom):
            encoding, body = bom_encoding, raw if bom_encoding == "utf-16" else raw[len(bom) :]
            break
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{name}: not UTF-8 text (byte {exc.start})",
            hint="save the spreadsheet as 'CSV UTF-8'",
            params={"file": name},
        ) from None
    return text.removeprefix("\ufeff")


def read_sheet(text: str, *, name: str) -> Sheet:
    """Read CSV text into rows keyed by canonical column.

    Args:
        text: the file's text (see `decode_sheet`).
        name: the file's name, for errors.

    Returns:
        The matched headers, the ignored column names and every non-empty row.

    Raises:
        CatalogError: no header naming a code, a name and a price, or two columns for one field.
        CatalogRowInvalid: a row the csv module cannot read (a cell over its field limit).
    """
    lines = text.removeprefix("\ufeff")
    delimiter = _excel_separator(lines)
    if delimiter is not None:
        lines = lines.split("\n", 1)[1] if "\n" in lines else ""
    else:
        delimiter = _sniff_delimiter(lines)
    reader = csv.reader(io.StringIO(lines, newline=""), delimiter=delimiter)
    header: list[str] = []
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored: tuple[str, ...] = ()
    rows = []
    number = 0
    while True:
        number += 1
        try:
            record = next(reader, None)
        except csv.Error as exc:
            physical = lines.splitlines()[reader.line_num - 1 : reader.line_num]
            column = _longest_cell(physical, delimiter, header)
            raise _unreadable_row(exc, number, column, name) from None
        if record is None:
            break
        if number == 1:
            header = [cell.strip() for cell in record]
            headers, positions, ignored = _match_header(header, name=name)
            continue
        cells = {
            column: record[index].strip() if index < len(record) else ""
            for column, index in positions.items()
        }
        if any(cells.values()):
            rows.append(SheetRow(number, cells))
    if number == 1:
        _match_header([], name=name)
    return Sheet(headers=headers, ignored=ignored, rows=tuple(rows))


def _longest_cell(lines: list[str], delimiter: str, header: list[str]) -> str:
    """The header of the longest cell of a line the csv module refused ("" when unknown)."""
    if not lines or not header:
        return ""
    parts = lines[0].split(delimiter)
    index = max(range(len(parts)), key=lambda i: len(parts[i]))
    return header[index] if index < len(header) else ""


def _unreadable_row(exc: csv.Error, number: int, column: str, name: str) -> CatalogRowInvalid:
    limit = csv.field_size_limit()
    too_long = "field limit" in str(exc)
    reason = f"a cell is longer than {limit:,} characters" if too_long else str(exc)
    where = f"{name}: row {number}" + (f", column {column!r}" if column else "")
    params: dict[str, str | int] = {"file": name, "row": number}
    if column:
        params["column"] = column
    params["problem"] = "field.too_long" if too_long else "csv"
    return CatalogRowInvalid(
        f"{where}: {reason}",
        hint="shorten that cell (photos go in their own files, not in the sheet)"
        if too_long
        else "open the file in a spreadsheet and save it again as CSV UTF-8",
        params=params,
    )


def _match_header(
    header: list[str], *, name: str
) -> tuple[dict[str, str], dict[str, int], tuple[str, ...]]:
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        written = raw.strip()
        column = header_aliases().get(fold_header(written))
        if column is None:
            if written:
                ignored.append(written)
            continue
        if column in headers:
            raise CatalogError(
                f"{name}: columns {headers[column]!r} and {written!r} both mean {column!r}",
                hint="keep one of them, or rename the other",
                params={"file": name, "column": written},
            )
        headers[column] = written
        positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise CatalogError(
            f"{name}: the first row must name the columns (at least sku, name, price); "
            f"missing {', '.join(missing)}",
            hint="name them e.g. 'Mã SP', 'Tên sản phẩm', 'Giá bán' (or sku, name, price)",
            params={"file": name},
        )
    return headers, positions, tuple(ignored)


def _excel_separator(text: str) -> str | None:
    """The separator of an Excel ``sep=;`` first line, if the file starts with one."""
    match = re.match(r"sep=(.)\r?\n", text)
    return match.group(1) if match else None


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
