"""Request and response bodies of the HTTP API (pydantic: data crossing the trust boundary)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CommentStatus = Literal["accepted", "duplicate", "rejected"]
Intent = Literal["order", "cancel", "change", "question", "none"]
OrderStatus = Literal[
    "accepted",
    "waitlisted",
    "confirmed",
    "cancelled",
    # after the live (server/orders/states.py)
    "paid",
    "cod",
    "packed",
    "shipped",
    "delivered",
    "returned",
]


class CommentIn(BaseModel):
    """One comment from a platform bridge."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    platform: str = Field(min_length=1, max_length=32, examples=["youtube"])
    comment_id: str = Field(min_length=1, max_length=200)
    user_id: str = Field(min_length=1, max_length=200)
    user_name: str = Field(default="", max_length=200)
    text: str = Field(max_length=20_000, examples=["chốt A12 size M"])
    ts: float | None = Field(default=None, description="when it was written, epoch seconds")


class CommentOut(BaseModel):
    """A received comment as the host sees it: full text, what the parser read, what happened."""

    id: int
    platform: str
    comment_id: str
    viewer_id: int
    user_name: str
    text: str
    received_at: float
    status: Literal["accepted", "rejected"]
    reason: str | None
    intent: Intent
    rule: str
    items: list[ItemOut]


class ItemOut(BaseModel):
    """One item the parser read in a comment."""

    sku: str
    qty: int
    size: str | None = None
    color: str | None = None


class OrderRef(BaseModel):
    """The order a comment made (or touched)."""

    id: int
    status: OrderStatus
    sku: str | None = None
    qty: int | None = None
    size: str | None = None
    color: str | None = None
    waitlist_position: int | None = None
    repeat: bool = False
    code: str | None = None  # the buyer's cart code in this live (every line of it shows it)
    cart_id: int | None = None


class CartLineRef(BaseModel):
    """A line of the buyer's cart, as a comment's answer lists it."""

    id: int
    sku: str
    qty: int
    size: str | None = None
    color: str | None = None
    unit_price: str
    state: OrderStatus
    status: OrderStatus  # the same as ``state``


class CartRef(BaseModel):
    """The buyer's cart a comment made or touched: one code, its lines, what it costs."""

    code: str
    lines: list[CartLineRef]
    total: str
    state: OrderStatus
    currency: str


class CommentAnswer(BaseModel):
    """What happened to one comment."""

    comment_id: str
    status: CommentStatus
    reason: str | None = None
    intent: Intent
    items: list[ItemOut]
    order: OrderRef | None
    orders: list[OrderRef] = []
    confidence: Literal["sure", "review"] | None = None  # on order answers
    address: str | None = None  # the delivery address found in the comment
    replaced: list[OrderRef] = []  # a change: the buyer's orders it cancelled
    cart: CartRef | None = None  # the buyer's cart in this live, after this comment


class VariantIn(BaseModel):
    """New stock of one variant."""

    model_config = ConfigDict(extra="forbid")

    size: str | None = None
    color: str | None = None
    stock: int = Field(ge=0, le=1_000_000)


class ProductPatch(BaseModel):
    """Fields of a product the host may change during the live (all optional)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    price: Decimal | None = Field(default=None, ge=0, max_digits=14)
    sale_price: Decimal | None = Field(default=None, ge=0, max_digits=14)
    stock: int | None = Field(default=None, ge=0, le=1_000_000)
    variants: list[VariantIn] | None = None
    limit_per_viewer: int | None = Field(default=None, ge=1)


class VariantOut(BaseModel):
    """Stock of one variant."""

    size: str | None
    color: str | None
    stock: int


class ProductOut(BaseModel):
    """A product card (public)."""

    sku: str
    name: str
    price: str
    sale_price: str | None
    currency: str
    stock: int
    variants: list[VariantOut]
    photo_url: str | None
    limit_per_viewer: int | None = None


class ProductsOut(BaseModel):
    """All products of the session and the pinned SKU."""

    pinned_sku: str | None
    products: list[ProductOut]


class CountdownIn(BaseModel):
    """Start a countdown (``seconds`` 0 clears it)."""

    model_config = ConfigDict(extra="forbid")

    seconds: int = Field(ge=0, le=86_400)
    label: str = Field(default="", max_length=200)


class CountdownOut(BaseModel):
    """The countdown now running (``ends_at`` None: none)."""

    ends_at: float | None
    seconds_left: int | None
    label: str


class OrderOut(BaseModel):
    """An order as the host sees it (with the buyer's phone)."""

    id: int
    status: OrderStatus
    sku: str
    product_name: str
    size: str | None
    color: str | None
    qty: int
    unit_price: str
    currency: str
    viewer_id: int
    user_name: str
    platform: str
    user_id: str
    phone: str | None
    comment_text: str
    waitlist_position: int | None
    created_at: float
    updated_at: float
    # after the live (docs/payments.md): code buyers write, their page id, where it ships
    code: str = ""
    public_id: str = ""
    buyer_name: str | None = None
    address: str | None = None
    received: str = "0"
    is_test: bool = False  # the go-live tab's test order: no stock taken, never exported
    # order capture: None when the parser was sure, else pending / confirmed / fixed / replaced /
    # rejected; `rule` names the parser's rule that read the comment
    review: str | None = None
    rule: str = ""
    # the buyer's cart (one code, one parcel): its after-live state and what it costs
    cart_state: OrderStatus | None = None
    cart_total: str | None = None


class ViewerOut(BaseModel):
    """A viewer."""

    id: int
    platform: str
    user_id: str
    user_name: str
    is_blocked: bool


class WordsIn(BaseModel):
    """The blocked-word list (replaces the old one)."""

    model_config = ConfigDict(extra="forbid")

    words: list[str] = Field(max_length=2000)


class WordsOut(BaseModel):
    """The blocked-word list in use."""

    words: list[str]


class SessionIn(BaseModel):
    """A new live session."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="", max_length=200)


class SessionOut(BaseModel):
    """The live session: clients compare ``last_seq`` with what they have seen."""

    session_id: int
    last_seq: int
    pinned_sku: str | None
    started_at: float


class ErrorOut(BaseModel):
    """Every error answer: a stable code, what happened, what to do."""

    code: str
    message: str
    hint: str
