"""Storage of the live server: SQLAlchemy tables, queries and Alembic migrations."""

from server.store.engine import migrate, open_engine

__all__ = ["migrate", "open_engine"]
