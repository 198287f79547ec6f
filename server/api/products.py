"""Products: public cards and photos; pin and edit (host token)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse
from sqlalchemy import Connection

from server.api.deps import HostAuth, LiveDep
from server.api.schemas import ProductOut, ProductPatch, ProductsOut
from server.events import EventLog, product_card, stock_data
from server.files import find_media, media_response, photo_roots
from server.services import book, pins
from server.services.ingest import announce_order
from server.store import product_queries
from server.store.product_queries import variant_key
from server.store.rows import ProductRow
from studio.catalog import normalize_sku
from studio.errors import InputError, ProductNotFound

router = APIRouter(prefix="/api", tags=["products"])


def _out(product: ProductRow) -> ProductOut:
    return ProductOut.model_validate(
        {**product_card(product), "limit_per_viewer": product.limit_per_viewer}
    )


def _need(conn: Connection, session_id: int, sku: str) -> ProductRow:
    product = product_queries.get_product(conn, session_id, normalize_sku(sku))
    if product is None:
        raise ProductNotFound(f"no product {sku!r} in this live", hint="check the catalog SKUs")
    return product


@router.get("/products", response_model=ProductsOut)
async def list_products(live: LiveDep) -> ProductsOut:
    """All products of the live session with stock left (public)."""
    found = await live.read(lambda conn: product_queries.list_products(conn, live.session_id))
    return ProductsOut(pinned_sku=live.pinned_sku, products=[_out(p) for p in found])


@router.get("/products/{sku}/photo", response_class=FileResponse)
async def product_photo(sku: str, live: LiveDep) -> FileResponse:
    """The product's first catalog photo (public): only a real photo in the catalog's folders."""
    product = await live.read(lambda conn: _need(conn, live.session_id, sku))
    found = find_media(product.photo, photo_roots(live.settings)) if product.photo else None
    if found is None:
        raise ProductNotFound(f"{product.sku} has no photo", hint="add photos: in the catalog")
    return media_response(found)


@router.post("/products/{sku}/pin", dependencies=[HostAuth], response_model=ProductOut)
async def pin_product(sku: str, live: LiveDep) -> ProductOut:
    """Show this product on the overlay; a bare "chốt" now orders it."""
    return _out(await pins.pin(live, sku))


@router.delete("/pin", dependencies=[HostAuth], status_code=204)
async def unpin(live: LiveDep) -> None:
    """Hide the pinned product card."""
    await pins.unpin(live)


@router.patch("/products/{sku}", dependencies=[HostAuth], response_model=ProductOut)
async def patch_product(sku: str, patch: ProductPatch, live: LiveDep) -> ProductOut:
    """Change name, price, sale price, stock or per-viewer limit.

    Raising stock serves the waitlist at once (first come, first served).
    """

    def work(conn: Connection, log: EventLog) -> ProductRow:
        product = _need(conn, log.session_id, sku)
        values = _product_values(product, patch)
        if values:
            product_queries.update_product(conn, log.session_id, product.sku, values)
        stock_changes = _stock_changes(product, patch)
        for line_key, qty in stock_changes.items():
            product_queries.set_stock(conn, log.session_id, product.sku, line_key, qty)
            for served in book.serve_waitlist(
                conn, log.session_id, product.sku, line_key, now=log.now
            ):
                announce_order(conn, log, served)
        updated = _need(conn, log.session_id, product.sku)
        if values:
            log.emit("product", {"sku": updated.sku, "product": product_card(updated)})
        if stock_changes:
            log.emit("stock", stock_data(updated))
        return updated

    return _out(await live.write(work))


def _product_values(product: ProductRow, patch: ProductPatch) -> dict[str, object]:
    given = patch.model_fields_set
    values: dict[str, object] = {}
    if "name" in given and patch.name:
        values["name"] = patch.name.strip()
    if "price" in given and patch.price is not None:
        values["price"] = str(patch.price)
    if "sale_price" in given:
        values["sale_price"] = None if patch.sale_price is None else str(patch.sale_price)
    if "limit_per_viewer" in given:
        values["limit_per_viewer"] = patch.limit_per_viewer
    price = patch.price if patch.price is not None else product.price
    sale = patch.sale_price if "sale_price" in given else product.sale_price
    if sale is not None and sale > price:
        raise InputError(
            f"{product.sku}: sale price {sale} is higher than price {price}",
            hint="lower the sale price or clear it",
        )
    return values


def _stock_changes(product: ProductRow, patch: ProductPatch) -> dict[str, int]:
    keys = {line.variant for line in product.lines}
    if patch.stock is not None:
        if keys != {""}:
            raise InputError(
                f"{product.sku} has variants: set their stock one by one",
                hint='send "variants": [{"size": "M", "color": "trắng", "stock": 5}]',
            )
        return {"": patch.stock}
    changes = {}
    for variant in patch.variants or []:
        key = _match_line(product, variant.size, variant.color)
        if key not in keys:
            raise InputError(
                f"{product.sku} has no variant {variant.size or ''} {variant.color or ''}".strip(),
                hint="use a size and colour from the catalog",
            )
        changes[key] = variant.stock
    return changes


def _match_line(product: ProductRow, size: str | None, color: str | None) -> str:
    line = book.resolve_variant(product, size, color)
    return line.variant if not isinstance(line, book.Refused) else variant_key(size, color)
