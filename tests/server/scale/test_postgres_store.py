"""The store on PostgreSQL: the same schema from the same migrations; outages become 503 errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from server.store import migrate, open_engine
from server.store.engine import store_error
from server.store.tables import metadata
from studio.errors import StoreUnavailable


def test_migrations_build_the_tables_on_postgres_even_when_processes_race(db_url: str) -> None:
    engines = [open_engine(db_url) for _ in range(3)]
    with ThreadPoolExecutor(3) as pool:  # three processes starting at once: one migrates
        list(pool.map(migrate, engines))
    with engines[0].connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        dialect = conn.dialect.name
    for engine in engines:
        engine.dispose()
    assert dialect == "postgresql"
    assert differences == []


def test_unreachable_database_is_a_retryable_store_error() -> None:
    engine = open_engine("postgresql+psycopg://livestall:x@127.0.0.1:1/livestall")
    with pytest.raises(OperationalError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    error = store_error(caught.value)
    assert isinstance(error, StoreUnavailable)
    assert error.http_status == 503
    assert store_error(ValueError("x")).__class__ is ValueError
