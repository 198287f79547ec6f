"""What the overlay shows now: pin a product (a bare "chốt" then orders it) or clear the pin.

Called by the host API (`server.api.products`) and by the web studio when it starts a live.
"""

from __future__ import annotations

from sqlalchemy import Connection

from server.events import EventLog, product_card
from server.live import Live
from server.store import product_queries, session_queries
from server.store.rows import ProductRow
from studio.catalog import normalize_sku
from studio.errors import ProductNotFound


async def pin(live: Live, sku: str) -> ProductRow:
    """Pin a product of the current live; every screen gets a ``pin`` event.

    Raises:
        ProductNotFound: no such product in this live.
    """

    def work(conn: Connection, log: EventLog) -> ProductRow:
        product = product_queries.get_product(conn, log.session_id, normalize_sku(sku))
        if product is None:
            raise ProductNotFound(f"no product {sku!r} in this live", hint="check the catalog SKUs")
        session_queries.set_pinned(conn, log.session_id, product.sku)
        log.emit("pin", {"sku": product.sku, "product": product_card(product)})
        return product

    product = await live.write(work)
    live.pinned_sku = product.sku
    return product


async def unpin(live: Live) -> None:
    """Hide the pinned product card."""

    def work(conn: Connection, log: EventLog) -> None:
        session_queries.set_pinned(conn, log.session_id, None)
        log.emit("pin", {"sku": None, "product": None})

    await live.write(work)
    live.pinned_sku = None
