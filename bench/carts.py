"""Carts and the buyer book: what an order costs with them, and looking a buyer up in a big book.

Runs in one process against an SQLite file (WAL, synchronous NORMAL, as `livestall live serve`):

1. **ingest**: the real path (`server.services.ingest.ingest_comments`: parse, order transaction, events,
   commit) for order comments, one at a time, each its own commit; buyers order 1 to 3 lines
   (a new buyer every third comment), so carts are opened and joined. Reports the p50 and p99
   of one comment's latency and the throughput.
2. **book** (only where the code has a buyer book): before the ingest, the database is filled
   with a book of ``--buyers`` buyers (one platform account, one earlier cart of one line each,
   a tenth of them returned parcels); then the buyer card
   (`server.services.buyers.card` after `buyer_id_of`) and the console's badges for a page of
   50 carts are timed.

The same script runs on an older tree (without carts) to give today's figure beside ours:
``git archive <commit> | tar -x -C /tmp/old && PYTHONPATH=/tmp/old .venv/bin/python
bench/carts.py`` — the book is filled in its own schema (viewers and orders only there).
Run: ``.venv/bin/python bench/carts.py [--buyers 100000] [--comments 3000]``
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

CATALOG = """\
products:
  - {sku: SP01, name: "Áo thun cotton", price: 199000, currency: VND, stock: 1000000}
  - {sku: B3, name: "Chả mực Hạ Long 500g", price: 250000, currency: VND, stock: 1000000}
  - {sku: A12, name: "Cốc sứ", price: 129000, currency: VND, stock: 1000000}
