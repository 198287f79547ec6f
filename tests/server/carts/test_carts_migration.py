"""Migration 0006: a database made by the previous release (schema 0005, real rows) keeps every
order as a one-line cart with its code, page id, buyer details, money and state."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from server.store import cart_queries, migrate, open_engine
from server.store.engine import MIGRATIONS_DIR
from server.store.order_queries import get_order, insert_order

ORDER = (
    "INSERT INTO orders (id, session_id, viewer_id, sku, variant, qty, unit_price, currency,"
    " status, phone, created_at, updated_at, public_id, code, buyer_name, address, received,"
    " is_test, review)"
    " VALUES (:id, :session, :viewer, :sku, '', :qty, :price, 'VND', :status, :phone, 1, 1,"
    " :page, :code, :buyer, :address, :received, :test, NULL)"
)

ROWS = [
    # id, session, viewer, sku, qty, price, status, phone, buyer, address, received, test
    (
        1,
        1,
        1,
        "B3",
        1,
        "250000",
        "delivered",
        "0912345678",
        "Trần Thị Lan",
        "12 Hàng Bạc",
        "250000",
        0,
    ),
    (2, 1, 2, "SP01", 2, "199000", "cod", None, "Minh", "Q.3, TP HCM", "0", 0),
    (3, 2, 1, "B3", 1, "250000", "paid", None, None, None, "250000", 0),
    (4, 2, 2, "SP01", 1, "199000", "accepted", None, None, None, "0", 0),
    (5, 2, 3, "B3", 1, "250000", "waitlisted", None, None, None, "0", 0),
    (6, 2, 3, "SP01", 1, "199000", "accepted", None, None, None, "0", 1),
]


def _old_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = open_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
        for session, ended in ((1, 10.0), (2, None)):
            conn.execute(
                text(
                    "INSERT INTO live_sessions (id, title, started_at, ended_at, last_seq,"
                    " countdown_label) VALUES (:id, :title, 1, :ended, 0, '')"
                ),
                {"id": session, "title": f"Live {session}", "ended": ended},
            )
        for viewer, name, blocked in ((1, "Lan", 0), (2, "Minh", 0), (3, "Spam", 1)):
            conn.execute(
                text(
                    "INSERT INTO viewers (id, platform, user_id, user_name, is_blocked, first_seen)"
                    " VALUES (:id, 'facebook', :uid, :name, :blocked, 1)"
                ),
                {"id": viewer, "uid": f"fb{viewer}", "name": name, "blocked": blocked},
            )
        for row in ROWS:
            oid, session, viewer, sku, qty, price, status, phone, buyer, address, received, test = (
                row
            )
            conn.execute(
                text(ORDER),
                {
                    "id": oid,
                    "session": session,
                    "viewer": viewer,
                    "sku": sku,
                    "qty": qty,
                    "price": price,
                    "status": status,
                    "phone": phone,
                    "page": f"page-{oid:02d}-xxxxxxxxxxxx",
                    "code": f"TEST-{oid:04d}" if test else f"LS-{oid:04d}",
                    "buyer": buyer,
                    "address": address,
                    "received": received,
                    "test": test,
                },
            )
        conn.execute(
            text(
                "INSERT INTO waitlist (order_id, session_id, sku, variant, joined_at) VALUES (5, 2, 'B3', '', 1)"
            )
        )
        conn.execute(text("UPDATE counters SET value = 5 WHERE name = 'order_code'"))
    engine.dispose()
    return url


def test_every_order_becomes_a_one_line_cart(tmp_path: Path) -> None:
    url = _old_database(tmp_path / "old.sqlite")
    engine = open_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        stored = conn.execute(
            text(
                "SELECT id, session_id, viewer_id, code, public_id, status, buyer_name, phone,"
                " address, received, is_test FROM carts ORDER BY id"
            )
        ).all()
        assert [tuple(r) for r in stored] == [
            (
                oid,
                session,
                viewer,
                f"TEST-{oid:04d}" if test else f"LS-{oid:04d}",
                f"page-{oid:02d}-xxxxxxxxxxxx",
                status,
                buyer,
                phone,
                address,
                received,
                test,
            )
            for oid, session, viewer, _sku, _qty, _price, status, phone, buyer, address, received, test in ROWS
        ]
        assert conn.execute(text("SELECT id, cart_id FROM orders ORDER BY id")).all() == [
            (i, i) for i in range(1, 7)
        ]
        assert conn.execute(text("SELECT id, buyer_id FROM viewers ORDER BY id")).all() == [
            (1, 1),
            (2, 2),
            (3, 3),
        ]
        assert conn.execute(text("SELECT id, is_blocked FROM buyers ORDER BY id")).all() == [
            (1, 0),
            (2, 0),
            (3, 1),
        ]
        cod = cart_queries.cart_by_code(conn, "LS-0002")
        assert cod is not None
        assert (cod.total, cod.left_to_pay, cod.address) == (
            Decimal(398000),
            Decimal(398000),
            "Q.3, TP HCM",
        )
        waiting = cart_queries.cart_by_public_id(conn, "page-05-xxxxxxxxxxxx")
        assert waiting is not None and (waiting.status, waiting.total) == ("waitlisted", Decimal(0))

        # Minh's accepted cart in live 2 is open: his next line joins it under the same code
        values = {
            "session_id": 2,
            "viewer_id": 2,
            "sku": "B3",
            "variant": "",
            "qty": 1,
            "unit_price": "250000",
            "currency": "VND",
            "status": "accepted",
            "created_at": 5.0,
            "updated_at": 5.0,
        }
        joined = get_order(conn, insert_order(conn, values))
        assert joined is not None and joined.code == "LS-0004"
        # Lan's cart of live 2 is paid: her next line opens a new cart, the counter goes on
        fresh = get_order(conn, insert_order(conn, {**values, "viewer_id": 1}))
        assert fresh is not None and fresh.code == "LS-0006"
        # a real line never joins the test cart of the same buyer
        real = get_order(conn, insert_order(conn, {**values, "viewer_id": 3}))
        assert real is not None and real.code == "LS-0005" and real.cart_id == 5
        test_line = get_order(conn, insert_order(conn, {**values, "viewer_id": 3, "is_test": True}))
        assert test_line is not None and test_line.code == "TEST-0006"
    engine.dispose()
