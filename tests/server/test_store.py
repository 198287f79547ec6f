"""The store: migrations build exactly the tables the code uses; SQLite runs in WAL mode."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from server.store import migrate, open_engine
from server.store.engine import MIGRATIONS_DIR, table_names
from server.store.tables import metadata


def test_migrations_match_the_tables(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate(engine)
    migrate(engine)  # idempotent

    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        journal = conn.execute(text("PRAGMA journal_mode")).scalar()
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()

    assert differences == []
    assert journal == "wal"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert version == ScriptDirectory.from_config(config).get_current_head()
    assert set(metadata.tables) <= set(
        table_names(open_engine(f"sqlite:///{tmp_path / 'm.sqlite'}"))
    )
