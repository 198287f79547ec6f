"""Carts for the host: one buyer's lines in one live under one code (host token).

``GET /api/carts`` lists them with their lines and totals, ``GET /api/carts.csv`` exports
them, ``POST /api/carts/{code}/state`` moves one through the after-live states (the table in
``server/orders/states.py``), ``PUT /api/carts/{code}/buyer`` sets where it ships and
``GET /api/carts/{code}/message`` writes the one message the buyer gets.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.lives import LiveQuery, session_of
from server.api.schemas import OrderStatus
from server.events import EventLog
from server.orders.states import OrderState
from server.services import buyers as buyer_book
from server.services import carts as cart_service
from server.services.progress import move_cart
from server.store import cart_queries
from server.store.rows import CartView
from studio.sheets import Cell, excel_csv

router = APIRouter(prefix="/api", tags=["carts"], dependencies=[HostAuth])


class CartLineOut(BaseModel):
    """One line of a cart: what, how many, at what price, and its own state for stock."""

    id: int
    sku: str
    product_name: str
    qty: int
    size: str | None
    color: str | None
    unit_price: str
    state: OrderStatus
    status: OrderStatus  # the same as ``state`` (the name `GET /api/orders` uses)
    waitlist_position: int | None = None


class BadgeOut(BaseModel):
    """What the buyer book says about the buyer, from earlier lives: ``kind`` is ``new``,
    ``regular`` (``carts`` earlier carts), ``returned`` (``returned`` parcels came back) or
    ``blocked``."""

    kind: Literal["new", "regular", "returned", "blocked", "known"]
    carts: int = 0
    returned: int = 0
    deposit: bool = False


class CartOut(BaseModel):
    """A cart as the host sees it: one code, one state, the lines, the money, the buyer."""

    code: str
    state: OrderStatus
    buyer_id: int | None
    viewer_id: int
    user_name: str
    platform: str
    user_id: str
    lines: list[CartLineOut]
    total: str
    received: str
    left_to_pay: str
    currency: str
    public_id: str
    buyer_name: str | None
    phone: str | None
    address: str | None
    is_test: bool
    live_id: int
    created_at: float
    updated_at: float
    badge: BadgeOut | None = None
    # with a hold (``GET /api/carts/hold``): when the first held line is released unless the
    # cart is confirmed or paid, and whether it is time to remind the buyer ("nhắc thanh toán")
    hold_until: float | None = None
    remind: bool = False
    released: int = 0  # lines its hold released (``?kind=released`` writes the buyer's message)


class HoldIn(BaseModel):
    """How long a line is held for its buyer: ``90s``, ``30m``, ``2h``; ``0`` = no deadline."""

    hold: str = Field(min_length=1, max_length=16)


class HoldOut(BaseModel):
    """The hold in force, in seconds (0: none)."""

    seconds: int


class CartStateIn(BaseModel):
    """Where to move the cart."""

    state: OrderState


class CartBuyerIn(BaseModel):
    """Where a cart ships; the host copies it from the buyer's chat message."""

    buyer_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=500)


class CartMessageOut(BaseModel):
    """The ready-to-send message for the buyer, and the cart page it links to."""

    code: str
    text: str
    locale: str
    url: str


def cart_out(
    cart_view: CartView,
    badge: BadgeOut | None = None,
    *,
    hold_until: float | None = None,
    remind: bool = False,
    released: int = 0,
) -> CartOut:
    """A cart view as the API shows it."""
    cart = cart_view.cart
    return CartOut(
        code=cart.code,
        state=cart.status,
        buyer_id=cart_view.buyer_id,
        viewer_id=cart.viewer_id,
        user_name=cart_view.user_name,
        platform=cart_view.platform,
        user_id=cart_view.user_id,
        lines=[
            CartLineOut(
                id=line.order.id,
                sku=line.order.sku,
                product_name=line.product_name,
                qty=line.order.qty,
                size=line.order.size,
                color=line.order.color,
                unit_price=str(line.order.unit_price),
                state=line.order.status,
                status=line.order.status,
                waitlist_position=line.waitlist_position,
            )
            for line in cart_view.lines
        ],
        total=str(cart.total),
        received=str(cart.received),
        left_to_pay=str(cart.left_to_pay),
        currency=cart.currency,
        public_id=cart.public_id,
        buyer_name=cart.buyer_name,
        phone=cart.phone,
        address=cart.address,
        is_test=cart.is_test,
        live_id=cart.session_id,
        created_at=cart.created_at,
        updated_at=cart.updated_at,
        badge=badge,
        hold_until=hold_until,
        remind=remind,
        released=released,
    )


def _badges(conn: Connection, cart_views: list[CartView]) -> dict[int, BadgeOut]:
    summaries = buyer_book.badges(
        conn,
        {v.buyer_id: v.cart.session_id for v in cart_views if v.buyer_id is not None},
    )
    return {
        buyer_id: BadgeOut(kind=s.kind, carts=s.carts, returned=s.returned, deposit=s.is_deposit)
        for buyer_id, s in summaries.items()
    }


