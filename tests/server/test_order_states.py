"""Order states: the table of allowed moves, and the host API that moves orders with history."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest
from after_live_helpers import move, order_fields, place
from alembic import command
from alembic.config import Config
from live_helpers import HOST, LiveServer
from sqlalchemy import text

from server.orders.states import HOLDS_STOCK, STATES, TRANSITIONS, check_transition
from server.store import migrate, open_engine
from server.store.engine import MIGRATIONS_DIR
from studio.errors import OrderRejected


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        ("accepted", "confirmed"),
        ("accepted", "paid"),
        ("confirmed", "cod"),
        ("cod", "packed"),
        ("paid", "packed"),
        ("packed", "shipped"),
        ("shipped", "delivered"),
        ("packed", "cancelled"),
    ],
)
def test_allowed_moves_pass(current: str, wanted: str) -> None:
    check_transition(1, current, wanted)


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        ("accepted", "shipped"),
        ("waitlisted", "accepted"),
        ("shipped", "cancelled"),
        ("delivered", "paid"),
        ("cancelled", "accepted"),
        ("paid", "teleported"),
    ],
)
def test_forbidden_moves_say_what_is_possible(current: str, wanted: str) -> None:
    with pytest.raises(OrderRejected) as caught:
        check_transition(7, current, wanted)
    assert "7" in caught.value.message or "state" in caught.value.message
    assert caught.value.hint


def test_every_state_has_a_row_and_targets_are_states() -> None:
    assert set(TRANSITIONS) == set(STATES)
    assert all(target in STATES for targets in TRANSITIONS.values() for target in targets)
    assert "shipped" not in HOLDS_STOCK  # a shipped parcel's stock cannot come back


def test_order_walks_to_delivered_with_history(live_server: LiveServer) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    code, public_id, status = order_fields(live_server, order_id)
    assert status == "accepted"
    assert code == f"LS-{order_id:04d}"
    assert len(public_id) >= 20

    for state in ("confirmed", "cod", "packed", "shipped", "delivered"):
        answer = move(live_server, order_id, state)
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == state

    rows = live_server.rows(
        "SELECT from_status, to_status, actor FROM order_events WHERE order_id = ? ORDER BY id",
        order_id,
    )
    assert rows == [
        (None, "accepted", "buyer"),
        ("accepted", "confirmed", "host"),
        ("confirmed", "cod", "host"),
        ("cod", "packed", "host"),
        ("packed", "shipped", "host"),
        ("shipped", "delivered", "host"),
    ]
    history = httpx.get(
        f"{live_server.url}/api/orders/{order_id}/history", headers=HOST, timeout=10
    ).json()
    assert [h["to_state"] for h in history][-1] == "delivered"


def test_invalid_move_is_refused_and_changes_nothing(live_server: LiveServer) -> None:
    order_id = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    answer = move(live_server, order_id, "shipped")
    assert answer.status_code == 409
    assert answer.json()["code"] == "order.rejected"
    assert "cannot become shipped" in answer.json()["message"]
    assert order_fields(live_server, order_id)[2] == "accepted"
    assert len(live_server.rows("SELECT * FROM order_events WHERE order_id = ?", order_id)) == 1


def test_cancelling_a_paid_order_gives_stock_to_the_waitlist(live_server: LiveServer) -> None:
    first = place(live_server, "c1", "B3 x3", user="u1", name="Lan")
    waiting = httpx.post(
        f"{live_server.url}/api/comments",
        json={
            "platform": "youtube",
            "comment_id": "c2",
            "user_id": "u2",
            "user_name": "Minh",
            "text": "chốt B3",
        },
        headers={"Authorization": "Bearer ingest-test-token"},
        timeout=10,
    ).json()
    assert waiting["order"]["status"] == "waitlisted"
    assert move(live_server, first, "paid").status_code == 200
    assert move(live_server, first, "cancelled").status_code == 200

    assert order_fields(live_server, first)[2] == "cancelled"
    assert order_fields(live_server, waiting["order"]["id"])[2] == "accepted"
    assert live_server.rows("SELECT qty FROM stock WHERE sku='B3'") == [(2,)]
    history = live_server.rows(
        "SELECT from_status, to_status, actor FROM order_events WHERE order_id = ? ORDER BY id",
        waiting["order"]["id"],
    )
    assert history == [(None, "waitlisted", "buyer"), ("waitlisted", "accepted", "system")]


def test_orders_csv_and_filter_show_states(live_server: LiveServer) -> None:
    a = place(live_server, "c1", "chốt B3", user="u1", name="Lan")
    place(live_server, "c2", "chốt SP01", user="u2", name="Minh")
    assert move(live_server, a, "paid").status_code == 200

    paid = httpx.get(
        f"{live_server.url}/api/orders", params={"status": "paid"}, headers=HOST, timeout=10
    ).json()
    assert [o["id"] for o in paid] == [a]
    assert paid[0]["code"] == f"LS-{a:04d}"
    text = httpx.get(f"{live_server.url}/api/orders.csv", headers=HOST, timeout=10).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["status"] for r in rows] == ["paid", "accepted"]
    assert rows[0]["order_code"] == f"LS-{a:04d}"


def test_migration_gives_orders_from_before_codes_and_page_ids(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(
            text(
                "INSERT INTO live_sessions (id, title, started_at, last_seq, countdown_label) "
                "VALUES (1, '', 0, 0, '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO viewers (id, platform, user_id, user_name, is_blocked, first_seen) "
                "VALUES (1, 'youtube', 'u1', 'Lan', 0, 0)"
            )
        )
        for order_id in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO orders (id, session_id, viewer_id, sku, variant, qty, unit_price, "
                    "currency, status, created_at, updated_at) "
                    "VALUES (:id, 1, 1, 'B3', '', 1, '250000', 'VND', 'confirmed', 0, 0)"
                ),
                {"id": order_id},
            )
    migrate(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, code, public_id, received FROM orders")).all()
    engine.dispose()
    assert [(r.code, r.received) for r in rows] == [("LS-0001", "0"), ("LS-0002", "0")]
    assert len({r.public_id for r in rows}) == 2
    assert all(len(r.public_id) >= 20 for r in rows)
