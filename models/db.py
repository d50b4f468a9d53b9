"""Engines and transactions.

SQLite runs in WAL mode with a busy timeout. Read transactions are ordinary deferred ones; a
``write_session`` starts with ``BEGIN IMMEDIATE`` so a check-then-insert (is the slot free? insert)
cannot interleave with another writer. On PostgreSQL a transaction-scoped advisory lock serialises
booking writes the same way, and the exclusion constraint is the last line of defence.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BOOKING_LOCK_KEY = 7_246_001  # arbitrary constant for pg_advisory_xact_lock


def normalise_url(url: str) -> str:
    """Accept the URLs CONTRACT.md names; async drivers map to their sync twins (we run sync in threads)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql+asyncpg", "postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "sqlite+aiosqlite":
        parsed = parsed.set(drivername="sqlite")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=8,
                               max_overflow=16, pool_timeout=60)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=8, max_overflow=16, pool_pre_ping=True, pool_timeout=60)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite's own is broken)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit is on disk when it returns (inbound mail is acknowledged only after its row
        # commits, so a power cut must not lose it); WAL keeps that cheap.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """Owns the engine and hands out sessions: ``read()`` and ``write()`` context managers."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextlib.contextmanager
    def write(self, *, lock_bookings: bool = False) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception."""
        with self._write() as session:
            with session.begin():
                if lock_bookings and not self.is_sqlite:
                    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": BOOKING_LOCK_KEY})
                yield session

    def dispose(self) -> None:
        self.engine.dispose()
