"""Engines and session factories for SQLite (default) and PostgreSQL.

SQLite runs in WAL mode with write transactions begun IMMEDIATE, so two desk
processes serialise on the write lock instead of failing on a lock upgrade;
PostgreSQL relies on row locks and the unique index on open loans.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

MEMORY_URL = "sqlite://"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def is_sqlite_file(url: str) -> bool:
    """A SQLite database in a file (which has a write-ahead log), not in memory."""
    url = normalise_url(url)
    return url.startswith("sqlite") and url not in ("sqlite://", "sqlite:///:memory:")


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` for the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def display_url(url: str) -> str:
    """The URL as it may be shown or logged: without its password."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


# SQLite's page cache per connection, in KiB (negative: a size, not pages).
# The default 2 MB holds little of a library's indexes; 64 MB holds the hot
# B-tree pages of the card, item and open-loan lookups, so a scan reads them
# from memory instead of asking the operating system for each page.
SQLITE_CACHE_KIB = 65_536


def make_engine(url: str, *, wal_autocheckpoint: bool = True, **kwargs: Any) -> Engine:
    """``wal_autocheckpoint=False``: SQLite leaves checkpoints to a
    :class:`~desk_app.store.checkpoints.WalCheckpointer` (the desk's)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, wal_autocheckpoint, **kwargs)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, wal_autocheckpoint: bool, **kwargs: Any) -> Engine:
    in_memory = not is_sqlite_file(url)
    if in_memory:
        kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    else:
        path = url.split("sqlite:///", 1)[-1]
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            if not wal_autocheckpoint:
                cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
