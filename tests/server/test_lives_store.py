"""Migration 0004 keeps every existing live and order, and real order codes stay gapless."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from server.store import migrate, open_engine
from server.store.engine import MIGRATIONS_DIR
from server.store.live_queries import list_lives
from server.store.order_queries import insert_order

ORDER = (
    "INSERT INTO orders (id, session_id, viewer_id, sku, variant, qty, unit_price, currency,"
    " status, created_at, updated_at, public_id, code, received)"
    " VALUES (:id, :session, 1, 'A12', '', 1, '129000', 'VND', :status, 1, 1, :page, :code, '0')"
)


def test_existing_orders_stay_real_and_codes_continue(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        for session, ended in ((1, 10.0), (2, None)):
            conn.execute(
                text(
                    "INSERT INTO live_sessions (id, title, started_at, ended_at, last_seq,"
                    " countdown_label) VALUES (:id, :title, 1, :ended, 0, '')"
                ),
                {"id": session, "title": f"Live {session}", "ended": ended},
            )
        conn.execute(
            text(
                "INSERT INTO viewers (id, platform, user_id, user_name, is_blocked, first_seen)"
                " VALUES (1, 'youtube', 'u1', 'Lan', 0, 1)"
            )
        )
        for order_id, session, status in ((1, 1, "cod"), (2, 1, "accepted"), (3, 2, "paid")):
            conn.execute(
                text(ORDER),
                {
                    "id": order_id,
                    "session": session,
                    "status": status,
                    "page": f"p{order_id}",
                    "code": f"LS-{order_id:04d}",
                },
            )

    migrate(engine)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, session_id, code, is_test FROM orders")).all()
        assert [tuple(r) for r in rows] == [
            (1, 1, "LS-0001", 0),
            (2, 1, "LS-0002", 0),
            (3, 2, "LS-0003", 0),
        ]
        lives = {live.id: live for live in list_lives(conn)}
        assert (lives[1].orders, lives[1].unpaid, lives[1].ended_at) == (2, 2, 10.0)
        assert (lives[2].orders, lives[2].unpaid) == (1, 0)

        values = {
            "session_id": 2,
            "viewer_id": 1,
            "sku": "A12",
            "variant": "",
            "qty": 1,
            "unit_price": "129000",
            "currency": "VND",
            "status": "accepted",
            "created_at": 2.0,
            "updated_at": 2.0,
        }
        test_id = insert_order(conn, {**values, "is_test": True})
        real_id = insert_order(conn, {**values, "is_test": False})
        codes = dict(conn.execute(text("SELECT id, code FROM orders WHERE id > 3")).all())
    engine.dispose()
    assert codes == {test_id: f"TEST-{test_id:04d}", real_id: "LS-0004"}
