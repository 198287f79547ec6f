"""The buyer's order page ``/o/{public_id}`` and its payment QR, in Vietnamese, English or Arabic.

The page id is ``secrets.token_urlsafe(16)`` (128 random bits), looked up exactly: every id that
is not a cart's — malformed, a neighbour's guessed code, a random string — gets the same 404
page, so nothing tells a guesser how close they came. The page shows one cart (every line the
buyer ordered in one live, one total, one QR of that total), never the buyer's phone or address, and is sent with ``Cache-Control: no-store`` and
``Referrer-Policy: no-referrer``. No login, no script.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from server.api.deps import LiveDep
from server.orders.states import AWAITS_PAYMENT
from server.payments.banks import bank_by_bin
from server.payments.qr_image import qr_png
from server.payments.vietqr import Payee, order_payload
from server.services import carts as cart_service
from server.services.carts import variant_text
from server.store import cart_queries, payment_queries
from server.store.rows import CartView
from studio.money import format_price

router = APIRouter(tags=["buyer"])

PUBLIC_ID_RE = re.compile(r"[A-Za-z0-9_-]{16,32}")
LOCALES = ("vi", "en", "ar")
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
}

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Đơn hàng {code}",
        "item": "Sản phẩm",
        "qty": "SL",
        "total": "Tổng cộng",
        "state": "Trạng thái",
        "pay": "Quét mã QR bằng ứng dụng ngân hàng để thanh toán",
        "bank": "Ngân hàng",
        "account": "Số tài khoản",
        "holder": "Chủ tài khoản",
        "note": "Nội dung chuyển khoản",
        "missing": "Không tìm thấy đơn hàng",
        "missing_hint": "Kiểm tra lại đường dẫn người bán đã gửi.",
        "waiting": "đang chờ hàng",
        "paid_so_far": "Đã nhận",
        "left": "Còn lại",
    },
    "en": {
        "title": "Order {code}",
        "item": "Item",
        "qty": "Qty",
        "total": "Total",
        "state": "Status",
        "pay": "Scan the QR code with your banking app to pay",
        "bank": "Bank",
        "account": "Account number",
        "holder": "Account holder",
        "note": "Transfer note",
        "missing": "Order not found",
        "missing_hint": "Check the link the seller sent you.",
        "waiting": "waiting for stock",
        "paid_so_far": "Received",
        "left": "Left to pay",
    },
    "ar": {
        "title": "الطلب {code}",
        "item": "المنتج",
        "qty": "الكمية",
        "total": "المجموع",
        "state": "الحالة",
        "pay": "امسح رمز QR بتطبيق البنك للدفع",
        "bank": "البنك",
        "account": "رقم الحساب",
        "holder": "صاحب الحساب",
        "note": "ملاحظة التحويل",
        "missing": "الطلب غير موجود",
        "missing_hint": "تحقق من الرابط الذي أرسله البائع.",
        "waiting": "بانتظار المخزون",
        "paid_so_far": "المستلم",
        "left": "المتبقي للدفع",
    },
}

STATE_NAMES: dict[str, dict[str, str]] = {
    "vi": {
        "waitlisted": "Đang chờ hàng",
        "accepted": "Chờ shop xác nhận",
        "confirmed": "Đã xác nhận",
        "paid": "Đã thanh toán",
        "cod": "Thanh toán khi nhận hàng",
        "packed": "Đã đóng gói",
        "shipped": "Đang giao",
        "delivered": "Đã giao",
        "returned": "Hàng bị hoàn",
        "cancelled": "Đã huỷ",
    },
    "en": {
        "waitlisted": "Waiting for stock",
        "accepted": "Waiting for the seller to confirm",
        "confirmed": "Confirmed",
        "paid": "Paid",
        "cod": "Cash on delivery",
        "packed": "Packed",
        "shipped": "Shipped",
        "delivered": "Delivered",
        "returned": "Returned",
        "cancelled": "Cancelled",
    },
    "ar": {
        "waitlisted": "بانتظار المخزون",
        "accepted": "بانتظار تأكيد البائع",
        "confirmed": "تم التأكيد",
        "paid": "مدفوع",
        "cod": "الدفع عند الاستلام",
        "packed": "تم التغليف",
        "shipped": "قيد الشحن",
        "delivered": "تم التسليم",
        "returned": "مُرتجع",
        "cancelled": "ملغى",
    },
}

STYLE = (
    "body{font-family:'Noto Sans',sans-serif;max-width:28rem;margin:1rem auto;padding:0 1rem}"
    "table{width:100%;border-collapse:collapse}td,th{padding:.3rem 0;text-align:start}"
    ".n{text-align:end}.waiting{color:#777}img{width:100%;max-width:18rem;display:block;margin:1rem auto}"
    "dt{color:#555;font-size:.85rem}dd{margin:0 0 .5rem}"
)


def choose_locale(lang: str | None, accept_language: str | None) -> str:
    """Pick vi, en or ar: ``?lang=`` first, then the browser's Accept-Language, else vi."""
    if lang in LOCALES:
        return lang
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LOCALES:
            return tag
    return "vi"


