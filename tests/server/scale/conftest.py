"""Several live server processes on 127.0.0.1 sharing PostgreSQL and Redis from `make services`.

`scripts/services.sh` installs and starts both (Debian packages); each test gets its own database
so processes from one test never see another's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from scale_helpers import Cluster, make_cluster, run_services


@pytest.fixture(scope="session")
def services() -> dict[str, str]:
    return run_services()


@pytest.fixture
def db_url(services: dict[str, str]) -> Iterator[str]:
    """A fresh, empty database for one test (dropped afterwards)."""
    admin_url = services["LIVESTALL_DB_URL"].replace("postgresql+psycopg://", "postgresql://")
    name = f"livestall_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    base = services["LIVESTALL_DB_URL"].rsplit("/", 1)[0]
    yield f"{base}/{name}"
    run_services()  # a test may have stopped PostgreSQL
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def cluster(tmp_path: Path, db_url: str, services: dict[str, str]) -> Iterator[Cluster]:
    """An empty cluster on the shared Redis; the test starts its processes."""
    running = make_cluster(tmp_path, db_url, services["LIVESTALL_REDIS_URL"])
    try:
        yield running
    finally:
        running.stop()
