"""Packing slips as HTML: one order per printed page, A6 label or A5 slip.

The page carries what a packer and a courier need: the order code (text and QR, so a phone or a
scanner finds the order), the amount to collect (COD) in large type right under it, then buyer
name, phone and address and the items. Each slip is clipped to its sheet, so an overlong
address can hide the end of the item list but never the code or the amount. The print stylesheet sets the paper with ``@page`` so the browser's print
dialog and headless Chromium's ``--print-to-pdf`` both produce one sheet per order.

Pure: values in, an HTML string out. Fonts are passed in as URLs (file URLs for the PDF,
nothing for the browser preview, which falls back to the system's sans-serif).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import segno

from studio.money import format_price

Paper = Literal["a6", "a5"]

PAPER_SIZES: dict[str, tuple[int, int]] = {"a6": (105, 148), "a5": (148, 210)}
"""Width and height in millimetres (ISO 216)."""

MARGIN_MM = 5
# Each slip is clipped to one sheet: a very long address must not push the next order's
# label onto the back of this one.

LABELS: dict[str, str] = {
    "to": "Người nhận / To",
    "phone": "SĐT / Phone",
    "address": "Địa chỉ / Address",
    "items": "Hàng / Items",
    "cod": "Thu hộ (COD)",
    "paid": "Đã thanh toán / Paid",
    "total": "Tổng / Total",
}


@dataclass(frozen=True, slots=True)
class SlipItem:
    """One line of the slip: product, variant and quantity."""

    name: str
    variant: str
    quantity: int


@dataclass(frozen=True, slots=True)
class SlipOrder:
    """Everything printed for one order.

    Attributes:
        code: the order code ("LS-0042"), printed and encoded in the QR.
        buyer: the buyer's name as it should be written on the parcel.
        phone: the buyer's phone, "" when unknown.
        address: the delivery address, "" when unknown.
        items: what goes in the parcel.
        total: the order total.
        cod_amount: what the courier collects (0 when paid by transfer).
        currency: ISO 4217 code.
    """

    code: str
    buyer: str
    phone: str
    address: str
    items: tuple[SlipItem, ...]
    total: Decimal
    cod_amount: Decimal
    currency: str


def _qr_svg(text: str) -> str:
    # Inline SVG: no file or network fetch, crisp at any print resolution.
    svg: str = segno.make(text, error="m", micro=False).svg_inline(scale=4, border=2)
    return svg


def _font_faces(font_urls: Sequence[str]) -> str:
    rules = [
        f"@font-face {{ font-family: 'SlipSans'; src: url('{html.escape(url)}'); }}"
        for url in font_urls
    ]
    return "\n".join(rules)


def _stylesheet(paper: Paper, font_urls: Sequence[str]) -> str:
    width_mm, height_mm = PAPER_SIZES[paper]
    big = "14pt" if paper == "a6" else "18pt"
    return f"""{_font_faces(font_urls)}
@page {{ size: {width_mm}mm {height_mm}mm; margin: {MARGIN_MM}mm; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: 'SlipSans', 'Noto Sans', sans-serif; font-size: 9pt; }}
.slip {{ break-after: page; page-break-after: always; padding: 1mm;
         height: {height_mm - 2 * MARGIN_MM}mm; overflow: hidden; }}
.slip:last-child {{ break-after: auto; page-break-after: auto; }}
.head {{ display: flex; justify-content: space-between; align-items: center; gap: 3mm; }}
.code {{ font-size: {big}; font-weight: bold; letter-spacing: 0.5pt; }}
.qr svg {{ width: 24mm; height: 24mm; }}
.label {{ color: #444; font-size: 7pt; text-transform: uppercase; margin-top: 2mm; }}
.value {{ font-size: 10pt; }}
.buyer {{ font-size: {big}; font-weight: bold; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 1mm; }}
td {{ border-top: 0.2mm solid #999; padding: 0.8mm 0; vertical-align: top; }}
td.qty {{ text-align: right; white-space: nowrap; width: 12mm; }}
.cod {{ margin-top: 2mm; border: 0.6mm solid #000; padding: 2mm; font-size: {big};
        font-weight: bold; text-align: center; }}
@media screen {{ .slip {{ width: {width_mm}mm; height: auto; min-height: {height_mm}mm; margin: 4mm auto;
                          border: 1px dashed #aaa; padding: 5mm; }} }}
"""


def _slip(order: SlipOrder) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(item.name)}"
        + (f" <small>({esc(item.variant)})</small>" if item.variant else "")
        + f"</td><td class='qty'>× {item.quantity}</td></tr>"
        for item in order.items
    )
    if order.cod_amount > 0:
        money = f"{LABELS['cod']}: {esc(format_price(order.cod_amount, order.currency, 'vi'))}"
    else:
        money = f"{LABELS['paid']} · {LABELS['total']}: "
        money += esc(format_price(order.total, order.currency, "vi"))
    return f"""<section class="slip">
<div class="head"><div class="code">{esc(order.code)}</div>
<div class="qr" aria-label="{esc(order.code)}">{_qr_svg(order.code)}</div></div>
<div class="cod">{money}</div>
<div class="label">{LABELS["to"]}</div><div class="buyer" dir="auto">{esc(order.buyer)}</div>
<div class="label">{LABELS["phone"]}</div><div class="value">{esc(order.phone or "—")}</div>
<div class="label">{LABELS["address"]}</div>
<div class="value" dir="auto">{esc(order.address or "—")}</div>
<div class="label">{LABELS["items"]}</div><table>{rows}</table>
</section>"""


def render_slips(
    orders: Sequence[SlipOrder], *, paper: Paper = "a6", font_urls: Sequence[str] = ()
) -> str:
    """Return one HTML document with a slip per order, each on its own printed page.

    Args:
        orders: the orders to print, in print order.
        paper: "a6" (a 105 × 148 mm shipping label) or "a5" (a 148 × 210 mm packing slip).
        font_urls: font files to embed with ``@font-face`` (Latin + Vietnamese, Arabic).

    Raises:
        ValueError: unknown paper size.
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, got {paper!r}")
    body = "\n".join(_slip(order) for order in orders)
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Phiếu gửi hàng / Packing slips</title>
<style>{_stylesheet(paper, font_urls)}</style></head>
<body>{body}</body></html>
"""