@router.get("/carts", response_model=list[CartOut])
async def list_carts(
    live: LiveDep,
    live_id: LiveQuery = None,
    state: OrderStatus | None = None,
    test: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 5000,
) -> list[CartOut]:
    """Carts of this live (or of ``?live=<id>``), oldest first, each with its lines, total,
    money received, the buyer book's badge and, with a hold, its deadline and whether to remind
    the buyer now (``?state=``, ``?test=false`` to filter)."""
    session_id = await session_of(live, live_id)

    def read(conn: Connection) -> list[CartOut]:
        carts = cart_queries.list_carts(
            conn, session_id=session_id, status=state, is_test=test, limit=limit
        )
        cart_views = cart_service.views(conn, carts)
        badges = _badges(conn, cart_views)
        hold_s = cart_service.load_hold(conn)
        deadlines = cart_service.hold_deadlines(conn, session_id, hold_s)
        released = cart_service.released_counts(conn, [c.id for c in carts])
        now = time.time()
        return [
            cart_out(
                v,
                badges.get(v.buyer_id) if v.buyer_id is not None else None,
                hold_until=deadlines.get(v.cart.id),
                remind=v.cart.id in deadlines
                and deadlines[v.cart.id] - now <= hold_s * cart_service.REMIND_SHARE,
                released=released.get(v.cart.id, 0),
            )
            for v in cart_views
        ]

    return await live.read(read)


CSV_COLUMNS = (
    "cart_code",
    "created_at_utc",
    "state",
    "buyer",
    "platform",
    "buyer_id",
    "buyer_name",
    "phone",
    "address",
    "lines",
    "items",
    "total",
    "received",
    "left_to_pay",
    "currency",
)


def _csv_row(cart_view: CartView) -> list[Cell]:
    cart = cart_view.cart
    counted = cart_service.counted_lines(cart_view)
    items = "; ".join(
        f"{line.order.sku} {line.product_name}"
        + (
            f" ({cart_service.variant_text(line.order)})"
            if cart_service.variant_text(line.order)
            else ""
        )
        + f" x{line.order.qty}"
        for line in counted
    )
    return [
        cart.code,
        datetime.fromtimestamp(cart.created_at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S"),
        cart.status,
        cart_view.user_name,
        cart_view.platform,
        cart_view.user_id,
        cart.buyer_name,
        cart.phone,
        cart.address,
        len(counted),
        items,
        cart.total,
        cart.received,
        cart.left_to_pay,
        cart.currency,
    ]


@router.get("/carts/hold", response_model=HoldOut)
async def get_hold(live: LiveDep) -> HoldOut:
    """How long a line is held for its buyer before it is released (0: no deadline)."""
    return HoldOut(seconds=await live.read(cart_service.load_hold))


@router.put("/carts/hold", response_model=HoldOut)
async def put_hold(body: HoldIn, live: LiveDep) -> HoldOut:
    """Set the hold (``90s``, ``30m``, ``2h``; ``0`` turns deadlines off). A line that is
    neither paid nor confirmed when its hold ends is released: stock back, the waitlist served."""
    seconds = cart_service.parse_hold(body.hold)

    def work(conn: Connection, _log: EventLog) -> HoldOut:
        cart_service.save_hold(conn, seconds)
        return HoldOut(seconds=seconds)

    return await live.write(work)


@router.get("/carts.csv", response_class=Response)
async def export_carts(live: LiveDep, live_id: LiveQuery = None) -> Response:
    """Every real cart of this live (or of ``?live=<id>``), one row each with its items, as CSV
    (UTF-8 with a BOM; every text cell kept text by `studio.sheets`). Test carts are left out."""
    session_id = await session_of(live, live_id)

    def read(conn: Connection) -> bytes:
        carts = cart_queries.list_carts(conn, session_id=session_id, is_test=False, limit=1_000_000)
        return excel_csv(CSV_COLUMNS, [_csv_row(v) for v in cart_service.views(conn, carts)])

    body = await live.read(read)
    return Response(
        content=body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="carts-{session_id}.csv"'},
    )


@router.post("/carts/{code}/state", response_model=CartOut)
async def move_state(code: str, body: CartStateIn, live: LiveDep) -> CartOut:
    """Move a cart (every line it counts) to another state; moves the state table forbids are
    refused (409). ``cancelled`` cancels every line: stock back, waitlist served."""

    def work(conn: Connection, log: EventLog) -> CartOut:
        moved = move_cart(conn, log, cart_service.need_cart(conn, code), body.state, actor="host")
        return cart_out(cart_service.view(conn, moved))

    return await live.write(work)


@router.put("/carts/{code}/buyer", response_model=CartOut)
async def set_buyer(code: str, body: CartBuyerIn, live: LiveDep) -> CartOut:
    """Set the name, phone and address the cart's parcel ships to."""

    def work(conn: Connection, log: EventLog) -> CartOut:
        cart = cart_service.need_cart(conn, code)
        cart_queries.set_buyer(
            conn,
            cart.id,
            buyer_name=(body.buyer_name or "").strip() or None,
            phone=(body.phone or "").strip() or None,
            address=(body.address or "").strip() or None,
            now=log.now,
        )
        updated = cart_queries.get_cart(conn, cart.id)
        assert updated is not None
        return cart_out(cart_service.view(conn, updated))

    return await live.write(work)


@router.get("/carts/{code}/message", response_model=CartMessageOut)
async def message(
    code: str,
    request: Request,
    live: LiveDep,
    lang: Literal["vi", "en", "ar"] = "vi",
    kind: cart_service.MessageKind = "order",
) -> CartMessageOut:
    """The one message for the buyer: every line, the total, how to pay, the page link (and,
    for a buyer the book marks ``deposit``, the request to transfer before shipping).
    ``?kind=reminder`` opens it with "the shop holds your order until …"; ``?kind=released``
    lists the lines the hold released."""

    def read(conn: Connection) -> CartMessageOut:
        cart = cart_service.need_cart(conn, code)
        deposit = buyer_book.is_deposit_viewer(conn, cart.viewer_id)
        text, url = cart_service.message_for(
            conn, cart, base_url=str(request.base_url), locale=lang, deposit=deposit, kind=kind
        )
        return CartMessageOut(code=cart.code, text=text, locale=lang, url=url)

    return await live.read(read)
