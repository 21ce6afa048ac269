"""Issue 13 point 8, the one case the client-side deadline leaves in doubt: a
COMMIT that reached a stopped PostgreSQL server before the desk gave up is
carried out when the server runs again, although the desk said "not done".
Repeating the check-out then is harmless: it is refused as "already has the
item on loan"; no second loan is written, only the refusal is audited.

Runs on a private server that the test stops (tests/helpers/pg_instance.py);
skips when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.exc import OperationalError

from desk_app.clock import FixedClock
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.services.circulation import checkout
from desk_app.services.context import Actor, DeskContext
from desk_app.services.staff import add_staff
from desk_app.store.engine import DB_TIMEOUT_ENV
from desk_app.store.models import AuditEntry, Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import ANNE, item, seed_cast
from tests.helpers.pg_instance import PgInstance, PgUnavailable, private_postgres

ACTOR = Actor("Dorte Desk", "Main desk")


@pytest.fixture
def pg_server() -> Iterator[PgInstance]:
    with ExitStack() as stack:
        try:
            server = stack.enter_context(private_postgres())
        except PgUnavailable as reason:
            pytest.skip(str(reason))
        yield server


def _counts(ctx: DeskContext) -> tuple[int, int]:
    with ctx.sessions() as session:
        loans = session.scalar(select(func.count()).select_from(Loan)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return loans, audit


def _wait_for_other_backends_to_end(url: str, seconds: float = 20.0) -> None:
    """The desk's cut-off backend ends once it has read its COMMIT and the
    end of its socket: then what it did is visible to every new transaction."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        deadline = time.monotonic() + seconds
        with engine.connect() as conn:
            while time.monotonic() < deadline:
                others = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).scalar()
                if others == 0:
                    return
                time.sleep(0.05)  # polling for the backend's exit, not waiting out a time
        raise AssertionError("the cut-off backend did not end")
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_h13_p8_a_commit_cut_off_at_a_stopped_server_is_done_and_a_repeat_is_refused(
    pg_server: PgInstance, monkeypatch, clock: FixedClock, policy: Policy
) -> None:
    monkeypatch.setenv(DB_TIMEOUT_ENV, "1")
    name = f"desk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = pg_server.url.rsplit("/", 1)[0] + "/" + name
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    engine = ctx.sessions.kw["bind"]

    def stop_the_server_before_commit(_conn: object) -> None:
        if not pg_server.frozen_pids:
            pg_server.freeze(max_seconds=60)

    try:
        seed_cast(ctx)
        add_staff(ctx, ACTOR.staff, Role.DESK, "1111")
        before = _counts(ctx)
        event.listen(engine, "commit", stop_the_server_before_commit)
        try:
            with pytest.raises(OperationalError, match="did not answer"):
                checkout(ctx, ACTOR, ANNE, item(1))  # the desk says "not done"
            assert pg_server.frozen_pids, "the server was never stopped before a COMMIT"
        finally:
            event.remove(engine, "commit", stop_the_server_before_commit)
            pg_server.thaw()
        _wait_for_other_backends_to_end(url)
        loans, audit = _counts(ctx)
        # the COMMIT the server had received was carried out: the loan is there
        assert loans == before[0] + 1 and audit > before[1]
        again = checkout(ctx, ACTOR, ANNE, item(1))  # the operator scans it again
        assert again.code is Code.ON_LOAN
        assert "already has the item on loan" in again.message("en")
        assert _counts(ctx) == (loans, audit + 1)  # no second loan: only the refusal audited
        with ctx.sessions() as session:
            last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
            assert last is not None and last.code == Code.ON_LOAN.value and last.loan_id is None
    finally:
        ctx.close()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
