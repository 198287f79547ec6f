"""Stock after a live: the catalog's numbers against the live's, and taking the live's back.

Two numbers exist on purpose. The catalog (``catalog.yaml``) is the seller's inventory, edited
in the products tab; starting a live copies it into the live's own stock rows, which the order
book decrements with one conditional UPDATE so two buyers never get the last unit
(`server.store.product_queries.take_stock`). During and after the live those rows are what is really
left, and the catalog is behind. The studio therefore never shows the catalog's number alone:
`stock_differences` lists every line where the two differ, the products tab shows them, and
"Cập nhật tồn kho từ live" (after the seller confirms) writes the live's numbers into the
catalog, so the next live starts from what is on the shelf.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter

from server.live import Live
from server.store import product_queries
from server.studio.state import StudioDep
from studio.catalog import Catalog, Product

router = APIRouter(prefix="/studio/api/live/stock", tags=["studio"])

LiveStock = Mapping[tuple[str, str], int]
"""Units left in a live, by (SKU, variant key ``"size|color"`` or ``""``)."""


@dataclass(frozen=True, slots=True)
class StockDifference:
    """One stock line whose catalog number is not what the live has left."""

    sku: str
    name: str
    variant: str  # "M / đỏ", or "" for a product without variants
    catalog: int
    live: int


def _lines(product: Product) -> list[tuple[str, str, int]]:
    if not product.variants:
        return [("", "", product.stock)]
    return [
        (product_queries.variant_key(v.size, v.color), v.label, v.stock) for v in product.variants
    ]


def stock_differences(catalog: Catalog, live_stock: LiveStock) -> list[StockDifference]:
    """Return the catalog lines the live also sells whose units differ, in catalog order."""
    found = []
    for product in catalog.products:
        for key, label, units in _lines(product):
            left = live_stock.get((product.sku, key))
            if left is not None and left != units:
                found.append(StockDifference(product.sku, product.name, label, units, left))
    return found


def with_live_stock(catalog: Catalog, live_stock: LiveStock) -> Catalog:
    """Return the catalog with every line the live sells set to the units the live has left.

    Products and variants the live does not have keep their numbers.
    """
    products = []
    for product in catalog.products:
        if not product.variants:
            left = live_stock.get((product.sku, ""))
            products.append(product if left is None else product.model_copy(update={"stock": left}))
            continue
        variants = tuple(
            v.model_copy(
                update={
                    "stock": live_stock.get(
                        (product.sku, product_queries.variant_key(v.size, v.color)), v.stock
                    )
                }
            )
            for v in product.variants
        )
        products.append(product.model_copy(update={"variants": variants}))
    return catalog.model_copy(update={"products": tuple(products)})


async def read_live_stock(live: Live) -> LiveStock:
    """Units left on every stock line of the current live."""
    rows = await live.read(lambda conn: product_queries.list_products(conn, live.session_id))
    return {(row.sku, line.variant): line.qty for row in rows for line in row.lines}


def _out(live: Live, differences: list[StockDifference]) -> dict[str, Any]:
    return {
        "live_id": live.session_id,
        "differences": [
            {
                "sku": d.sku,
                "name": d.name,
                "variant": d.variant,
                "catalog": d.catalog,
                "live": d.live,
            }
            for d in differences
        ],
    }


@router.get("")
async def compare_stock(studio: StudioDep) -> dict[str, Any]:
    """Every catalog line whose stock differs from what the current live has left."""
    catalog = await asyncio.to_thread(studio.load_catalog)
    return _out(studio.live, stock_differences(catalog, await read_live_stock(studio.live)))


@router.post("/apply")
async def apply_live_stock(studio: StudioDep) -> dict[str, Any]:
    """Write the live's units left into the catalog (the page asks the seller first).

    Returns:
        ``updated``: how many lines changed, and the differences left (none).
    """
    live_stock = await read_live_stock(studio.live)
    catalog = await asyncio.to_thread(studio.load_catalog)
    changed = stock_differences(catalog, live_stock)
    if changed:
        await asyncio.to_thread(studio.save_catalog, with_live_stock(catalog, live_stock))
    after = stock_differences(await asyncio.to_thread(studio.load_catalog), live_stock)
    return {**_out(studio.live, after), "updated": len(changed)}
