"""Engines and session factories for SQLite (default) and PostgreSQL.

SQLite runs in WAL mode with write transactions begun IMMEDIATE, so two desk
processes serialise on the write lock instead of failing on a lock upgrade;
PostgreSQL relies on row locks and the unique index on open loans.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

MEMORY_URL = "sqlite://"

# An execution option for a connection whose transactions only read
# (``engine.connect().execution_options(**{READS_ONLY: True})``): on SQLite
# they begin DEFERRED, so they read the last committed state (WAL) at once
# instead of waiting for the write lock of a desk that is writing or
# migrating. PostgreSQL ignores it.
READS_ONLY = "desk_reads_only"


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


class DatabaseUrlError(ValueError):
    """A database URL desk-app cannot use: not a URL, or another database."""


# what desk-app runs on: SQLite (Python's own driver) and PostgreSQL (psycopg 3)
SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
URL_FORMS = "sqlite:///PATH or postgresql://USER@HOST/DATABASE"


def check_url(url: str) -> str:
    """The URL, normalised, or :class:`DatabaseUrlError` saying what is wrong
    (issue 13: a bad scheme was a traceback from deep in SQLAlchemy). The
    message never shows a password."""
    if not url.strip():
        raise DatabaseUrlError(f"the database URL is empty (use {URL_FORMS})")
    normalised = normalise_url(url.strip())
    try:
        parsed = make_url(normalised)
    except ArgumentError:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        what = f"scheme {scheme[:40]!r}" if scheme else "no scheme"
        raise DatabaseUrlError(f"not a database URL ({what}; use {URL_FORMS})") from None
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise DatabaseUrlError(
            f"the database URL {parsed.render_as_string(hide_password=True)} is for "
            f"{parsed.drivername!r}, which desk-app does not run on (use {URL_FORMS})"
        )
    return normalised


def display_url(url: str) -> str:
    """The URL as it may be shown or logged: without its password."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


# SQLite's page cache per connection, in KiB (negative: a size, not pages).
# The default 2 MB holds little of a library's indexes; 64 MB holds the hot
# B-tree pages of the card, item and open-loan lookups, so a scan reads them
# from memory instead of asking the operating system for each page.
SQLITE_CACHE_KIB = 65_536


# How long the desk waits for any one answer from the database, in seconds
# (issue 13 point 8: a hung or locked database must not freeze the window).
# Set DESK_APP_DB_TIMEOUT to change it, e.g. for a batch run that must wait
# for a long lock. It becomes: SQLite's busy timeout; PostgreSQL's
# connect_timeout, statement_timeout (lock_timeout 4/5 of it), and a client-side
# deadline DB_ANSWER_GRACE later (desk_app.store.deadlines: the only limit a
# stopped server cannot ignore). A hung PostgreSQL thus gives "not done" after
# 6 s by default, a locked SQLite file after 5 s.
DB_TIMEOUT_ENV = "DESK_APP_DB_TIMEOUT"
DEFAULT_DB_TIMEOUT = 5.0
DB_TIMEOUT_RANGE = (1.0, 3600.0)
# The server's own timeout fires first and leaves the connection usable; the
# client's deadline is for a server that does not run at all.
DB_ANSWER_GRACE = 1.0


# What a migration may take (seconds): far more than one scan. On a
# library-scale database an index build runs over millions of rows, SQLite's
# ``PRAGMA foreign_key_check`` took ~25 s at 1 M items, and a desk that starts
# while another desk migrates waits for that desk's lock. Only a start that
# finds the schema behind opens an engine with it (desk_app.wiring); the desk
# itself keeps the short limit.
MIGRATION_TIMEOUT = 600.0


def migration_timeout(environ: Mapping[str, str] | None = None) -> float:
    """:data:`MIGRATION_TIMEOUT`, or DESK_APP_DB_TIMEOUT if that is longer."""
    return max(MIGRATION_TIMEOUT, database_timeout(environ))


def database_timeout(environ: Mapping[str, str] | None = None) -> float:
    """Seconds from DESK_APP_DB_TIMEOUT, else the default; a value that is not
    a number of seconds in range is a ValueError naming the variable."""
    raw = (os.environ if environ is None else environ).get(DB_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_DB_TIMEOUT
    low, high = DB_TIMEOUT_RANGE
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not low <= seconds <= high:  # also NaN
        raise ValueError(
            f"{DB_TIMEOUT_ENV}={raw[:20]!r} is not a number of seconds from {low:g} to {high:g}"
        )
    return seconds


def make_engine(
    url: str,
    *,
    wal_autocheckpoint: bool = True,
    timeout: float | None = None,
    connect_timeout: float | None = None,
    **kwargs: Any,
) -> Engine:
    """``wal_autocheckpoint=False``: SQLite leaves checkpoints to a
    :class:`~desk_app.store.checkpoints.WalCheckpointer` (the desk's).
    ``timeout``: seconds to wait for the database (default
    :func:`database_timeout`); ``connect_timeout``: for PostgreSQL's connect
    alone, when it should be shorter (default ``timeout``)."""
    url = check_url(url)
    seconds = database_timeout() if timeout is None else timeout
    if url.startswith("sqlite"):
        return _sqlite_engine(url, wal_autocheckpoint, seconds, **kwargs)
    if url.startswith("postgresql+psycopg"):
        return _postgres_engine(url, seconds, connect_timeout or seconds, **kwargs)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _postgres_engine(url: str, seconds: float, connect_seconds: float, **kwargs: Any) -> Engine:
    """Connect, statement and lock timeouts on the server, and a client-side
    deadline on every round trip. The URL's own ``connect_timeout`` or
    ``options`` (``-c statement_timeout=...``) win over these."""
    from desk_app.store import deadlines  # psycopg: only for PostgreSQL

    query = make_url(url).query
    connect_args = dict(kwargs.pop("connect_args", {}))
    if "connect_timeout" not in query:
        # libpq's minimum is 2 s
        connect_args.setdefault("connect_timeout", max(2, math.ceil(connect_seconds)))
    ms = round(seconds * 1000)
    # a lock wait gives up a little before the statement would, so the log
    # says which it was ("lock timeout": another desk holds the rows)
    options = f"-c statement_timeout={ms} -c lock_timeout={ms * 4 // 5}"
    given = query.get("options")
    if given:
        options += " " + (given if isinstance(given, str) else " ".join(given))
    connect_args.setdefault("options", options)
    # pre-ping: a connection the server dropped (restart) is replaced before a
    # scan uses it; on a hung server the ping gives up at the deadline.
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    deadlines.install(engine, seconds + DB_ANSWER_GRACE)
    return engine


def _sqlite_engine(url: str, wal_autocheckpoint: bool, seconds: float, **kwargs: Any) -> Engine:
    in_memory = not is_sqlite_file(url)
    if in_memory:
        kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    else:
        path = url.split("sqlite:///", 1)[-1]
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A desk waiting on another desk's write lock looks hung: give up after
        # a few seconds ("not done") instead of SQLite's 30.
        kwargs.setdefault("connect_args", {"timeout": seconds})
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
            cursor.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            if not wal_autocheckpoint:
                cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        deferred = conn.get_execution_options().get(READS_ONLY)
        conn.exec_driver_sql("BEGIN DEFERRED" if deferred else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
