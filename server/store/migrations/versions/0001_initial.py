"""Initial live-server schema: sessions, products, stock, viewers, comments, orders, waitlist, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("ended_at", sa.Float, nullable=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("pinned_sku", sa.String(32), nullable=True),
        sa.Column("countdown_ends_at", sa.Float, nullable=True),
        sa.Column("countdown_label", sa.String(200), nullable=False),
    )
    op.create_table(
        "products",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), primary_key=True),
        sa.Column("sku", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price", sa.String(32), nullable=False),
        sa.Column("sale_price", sa.String(32), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("photo", sa.Text, nullable=True),
        sa.Column("limit_per_viewer", sa.Integer, nullable=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "stock",
        sa.Column("session_id", sa.Integer, primary_key=True),
        sa.Column("sku", sa.String(32), primary_key=True),
        sa.Column("variant", sa.String(100), primary_key=True),
        sa.Column("size", sa.String(40), nullable=True),
        sa.Column("color", sa.String(40), nullable=True),
        sa.Column("qty", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "viewers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("is_blocked", sa.Boolean, nullable=False),
        sa.Column("first_seen", sa.Float, nullable=False),
        sa.UniqueConstraint("platform", "user_id", name="uq_viewers_platform_user"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("comment_id", sa.String(200), nullable=False),
        sa.Column("viewer_id", sa.Integer, sa.ForeignKey("viewers.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ts", sa.Float, nullable=True),
        sa.Column("received_at", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("intent", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("items_json", sa.Text, nullable=False),
        sa.Column("answer_json", sa.Text, nullable=False),
        sa.UniqueConstraint("platform", "comment_id", name="uq_comments_platform_comment"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
        sa.Column("comment_ref", sa.Integer, sa.ForeignKey("comments.id"), nullable=True),
        sa.Column("viewer_id", sa.Integer, sa.ForeignKey("viewers.id"), nullable=False),
        sa.Column("sku", sa.String(32), nullable=False),
        sa.Column("variant", sa.String(100), nullable=False),
        sa.Column("size", sa.String(40), nullable=True),
        sa.Column("color", sa.String(40), nullable=True),
        sa.Column("qty", sa.Integer, nullable=False),
        sa.Column("unit_price", sa.String(32), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_orders_session_sku", "orders", ["session_id", "sku", "variant", "status"])
    op.create_index("ix_orders_viewer", "orders", ["session_id", "viewer_id", "sku"])
    op.create_table(
        "waitlist",
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), primary_key=True),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("sku", sa.String(32), nullable=False),
        sa.Column("variant", sa.String(100), nullable=False),
        sa.Column("joined_at", sa.Float, nullable=False),
    )
    op.create_index("ix_waitlist_line", "waitlist", ["session_id", "sku", "variant", "order_id"])
    op.create_table(
        "events",
        sa.Column("session_id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "settings_kv",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "settings_kv",
        "events",
        "waitlist",
        "orders",
        "comments",
        "viewers",
        "stock",
        "products",
        "live_sessions",
    ):
        op.drop_table(name)
