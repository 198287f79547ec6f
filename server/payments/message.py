"""The ready-to-send message telling a buyer what they ordered, the total and how to pay.

The seller copies it from the host console into the chat app the buyer used. One template per
language (vi, en, ar) as data; prices through ``studio.money.format_price`` and the deadline
through Babel, both in the buyer's locale. In Arabic every left-to-right value (order code,
account number, link) is wrapped in Unicode isolates (FSI … PDI) so the right-to-left text
around it cannot reorder its characters.

Pure: the clock is not read here; the caller passes the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from babel.dates import format_skeleton, format_time

from studio.money import SUPPORTED_LOCALES, format_price

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"

TEMPLATES: dict[str, dict[str, str]] = {
    "vi": {
        "greeting": "Chào {buyer}! Đơn {code} của bạn:",
        "line": "- {name} x{quantity}: {amount}",
        "total": "Tổng cộng: {total}",
        "bank": "Chuyển khoản: {bank} · STK {account} · {holder}",
        "note": "Nội dung chuyển khoản (ghi đúng): {note}",
        "link": "Quét mã QR hoặc mở: {url}",
        "cod": "Thanh toán khi nhận hàng (COD): {total}",
        "deadline": "Vui lòng thanh toán trước {time}, {date}. Cảm ơn bạn!",
        "cod_deadline": "Vui lòng xác nhận đơn trước {time}, {date}. Cảm ơn bạn!",
        "deposit": "Shop cần bạn chuyển khoản trước khi gửi hàng.",
        "reminder": "Nhắc nhẹ: shop giữ hàng cho đơn {code} đến {time}, {date}. Bạn thanh toán giúp shop nhé!",
        "released": "Đơn {code}: đã hết thời gian giữ hàng nên shop đã nhả các món sau cho khách khác:",
        "released_rest": "Các món còn lại của bạn vẫn được giữ.",
        "released_none": "Nếu bạn vẫn muốn mua, hãy chốt lại trong buổi live nhé!",
    },
    "en": {
        "greeting": "Hi {buyer}! Your order {code}:",
        "line": "- {name} ×{quantity}: {amount}",
        "total": "Total: {total}",
        "bank": "Bank transfer: {bank} · account {account} · {holder}",
        "note": "Transfer note (write exactly): {note}",
        "link": "Scan the QR code or open: {url}",
        "cod": "Cash on delivery: {total}",
        "deadline": "Please pay before {time}, {date}. Thank you!",
        "cod_deadline": "Please confirm your order before {time}, {date}. Thank you!",
        "deposit": "The shop asks you to pay by transfer before the parcel is sent.",
        "reminder": "A reminder: the shop holds order {code} for you until {time}, {date}. Please pay by then!",
        "released": "Order {code}: the hold ran out, so these items went back to other buyers:",
        "released_rest": "Your other items are still held for you.",
        "released_none": "If you still want them, order again during the live!",
    },
    "ar": {
        "greeting": "مرحبًا {buyer}! طلبك {code}:",
        "line": "- {name} × {quantity}: {amount}",
        "total": "المجموع: {total}",
        "bank": "تحويل بنكي: {bank} · الحساب {account} · {holder}",
        "note": "اكتب في ملاحظة التحويل تمامًا: {note}",
        "link": "امسح رمز QR أو افتح: {url}",
        "cod": "الدفع عند الاستلام: {total}",
        "deadline": "يرجى الدفع قبل {time}، {date}. شكرًا لك!",
        "cod_deadline": "يرجى تأكيد طلبك قبل {time}، {date}. شكرًا لك!",
        "deposit": "يطلب المتجر الدفع بالتحويل قبل إرسال الطرد.",
        "reminder": "تذكير: يحجز المتجر طلبك {code} حتى {time}، {date}. يرجى الدفع قبل ذلك!",
        "released": "الطلب {code}: انتهت مدة الحجز، فأُعيدت هذه الأصناف لمشترين آخرين:",
        "released_rest": "ما زالت أصنافك الأخرى محجوزة لك.",
        "released_none": "إن كنت ما زلت تريدها، اطلبها مجددًا أثناء البث!",
    },
}


@dataclass(frozen=True, slots=True)
class MessageLine:
    """One ordered item as the buyer should read it."""

    name: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class BankTransfer:
    """How to pay by bank transfer: shown as text, and as a QR behind ``url`` when there is one.

    Attributes:
        bank: the bank's short name ("Vietcombank").
        account: the account number.
        holder: the account holder's name.
        note: what the buyer must write in the transfer note (the order code).
        url: the order page with the QR code (``/o/<id>``), or "".
    """

    bank: str
    account: str
    holder: str
    note: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class BuyerOrder:
    """The order as the message shows it."""

    code: str
    buyer: str
    lines: tuple[MessageLine, ...]
    total: Decimal
    currency: str


def _isolate(text: str, locale: str) -> str:
    if locale != "ar":
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def buyer_message(
    order: BuyerOrder,
    payment: BankTransfer | None,
    *,
    deadline: datetime,
    locale: str = "vi",
    deposit: bool = False,
) -> str:
    """Write the message for one buyer (one cart: every line, one total, one code).

    Args:
        order: code, buyer's name, lines, total and currency.
        payment: bank-transfer details, or None for cash on delivery.
        deadline: when the order is released if unpaid (local time of the seller).
        locale: "vi", "en" or "ar".
        deposit: the seller asks this buyer for a transfer before shipping (buyer book flag):
            one more line says so, just before the bank details.

    Returns:
        Plain text, one item per line, ready to paste into a chat.
    """
    if locale not in TEMPLATES:
        raise ValueError(f"locale must be one of {', '.join(SUPPORTED_LOCALES)}, got {locale!r}")
    text = TEMPLATES[locale]

    def price(amount: Decimal) -> str:
        return format_price(amount, order.currency, locale)

    code = _isolate(order.code, locale)
    lines = [text["greeting"].format(buyer=order.buyer, code=code)]
    for line in order.lines:
        amount = price(line.unit_price * line.quantity)
        lines.append(text["line"].format(name=line.name, quantity=line.quantity, amount=amount))
    when = {
        "time": format_time(deadline, "short", locale=locale),
        "date": format_skeleton("MMMEd", deadline, locale=locale),
    }
    if payment is None:
        lines += [text["cod"].format(total=price(order.total)), text["cod_deadline"].format(**when)]
        return "\n".join(lines)
    lines.append(text["total"].format(total=price(order.total)))
    if deposit:
        lines.append(text["deposit"])
    account = _isolate(payment.account, locale)
    lines.append(text["bank"].format(bank=payment.bank, account=account, holder=payment.holder))
    lines.append(text["note"].format(note=_isolate(payment.note, locale)))
    if payment.url:
        lines.append(text["link"].format(url=_isolate(payment.url, locale)))
    lines.append(text["deadline"].format(**when))
    return "\n".join(lines)


def _when(deadline: datetime, locale: str) -> dict[str, str]:
    return {
        "time": format_time(deadline, "short", locale=locale),
        "date": format_skeleton("MMMEd", deadline, locale=locale),
    }


def reminder_line(code: str, deadline: datetime, locale: str = "vi") -> str:
    """ "The shop holds order LS-0042 for you until 20:00, Wed 25 Nov": opens a reminder."""
    if locale not in TEMPLATES:
        raise ValueError(f"locale must be one of {', '.join(SUPPORTED_LOCALES)}, got {locale!r}")
    return TEMPLATES[locale]["reminder"].format(
        code=_isolate(code, locale), **_when(deadline, locale)
    )


def release_message(
    code: str, released: tuple[MessageLine, ...], *, has_rest: bool, locale: str = "vi"
) -> str:
    """Tell the buyer which items their hold released (and whether the rest is still held)."""
    if locale not in TEMPLATES:
        raise ValueError(f"locale must be one of {', '.join(SUPPORTED_LOCALES)}, got {locale!r}")
    text = TEMPLATES[locale]
    lines = [text["released"].format(code=_isolate(code, locale))]
    lines += [f"- {line.name} x{line.quantity}" for line in released]
    lines.append(text["released_rest"] if has_rest else text["released_none"])
    return "\n".join(lines)
