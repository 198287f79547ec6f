"""Go-live tab: start a live for the studio's catalog, the overlay URL for OBS, a test order,
and the list of lives with each one's orders, CSV and packing slips.

Starting a live ends the current one (its orders stay, browsable here and in the host console)
and opens a new one seeded from the studio's catalog, then pins the first product so the
overlay shows its card. When the current live has orders the seller confirms first
(``is_confirmed``); the page says what stays. "Test overlay" sends one sample comment through
the same path as a platform bridge (`server.services.ingest.ingest_comments`), marked as a test: the
order toast shows in OBS, but the order takes no stock, gets a ``TEST-`` code and is left out
of exports and totals.

The tab also runs the live's comment sources (the server's own, `server.services.sources`):
connect the Facebook Page once, pick one of its current lives, add TikTok / YouTube / SSN /
a recording, and watch each source's health; the same services as ``/api/sources``.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from server.api.lives import LiveOut, LiveQuery, live_out, session_of
from server.services import exports, pins
from server.services.ingest import IncomingComment, ingest_comments
from server.services.slips import slips_document
from server.store import live_queries, order_queries, session_queries
from server.studio.state import StudioDep
from server.studio.stock import read_live_stock, stock_differences
from studio.catalog import Product
from studio.errors import CatalogError, LiveStartUnconfirmed
from studio.money import format_price

router = APIRouter(prefix="/studio/api/live", tags=["studio"])
TEST_PLATFORM = "studio-test"


class StartIn(BaseModel):
    """A new live's title (shown in the host console), and the seller's OK to end this one."""

    title: str = Field(default="", max_length=200)
    is_confirmed: bool = False


def sample_comment_text(product: Product) -> str:
    """A comment that orders one unit of `product` (its first variant with stock, if any)."""
    variant = next((v for v in product.variants if v.stock > 0), None)
    if variant is None:
        return f"chốt {product.sku}"
    parts = [f"chốt {product.sku}"]
    if variant.size:
        parts.append(f"size {variant.size}")
    if variant.color:
        parts.append(variant.color)
    return " ".join(parts)


@router.get("")
async def live_status(request: Request, studio: StudioDep) -> dict[str, Any]:
    """The current live: its URLs for OBS, the host console and viewers, and the host token."""
    live = studio.live
    session = await live.read(lambda conn: session_queries.get_session(conn, live.session_id))
    base = str(request.base_url).rstrip("/")
    return {
        "session_id": session.id,
        "title": session.title,
        "started_at": session.started_at,
        "pinned_sku": live.pinned_sku,
        "products": len(live.catalog.products),
        "overlay_url": f"{base}/overlay",
        "overlay_portrait_url": f"{base}/overlay?layout=portrait",
        "host_url": f"{base}/host",
        "viewer_url": f"{base}/viewer",
        "host_token": live.tokens.host,
    }


@router.get("/lives", response_model=list[LiveOut])
async def list_lives(studio: StudioDep) -> list[LiveOut]:
    """Every live, newest first, with its order counts (the current one first)."""
    lives = await studio.live.read(live_queries.list_lives)
    return [live_out(summary, current_id=studio.live.session_id) for summary in lives]


@router.get("/start")
async def start_preview(studio: StudioDep) -> dict[str, Any]:
    """What stays when a new live starts: the current live's counts and stale catalog lines."""
    live = studio.live
    current = await live.read(
        lambda conn: live_queries.list_lives(conn, session_id=live.session_id)
    )
    catalog = studio.load_catalog()
    stale = stock_differences(catalog, await read_live_stock(live))
    return {
        "live": live_out(current[0], current_id=live.session_id).model_dump(),
        "stock_differences": len(stale),
    }


@router.post("/start")
async def start_live(body: StartIn, request: Request, studio: StudioDep) -> dict[str, Any]:
    """End the current live and start a new one with the studio's catalog.

    The current live's orders stay in the list of lives; nothing is deleted.

    Raises:
        CatalogError: the catalog is empty or cannot be read.
        LiveStartUnconfirmed: the current live has orders and the seller did not confirm.
    """
    catalog = studio.load_catalog()
    if not catalog.products:
        raise CatalogError("the catalog has no products", hint="add products first")
    live = studio.live
    current = await live.read(
        lambda conn: live_queries.list_lives(conn, session_id=live.session_id)
    )
    if current and current[0].orders and not body.is_confirmed:
        summary = current[0]
        raise LiveStartUnconfirmed(
            f"live {summary.id} has {summary.orders} orders ({summary.unpaid} unpaid); "
            "a new live was not started",
            hint="confirm to start a new live: those orders stay in the list of lives",
        )
    await live.begin_session(title=body.title, catalog=catalog)
    await pins.pin(live, catalog.products[0].sku)
    return await live_status(request, studio)


@router.post("/test")
async def test_overlay(studio: StudioDep) -> dict[str, Any]:
    """Send one sample test comment for the pinned (or first) product; answer the result.

    Its order is marked as a test: no stock taken, a ``TEST-`` code, never exported.
    """
    live = studio.live
    sku = live.pinned_sku or (live.catalog.products[0].sku if live.catalog.products else None)
    product = live.catalog.get(sku) if sku else None
    if product is None:
        raise CatalogError("the live has no products", hint="start a live first")
    stamp = time.time_ns()
    comment = IncomingComment(
        platform=TEST_PLATFORM,
        comment_id=f"test-{stamp}",
        user_id=f"test-{stamp}",
        user_name="Livestall",  # a brand, not English words: the order is marked TEST- anyway
        text=sample_comment_text(product),
        ts=None,
        is_test=True,
    )
    answers = await ingest_comments(live, [comment])
    return {"comment": comment.text, "answer": answers[0]}


@router.get("/orders")
async def list_orders(studio: StudioDep, live_id: LiveQuery = None) -> list[dict[str, Any]]:
    """The orders of the current live (or of ``?live=<id>``) with their states, oldest first."""
    live = studio.live
    session_id = await session_of(live, live_id)
    rows = await live.read(
        lambda conn: order_queries.list_orders(conn, session_id, limit=1_000_000)
    )
    return [
        {
            "id": row.order.id,
            "code": row.order.code,
            "status": row.order.status,
            "is_test": row.order.is_test,
            "sku": row.order.sku,
            "product": row.product_name,
            "variant": " / ".join(p for p in (row.order.size, row.order.color) if p),
            "qty": row.order.qty,
            "price": format_price(row.order.unit_price, row.order.currency, "vi"),
            "buyer": row.user_name,
            "platform": row.platform,
            "created_at": row.order.created_at,
        }
        for row in rows
    ]


@router.get("/orders.csv")
async def orders_csv(studio: StudioDep, live_id: LiveQuery = None) -> Response:
    """The real orders of the current live (or ``?live=<id>``) as CSV (the server's export)."""
    return await exports.orders_csv(studio.live, await session_of(studio.live, live_id))


@router.get("/slips.html", response_class=HTMLResponse)
async def slips_html(studio: StudioDep, live_id: LiveQuery = None) -> HTMLResponse:
    """Packing slips of one live's orders ready to ship (paid, COD, packed), to print."""
    live = studio.live
    session_id = await session_of(live, live_id)
    page = await live.read(lambda conn: slips_document(conn, session_id=session_id))
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})
