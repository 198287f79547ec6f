"""Products and stock of a live.

The one that matters most is `take_stock`: a conditional ``UPDATE ... WHERE qty >= :qty`` that
decrements and checks in one statement, so two buyers can never both get the last unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from server.store.rows import (
    ProductRow,
    StockLine,
)
from server.store.tables import (
    products,
    stock,
)
from studio.catalog import Catalog

# --- products and stock ----------------------------------------------------------------------


def seed_products(conn: Connection, session_id: int, catalog: Catalog) -> int:
    """Add the catalog's products missing from the session (existing stock is kept).

    Returns:
        How many products were added.
    """
    known = set(
        conn.execute(select(products.c.sku).where(products.c.session_id == session_id)).scalars()
    )
    added = 0
    for position, product in enumerate(catalog.products):
        if product.sku in known:
            continue
        photo = catalog.photo_path(product)
        conn.execute(
            insert(products).values(
                session_id=session_id,
                sku=product.sku,
                name=product.name,
                price=str(product.price),
                sale_price=None if product.sale_price is None else str(product.sale_price),
                currency=product.currency,
                photo=None if photo is None else str(photo),
                limit_per_viewer=None,
                position=position,
            )
        )
        lines = (
            [("", None, None, product.stock)]
            if not product.variants
            else [
                (variant_key(v.size, v.color), v.size, v.color, v.stock) for v in product.variants
            ]
        )
        for line_position, (key, size, color, qty) in enumerate(lines):
            conn.execute(
                insert(stock).values(
                    session_id=session_id,
                    sku=product.sku,
                    variant=key,
                    size=size,
                    color=color,
                    qty=qty,
                    position=line_position,
                )
            )
        added += 1
    return added


def variant_key(size: str | None, color: str | None) -> str:
    """Return the stock-line key of a variant: ``"M|trắng"``, ``"M|"``, ``"|đỏ"``."""
    return f"{size or ''}|{color or ''}"


def list_products(conn: Connection, session_id: int) -> list[ProductRow]:
    """Return the session's products in catalog order, with stock lines."""
    lines: dict[str, list[StockLine]] = {}
    for row in conn.execute(
        select(stock)
        .where(stock.c.session_id == session_id)
        .order_by(stock.c.sku, stock.c.position)
    ):
        lines.setdefault(row.sku, []).append(
            StockLine(variant=row.variant, size=row.size, color=row.color, qty=row.qty)
        )
    rows = conn.execute(
        select(products).where(products.c.session_id == session_id).order_by(products.c.position)
    )
    return [_product(row, lines.get(row.sku, [])) for row in rows]


def get_product(conn: Connection, session_id: int, sku: str) -> ProductRow | None:
    """Return one product of the session, or None."""
    row = conn.execute(
        select(products).where(products.c.session_id == session_id, products.c.sku == sku)
    ).first()
    if row is None:
        return None
    line_rows = conn.execute(
        select(stock)
        .where(stock.c.session_id == session_id, stock.c.sku == sku)
        .order_by(stock.c.position)
    )
    lines = [StockLine(variant=r.variant, size=r.size, color=r.color, qty=r.qty) for r in line_rows]
    return _product(row, lines)


def update_product(
    conn: Connection, session_id: int, sku: str, values: Mapping[str, object]
) -> None:
    """Change price, sale price, name or per-viewer limit of a product."""
    conn.execute(
        update(products)
        .where(products.c.session_id == session_id, products.c.sku == sku)
        .values(**values)
    )


def set_stock(conn: Connection, session_id: int, sku: str, variant: str, qty: int) -> bool:
    """Set the units left of one stock line; False when the line does not exist."""
    result = conn.execute(
        update(stock)
        .where(stock.c.session_id == session_id, stock.c.sku == sku, stock.c.variant == variant)
        .values(qty=qty)
    )
    return result.rowcount == 1


def take_stock(conn: Connection, session_id: int, sku: str, variant: str, qty: int) -> bool:
    """Decrement a stock line by `qty` only if that many units are left (one statement).

    Returns:
        True when the units were taken; False when too few were left (nothing changed).
    """
    result = conn.execute(
        update(stock)
        .where(
            stock.c.session_id == session_id,
            stock.c.sku == sku,
            stock.c.variant == variant,
            stock.c.qty >= qty,
        )
        .values(qty=stock.c.qty - qty)
    )
    return result.rowcount == 1


def return_stock(conn: Connection, session_id: int, sku: str, variant: str, qty: int) -> None:
    """Put `qty` units back on a stock line."""
    conn.execute(
        update(stock)
        .where(stock.c.session_id == session_id, stock.c.sku == sku, stock.c.variant == variant)
        .values(qty=stock.c.qty + qty)
    )


def _product(row: Row[Any], lines: Sequence[StockLine]) -> ProductRow:
    return ProductRow(
        sku=row.sku,
        name=row.name,
        price=Decimal(row.price),
        sale_price=None if row.sale_price is None else Decimal(row.sale_price),
        currency=row.currency,
        photo=row.photo,
        limit_per_viewer=row.limit_per_viewer,
        lines=tuple(lines),
    )
