"""Opening the database: engine, SQLite pragmas (WAL) and Alembic migrations run at start.

SQLite serves one server process. PostgreSQL (``postgresql+psycopg://`` or ``+asyncpg``, which is
run through psycopg: every query here is synchronous) serves several: the same Alembic migrations
build the same tables, and processes starting together take an advisory lock so one migrates and
creates the session while the others wait. A database that cannot be reached becomes
`StoreUnavailable` (HTTP 503, retryable) at the edge, never a 500 or a false "accepted".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, CursorResult, Engine, create_engine, event, inspect, text
from sqlalchemy.engine.url import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

from studio.errors import InputError, OutputError, StoreUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
STARTUP_LOCK = 7_411_001  # pg_advisory_xact_lock key: migrations and session creation
CONNECT_TIMEOUT_S = 3


def sqlite_url(path: Path) -> str:
    """Return the SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"


def open_engine(url: str, *, synchronous: str = "NORMAL") -> Engine:
    """Create the engine for `url`; SQLite files get WAL, a busy timeout and foreign keys.

    Args:
        url: any SQLAlchemy URL; ``sqlite:///path`` by default.
        synchronous: SQLite ``synchronous`` pragma. FULL makes a commit survive power loss;
            NORMAL (with WAL) survives a crash of the server process but not of the machine.

    Raises:
        InputError: the URL cannot be parsed or names an unknown database driver.
        OutputError: the SQLite file's folder cannot be created.
    """
    try:
        parsed = make_url(url)
        is_sqlite = parsed.get_backend_name() == "sqlite"
        if is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if is_sqlite:
            engine = create_engine(parsed)
        else:
            engine = create_engine(
                server_url(parsed),
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=10,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
            )
    except (ArgumentError, ImportError) as exc:
        raise InputError(
            f"cannot use database URL {url!r}: {exc}", hint="e.g. sqlite:///live.sqlite"
        ) from exc
    except OSError as exc:
        raise OutputError(f"cannot create the folder of database {url!r}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def server_url(url: URL) -> URL:
    """Return the URL we connect with: PostgreSQL always through psycopg (3).

    ``postgresql+asyncpg://`` is accepted for deployments that already use it; the store's queries
    are synchronous SQLAlchemy Core, so they run through psycopg on a worker thread.
    """
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    return url


def lock_startup(conn: Connection) -> None:
    """Serialise start-up work of several processes until `conn`'s transaction ends (PostgreSQL)."""
    if conn.engine.url.get_backend_name() == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK})


def lock_session(conn: Connection, session_id: int) -> None:
    """Take the live session's row lock first in every write transaction (PostgreSQL).

    Numbering events locks that row anyway (`session_queries.next_seq`); taking it before any stock or
    order row means every writer, in every process, locks in the same order: no deadlocks, and
    writes of one sale commit one after the other. SQLite's single writer needs nothing.
    """
    if conn.engine.url.get_backend_name() == "postgresql":
        conn.execute(
            text("SELECT id FROM live_sessions WHERE id = :id FOR UPDATE"), {"id": session_id}
        )


def store_error(exc: BaseException) -> BaseException:
    """Return `StoreUnavailable` for a lost or refused database connection, else `exc` itself."""
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        error = StoreUnavailable(
            "the order database cannot be reached; nothing was stored",
            hint="send the same comment again in a few seconds (it is never counted twice)",
        )
        error.__cause__ = exc
        return error
    return exc


def _sqlite_begin(connection: Any) -> None:
    # The driver's own implicit BEGIN breaks SAVEPOINT (used to keep one comment's failure
    # from undoing the others in a group commit) and leaves reads outside any snapshot.
    connection.exec_driver_sql("BEGIN")


def _sqlite_pragmas(synchronous: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver stays in autocommit mode; `_sqlite_begin` starts every transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent).

    Raises:
        OutputError: the database cannot be written (read-only file, wrong credentials).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as connection:
            lock_startup(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise OutputError(
            f"cannot prepare the database {engine.url!r}: {exc.orig}",
            hint="check the --db URL and that its file or server is writable",
        ) from exc


def table_names(engine: Engine) -> list[str]:
    """Return the tables present in the database (for checks and tests)."""
    return sorted(inspect(engine).get_table_names())


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an ``INSERT`` just made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
