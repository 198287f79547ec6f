"""Lives as a list: test orders marked, order codes numbered without them.

Nothing is deleted or renumbered: every existing live (``live_sessions`` row) keeps its orders,
existing orders are real orders (``is_test`` false), and the order-code counter starts after
the highest existing code (codes were ``LS-<order id>``), so the next real order continues the
sequence buyers already saw.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column("is_test", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    connection = op.get_bind()
    orders = sa.table("orders", sa.column("id", sa.Integer))
    highest = connection.execute(sa.select(sa.func.max(orders.c.id))).scalar_one()
    counters = sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.Integer))
    connection.execute(counters.insert().values(name="order_code", value=int(highest or 0)))


def downgrade() -> None:
    op.drop_table("counters")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("is_test")
