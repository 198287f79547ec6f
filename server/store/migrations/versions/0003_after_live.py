"""After the live: order codes, buyer page ids, shipping address, state history, payments.

Existing orders get a code (``LS-<id>``) and a fresh random page id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("public_id", sa.String(32), nullable=True))
    op.add_column("orders", sa.Column("code", sa.String(25), nullable=True))
    op.add_column("orders", sa.Column("buyer_name", sa.String(200), nullable=True))
    op.add_column("orders", sa.Column("address", sa.Text, nullable=True))
    op.add_column(
        "orders", sa.Column("received", sa.String(32), nullable=False, server_default="0")
    )
    connection = op.get_bind()
    orders = sa.table("orders", sa.column("id"), sa.column("public_id"), sa.column("code"))
    for (order_id,) in connection.execute(sa.select(orders.c.id)).all():
        connection.execute(
            orders.update()
            .where(orders.c.id == order_id)
            .values(public_id=secrets.token_urlsafe(16), code=f"LS-{order_id:04d}")
        )
    op.create_index("uq_orders_public_id", "orders", ["public_id"], unique=True)
    op.create_index("uq_orders_code", "orders", ["code"], unique=True)
    op.create_table(
        "order_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_order_events_order", "order_events", ["order_id", "id"])
    op.create_table(
        "payment_transactions",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("posted", sa.String(10), nullable=False),
        sa.Column("amount", sa.String(32), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("memo", sa.Text, nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("order_codes", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", sa.Float, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_payment_transactions_status", "payment_transactions", ["status"])


def downgrade() -> None:
    op.drop_index("ix_payment_transactions_status", table_name="payment_transactions")
    op.drop_table("payment_transactions")
    op.drop_index("ix_order_events_order", table_name="order_events")
    op.drop_table("order_events")
    op.drop_index("uq_orders_code", table_name="orders")
    op.drop_index("uq_orders_public_id", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        for name in ("received", "address", "buyer_name", "code", "public_id"):
            batch.drop_column(name)
