"""Issue 13 point 8: a hung or locked database gives "not done" within a few
seconds, writes nothing, and the desk works again as soon as the database does.

The PostgreSQL tests run on a private server (tests/helpers/pg_instance.py)
that they stop with SIGSTOP: a server that does not run answers nothing, so
only the client-side deadline (desk_app/store/deadlines.py) can end the wait.
They skip when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from desk_app.clock import FixedClock
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.services.circulation import checkout
from desk_app.services.context import Actor, DeskContext
from desk_app.services.staff import add_staff
from desk_app.store.deadlines import Watchdog
from desk_app.store.engine import DB_TIMEOUT_ENV, database_timeout, make_engine
from desk_app.store.models import AuditEntry, Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.databases import sqlite_file_url
from tests.helpers.people import ANNE, item, seed_cast
from tests.helpers.pg_instance import PgInstance, PgUnavailable, private_postgres

DESK_STAFF = "Dorte Desk"
ACTOR = Actor(DESK_STAFF, "Main desk")
# "Within a few seconds": the default limit is 5 s (+1 s grace on the client).
LIMIT_SECONDS = 10.0

OpenDesk = Callable[[], DeskContext]


def _counts(ctx: DeskContext) -> tuple[int, int]:
    with ctx.sessions() as session:
        loans = session.scalar(select(func.count()).select_from(Loan)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return loans, audit


def _ready(ctx: DeskContext) -> DeskContext:
    seed_cast(ctx)
    add_staff(ctx, DESK_STAFF, Role.DESK, "1111")
    return ctx


@pytest.fixture(autouse=True)
def _default_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests below set DESK_APP_DB_TIMEOUT themselves where they need it."""
    monkeypatch.delenv(DB_TIMEOUT_ENV, raising=False)


# -- the settings ---------------------------------------------------------------


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "nan", "inf", "1e9", "5s"])
def test_h13_p8_a_bad_timeout_setting_is_a_message_naming_it(raw: str) -> None:
    with pytest.raises(ValueError, match=DB_TIMEOUT_ENV):
        database_timeout({DB_TIMEOUT_ENV: raw})


def test_h13_p8_timeout_setting_defaults_to_five_seconds() -> None:
    assert database_timeout({}) == 5.0
    assert database_timeout({DB_TIMEOUT_ENV: " 2.5 "}) == 2.5


@pytest.mark.parametrize(("setting", "expected_ms"), [(None, 5000), ("2.5", 2500)])
def test_h13_p8_sqlite_busy_timeout_is_a_few_seconds_not_thirty(
    tmp_path, monkeypatch, setting: str | None, expected_ms: int
) -> None:
    if setting is not None:
        monkeypatch.setenv(DB_TIMEOUT_ENV, setting)
    engine = make_engine(sqlite_file_url(tmp_path))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == expected_ms
    finally:
        engine.dispose()


def test_h13_p8_watchdog_cuts_a_wait_past_its_deadline_and_nothing_sooner() -> None:
    """The client-side deadline's mechanism, without a server: a blocked read
    is woken (end of file) once its deadline passes; a round trip that ends
    in time keeps its socket."""
    watchdog = Watchdog()
    waiting, peer = socket.socketpair()
    in_time, in_time_peer = socket.socketpair()
    try:
        token = watchdog.arm(in_time.fileno(), 30.0)
        assert watchdog.disarm(token) is False  # answered in time: not cut
        start = time.monotonic()
        token = watchdog.arm(waiting.fileno(), 0.3)
        waiting.settimeout(10.0)  # only if the watchdog failed
        assert waiting.recv(1) == b""  # woken by the cut, not by data
        waited = time.monotonic() - start
        assert watchdog.disarm(token) is True
        assert 0.25 <= waited < 3.0, f"cut after {waited:.2f} s"
        in_time_peer.sendall(b"x")
        assert in_time.recv(1) == b"x"
    finally:
        for sock in (waiting, peer, in_time, in_time_peer):
            sock.close()


# -- SQLite: another desk holds the write lock -----------------------------------


def test_h13_p8_locked_sqlite_checkout_refuses_within_the_busy_timeout(
    tmp_path, monkeypatch, clock: FixedClock, policy: Policy
) -> None:
    monkeypatch.setenv(DB_TIMEOUT_ENV, "1")
    url = sqlite_file_url(tmp_path)
    ctx = _ready(open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock))
    other_desk = sqlite3.connect(tmp_path / "desk.sqlite3", isolation_level=None)
    try:
        before = _counts(ctx)
        other_desk.execute("BEGIN IMMEDIATE")  # another desk's write, never ending
        start = time.monotonic()
        with pytest.raises(OperationalError, match="locked"):
            checkout(ctx, ACTOR, ANNE, item(1))
        waited = time.monotonic() - start
        assert 0.8 <= waited < 4.0, f"waited {waited:.2f} s for a 1 s busy timeout"
        other_desk.execute("ROLLBACK")
        assert _counts(ctx) == before  # nothing written
        assert checkout(ctx, ACTOR, ANNE, item(1)).code is Code.LOANED
    finally:
        other_desk.close()
        ctx.close()


