"""Order capture: orders to review, phrases learned from the seller's fixes, the seller's accounts.

- ``orders.review``: NULL for an order the parser was sure of; ``pending`` while the seller has
  not looked at the parser's guess, then ``confirmed``, ``fixed`` (a line the seller chose),
  ``replaced`` (the guess a fix took the place of) or ``rejected``. Existing orders stay NULL.
- ``learned_aliases``: "this phrase means that product", taught by a fix during a live; used for
  the rest of that live and offered for saving into the catalog.
- ``seller_accounts``: the seller's own platform accounts; their comments are never orders.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("review", sa.String(16), nullable=True))
    op.create_index("ix_orders_review", "orders", ["session_id", "review"])
    op.create_table(
        "learned_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
        sa.Column("phrase", sa.String(100), nullable=False),
        sa.Column("sku", sa.String(32), nullable=False),
        sa.Column("order_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("is_saved", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("session_id", "phrase", name="uq_learned_aliases_phrase"),
    )
    op.create_table(
        "seller_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.UniqueConstraint("platform", "user_id", name="uq_seller_accounts_user"),
    )


def downgrade() -> None:
    op.drop_table("seller_accounts")
    op.drop_table("learned_aliases")
    op.drop_index("ix_orders_review", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("review")
