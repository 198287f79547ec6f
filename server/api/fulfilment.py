"""After the live, for the host: order states and history, buyer details, the buyer message,
packing slips (HTML, PDF) and the carrier export.

The per-line endpoints (``/api/orders/{id}/…``) act on the line's cart, as the buyer has one
code, one message and one parcel: ``state`` moves the cart (``cancelled`` cancels the line
only), ``buyer`` sets where the cart ships, ``message`` is the cart's. ``/api/carts/{code}/…``
(server/api/carts.py) are the same by cart code. Slips and the carrier export have one page and
one row per cart.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.lives import LiveQuery, session_of
from server.carriers.export import get_carrier
from server.events import EventLog
from server.orders.states import OrderState
from server.services import buyers as buyer_book
from server.services import carts as cart_service
from server.services.progress import move_order
from server.services.slips import carrier_file, slips_document
from server.slips.pdf import html_to_pdf
from server.slips.render import Paper
from server.store import cart_queries, order_queries, payment_queries
from server.store.rows import OrderRow
from studio.errors import OrderNotFound

router = APIRouter(prefix="/api", tags=["after the live"], dependencies=[HostAuth])


class StateIn(BaseModel):
    """Where to move the order."""

    state: OrderState


class StateOut(BaseModel):
    """The order's state after the move."""

    id: int
    code: str
    state: str
    cart_state: str | None = None  # the cart's state (the line's, unless the line is waiting)


class HistoryOut(BaseModel):
    """One change of an order's state."""

    from_state: str | None
    to_state: str
    actor: str
    at: float


class BuyerIn(BaseModel):
    """Where an order ships; the host copies it from the buyer's chat message."""

    buyer_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=500)


class MessageOut(BaseModel):
    """The ready-to-send message for the buyer, and the order page it links to."""

    text: str
    locale: str
    url: str


def _need(conn: Connection, order_id: int) -> OrderRow:
    order = order_queries.get_order(conn, order_id)
    if order is None:
        raise OrderNotFound(f"no order {order_id}", hint="refresh the orders table")
    return order


@router.post("/orders/{order_id}/state", response_model=StateOut)
async def move_state(order_id: int, body: StateIn, live: LiveDep) -> StateOut:
    """Move an order to another state; moves the state table forbids are refused (409)."""

    def work(conn: Connection, log: EventLog) -> StateOut:
        moved = move_order(conn, log, _need(conn, order_id), body.state, actor="host")
        cart = cart_queries.get_cart(conn, moved.cart_id) if moved.cart_id else None
        return StateOut(
            id=moved.id,
            code=moved.code,
            state=moved.status,
            cart_state=cart.status if cart else None,
        )

    return await live.write(work)


@router.get("/orders/{order_id}/history", response_model=list[HistoryOut])
async def history(order_id: int, live: LiveDep) -> list[HistoryOut]:
    """Every state change of an order: from, to, who, when."""

    def read(conn: Connection) -> list[HistoryOut]:
        _need(conn, order_id)
        return [
            HistoryOut(from_state=c.from_status, to_state=c.to_status, actor=c.actor, at=c.at)
            for c in payment_queries.order_history(conn, order_id)
        ]

    return await live.read(read)


@router.put("/orders/{order_id}/buyer", response_model=StateOut)
async def set_buyer(order_id: int, body: BuyerIn, live: LiveDep) -> StateOut:
    """Set the name, phone and address the line's cart ships to (its slip and carrier row)."""

    def work(conn: Connection, log: EventLog) -> StateOut:
        order = _need(conn, order_id)
        setter = payment_queries.set_buyer if order.cart_id is None else cart_queries.set_buyer
        setter(
            conn,
            order_id if order.cart_id is None else order.cart_id,
            buyer_name=(body.buyer_name or "").strip() or None,
            phone=(body.phone or "").strip() or None,
            address=(body.address or "").strip() or None,
            now=log.now,
        )
        return StateOut(id=order.id, code=order.code, state=order.status)

    return await live.write(work)


@router.get("/orders/{order_id}/message", response_model=MessageOut)
async def message(
    order_id: int, request: Request, live: LiveDep, lang: Literal["vi", "en", "ar"] = "vi"
) -> MessageOut:
    """The message to paste into the buyer's chat: the line's whole cart (every item, one
    total, how to pay, the page link); ``GET /api/carts/{code}/message`` is the same."""

    def read(conn: Connection) -> MessageOut:
        order = _need(conn, order_id)
        cart = cart_queries.get_cart(conn, order.cart_id) if order.cart_id else None
        if cart is None:
            raise OrderNotFound(f"order {order_id} is in no cart", hint="refresh the orders table")
        deposit = buyer_book.is_deposit_viewer(conn, cart.viewer_id)
        text, url = cart_service.message_for(
            conn, cart, base_url=str(request.base_url), locale=lang, deposit=deposit
        )
        return MessageOut(text=text, locale=lang, url=url)

    return await live.read(read)


StatesQuery = Annotated[list[str] | None, Query(alias="state")]
IdsQuery = Annotated[list[int] | None, Query(alias="id")]


@router.get("/slips.html", response_class=HTMLResponse)
async def slips_html(
    live: LiveDep,
    state: StatesQuery = None,
    id: IdsQuery = None,
    paper: Paper = "a6",
    live_id: LiveQuery = None,
) -> HTMLResponse:
    """Packing slips to print from the browser, one per cart (default: paid, cod and packed
    carts; ``?id=`` picks the carts of these line ids).

    ``?live=<id>`` prints one live's orders; without it, every live's.
    """
    session_id = None if live_id is None else await session_of(live, live_id)
    page = await live.read(
        lambda conn: slips_document(
            conn, states=state or (), order_ids=id or (), paper=paper, session_id=session_id
        )
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get("/slips.pdf", response_class=Response)
async def slips_pdf(
    live: LiveDep,
    state: StatesQuery = None,
    id: IdsQuery = None,
    paper: Paper = "a6",
    live_id: LiveQuery = None,
) -> Response:
    """The same slips as a PDF, one page per cart (printed by headless Chromium)."""
    session_id = None if live_id is None else await session_of(live, live_id)
    page = await live.read(
        lambda conn: slips_document(
            conn,
            states=state or (),
            order_ids=id or (),
            paper=paper,
            is_for_pdf=True,
            session_id=session_id,
        )
    )
    pdf = await asyncio.to_thread(html_to_pdf, page)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="slips.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/carriers/{carrier}.csv", response_class=Response)
async def carrier_export(
    carrier: str,
    live: LiveDep,
    state: StatesQuery = None,
    weight_g: Annotated[int, Query(ge=1, le=50_000)] = 500,
    live_id: LiveQuery = None,
) -> Response:
    """Unshipped carts (of ``?live=<id>``, else every live's), one parcel per row, in a
    carrier's bulk-import columns (``ghn``) or ``plain`` CSV; the COD amount is what is left
    to pay."""
    layout = get_carrier(carrier)
    session_id = None if live_id is None else await session_of(live, live_id)
    body = await live.read(
        lambda conn: carrier_file(
            conn, layout, states=state or (), weight_g=weight_g, session_id=session_id
        )
    )
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{layout.name}-orders.csv"'},
    )