"""
CHUNK = 5000


def fill_book(engine: object, buyers: int) -> None:
    """Add ``buyers`` earlier buyers with one earlier order each (and their carts when the
    schema has them), in an earlier, ended live."""
    from sqlalchemy import insert, text

    from server.store import tables

    has_carts = "carts" in tables.metadata.tables
    now = time.time() - 86_400
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            text(
                "INSERT INTO live_sessions (id, title, started_at, ended_at, last_seq,"
                " countdown_label) VALUES (9999, 'earlier', :t, :t, 0, '')"
            ),
            {"t": now},
        )
        for start in range(0, buyers, CHUNK):
            ids = range(start + 1_000_000, min(start + CHUNK, buyers) + 1_000_000)
            viewer_rows = [
                {
                    "id": i,
                    "platform": "facebook",
                    "user_id": f"book-{i}",
                    "user_name": f"Khách {i}",
                    "is_blocked": False,
                    "first_seen": now,
                    **({"buyer_id": i} if has_carts else {}),
                }
                for i in ids
            ]
            if has_carts:
                conn.execute(
                    insert(tables.metadata.tables["buyers"]),
                    [
                        {
                            "id": i,
                            "note": "",
                            "is_deposit": False,
                            "is_blocked": False,
                            "created_at": now,
                        }
                        for i in ids
                    ],
                )
            conn.execute(insert(tables.viewers), viewer_rows)
            status = ["returned" if i % 10 == 0 else "delivered" for i in ids]
            order_rows = [
                {
                    "id": i,
                    "session_id": 9999,
                    "viewer_id": i,
                    "sku": "SP01",
                    "variant": "",
                    "qty": 1,
                    "unit_price": "199000",
                    "currency": "VND",
                    "status": s,
                    "created_at": now,
                    "updated_at": now,
                    "code": f"OLD-{i}",
                    "public_id": f"old-page-{i}",
                    "received": "199000",
                    "is_test": False,
                    **({"cart_id": i} if has_carts else {}),
                }
                for i, s in zip(ids, status, strict=True)
            ]
            if has_carts:
                conn.execute(
                    insert(tables.metadata.tables["carts"]),
                    [
                        {
                            "id": i,
                            "session_id": 9999,
                            "viewer_id": i,
                            "code": f"OLD-{i}",
                            "public_id": f"old-page-{i}",
                            "status": s,
                            "currency": "VND",
                            "is_test": False,
                            "received": "199000",
                            "created_at": now,
                            "updated_at": now,
                        }
                        for i, s in zip(ids, status, strict=True)
                    ],
                )
            conn.execute(insert(tables.orders), order_rows)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


CART_COST = [0.0]  # seconds spent in the cart steps of the current comment


def watch_cart_steps() -> bool:
    """Time the steps carts add to an order (open or join the cart, keep its state and contact,
    the answer's ``cart``); False on a tree without carts."""
    try:
        from server.services import ingest as ingest_module
        from server.store import cart_queries
    except ImportError:
        return False

    def timed(owner: object, name: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                CART_COST[0] += time.perf_counter() - started

        setattr(owner, name, wrapper)

    for name in ("open_cart", "fill_contact", "set_status", "status_with_new_line"):
        timed(cart_queries, name)
    timed(ingest_module, "_answer_cart")
    return True


async def ingest(live: object, comments: int, extra: list[float] | None = None) -> list[float]:
    from server.services.ingest import IncomingComment, ingest_comments

    rng = random.Random(7)
    latencies = []
    for n in range(comments):
        buyer = n // 3 if rng.random() < 0.8 else rng.randrange(max(1, n // 3 + 1))
        sku = ("SP01", "B3", "A12")[n % 3]
        comment = IncomingComment(
            platform="facebook",
            comment_id=f"bench-{n}",
            user_id=f"live-{buyer}",
            user_name=f"Người mua {buyer}",
            text=f"chốt {sku}",
            ts=None,
        )
        CART_COST[0] = 0.0
        started = time.perf_counter()
        await ingest_comments(live, [comment])  # type: ignore[arg-type]
        latencies.append(time.perf_counter() - started)
        if extra is not None:
            extra.append(CART_COST[0])
    return latencies


def lookups(live: object, buyers: int, rounds: int) -> tuple[list[float], list[float]] | None:
    try:
        from server.services import buyers as book
        from server.services import carts as cart_service
        from server.store import cart_queries
    except ImportError:
        return None
    rng = random.Random(11)
    cards = []
    badges = []
    for _ in range(rounds):
        who = rng.randrange(buyers) + 1_000_000

        def card(conn: object, who: int = who) -> object:
            return book.card(conn, book.buyer_id_of(conn, "facebook", f"book-{who}"))  # type: ignore[arg-type]

        started = time.perf_counter()
        live.read_sync(card)  # type: ignore[attr-defined]
        cards.append(time.perf_counter() - started)

        def page(conn: object) -> object:
            carts = cart_queries.list_carts(conn, session_id=live.session_id, limit=50)  # type: ignore[arg-type,attr-defined]
            views = cart_service.views(conn, carts)  # type: ignore[arg-type]
            return book.badges(conn, {v.buyer_id: v.cart.session_id for v in views if v.buyer_id})  # type: ignore[arg-type]

        started = time.perf_counter()
        live.read_sync(page)  # type: ignore[attr-defined]
        badges.append(time.perf_counter() - started)
    return cards, badges


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=3000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()

    from server.live import Live
    from server.settings import Settings
    from server.store import migrate, open_engine

    folder = Path(tempfile.mkdtemp(prefix="bench-carts-"))
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    url = f"sqlite:///{folder / 'live.sqlite'}"
    engine = open_engine(url)
    migrate(engine)
    started = time.perf_counter()
    fill_book(engine, args.buyers)
    engine.dispose()
    print(
        f"book: {args.buyers} earlier buyers in {time.perf_counter() - started:.1f} s", flush=True
    )

    settings = Settings(catalog_path=folder / "catalog.yaml", db_url=url, data_dir=folder)
    live = Live.open(settings)
    live.start()
    live.read_sync = live._read  # type: ignore[attr-defined]  # timing without the thread hop
    has_carts = watch_cart_steps()
    await ingest(live, 200)  # warm-up: imports, caches, first statements
    extra: list[float] = []
    started = time.perf_counter()
    latencies = await ingest(live, args.comments, extra)
    elapsed = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    print(
        f"ingest: {args.comments} order comments, one commit each: "
        f"p50 {percentile(ms, 0.5):.3f} ms, p99 {percentile(ms, 0.99):.3f} ms, "
        f"mean {statistics.fmean(ms):.3f} ms, {args.comments / elapsed:.0f} comments/s"
    )
    if has_carts:
        cost = [x * 1000 for x in extra]
        print(
            f"cart steps per order comment: p50 {percentile(cost, 0.5):.3f} ms, "
            f"p99 {percentile(cost, 0.99):.3f} ms, "
            f"{100 * sum(extra) / sum(latencies):.1f}% of the ingest time"
        )
    found = lookups(live, args.buyers, args.lookups)
    if found is None:
        print("book: this tree has no buyer book")
    else:
        cards, badges = ([x * 1000 for x in part] for part in found)
        print(
            f"buyer card (by platform id) on {args.buyers} buyers: p50 {percentile(cards, 0.5):.3f} ms,"
            f" p99 {percentile(cards, 0.99):.3f} ms; badges for 50 carts: "
            f"p50 {percentile(badges, 0.5):.3f} ms, p99 {percentile(badges, 0.99):.3f} ms"
        )
    live.stop()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
