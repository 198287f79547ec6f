"""The order book on a real SQLite file: conditional decrement, waitlist, dedupe, limits."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from server.services import book
from server.store import (
    migrate,
    open_engine,
    order_queries,
    product_queries,
    session_queries,
    viewer_queries,
)
from server.store.rows import ProductRow, StockLine
from studio.catalog import Catalog, Product, Variant


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path / 'book.sqlite'}")
    migrate(engine)
    catalog = Catalog(
        products=(
            Product(sku="B3", name="Chả mực", price=Decimal(250000), stock=2),
            Product(
                sku="SP01",
                name="Áo",
                price=Decimal(199000),
                variants=(
                    Variant(size="M", color="đỏ", stock=1),
                    Variant(size="L", color="đỏ", stock=1),
                ),
            ),
        )
    )
    with engine.begin() as conn:
        session_id = session_queries.create_session(conn, title="t", now=0.0)
        product_queries.seed_products(conn, session_id, catalog)
        for user in ("a", "b", "c"):
            viewer_queries.upsert_viewer(conn, platform="t", user_id=user, user_name=user, now=0.0)
    yield engine
    engine.dispose()


def place(
    conn: Connection,
    viewer_id: int,
    sku: str,
    qty: int,
    *,
    size: str | None = None,
    now: float = 1.0,
    limit: int | None = None,
) -> book.Placed | book.Refused:
    product = product_queries.get_product(conn, 1, sku)
    assert product is not None
    return book.place_order(
        conn,
        product,
        book.OrderRequest(sku=sku, qty=qty, size=size, color=None),
        session_id=1,
        viewer_id=viewer_id,
        comment_ref=None,
        phone=None,
        now=now,
        dedupe_window_s=60.0,
        default_limit=limit,
    )


def test_sold_out_goes_to_the_waitlist_in_order(engine: Engine) -> None:
    with engine.begin() as conn:
        first = place(conn, 1, "B3", 2)
        second = place(conn, 2, "B3", 1)
        third = place(conn, 3, "B3", 1)

    assert isinstance(first, book.Placed) and first.order.status == "accepted"
    assert isinstance(second, book.Placed) and (second.order.status, second.position) == (
        "waitlisted",
        1,
    )
    assert isinstance(third, book.Placed) and third.position == 2


def test_cancel_serves_the_waitlist_skipping_orders_too_big(engine: Engine) -> None:
    with engine.begin() as conn:
        held = place(conn, 1, "B3", 1)
        place(conn, 1, "B3", 1, now=100.0)
        big = place(conn, 2, "B3", 2)
        small = place(conn, 3, "B3", 1)
        assert (
            isinstance(held, book.Placed)
            and isinstance(big, book.Placed)
            and isinstance(small, book.Placed)
        )
        served = book.cancel_order(conn, held.order, now=200.0)

        assert [o.id for o in served] == [small.order.id]
        assert order_queries.waitlist_position(conn, big.order.id) == 1
        assert product_queries.get_product(conn, 1, "B3").stock == 0  # type: ignore[union-attr]


def test_repeat_within_window_is_the_same_order(engine: Engine) -> None:
    with engine.begin() as conn:
        first = place(conn, 1, "B3", 1, now=10.0)
        repeat = place(conn, 1, "B3", 1, now=30.0)
        later = place(conn, 1, "B3", 1, now=200.0)

    assert (
        isinstance(first, book.Placed)
        and isinstance(repeat, book.Placed)
        and isinstance(later, book.Placed)
    )
    assert repeat.is_repeat and repeat.order.id == first.order.id
    assert not later.is_repeat and later.order.id != first.order.id


def test_per_viewer_limit(engine: Engine) -> None:
    with engine.begin() as conn:
        place(conn, 1, "B3", 1, limit=1)
        refused = place(conn, 1, "B3", 1, now=500.0, limit=1)

    assert isinstance(refused, book.Refused) and refused.reason == "limit"


def test_variant_resolution() -> None:
    product = ProductRow(
        sku="SP01",
        name="Áo",
        price=Decimal(1),
        sale_price=None,
        currency="VND",
        photo=None,
        limit_per_viewer=None,
        lines=(StockLine("M|đỏ", "M", "đỏ", 1), StockLine("L|đỏ", "L", "đỏ", 0)),
    )

    assert book.resolve_variant(product, "m", None) == product.lines[0]
    assert book.resolve_variant(product, None, "ĐỎ") == book.Refused(
        "variant.missing", "SP01: which one? M / đỏ, L / đỏ"
    )
    assert isinstance(book.resolve_variant(product, "XL", None), book.Refused)


def test_take_stock_never_goes_below_zero(engine: Engine) -> None:
    with engine.begin() as conn:
        assert product_queries.take_stock(conn, 1, "SP01", "M|đỏ", 1)
        assert not product_queries.take_stock(conn, 1, "SP01", "M|đỏ", 1)
        assert not product_queries.take_stock(conn, 1, "SP01", "L|đỏ", 2)
        assert [line.qty for line in product_queries.get_product(conn, 1, "SP01").lines] == [0, 1]  # type: ignore[union-attr]
