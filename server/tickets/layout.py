"""What one ticket says: a cart (or the test ticket) as typed lines, in the seller's language.

Pure: built from a `CartView` by `ticket_for_cart`; `render` draws it, `escpos` encodes it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from server.store.rows import LINE_NOT_COUNTED, CartView
from studio.money import format_price

Paper = Literal[58, 80]
TicketLang = Literal["vi", "en", "ar"]
PAPER_DOTS: dict[int, int] = {58: 384, 80: 576}  # printable dots at 203 dpi
PAPERS: tuple[Paper, ...] = (58, 80)
LANGS: tuple[TicketLang, ...] = ("vi", "en", "ar")

LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "total": "Tổng",
        "buyer": "Khách",
        "test": "PHIẾU IN THỬ",
        "scan": "Quét để xem đơn",
        "waiting": "chờ hàng",
        "reprint": "In lại",
    },
    "en": {
        "total": "Total",
        "buyer": "Buyer",
        "test": "TEST TICKET",
        "scan": "Scan for the order",
        "waiting": "waiting",
        "reprint": "Reprint",
    },
    "ar": {
        "total": "المجموع",
        "buyer": "المشتري",
        "test": "تذكرة تجريبية",
        "scan": "امسح لعرض الطلب",
        "waiting": "بانتظار المخزون",
        "reprint": "إعادة طباعة",
    },
}


@dataclass(frozen=True, slots=True)
class TicketLine:
    """One line of the ticket: ``2 × Cốc sứ (M / trắng)`` and its amount."""

    qty: int
    name: str
    amount: str
    is_waiting: bool = False


@dataclass(frozen=True, slots=True)
class Ticket:
    """Everything printed on one ticket, already formatted for its language."""

    code: str
    buyer: str
    when: str
    lines: tuple[TicketLine, ...]
    total: str
    qr_url: str
    lang: TicketLang
    labels: dict[str, str]
    note: str = ""  # "In lại" on a reprint, the test ticket's title


def money_text(amount: Decimal, currency: str, lang: str) -> str:
    """The amount as the seller reads it (``408.000 ₫``), with plain spaces."""
    return format_price(amount, currency, "vi" if lang == "vi" else "en").replace("\xa0", " ")


def ticket_for_cart(
    cart_view: CartView, *, base_url: str, lang: TicketLang = "vi", is_reprint: bool = False
) -> Ticket:
    """The ticket of one cart: code, buyer, lines (waiting ones marked), total, buyer-page QR."""
    cart = cart_view.cart
    labels = LABELS[lang]
    lines = []
    for line in cart_view.lines:
        if line.order.status == "cancelled":
            continue
        variant = " / ".join(p for p in (line.order.size, line.order.color) if p)
        name = f"{line.product_name} ({variant})" if variant else line.product_name
        waiting = line.order.status in LINE_NOT_COUNTED
        lines.append(
            TicketLine(
                qty=line.order.qty,
                name=name,
                amount=money_text(line.order.total, cart.currency, lang),
                is_waiting=waiting,
            )
        )
    return Ticket(
        code=cart.code,
        buyer=cart.buyer_name or cart_view.user_name,
        when=datetime.fromtimestamp(cart.created_at).strftime("%d/%m/%Y %H:%M"),
        lines=tuple(lines),
        total=money_text(cart.total, cart.currency, lang),
        qr_url=f"{base_url.rstrip('/')}/o/{cart.public_id}",
        lang=lang,
        labels=labels,
        note=labels["reprint"] if is_reprint else "",
    )


def sample_ticket(*, base_url: str, lang: TicketLang = "vi", now: float) -> Ticket:
    """The "print a test ticket" ticket: Vietnamese and Arabic samples, a QR of the server."""
    labels = LABELS[lang]
    return Ticket(
        code="TEST",
        buyer="Nguyễn Thị Ánh · محمد",
        when=datetime.fromtimestamp(now).strftime("%d/%m/%Y %H:%M"),
        lines=(
            TicketLine(1, "Áo thun cotton (M / trắng)", money_text(Decimal(150000), "VND", lang)),
            TicketLine(2, "Cốc sứ Bát Tràng", money_text(Decimal(258000), "VND", lang)),
        ),
        total=money_text(Decimal(408000), "VND", lang),
        qr_url=base_url.rstrip("/") + "/viewer",
        lang=lang,
        labels=labels,
        note=labels["test"],
    )


# --- text-only mode: printers without raster get ASCII (no diacritics) ------------------------

_ASCII_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "₫": "d", "×": "x", "·": "-", "…": "..."})


def ascii_text(text: str) -> str:
    """Vietnamese without diacritics (``Cốc sứ`` -> ``Coc su``); other scripts dropped."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return kept.encode("ascii", "ignore").decode("ascii").strip()


def text_lines(ticket: Ticket, width_chars: int) -> list[str]:
    """The ticket as ASCII lines of at most ``width_chars`` (32 on 58 mm, 48 on 80 mm).

    Arabic labels cannot be printed from a code page: the text mode uses the English ones.
    """
    labels = LABELS["en"] if ticket.lang == "ar" else ticket.labels
    out = []
    if ticket.note:
        out.append(ascii_text(labels["test"] if ticket.code == "TEST" else labels["reprint"]))
    out.append(ticket.code)
    out.append(f"{ascii_text(labels['buyer'])}: {ascii_text(ticket.buyer) or '-'}")
    out.append(ticket.when)
    out.append("-" * width_chars)
    for line in ticket.lines:
        amount = ascii_text(line.amount)
        name = f"{line.qty} x {ascii_text(line.name)}"
        if line.is_waiting:
            name += f" ({ascii_text(labels['waiting'])})"
        room = width_chars - len(amount) - 1
        while len(name) > room:
            out.append(name[:room])
            name = "  " + name[room:]
        out.append(name.ljust(room) + " " + amount)
    out.append("-" * width_chars)
    total = ascii_text(ticket.total)
    label = ascii_text(labels["total"])
    out.append(label + " " * max(1, width_chars - len(label) - len(total)) + total)
    return out