# -- PostgreSQL: a private server the tests stop ----------------------------------


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgInstance]:
    with ExitStack() as stack:
        try:
            server = stack.enter_context(private_postgres())
        except PgUnavailable as reason:
            pytest.skip(str(reason))
        yield server


@pytest.fixture
def open_pg_desk(pg_server: PgInstance, clock: FixedClock, policy: Policy) -> Iterator[OpenDesk]:
    """Opens a desk on a fresh database of the private server (after the test
    has set its environment); always thaws the server and closes the desk."""
    name = f"desk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    opened: list[DeskContext] = []

    def open_() -> DeskContext:
        url = pg_server.url.rsplit("/", 1)[0] + "/" + name
        opened.append(open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock))
        return _ready(opened[-1])

    try:
        yield open_
    finally:
        pg_server.thaw()
        for ctx in opened:
            ctx.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _engine(ctx: DeskContext) -> Any:
    return ctx.sessions.kw["bind"]


@pytest.mark.postgres
@pytest.mark.slow
def test_h13_p8_stopped_postgres_checkout_is_not_done_within_seconds(
    pg_server: PgInstance, open_pg_desk: OpenDesk
) -> None:
    ctx = open_pg_desk()
    with ctx.sessions() as session:  # the server's own limits, from the default 5 s
        assert session.execute(text("SHOW statement_timeout")).scalar() == "5s"
        assert session.execute(text("SHOW lock_timeout")).scalar() == "4s"
    assert checkout(ctx, ACTOR, ANNE, item(1)).code is Code.LOANED
    before = _counts(ctx)
    waited = []
    with pg_server.frozen(max_seconds=60) as stopped:
        assert len(stopped) > 1  # the postmaster and its backends
        # first on the pooled connection (the pre-ping waits its deadline),
        # then on a new one (connect_timeout)
        for _ in range(2):
            start = time.monotonic()
            with pytest.raises(OperationalError):
                checkout(ctx, ACTOR, ANNE, item(2))
            waited.append(time.monotonic() - start)
    assert all(w < LIMIT_SECONDS for w in waited), f"waited {waited} s"
    assert _counts(ctx) == before  # nothing written
    start = time.monotonic()
    assert checkout(ctx, ACTOR, ANNE, item(2)).code is Code.LOANED  # the pool kept no dead one
    assert time.monotonic() - start < LIMIT_SECONDS
    assert _counts(ctx)[0] == before[0] + 1


@pytest.mark.postgres
@pytest.mark.slow
def test_h13_p8_postgres_stopped_mid_checkout_gives_up_and_keeps_nothing(
    pg_server: PgInstance, open_pg_desk: OpenDesk
) -> None:
    """The server stops after the checkout's transaction began, just before
    the loan's INSERT: a statement (not the pre-ping) waits its deadline, and
    the server, running again, rolls the half-done transaction back."""
    ctx = open_pg_desk()
    before = _counts(ctx)

    def stop_before_the_loan(_conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO LOANS") and not pg_server.frozen_pids:
            pg_server.freeze(max_seconds=60)

    event.listen(_engine(ctx), "before_cursor_execute", stop_before_the_loan)
    try:
        start = time.monotonic()
        with pytest.raises(OperationalError, match="did not answer"):
            checkout(ctx, ACTOR, ANNE, item(1))
        waited = time.monotonic() - start
        assert pg_server.frozen_pids, "the server was never stopped: no INSERT INTO loans seen"
    finally:
        event.remove(_engine(ctx), "before_cursor_execute", stop_before_the_loan)
        pg_server.thaw()
    assert waited < LIMIT_SECONDS, f"waited {waited:.1f} s"
    assert _counts(ctx) == before  # rolled back by the server
    assert checkout(ctx, ACTOR, ANNE, item(1)).code is Code.LOANED


@pytest.mark.postgres
def test_h13_p8_postgres_row_lock_wait_ends_at_the_lock_timeout(
    pg_server: PgInstance, open_pg_desk: OpenDesk, monkeypatch
) -> None:
    """Another transaction holds the loans table: the server's lock_timeout
    (0.8 s of a 1 s limit) refuses the checkout cleanly, and the same desk
    goes on."""
    monkeypatch.setenv(DB_TIMEOUT_ENV, "1")
    ctx = open_pg_desk()
    before = _counts(ctx)
    holder = _engine(ctx).connect()
    try:
        holder.exec_driver_sql("LOCK TABLE loans IN ACCESS EXCLUSIVE MODE")
        start = time.monotonic()
        with pytest.raises(OperationalError, match="lock timeout"):
            checkout(ctx, ACTOR, ANNE, item(1))
        waited = time.monotonic() - start
        holder.rollback()
    finally:
        holder.close()
    assert waited < 4.0, f"waited {waited:.1f} s for a 1 s lock timeout"
    assert _counts(ctx) == before
    assert checkout(ctx, ACTOR, ANNE, item(1)).code is Code.LOANED
