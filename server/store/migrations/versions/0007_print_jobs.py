"""Ticket printer queue.

- ``print_jobs``: one ticket waiting for (or sent to) the thermal printer beside the host: a new
  cart's ticket, a reprint, or the test ticket. A restart resumes the pending ones.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cart_id", sa.Integer, sa.ForeignKey("carts.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("printed_at", sa.Float, nullable=True),
    )
    op.create_index("ix_print_jobs_status", "print_jobs", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_status", table_name="print_jobs")
    op.drop_table("print_jobs")
