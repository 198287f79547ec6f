"""Go-live tab: start a live for the studio's catalog, the overlay URL for OBS, a test order.

Starting a live ends the current session and opens a new one seeded from the studio's catalog,
then pins the first product so the overlay shows its card. "Test overlay" sends one sample
comment through the same path as a platform bridge (`server.ingest.ingest_comments`), so the
order toast the seller sees in OBS is a real order of this live (it can be cancelled in the host
console). After the live, the orders and their CSV come from the live server's own code.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from server.api.orders import export_orders
from server.api.products import pin_product
from server.events import EventLog
from server.ingest import IncomingComment, ingest_comments
from server.live import Live
from server.orders.parse import CatalogView
from server.store import queries
from server.studio.state import StudioDep
from studio.catalog import Catalog, Product
from studio.errors import CatalogError
from studio.money import format_price

router = APIRouter(prefix="/studio/api/live", tags=["studio"])
TEST_PLATFORM = "studio-test"


class StartIn(BaseModel):
    """A new live's title (shown in the host console)."""

    title: str = Field(default="", max_length=200)


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
    session = await live.read(lambda conn: queries.get_session(conn, live.session_id))
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


@router.post("/start")
async def start_live(body: StartIn, request: Request, studio: StudioDep) -> dict[str, Any]:
    """End the current live and start a new one with the studio's catalog.

    Raises:
        CatalogError: the catalog is empty or cannot be read.
    """
    catalog = studio.load_catalog()
    if not catalog.products:
        raise CatalogError("the catalog has no products", hint="add products first")
    live = studio.live
    old_id = live.session_id

    def work(conn: Connection, log: EventLog) -> int:
        queries.end_session(conn, old_id, now=log.now)
        new_id = queries.create_session(conn, title=body.title, now=log.now)
        queries.seed_products(conn, new_id, catalog)
        return new_id

    new_id = await live.write(work)
    _switch(studio.live, catalog, new_id)
    await pin_product(catalog.products[0].sku, live)
    return await live_status(request, studio)


@router.post("/test")
async def test_overlay(studio: StudioDep) -> dict[str, Any]:
    """Send one sample comment that orders the pinned (or first) product; answer the result."""
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
        user_name="Livestall test",
        text=sample_comment_text(product),
        ts=None,
    )
    answers = await ingest_comments(live, [comment])
    return {"comment": comment.text, "answer": answers[0]}


@router.get("/orders")
async def list_orders(studio: StudioDep) -> list[dict[str, Any]]:
    """The orders of the current live with their states, oldest first."""
    live = studio.live
    rows = await live.read(lambda conn: queries.list_orders(conn, live.session_id, limit=1_000_000))
    return [
        {
            "id": row.order.id,
            "status": row.order.status,
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
async def orders_csv(studio: StudioDep) -> Response:
    """The orders of the current live as CSV (the live server's own export)."""
    return await export_orders(studio.live)


def _switch(live: Live, catalog: Catalog, session_id: int) -> None:
    """Point the running live server at the new session and catalog."""
    live.session_id = session_id
    live.catalog = catalog
    live.catalog_view = CatalogView.from_catalog(catalog)
    live.pinned_sku = None
