"""Bank statement import (server/payments/statement.py): layouts, detection, files."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from server.payments.statement import (
    find_header,
    parse_date,
    parse_money,
    parse_rows,
    parse_statement,
    read_statement,
)
from studio.errors import StatementUnreadable

DATA = Path(__file__).parent / "data"
VCB_30 = DATA / "vietcombank_30.csv"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (185000, Decimal(185000)),
        (185000.0, Decimal("185000.0")),
        ("2,277,000", Decimal(2277000)),
        ("2.277.000", Decimal(2277000)),
        ("2,277,000.00", Decimal("2277000.00")),
        ("2.277.000,50", Decimal("2277000.50")),
        ("(150,000)", Decimal(-150000)),
        ("-150000 VND", Decimal(-150000)),
        ("+ 1 234 ₫", Decimal(1234)),
        ("", None),
        (None, None),
        ("-", None),
    ],
)
def test_parse_money_reads_bank_formats(cell: object, expected: Decimal | None) -> None:
    assert parse_money(cell) == expected


def test_parse_money_refuses_text() -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_money("abc")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("24/11/2026", date(2026, 11, 24)),
        ("4/1/2026 14:02:37", date(2026, 1, 4)),
        ("2023-03-25 14:02:37", date(2023, 3, 25)),
        ("31/10/2023\n5243.65937", date(2023, 10, 31)),
        (datetime(2026, 11, 24, 9, 30), date(2026, 11, 24)),
        ("Tổng cộng/Total", None),
        ("31/02/2026", None),
        (None, None),
    ],
)
def test_parse_date_reads_statement_dates(cell: object, expected: date | None) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("header", "layout"),
    [
        (
            [
                "STT/No.",
                "Ngày giao dịch/Transaction Date",
                "Số tham chiếu/Reference No.",
                "Số tiền ghi nợ/Debit",
                "Số tiền ghi có/Credit",
                "Mô tả/Description",
            ],
            "vietcombank",
        ),
        (
            [
                "Ngày KH thực hiện/Requesting date",
                "Ngày giao dịch/Transaction date",
                "Số bút toán/Reference number",
                "Ngân hàng đối tác/Remitter's bank",
                "Diễn giải/Description",
                "Nợ/Debit",
                "Có/Credit",
                "Số dư/Running balance",
            ],
            "techcombank",
        ),
        (
            [
                "STT",
                "Ngày hạch toán\nPosting date",
                "Số bút toán",
                "Phát sinh nợ\nDebit",
                "Phát sinh có\nCredit",
                "Số dư\nBalance",
                "Nội dung\nDescription",
            ],
            "mb",
        ),
        (
            ["STT", "Ngày giao dịch", "Số GD", "Nội dung", "Gửi vào", "Rút ra", "Số dư"],
            "acb",
        ),
        (["Date", "Description", "Amount", "Reference"], "generic"),
        (["ngay giao dich", "so tham chieu", "so tien ghi co", "mo ta"], "vietcombank"),
    ],
)
def test_header_detection_picks_the_banks_layout(header: list[object], layout: str) -> None:
    rows: list[list[object]] = [["SAO KÊ TÀI KHOẢN"], [], header]
    found = find_header(rows)
    assert found is not None
    assert found[0] == 2
    assert found[1].name == layout


def test_unknown_table_is_refused_with_the_file_name() -> None:
    rows: list[list[object]] = [["Tên", "Số lượng"], ["Áo", "2"]]
    with pytest.raises(StatementUnreadable, match="orders.csv: no transaction table"):
        parse_rows(rows, source="orders.csv")


def test_vietcombank_fixture_reads_30_transfers_once_each() -> None:
    statement = read_statement(VCB_30)
    assert statement.layout == "vietcombank"
    incoming = [t for t in statement.transactions if t.amount > 0]
    outgoing = [t for t in statement.transactions if t.amount < 0]
    assert len(incoming) == 29  # 30 transfer rows, one of them repeated by the export
    assert statement.duplicate_rows == 1
    assert [t.amount for t in outgoing] == [Decimal(-11000), Decimal(-3000000)]
    first = statement.transactions[0]
    assert first.id == "vietcombank:5243.10001"
    assert first.posted == date(2026, 11, 24)
    assert first.amount == Decimal(107000)
    assert "LS-0001" in first.memo


def test_reading_twice_gives_the_same_ids() -> None:
    first = [t.id for t in read_statement(VCB_30).transactions]
    assert first == [t.id for t in read_statement(VCB_30).transactions]


def test_rows_without_reference_get_a_content_hash_id() -> None:
    rows: list[list[object]] = [
        ["Date", "Description", "Amount", "Balance"],
        ["24/11/2026", "LS-0001", "107000", "1107000"],
        ["24/11/2026", "LS-0001", "107000", "1214000"],  # same transfer twice, new balance
        ["24/11/2026", "LS-0001", "107000", "1214000"],  # an exported duplicate
    ]
    statement = parse_rows(rows, source="generic.csv")
    assert len(statement.transactions) == 2
    assert statement.duplicate_rows == 1
    assert all(t.id.startswith("generic:row-") for t in statement.transactions)


def test_unreadable_amount_is_reported_and_the_rest_kept() -> None:
    rows: list[list[object]] = [
        ["Date", "Description", "Amount"],
        ["24/11/2026", "LS-0001", "107000"],
        ["24/11/2026", "LS-0002", "mười nghìn"],
    ]
    statement = parse_rows(rows, source="x.csv")
    assert len(statement.transactions) == 1
    assert statement.skipped[0].row == 3
    assert "not an amount" in statement.skipped[0].reason


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: base letter + a separate tone mark."""
    out = b""
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out += (base + tones).encode("cp1258")
    return out


