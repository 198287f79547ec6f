"""Carrier export: GHN's bulk-import columns and plain CSV, UTF-8 with BOM, ready orders only."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from after_live_helpers import move, order_fields, place
from live_helpers import HOST, LiveServer

from livestall.cli.app import main
from server.carriers import CARRIERS, Shipment, export_csv, get_carrier
from studio.errors import InputError

# The header row of GHN's "Tạo đơn Excel" light-goods template (docs/packing.md cites it).
GHN_HEADER = [
    "STT", "Mã đơn hàng của KH", "Mã vận đơn", "Tên người nhận", "SĐT người nhận", "Địa chỉ",
    "Phường xã", "Quận huyện", "Tỉnh thành", "Gói cước", "Yêu cầu đơn hàng", "Khối lượng (g)",
    "Dài (cm)", "Rộng (cm)", "Cao (cm)", "Số tiền thu hộ (COD)", "Có/Không", "Giá trị hàng hóa",
    "Shop trả ship", "Gửi hàng tại bưu cục", "Mã hàng riêng", "Ghi chú thêm", "Ca lấy",
    "Giao thất bại thu tiền",
]  # fmt: skip


def _read(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _shipment(**changes: object) -> Shipment:
    values: dict[str, object] = {
        "code": "LS-0007",
        "state": "cod",
        "buyer": "Nguyễn Văn Bình",
        "phone": "+84 912 345 678",
        "address": "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
        "items": "Cốc sứ (M) x2",
        "total": Decimal(258000),
        "cod_amount": Decimal(258000),
        "currency": "VND",
    }
    values.update(changes)
    return Shipment(**values)  # type: ignore[arg-type]


def test_ghn_columns_and_values() -> None:
    rows = _read(export_csv(get_carrier("GHN"), [_shipment()]))
    assert rows[0] == GHN_HEADER
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["STT"] == "1"
    assert row["Mã đơn hàng của KH"] == "LS-0007"
    assert row["Tên người nhận"] == "Nguyễn Văn Bình"
    assert row["SĐT người nhận"] == "+84 912 345 678"
    assert row["Số tiền thu hộ (COD)"] == "258000"
    assert row["Khối lượng (g)"] == "500"


def test_formula_like_text_is_neutralised() -> None:
    rows = _read(export_csv(CARRIERS["plain"], [_shipment(buyer="=HYPERLINK(1)")]))
    assert rows[1][2] == "'=HYPERLINK(1)"


def test_unknown_carrier_names_the_choices() -> None:
    with pytest.raises(InputError) as caught:
        get_carrier("dhl")
    assert "ghn" in caught.value.hint


def test_export_route_lists_unshipped_ready_orders(live_server: LiveServer) -> None:
    paid = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    shipped = place(live_server, "c2", "chốt SP01", user="u2", name="Minh")
    place(live_server, "c3", "chốt SP01", user="u3", name="Hà")  # accepted: not ready
    assert move(live_server, paid, "paid").status_code == 200
    for state in ("cod", "packed", "shipped"):
        assert move(live_server, shipped, state).status_code == 200

    answer = httpx.get(f"{live_server.url}/api/carriers/ghn.csv", headers=HOST)
    rows = _read(answer.content)
    assert rows[0] == GHN_HEADER
    assert [r[1] for r in rows[1:]] == [order_fields(live_server, paid)[0]]
    assert rows[1][15] == "0"  # paid by transfer: nothing to collect
    plain = _read(httpx.get(f"{live_server.url}/api/carriers/plain.csv", headers=HOST).content)
    assert plain[0][:3] == ["order_code", "state", "buyer"]
    assert httpx.get(f"{live_server.url}/api/carriers/dhl.csv", headers=HOST).status_code == 422


def test_cli_writes_the_ghn_file(live_server: LiveServer, tmp_path: Path) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    assert move(live_server, order_id, "cod").status_code == 200
    out = tmp_path / "ghn.csv"

    db = f"sqlite:///{live_server.db_path}"
    assert main(["live", "ship-export", "--db", db, "--out", str(out), "--weight-g", "800"]) == 0

    rows = _read(out.read_bytes())
    assert rows[0] == GHN_HEADER
    assert (rows[1][1], rows[1][11], rows[1][15]) == (f"LS-{order_id:04d}", "800", "250000")
