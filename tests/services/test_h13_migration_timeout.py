"""Issue 13 point 8 against migrations: the desk's few-second database limit
(DESK_APP_DB_TIMEOUT) must not fail a start that migrates. A migration step
may run longer (an index build over millions of rows), and a desk started
while another desk migrates waits for that desk's lock; both complete on an
engine with the long migration limit, made only when the schema is behind.
The desk itself keeps the short limit, and a start on an up-to-date database
opens no second engine.

Each test sets the desk's limit to 1 s and makes the migration outlast it
(another desk's lock held 2 s, or PostgreSQL's ``pg_sleep`` in a step); a
control with the desk's own engine shows the same start failing.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import alembic.command
import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from desk_app import wiring
from desk_app.store.engine import DB_TIMEOUT_ENV, MIGRATION_TIMEOUT, make_engine, migration_timeout
from desk_app.store.migrate import _LOCK_KEY, script_head, stamped_revisions
from desk_app.wiring import StartupError, open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.databases import fresh_postgres_database, postgres_server_url

DESK_LIMIT = "1"
# How long "another desk" holds the migration lock: twice the desk's limit.
HELD_SECONDS = 2.0


@pytest.fixture(autouse=True)
def _desk_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_TIMEOUT_ENV, DESK_LIMIT)


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[Engine]:
    """Every engine open_desk makes, in order."""
    made: list[Engine] = []
    real = wiring.make_engine

    def counting(url: str, **kwargs: Any) -> Engine:
        engine = real(url, **kwargs)
        made.append(engine)
        return engine

    monkeypatch.setattr(wiring, "make_engine", counting)
    return made


@pytest.fixture
def postgres_url() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL only: set DESK_APP_TEST_DATABASE_URL")
    with fresh_postgres_database() as url:
        yield url


def _open(url: str) -> None:
    open_desk(url, cpr_key=TEST_CPR_KEY).close()


def _at_head(url: str) -> bool:
    engine = make_engine(url)
    try:
        return stamped_revisions(engine) == [script_head()]
    finally:
        engine.dispose()


def _hold_migration_lock(url: str) -> Callable[[], None]:
    """Another desk in the middle of its migration: its lock is held (the
    advisory lock on PostgreSQL, SQLite's write lock) until the returned
    function is called."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        assert path
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("PRAGMA journal_mode = WAL")  # as every desk opens it
        holder.execute("BEGIN IMMEDIATE")

        def release_sqlite() -> None:
            holder.execute("ROLLBACK")
            holder.close()

        return release_sqlite
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    pg_holder = psycopg.connect(conninfo)
    pg_holder.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))

    def release_postgres() -> None:
        pg_holder.rollback()
        pg_holder.close()

    return release_postgres


def _once(action: Callable[[], None]) -> Callable[[], None]:
    """``action``, run by the first call only (the timer's or the test's)."""
    lock = threading.Lock()
    done: list[bool] = []

    def run() -> None:
        with lock:
            if not done:
                done.append(True)
                action()

    return run


def test_h13_p8_the_migration_limit_is_long_and_never_shorter_than_the_desks():
    assert MIGRATION_TIMEOUT >= 600
    assert migration_timeout({DB_TIMEOUT_ENV: "1"}) == MIGRATION_TIMEOUT
    assert migration_timeout({DB_TIMEOUT_ENV: "3600"}) == 3600


def test_h13_p8_a_desk_started_during_another_desks_migration_waits_for_it(
    backend_url, monkeypatch
):
    release = _once(_hold_migration_lock(backend_url))
    timer = threading.Timer(HELD_SECONDS, release)
    try:
        # control: migrating on the desk's own engine gives up after its 1 s
        with monkeypatch.context() as patched:
            patched.setattr(wiring, "_migration_engine", lambda _url: None)
            started = time.monotonic()
            with pytest.raises(StartupError, match="lock"):
                _open(backend_url)
            assert time.monotonic() - started < HELD_SECONDS
        assert not _at_head(backend_url)  # nothing was migrated
        timer.start()
        started = time.monotonic()
        _open(backend_url)
        waited = time.monotonic() - started
    finally:
        timer.cancel()
        if timer.is_alive():
            timer.join()
        release()
    assert waited > float(DESK_LIMIT)  # it waited past the desk's limit
    assert _at_head(backend_url)


def test_h13_p8_a_migration_step_longer_than_the_desk_limit_completes(postgres_url, monkeypatch):
    """A step that runs 1.5 s (``pg_sleep`` in the migration's transaction)
    outlasts the desk's statement timeout of 1 s."""
    real_upgrade = alembic.command.upgrade

    def slow_upgrade(config: Any, revision: str, **kwargs: Any) -> None:
        config.attributes["connection"].exec_driver_sql("SELECT pg_sleep(1.5)")
        real_upgrade(config, revision, **kwargs)

    monkeypatch.setattr(alembic.command, "upgrade", slow_upgrade)
    with monkeypatch.context() as patched:  # control: on the desk's engine it is cancelled
        patched.setattr(wiring, "_migration_engine", lambda _url: None)
        with pytest.raises(StartupError, match="statement timeout"):
            _open(postgres_url)
    assert not _at_head(postgres_url)
    _open(postgres_url)
    assert _at_head(postgres_url)


def test_h13_p8_only_a_start_that_migrates_opens_the_migration_engine(backend_url, engines):
    _open(backend_url)  # a new database: migrated on an engine of its own
    assert len(engines) == 2
    _desk, migrating = engines
    assert migrating.pool.checkedin() == 0  # disposed: no connection left open
    engines.clear()
    ctx = open_desk(backend_url, cpr_key=TEST_CPR_KEY)  # up to date: the usual start
    try:
        assert len(engines) == 1
        with ctx.sessions() as session:  # and the desk keeps its 1 s limit
            if backend_url.startswith("sqlite"):
                limit = session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
                assert limit == 1000
            else:
                limit = session.connection().exec_driver_sql("SHOW statement_timeout").scalar()
                assert limit == "1s"
    finally:
        ctx.close()


def test_h13_p8_an_sqlite_database_in_memory_migrates_on_its_own_engine(engines):
    """A second engine on ``sqlite:///:memory:`` would be another database."""
    ctx = open_desk("sqlite:///:memory:", cpr_key=TEST_CPR_KEY)
    try:
        assert len(engines) == 1
        assert stamped_revisions(engines[0]) == [script_head()]
    finally:
        ctx.close()


def test_h13_p8_the_desk_engine_still_gives_up_after_its_limit(postgres_url):
    """The short limit is still the desk's: the same sleep on its engine fails."""
    _open(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection, pytest.raises(OperationalError):
            connection.exec_driver_sql("SELECT pg_sleep(1.5)")
    finally:
        engine.dispose()
