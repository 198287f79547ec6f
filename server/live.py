"""The running live sale: database, current session, bus, tokens and limits of one server.

`Live.open` does the slow, fallible start-up work (catalog, tokens, migrations) so `create_app`
fails with a clear error before the server binds. All writes go through `Live.write`: one transaction
at a time, events published after commit and in ``seq`` order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from server.bus import Bus, Event
from server.bus_redis import open_bus
from server.events import EventLog
from server.moderation import DEFAULT_BLOCKED_WORDS, RateLimiter, clean_words
from server.orders.parse import CatalogView
from server.settings import Settings
from server.store import capture_queries, migrate, open_engine, product_queries, session_queries
from server.store.engine import lock_session, lock_startup, sqlite_url, store_error
from server.tokens import Tokens, load_tokens
from studio.catalog import Catalog, load_catalog
from studio.paths import data_dir

logger = logging.getLogger(__name__)

T = TypeVar("T")
BLOCKED_WORDS_KEY = "blocked_words"


@dataclass(frozen=True, slots=True)
class _Write(Generic[T]):
    work: Callable[[Connection, EventLog], T]
    done: asyncio.Future[T]


class Live:
    """State shared by the HTTP routes and websockets of one server.

    Build it with `Live.open`; `start` and `stop` run inside the server's event loop.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        catalog: Catalog,
        engine: Engine,
        tokens: Tokens,
        session_id: int,
        pinned_sku: str | None,
        blocked_words: tuple[str, ...],
        learned: tuple[tuple[str, str], ...] = (),
        seller_accounts: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        # (phrase, sku) taught by the seller's fixes during this live, on top of the catalog
        self.learned = learned
        self.catalog_view = _view(catalog, learned)
        # (platform, user_id) of the seller's own accounts: their comments are never orders
        self.seller_accounts = seller_accounts
        self.engine = engine
        self.tokens = tokens
        self.session_id = session_id
        self.pinned_sku = pinned_sku
        self.blocked_words = blocked_words
        self.bus: Bus = open_bus(
            settings.redis_url,
            channel=settings.redis_channel,
            topic=self.topic,
            fetch=self._stored_events,
            last=self._last_seq,
            on_event=self._follow,
        )
        self.viewer_limiter = RateLimiter(settings.viewer_rate_per_s, settings.viewer_burst)
        self.ingest_limiter = RateLimiter(settings.ingest_rate_per_s, settings.ingest_burst)
        self.ip_limiter = RateLimiter(settings.ip_rate_per_s, settings.ip_burst)
        self._is_started = False
        self._pending: list[_Write[Any]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._followers: set[asyncio.Task[None]] = set()

    @classmethod
    def open(cls, settings: Settings) -> Live:
        """Load the catalog and tokens, migrate the database, resume or start the session.

        Raises:
            CatalogError: the catalog cannot be used.
            InputError: the database URL is wrong.
            OutputError: the data folder or database cannot be written.
        """
        catalog = load_catalog(settings.catalog_path)
        folder = settings.data_dir or data_dir()
        tokens = load_tokens(
            folder,
            host=settings.host_token.get_secret_value() if settings.host_token else None,
            ingest=settings.ingest_token.get_secret_value() if settings.ingest_token else None,
        )
        engine = open_engine(
            settings.db_url or sqlite_url(folder / "live.sqlite"),
            synchronous=settings.sqlite_synchronous,
        )
        migrate(engine)
        with engine.begin() as conn:
            lock_startup(conn)  # several processes starting at once create one session
            session = session_queries.current_session(conn)
            if session is None:
                session_id = session_queries.create_session(conn, title="", now=time.time())
                session = session_queries.get_session(conn, session_id)
            product_queries.seed_products(conn, session.id, catalog)
            stored_words = session_queries.get_setting(conn, BLOCKED_WORDS_KEY)
            learned, sellers = _capture_state(conn, session.id)
        words = (
            tuple(json.loads(stored_words))
            if stored_words is not None
            else clean_words((*DEFAULT_BLOCKED_WORDS, *settings.blocked_words))
        )
        return cls(
            settings,
            catalog=catalog,
            engine=engine,
            tokens=tokens,
            session_id=session.id,
            pinned_sku=session.pinned_sku,
            blocked_words=words,
            learned=learned,
            seller_accounts=sellers,
        )

    topic = "live"
    """The bus topic: events of whichever session is current (each carries its session id)."""

    @property
    def db_path(self) -> Path | None:
        """The SQLite file, when the database is one."""
        database = self.engine.url.database
        return (
            Path(database) if self.engine.url.get_backend_name() == "sqlite" and database else None
        )

    def start(self) -> None:
        """Accept writes (call inside the running event loop)."""
        self._pending = []
        self._flusher = None
        self._is_started = True
        self.bus.start()

    def stop(self) -> None:
        """Refuse new writes and close the database."""
        self._is_started = False
        self.bus.stop()
        self.engine.dispose()

    async def write(self, work: Callable[[Connection, EventLog], T]) -> T:
        """Run `work` in a transaction, then publish its events.

        With SQLite the transaction runs on the event-loop thread: SQLite answers in
        microseconds, and a writer thread would wait for the interpreter lock after every
        statement while the loop is busy sending to hundreds of websockets. With PostgreSQL it
        runs on a worker thread (network round trips, lock waits behind other processes). Writes queued in the same loop iteration
        are committed together (group commit); each runs in its own SAVEPOINT, so one that
        raises undoes only itself. Nothing is published or returned before the commit, and
        events are published in ``seq`` order.

        Raises:
            LivestallError: whatever `work` raised (its changes were rolled back).
        """
        if not self._is_started:
            raise RuntimeError("Live.start() was not called (the server is not running)")
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append(_Write(work, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                outcomes = await self._run_commit(batch)
            except Exception as exc:  # the commit itself failed: nobody's write happened
                for item in batch:
                    if not item.done.done():
                        item.done.set_exception(store_error(exc))
                continue
            for item, (result, log, error) in zip(batch, outcomes, strict=True):
                if error is None:
                    for event in log.events:
                        await self.bus.publish(self.topic, event)
                if item.done.cancelled():
                    continue
                if error is not None:
                    item.done.set_exception(store_error(error))
                else:
                    item.done.set_result(result)

    async def _run_commit(
        self, batch: list[_Write[Any]]
    ) -> list[tuple[Any, EventLog, Exception | None]]:
        if self.engine.url.get_backend_name() == "sqlite":
            return self._commit(batch)
        # A database server is a network round trip per statement and a lock wait behind other
        # processes' orders: the event loop keeps serving websockets meanwhile.
        return await asyncio.to_thread(self._commit, batch)

    def _commit(self, batch: list[_Write[Any]]) -> list[tuple[Any, EventLog, Exception | None]]:
        outcomes: list[tuple[Any, EventLog, Exception | None]] = []
        with self.engine.begin() as conn:
            lock_session(conn, self.session_id)
            now = time.time()
            for item in batch:
                log = EventLog(conn, self.session_id, now=now)
                try:
                    with conn.begin_nested():
                        outcomes.append((item.work(conn, log), log, None))
                except Exception as exc:  # handed back to that caller only
                    outcomes.append((None, log, exc))
        return outcomes

    async def begin_session(self, *, title: str, catalog: Catalog | None = None) -> int:
        """End the current live session and start a new one with fresh stock from the catalog.

        Connected screens get a ``session`` event numbered in the new session; their sockets
        then close with code 4009 and they reconnect for the new session's snapshot.

        Returns:
            The new session's id.
        """
        chosen = catalog or self.catalog
        old_id = self.session_id

        def start(conn: Connection, log: EventLog) -> int:
            session_queries.end_session(conn, old_id, now=log.now)
            new_id = session_queries.create_session(conn, title=title, now=log.now)
            product_queries.seed_products(conn, new_id, chosen)
            return new_id

        new_id = await self.write(start)
        self.session_id = new_id
        self.catalog = chosen
        self.learned = ()  # phrases are taught per live; saved ones are in the catalog now
        self.catalog_view = _view(chosen, ())
        self.pinned_sku = None
        await self.write(
            lambda _conn, log: log.emit("session", {"session_id": new_id, "title": title})
        )
        return new_id

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run a read-only query on a worker thread."""
        return await asyncio.to_thread(self._read, work)

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as conn:
                return work(conn)
        except Exception as exc:
            error = store_error(exc)
            if error is exc:
                raise
            raise error from exc

    async def _stored_events(self, session_id: int, since: int) -> list[Event]:
        stored = await self.read(lambda conn: session_queries.events_after(conn, session_id, since))
        return [Event(e.seq, e.type, e.payload, session_id) for e in stored]

    async def _last_seq(self) -> tuple[int, int]:
        session = await self.read(lambda conn: session_queries.get_session(conn, self.session_id))
        return session.id, session.last_seq

    async def reload_capture(self) -> None:
        """Read the learned phrases and the seller's accounts again (after a ``capture`` event)."""
        session_id = self.session_id
        learned, sellers = await self.read(lambda conn: _capture_state(conn, session_id))
        if session_id == self.session_id:
            self.learned = learned
            self.catalog_view = _view(self.catalog, learned)
        self.seller_accounts = sellers

    def _follow(self, event: Event) -> None:
        """Keep up with pins and new sessions made on other server processes (Redis bus)."""
        if event.type == "capture":
            task = asyncio.get_running_loop().create_task(self.reload_capture())
            self._followers.add(task)
            task.add_done_callback(self._followers.discard)
        elif event.type == "pin":
            self.pinned_sku = json.loads(event.text).get("sku")
        elif event.type == "session" and event.session_id > self.session_id:
            self.session_id = event.session_id
            self.pinned_sku = None


def _capture_state(
    conn: Connection, session_id: int
) -> tuple[tuple[tuple[str, str], ...], frozenset[tuple[str, str]]]:
    learned = tuple((a.phrase, a.sku) for a in capture_queries.list_aliases(conn, session_id))
    sellers = frozenset((a.platform, a.user_id) for a in capture_queries.list_seller_accounts(conn))
    return learned, sellers


def _view(catalog: Catalog, learned: tuple[tuple[str, str], ...]) -> CatalogView:
    """The parser's view of `catalog`, with the phrases this live learned as extra aliases."""
    view = CatalogView.from_catalog(catalog)
    if not learned:
        return view
    products = dict(view.products)
    for phrase, sku in learned:
        product = products.get(sku)
        if product is not None and phrase not in product.aliases:
            products[sku] = replace(product, aliases=(*product.aliases, phrase))
    return CatalogView(products=products)
