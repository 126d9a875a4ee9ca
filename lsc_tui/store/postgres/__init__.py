"""The PostgreSQL backend (psycopg 3): one table per logical table, JSONB records, LISTEN/NOTIFY for changes."""

from lsc_tui.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
