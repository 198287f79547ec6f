"""Carrier bulk-import layouts as data, and the CSV writer.

GHN (Giao Hàng Nhanh) takes bulk orders as a spreadsheet on khachhang.ghn.vn ("Tạo đơn Excel",
template ``GHN_FileMauChuyenPhat_HangNhe_2023.xlsx``). Since its move from taodonexcel.ghn.vn the
template has one "Địa chỉ" column holding the whole address instead of street/ward/district
(GHN's help page, cited in docs/packing.md). The column order below is that template's header
row, as read from a public tool that fills it (docs/packing.md names both sources); ward,
district and province stay empty because GHN accepts the full address in "Địa chỉ".

Every file is UTF-8 with a byte-order mark so Excel shows Vietnamese right, and every text cell
goes through `studio.sheets`, so a buyer's name or address that starts like a formula stays text.

Pure: values in, bytes out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from studio.errors import InputError
from studio.sheets import Cell, excel_csv


@dataclass(frozen=True, slots=True)
class Shipment:
    """One parcel to hand to a carrier (one cart: every line a buyer ordered in one live).

    Attributes:
        code: our order code, the carrier's "client order code".
        state: the order state ("paid", "cod", "packed").
        buyer: recipient name.
        phone: recipient phone.
        address: full delivery address.
        items: what is in the parcel, one line ("Cốc sứ (M) x2; Chả mực x1").
        total: value of the goods.
        cod_amount: what the courier collects: what is left to pay (0 when paid).
        currency: ISO 4217 code.
        weight_g: parcel weight in grams (the seller's default until weighed).
    """

    code: str
    state: str
    buyer: str
    phone: str
    address: str
    items: str
    total: Decimal
    cod_amount: Decimal
    currency: str
    weight_g: int = 500


Column = Callable[[int, Shipment], Cell]


@dataclass(frozen=True, slots=True)
class Carrier:
    """A carrier's bulk-import layout: header names, in order, and how to fill each."""

    name: str
    title: str
    columns: tuple[tuple[str, Column], ...]


def _blank(_n: int, _s: Shipment) -> Cell:
    return None


GHN = Carrier(
    name="ghn",
    title="GHN (Giao Hàng Nhanh) — Tạo đơn Excel, hàng nhẹ",
    columns=(
        ("STT", lambda n, _s: n),
        ("Mã đơn hàng của KH", lambda _n, s: s.code),
        ("Mã vận đơn", _blank),
        ("Tên người nhận", lambda _n, s: s.buyer),
        ("SĐT người nhận", lambda _n, s: s.phone),
        ("Địa chỉ", lambda _n, s: s.address),
        ("Phường xã", _blank),
        ("Quận huyện", _blank),
        ("Tỉnh thành", _blank),
        ("Gói cước", _blank),
        ("Yêu cầu đơn hàng", _blank),
        ("Khối lượng (g)", lambda _n, s: s.weight_g),
        ("Dài (cm)", _blank),
        ("Rộng (cm)", _blank),
        ("Cao (cm)", _blank),
        ("Số tiền thu hộ (COD)", lambda _n, s: s.cod_amount),
        ("Có/Không", _blank),
        ("Giá trị hàng hóa", lambda _n, s: s.total),
        ("Shop trả ship", _blank),
        ("Gửi hàng tại bưu cục", _blank),
        ("Mã hàng riêng", _blank),
        ("Ghi chú thêm", lambda _n, s: s.items),
        ("Ca lấy", _blank),
        ("Giao thất bại thu tiền", _blank),
    ),
)

PLAIN = Carrier(
    name="plain",
    title="Plain CSV (any carrier, spreadsheet)",
    columns=(
        ("order_code", lambda _n, s: s.code),
        ("state", lambda _n, s: s.state),
        ("buyer", lambda _n, s: s.buyer),
        ("phone", lambda _n, s: s.phone),
        ("address", lambda _n, s: s.address),
        ("items", lambda _n, s: s.items),
        ("total", lambda _n, s: s.total),
        ("cod_amount", lambda _n, s: s.cod_amount),
        ("currency", lambda _n, s: s.currency),
        ("weight_g", lambda _n, s: s.weight_g),
    ),
)

CARRIERS: dict[str, Carrier] = {c.name: c for c in (GHN, PLAIN)}


def get_carrier(name: str) -> Carrier:
    """Return a carrier layout by name.

    Raises:
        InputError: no such layout; the hint lists them.
    """
    try:
        return CARRIERS[name.lower()]
    except KeyError:
        raise InputError(
            f"no carrier layout {name!r}", hint=f"choose one of {', '.join(CARRIERS)}"
        ) from None


def export_csv(carrier: Carrier, shipments: Sequence[Shipment]) -> bytes:
    """Write the shipments in the carrier's column layout: UTF-8 with BOM, CRLF lines."""
    return excel_csv(
        [name for name, _ in carrier.columns],
        (
            [cell(number, shipment) for _, cell in carrier.columns]
            for number, shipment in enumerate(shipments, start=1)
        ),
    )
