"""The database schema of the live server (SQLAlchemy Core tables).

Alembic migrations in ``server/store/migrations/versions`` create exactly these tables; a test
compares the two. Money is stored as decimal text so SQLite and PostgreSQL agree to the last digit.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

live_sessions = Table(
    "live_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False, default=""),
    Column("started_at", Float, nullable=False),
    Column("ended_at", Float, nullable=True),
    Column("last_seq", Integer, nullable=False, default=0),
    Column("pinned_sku", String(32), nullable=True),
    Column("countdown_ends_at", Float, nullable=True),
    Column("countdown_label", String(200), nullable=False, default=""),
)

products = Table(
    "products",
    metadata,
    Column("session_id", Integer, ForeignKey("live_sessions.id"), primary_key=True),
    Column("sku", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("price", String(32), nullable=False),
    Column("sale_price", String(32), nullable=True),
    Column("currency", String(3), nullable=False),
    Column("photo", Text, nullable=True),
    Column("limit_per_viewer", Integer, nullable=True),
    Column("position", Integer, nullable=False, default=0),
)

stock = Table(
    "stock",
    metadata,
    Column("session_id", Integer, primary_key=True),
    Column("sku", String(32), primary_key=True),
    # "" for a product without variants, else "size|color" (either part may be empty).
    Column("variant", String(100), primary_key=True),
    Column("size", String(40), nullable=True),
    Column("color", String(40), nullable=True),
    Column("qty", Integer, nullable=False),
    Column("position", Integer, nullable=False, default=0),
)

viewers = Table(
    "viewers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("is_blocked", Boolean, nullable=False, default=False),
    Column("first_seen", Float, nullable=False),
    # Added by 0006: the person behind this platform account, kept across lives (buyer book).
    Column("buyer_id", Integer, nullable=True),
    UniqueConstraint("platform", "user_id", name="uq_viewers_platform_user"),
    Index("ix_viewers_buyer", "buyer_id"),
)

# Added by 0006 (buyer book): one person across platforms and lives. Names, phones, addresses
# and history are read from their viewers, carts and lines; the seller's flags and note live here.
buyers = Table(
    "buyers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("note", Text, nullable=False, default="", server_default=""),
    Column("is_deposit", Boolean, nullable=False, default=False, server_default=false()),
    Column("is_blocked", Boolean, nullable=False, default=False, server_default=false()),
    Column("created_at", Float, nullable=False),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("live_sessions.id"), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("comment_id", String(200), nullable=False),
    Column("viewer_id", Integer, ForeignKey("viewers.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("ts", Float, nullable=True),
    Column("received_at", Float, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", String(64), nullable=True),
    Column("intent", String(16), nullable=False),
    Column("rule", String(64), nullable=False, default=""),
    Column("items_json", Text, nullable=False, default="[]"),
    Column("answer_json", Text, nullable=False, default="{}"),
    UniqueConstraint("platform", "comment_id", name="uq_comments_platform_comment"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("live_sessions.id"), nullable=False),
    Column("comment_ref", Integer, ForeignKey("comments.id"), nullable=True),
    Column("viewer_id", Integer, ForeignKey("viewers.id"), nullable=False),
    Column("sku", String(32), nullable=False),
    Column("variant", String(100), nullable=False),
    Column("size", String(40), nullable=True),
    Column("color", String(40), nullable=True),
    Column("qty", Integer, nullable=False),
    Column("unit_price", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("phone", String(32), nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    # Added by 0003 (after the live): the buyer's page id, the code buyers write in transfers,
    # where to ship, and the money received so far (decimal text).
    Column("public_id", String(32), nullable=True),
    Column("code", String(25), nullable=True),
    Column("buyer_name", String(200), nullable=True),
    Column("address", Text, nullable=True),
    Column("received", String(32), nullable=False, default="0"),
    # Added by 0004: the go-live tab's test order (no stock taken, left out of exports/totals).
    Column("is_test", Boolean, nullable=False, default=False, server_default=false()),
    # Added by 0005: NULL when the parser was sure; pending / confirmed / fixed / replaced /
    # rejected for an order placed on a guess the seller reviews (server/orders/review.py).
    Column("review", String(16), nullable=True),
    # Added by 0006: the buyer's cart in this live. ``code`` and ``public_id`` above are copies
    # of the cart's (every line of a cart shows its one code); ``buyer_name``, ``address`` and
    # ``received`` of a line are no longer written: the cart holds them.
    Column("cart_id", Integer, nullable=True),
    Index("ix_orders_session_sku", "session_id", "sku", "variant", "status"),
    Index("ix_orders_review", "session_id", "review"),
    Index("ix_orders_viewer", "session_id", "viewer_id", "sku"),
    Index("ix_orders_public_id", "public_id"),
    Index("ix_orders_code", "code"),
    Index("ix_orders_cart", "cart_id"),
    Index("ix_orders_viewer_status", "viewer_id", "status"),  # the buyer book, every live
)

# Added by 0006: all lines one buyer orders in one live: one code, one total, one QR, one page,
# one message, one slip, one parcel. ``status`` is the after-live state (server/orders/states.py);
# lines keep their own state for stock (accepted / waitlisted / cancelled).
carts = Table(
    "carts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("live_sessions.id"), nullable=False),
    Column("viewer_id", Integer, ForeignKey("viewers.id"), nullable=False),
    Column("code", String(25), nullable=False),
    Column("public_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("is_test", Boolean, nullable=False, default=False, server_default=false()),
    Column("buyer_name", String(200), nullable=True),
    Column("phone", String(32), nullable=True),
    Column("address", Text, nullable=True),
    Column("received", String(32), nullable=False, default="0", server_default="0"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("uq_carts_code", "code", unique=True),
    Index("uq_carts_public_id", "public_id", unique=True),
    Index("ix_carts_viewer", "session_id", "viewer_id", "is_test", "status"),
    Index("ix_carts_status", "status", "is_test"),
    Index("ix_carts_viewer_id", "viewer_id"),  # the buyer book: a buyer's carts in every live
)

waitlist = Table(
    "waitlist",
    metadata,
    Column("order_id", Integer, ForeignKey("orders.id"), primary_key=True),
    Column("session_id", Integer, nullable=False),
    Column("sku", String(32), nullable=False),
    Column("variant", String(100), nullable=False),
    Column("joined_at", Float, nullable=False),
    Index("ix_waitlist_line", "session_id", "sku", "variant", "order_id"),
)

events = Table(
    "events",
    metadata,
    Column("session_id", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("type", String(32), nullable=False),
    # The exact JSON text sent to websocket clients, serialised once.
    Column("payload", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

# Added by 0004: sequences that must not have gaps a buyer would notice (order codes).
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

settings_kv = Table(
    "settings_kv",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Web studio jobs (photo batches, clip renders, post kits): state survives a page reload.
studio_jobs = Table(
    "studio_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("message", Text, nullable=False, default=""),
    Column("params_json", Text, nullable=False, default="{}"),
    Column("result_json", Text, nullable=False, default="{}"),
    Column("error_json", Text, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_studio_jobs_kind", "kind", "created_at"),
)

# After the live (docs/payments.md, docs/packing.md): every change of an order's state, and
# every bank transaction seen, keyed by its stable id so a re-import changes nothing.
order_events = Table(
    "order_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_order_events_order", "order_id", "id"),
)

payment_transactions = Table(
    "payment_transactions",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("source", String(32), nullable=False),
    Column("posted", String(10), nullable=False),
    Column("amount", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("memo", Text, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("order_codes", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", Float, nullable=True),
    Column("created_at", Float, nullable=False),
    Index("ix_payment_transactions_status", "status"),
)

# Added by 0005 (order capture): phrases a seller's fix taught the live ("set kẻ xanh" -> SKU),
# used for the rest of that live and offered for saving into the catalog.
learned_aliases = Table(
    "learned_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("live_sessions.id"), nullable=False),
    Column("phrase", String(100), nullable=False),
    Column("sku", String(32), nullable=False),
    Column("order_id", Integer, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("is_saved", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("session_id", "phrase", name="uq_learned_aliases_phrase"),
)

# The seller's own platform accounts (host, staff): their comments are never orders.
seller_accounts = Table(
    "seller_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("user_name", String(200), nullable=False, default="", server_default=""),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("platform", "user_id", name="uq_seller_accounts_user"),
)

# Added by 0007 (docs/live.md, "Ticket printer"): tickets waiting for the printer beside the
# host, kept in the database so a restart resumes the queue; printed ones stay as a record.
print_jobs = Table(
    "print_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # cart, reprint, test
    Column("cart_id", Integer, ForeignKey("carts.id"), nullable=True),
    Column("status", String(16), nullable=False),  # pending, printed
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text, nullable=False, default="", server_default=""),
    Column("created_at", Float, nullable=False),
    Column("printed_at", Float, nullable=True),
    Index("ix_print_jobs_status", "status", "id"),
)