@dataclass(frozen=True, slots=True)
class _PageData:
    cart: CartView
    payee: Payee | None


def _load(conn: Connection, public_id: str) -> _PageData | None:
    if not PUBLIC_ID_RE.fullmatch(public_id):
        return None
    cart = cart_queries.cart_by_public_id(conn, public_id)
    if cart is None or cart.public_id != public_id:
        return None
    return _PageData(cart_service.view(conn, cart), payment_queries.load_payee(conn))


def _payload(data: _PageData) -> str | None:
    cart = data.cart.cart
    if data.payee is None or cart.status not in AWAITS_PAYMENT or cart.status == "cod":
        return None
    if cart.left_to_pay <= 0:
        return None
    return order_payload(data.payee, code=cart.code, total=cart.left_to_pay, currency=cart.currency)


def _not_found(locale: str) -> HTMLResponse:
    text = TEXT[locale]
    body = (
        f"<!doctype html><html lang='{locale}' dir='{'rtl' if locale == 'ar' else 'ltr'}'>"
        f"<head><meta charset='utf-8'><title>{text['missing']}</title></head>"
        f"<body><h1>{text['missing']}</h1><p>{text['missing_hint']}</p></body></html>"
    )
    return HTMLResponse(body, status_code=404, headers=HEADERS)


def _page(data: _PageData, locale: str, public_id: str) -> str:
    esc = html.escape
    text = TEXT[locale]
    cart = data.cart.cart

    def price(amount: Decimal) -> str:
        return esc(format_price(amount, cart.currency, locale))

    rows = []
    for line in data.cart.lines:
        order = line.order
        if order.status == "cancelled":
            continue
        variant = variant_text(order)
        name = esc(line.product_name) + (f" <small>({esc(variant)})</small>" if variant else "")
        if order.status == "waitlisted":
            rows.append(
                f"<tr class='waiting'><td>{name} <small>· {text['waiting']}</small></td>"
                f"<td class='n'>{order.qty}</td><td class='n'></td></tr>"
            )
            continue
        rows.append(
            f"<tr><td>{name}</td><td class='n'>{order.qty}</td>"
            f"<td class='n'>{price(order.total)}</td></tr>"
        )
    parts = [
        f"<h1>{esc(text['title'].format(code=cart.code))}</h1>",
        f"<p>{text['state']}: <strong>{esc(STATE_NAMES[locale].get(cart.status, cart.status))}"
        "</strong></p>",
        f"<table><tr><th>{text['item']}</th><th class='n'>{text['qty']}</th><th></th></tr>",
        *rows,
        f"<tr><th>{text['total']}</th><td></td><th class='n'>{price(cart.total)}</th></tr>",
    ]
    if cart.received > 0:
        parts += [
            f"<tr><td>{text['paid_so_far']}</td><td></td>"
            f"<td class='n'>{price(cart.received)}</td></tr>",
            f"<tr><th>{text['left']}</th><td></td><th class='n'>{price(cart.left_to_pay)}</th></tr>",
        ]
    parts.append("</table>")
    if _payload(data) is not None and data.payee is not None:
        bank = bank_by_bin(data.payee.bin)
        parts += [
            f"<p>{text['pay']}</p>",
            f"<img src='/o/{esc(public_id)}/qr.png' alt='VietQR {esc(cart.code)}'>",
            f"<dl><dt>{text['bank']}</dt><dd>{esc(bank.short_name if bank else data.payee.bin)}"
            f"</dd><dt>{text['account']}</dt><dd dir='ltr'>{esc(data.payee.account)}</dd>"
            f"<dt>{text['holder']}</dt><dd>{esc(data.payee.name)}</dd>"
            f"<dt>{text['note']}</dt><dd dir='ltr'><strong>{esc(cart.code)}</strong></dd></dl>",
        ]
    direction = "rtl" if locale == "ar" else "ltr"
    return (
        f"<!doctype html><html lang='{locale}' dir='{direction}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{esc(text['title'].format(code=cart.code))}</title><style>{STYLE}</style>"
        f"</head><body>{''.join(parts)}</body></html>"
    )


@router.get("/o/{public_id}", response_class=HTMLResponse)
async def order_page(
    public_id: str,
    live: LiveDep,
    lang: str | None = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> HTMLResponse:
    """The buyer's page: every line of the cart, total, status and the payment QR of what is
    left to pay (``?lang=vi|en|ar``)."""
    locale = choose_locale(lang, accept_language)
    data = await live.read(lambda conn: _load(conn, public_id))
    if data is None:
        return _not_found(locale)
    return HTMLResponse(_page(data, locale, public_id), headers=HEADERS)


@router.get("/o/{public_id}/qr.png", response_class=Response)
async def order_qr(public_id: str, live: LiveDep) -> Response:
    """The VietQR image of the cart's total (404 when it is not waiting for a bank transfer)."""
    data = await live.read(lambda conn: _load(conn, public_id))
    payload = _payload(data) if data is not None else None
    if payload is None:
        return Response(b"not found", status_code=404, media_type="text/plain", headers=HEADERS)
    return Response(qr_png(payload), media_type="image/png", headers=HEADERS)