def test_semicolon_csv_in_windows_1258(tmp_path: Path) -> None:
    text = "Ngày giao dịch;Số GD;Nội dung;Gửi vào;Rút ra\n24/11/2026;GD1;LS-0001;107.000;\n"
    path = tmp_path / "acb.csv"
    path.write_bytes(_windows_1258(text))
    statement = read_statement(path)
    assert statement.layout == "acb"
    assert statement.transactions[0].amount == Decimal(107000)
    assert statement.transactions[0].id == "acb:GD1"
    assert statement.transactions[0].memo == "LS-0001"


def test_mb_xlsx_with_preamble(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["NGÂN HÀNG TMCP QUÂN ĐỘI"])
    sheet.append(["SAO KÊ CHI TIẾT TÀI KHOẢN"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Ngày hạch toán\nPosting date",
            "Số bút toán",
            "Phát sinh nợ\nDebit",
            "Phát sinh có\nCredit",
            "Số dư\nBalance",
            "Nội dung\nDescription",
        ]
    )
    sheet.append(
        [1, datetime(2026, 11, 24, 10, 5), "FT2632800001", None, 107000, 1107000, "LS0001"]
    )
    sheet.append([2, datetime(2026, 11, 24, 11, 0), "FT2632800002", 20000, None, 1087000, "phi"])
    path = tmp_path / "mb.xlsx"
    workbook.save(path)
    statement = read_statement(path)
    assert statement.layout == "mb"
    assert [(t.id, t.amount) for t in statement.transactions] == [
        ("mb:FT2632800001", Decimal(107000)),
        ("mb:FT2632800002", Decimal(-20000)),
    ]


def test_forced_layout_and_unknown_layout(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Date,Description,Amount\n24/11/2026,LS-0001,107000\n", encoding="utf-8")
    assert read_statement(path, layout="generic").layout == "generic"
    with pytest.raises(StatementUnreadable, match="no statement layout 'bidv'"):
        read_statement(path, layout="bidv")


@pytest.mark.parametrize(
    "name", ["statement.xls", "statement.pdf", "missing.csv", "broken.xlsx", "folder.csv"]
)
def test_unsupported_or_missing_files_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "folder.csv":
        path.mkdir()
    elif name != "missing.csv":
        path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(StatementUnreadable):
        read_statement(path)


def test_uploaded_bytes_parse_like_the_file() -> None:
    from_bytes = parse_statement(VCB_30.read_bytes(), filename="upload.CSV")
    assert from_bytes.transactions == read_statement(VCB_30).transactions
    assert from_bytes.source == "upload.CSV"


def test_short_csv_keeps_its_first_data_row() -> None:
    data = b"Date,Description,Amount\n24/11/2026,LS-0001,107000\n"
    assert len(parse_statement(data, filename="s.csv").transactions) == 1
