"""`livestall pay qr` and `livestall pay match`: run the CLI, then open what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from livestall.cli.app import main
from server.payments.vietqr import parse_vietqr

DATA = Path(__file__).parents[1] / "server" / "payments" / "data"


def _decode(path: Path) -> str:
    pixels = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    assert pixels is not None
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(pixels)
    assert points is not None
    return str(text)


def test_qr_writes_png_and_prints_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "qr.png"
    args = [
        "pay",
        "qr",
        "--bin",
        "970415",
        "--account",
        "0011001932418",
        "--amount",
        "120.000",
        "--memo",
        "ủng hộ lũ lụt",
        "--name",
        "QUỸ VẮC XIN",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    payload = captured.out.strip()
    # subiz/vietqr README: the same transfer, byte for byte.
    assert payload == (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C"
    )
    assert _decode(out) == payload
    assert "ung ho lu lut" in captured.err


def test_qr_accepts_a_bank_name_and_no_amount(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "static.png"
    assert main(["pay", "qr", "--bin", "VCB", "--account", "1012345678", "--out", str(out)]) == 0
    qr = parse_vietqr(capsys.readouterr().out.strip())
    assert (qr.bin, qr.amount, qr.is_dynamic) == ("970436", None, False)


def test_qr_with_a_bad_account_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "pay",
            "qr",
            "--bin",
            "970436",
            "--account",
            "12-34",
            "--amount",
            "1000",
            "--out",
            str(tmp_path / "x.png"),
        ]
    )
    assert code == 2
    assert "payment.field" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_match_json_reports_paid_review_and_unmatched(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "pay",
        "match",
        str(DATA / "vietcombank_30.csv"),
        "--orders",
        str(DATA / "orders_30.csv"),
        "--json",
    ]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["layout"] == "vietcombank"
    assert [m["orders"][0] for m in result["paid"]] == [f"LS-{i:04d}" for i in range(1, 23)]
    assert sorted(m["outcome"] for m in result["review"]) == [
        "ambiguous",
        "overpaid",
        "overpaid",
        "partial",
    ]
    assert len(result["unmatched"]) == 3
    assert result["duplicate_rows"] == 1
    assert result["money_out"] == 2


def test_match_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "pay",
        "match",
        str(DATA / "vietcombank_30.csv"),
        "--orders",
        str(DATA / "orders_30.csv"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "22 paid" in out
    assert "4 to decide" in out


def test_match_with_a_broken_orders_file_names_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("code,total\nLS-0001,107000\nLS-0002,một trăm\n", encoding="utf-8")
    code = main(["pay", "match", str(DATA / "vietcombank_30.csv"), "--orders", str(orders)])
    assert code == 2
    assert "orders.csv row 3 total" in capsys.readouterr().err
