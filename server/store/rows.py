"""Typed rows read from the store (frozen dataclasses; API models are built from these)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One live session: its sequence counter, pinned product and countdown."""

    id: int
    title: str
    started_at: float
    last_seq: int
    pinned_sku: str | None
    countdown_ends_at: float | None
    countdown_label: str
    ended_at: float | None = None


@dataclass(frozen=True, slots=True)
class StockLine:
    """Stock of one product or one of its variants (``variant`` is ``""`` or ``"size|color"``)."""

    variant: str
    size: str | None
    color: str | None
    qty: int


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product as sold in a session, with its stock lines."""

    sku: str
    name: str
    price: Decimal
    sale_price: Decimal | None
    currency: str
    photo: str | None
    limit_per_viewer: int | None
    lines: tuple[StockLine, ...]

    @property
    def stock(self) -> int:
        """Units left over all variants."""
        return sum(line.qty for line in self.lines)

    @property
    def current_price(self) -> Decimal:
        """What a buyer pays now."""
        return self.sale_price if self.sale_price is not None else self.price


@dataclass(frozen=True, slots=True)
class ViewerRow:
    """A viewer on one platform."""

    id: int
    platform: str
    user_id: str
    user_name: str
    is_blocked: bool


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One order line (one SKU / variant / quantity) and its state."""

    id: int
    session_id: int
    viewer_id: int
    sku: str
    variant: str
    size: str | None
    color: str | None
    qty: int
    unit_price: Decimal
    currency: str
    status: str
    phone: str | None
    created_at: float
    updated_at: float
    public_id: str = ""
    code: str = ""
    buyer_name: str | None = None
    address: str | None = None
    received: Decimal = Decimal(0)
    is_test: bool = False  # the go-live tab's test: no stock taken, not exported nor counted
    review: str | None = None  # None (sure) or pending / confirmed / fixed / replaced / rejected
    cart_id: int | None = None  # the buyer's cart in this live (its code is ``code``)

    @property
    def total(self) -> Decimal:
        """What this line costs."""
        return self.unit_price * self.qty


LINE_NOT_COUNTED = ("waitlisted", "cancelled")
"""Line states left out of a cart's total: still waiting for stock, or gone."""


@dataclass(frozen=True, slots=True)
class CartRow:
    """One buyer's cart in one live: one code, one page id, the after-live state, the money.

    ``total`` (what the buyer owes) is the sum of the lines that hold stock or left with the
    parcel; waitlisted and cancelled lines are not counted.
    """

    id: int
    session_id: int
    viewer_id: int
    code: str
    public_id: str
    status: str
    currency: str
    is_test: bool
    buyer_name: str | None
    phone: str | None
    address: str | None
    received: Decimal
    created_at: float
    updated_at: float
    total: Decimal = Decimal(0)

    @property
    def left_to_pay(self) -> Decimal:
        """What the buyer still owes (never below zero)."""
        return max(self.total - self.received, Decimal(0))


@dataclass(frozen=True, slots=True)
class CartLine:
    """A line of a cart as listed: the order line and its product's name."""

    order: OrderRow
    product_name: str
    waitlist_position: int | None = None


@dataclass(frozen=True, slots=True)
class CartView:
    """A cart with its lines and who the buyer is (host console, CSV, slips, carriers)."""

    cart: CartRow
    lines: tuple[CartLine, ...]
    user_name: str
    platform: str
    user_id: str
    buyer_id: int | None


@dataclass(frozen=True, slots=True)
class OrderListRow:
    """An order with who placed it and the comment it came from (host console, CSV)."""

    order: OrderRow
    user_name: str
    platform: str
    user_id: str
    product_name: str
    comment_text: str
    waitlist_position: int | None
    rule: str = ""  # the parser's rule that read the comment (shown on the console)
    cart: CartRow | None = None  # the buyer's cart this line is in


@dataclass(frozen=True, slots=True)
class CommentRow:
    """A received comment as the host console lists it (full text, parse and moderation)."""

    id: int
    platform: str
    comment_id: str
    viewer_id: int
    user_name: str
    text: str
    received_at: float
    status: str
    reason: str | None
    intent: str
    rule: str
    items_json: str


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: its sequence number and the exact JSON sent to clients."""

    seq: int
    type: str
    payload: str


@dataclass(frozen=True, slots=True)
class LiveSummary:
    """One live (session) in the list of lives, with what its real orders still need.

    Test orders are counted apart (``tests``) and never in ``orders``, ``unpaid`` or ``totals``.
    """

    id: int
    title: str
    started_at: float
    ended_at: float | None
    orders: int  # real orders not cancelled
    unpaid: int  # waiting for money: accepted, confirmed, cash on delivery
    unshipped: int  # holding stock, not shipped yet
    tests: int
    totals: tuple[tuple[str, Decimal], ...]  # (currency, value of real orders not cancelled)
