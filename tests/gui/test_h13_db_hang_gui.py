"""Issue 13 point 8 in the real window: with the database locked (SQLite) or
stopped (PostgreSQL, SIGSTOP), a scan ends in the red "Not done" banner within
a few seconds, and the next scan after the database is back is lent.

Keys are typed into the scan field as a wedge scanner types them."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine, func, select

from desk_app.clock import FixedClock
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Role
from desk_app.gui.desk_window import DeskWindow
from desk_app.gui.sounds import Sounds
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk import DeskSession, Tone
from desk_app.services.staff import add_staff
from desk_app.settings import DeskSettings
from desk_app.store.engine import DB_TIMEOUT_ENV
from desk_app.store.models import Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.gui.conftest import STAFF, scan
from tests.helpers.people import ANNE, item, seed_cast
from tests.helpers.pg_instance import PgInstance, PgUnavailable, private_postgres

NOT_DONE = "Not done: the database did not answer"


def _loans(ctx: DeskContext) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count()).select_from(Loan)) or 0


def _scan_and_wait(qtbot, window: DeskWindow, text: str, title: str) -> float:  # type: ignore[no-untyped-def]
    """Type a scan; seconds until the banner shows ``title`` (at most 30 s)."""
    start = time.monotonic()
    scan(qtbot, window, text)
    qtbot.waitUntil(lambda: window.banner.title == title, timeout=30_000)
    return time.monotonic() - start


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """1 s instead of the default 5 s: the same path, a quicker test. Listed
    before the window's fixtures so the desk's engine is made with it."""
    monkeypatch.setenv(DB_TIMEOUT_ENV, "1")


def test_h13_p8_locked_sqlite_scan_says_not_done_and_the_desk_goes_on(
    short_timeout, qtbot, window: DeskWindow, gui_ctx: DeskContext, tmp_path
) -> None:
    scan(qtbot, window, ANNE)
    assert window.banner.title == "Anne Jensen"
    other_desk = sqlite3.connect(tmp_path / "desk.sqlite3", isolation_level=None)
    try:
        other_desk.execute("BEGIN IMMEDIATE")  # another desk's write lock, held
        waited = _scan_and_wait(qtbot, window, item(1), NOT_DONE)
        assert window.banner.tone is Tone.REFUSED
        assert window.scan_field.hasFocus() and window.scan_field.text() == ""
        other_desk.execute("ROLLBACK")
    finally:
        other_desk.close()
    assert waited < 4.0, f"the banner came after {waited:.1f} s (busy timeout 1 s)"
    assert _loans(gui_ctx) == 0
    _scan_and_wait(qtbot, window, item(1), "Loaned")
    assert _loans(gui_ctx) == 1


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgInstance]:
    with ExitStack() as stack:
        try:
            server = stack.enter_context(private_postgres())
        except PgUnavailable as reason:
            pytest.skip(str(reason))
        yield server


@pytest.fixture
def pg_ctx(pg_server: PgInstance, clock: FixedClock, policy: Policy) -> Iterator[DeskContext]:
    name = f"desk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = pg_server.url.rsplit("/", 1)[0] + "/" + name
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    try:
        seed_cast(ctx)
        add_staff(ctx, STAFF[Role.DESK], Role.DESK, "1111")
        yield ctx
    finally:
        pg_server.thaw()
        ctx.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_h13_p8_stopped_postgres_scan_says_not_done_within_seconds(
    qtbot, pg_server: PgInstance, pg_ctx: DeskContext
) -> None:
    """The default limits (5 s, +1 s on the client): the banner within 10 s."""
    settings = DeskSettings(language="en", sounds=False)
    session = DeskSession(pg_ctx, Actor(STAFF[Role.DESK], settings.desk_name))
    window = DeskWindow(session, Role.DESK, settings, Sounds(False), "postgresql (test)")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    scan(qtbot, window, ANNE)
    assert window.banner.title == "Anne Jensen"
    assert _scan_and_wait(qtbot, window, item(1), "Loaned") < 5.0
    with pg_server.frozen(max_seconds=60):
        waited = _scan_and_wait(qtbot, window, item(2), NOT_DONE)
        assert window.banner.tone is Tone.REFUSED
    assert waited < 10.0, f"the banner came after {waited:.1f} s"
    assert window.scan_field.hasFocus() and window.scan_field.text() == ""
    assert _loans(pg_ctx) == 1  # item 2 was not lent
    # the server runs again: the next keys are a scan like any other
    assert _scan_and_wait(qtbot, window, item(2), "Loaned") < 5.0
    assert _loans(pg_ctx) == 2
