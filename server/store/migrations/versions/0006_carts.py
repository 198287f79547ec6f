"""Carts and the buyer book.

- ``carts``: all lines one buyer orders in one live, with one code, one page id, one total and
  the after-live state. Every existing order becomes a one-line cart with the same id, keeping
  its code, page id, buyer name, phone, address, money received and state; ``orders.cart_id``
  points at it. Order codes and page ids stop being unique per line (every line of a cart
  carries its cart's), so their unique indexes become plain ones; the carts' are unique.
- ``buyers``: one person across platforms and lives, with the seller's flags (deposit,
  blocked) and note. Every existing viewer gets its own buyer (``viewers.buyer_id``); a viewer
  blocked before keeps being blocked, now as a buyer.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "buyers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("is_deposit", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_blocked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.add_column("viewers", sa.Column("buyer_id", sa.Integer, nullable=True))
    op.create_index("ix_viewers_buyer", "viewers", ["buyer_id"])
    op.create_table(
        "carts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
        sa.Column("viewer_id", sa.Integer, sa.ForeignKey("viewers.id"), nullable=False),
        sa.Column("code", sa.String(25), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("is_test", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("buyer_name", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("received", sa.String(32), nullable=False, server_default="0"),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("uq_carts_code", "carts", ["code"], unique=True)
    op.create_index("uq_carts_public_id", "carts", ["public_id"], unique=True)
    op.create_index("ix_carts_viewer", "carts", ["session_id", "viewer_id", "is_test", "status"])
    op.create_index("ix_carts_status", "carts", ["status", "is_test"])
    op.create_index("ix_carts_viewer_id", "carts", ["viewer_id"])
    op.add_column("orders", sa.Column("cart_id", sa.Integer, nullable=True))
    op.create_index("ix_orders_cart", "orders", ["cart_id"])
    op.create_index("ix_orders_viewer_status", "orders", ["viewer_id", "status"])
    op.drop_index("uq_orders_code", table_name="orders")
    op.drop_index("uq_orders_public_id", table_name="orders")
    op.create_index("ix_orders_code", "orders", ["code"])
    op.create_index("ix_orders_public_id", "orders", ["public_id"])
    _move_data()


def _move_data() -> None:
    connection = op.get_bind()
    # One buyer per viewer, with the same id: a blocked viewer's buyer is blocked.
    connection.execute(
        sa.text(
            "INSERT INTO buyers (id, note, is_deposit, is_blocked, created_at)"
            " SELECT id, '', :no, is_blocked, first_seen FROM viewers"
        ),
        {"no": False},
    )
    connection.execute(sa.text("UPDATE viewers SET buyer_id = id"))
    # One cart per order, with the order's id, code, page id, buyer details and money.
    # A line keeps accepted / waitlisted / cancelled; an after-live state is the cart's too.
    connection.execute(
        sa.text(
            "INSERT INTO carts (id, session_id, viewer_id, code, public_id, status, currency,"
            " is_test, buyer_name, phone, address, received, created_at, updated_at)"
            " SELECT id, session_id, viewer_id,"
            " COALESCE(code, 'LS-' || CAST(id AS VARCHAR)),"
            " COALESCE(public_id, 'legacy-' || CAST(id AS VARCHAR)),"
            " status, currency, is_test, buyer_name, phone, address, COALESCE(received, '0'),"
            " created_at, updated_at FROM orders"
        )
    )
    connection.execute(sa.text("UPDATE orders SET cart_id = id"))
    if connection.dialect.name == "postgresql":  # ids were given explicitly: move the counters
        for table in ("buyers", "carts"):
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )


def downgrade() -> None:
    op.drop_index("ix_orders_public_id", table_name="orders")
    op.drop_index("ix_orders_code", table_name="orders")
    op.create_index("uq_orders_public_id", "orders", ["public_id"], unique=True)
    op.create_index("uq_orders_code", "orders", ["code"], unique=True)
    op.drop_index("ix_orders_viewer_status", table_name="orders")
    op.drop_index("ix_orders_cart", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("cart_id")
    op.drop_index("ix_carts_viewer_id", table_name="carts")
    op.drop_index("ix_carts_status", table_name="carts")
    op.drop_index("ix_carts_viewer", table_name="carts")
    op.drop_index("uq_carts_public_id", table_name="carts")
    op.drop_index("uq_carts_code", table_name="carts")
    op.drop_table("carts")
    op.drop_index("ix_viewers_buyer", table_name="viewers")
    with op.batch_alter_table("viewers") as batch:
        batch.drop_column("buyer_id")
    op.drop_table("buyers")
