"""Issue 13, point 14: a write's time is read after its transaction has begun.

SQLite begins every write IMMEDIATE, so a desk waits at the begin while
another desk holds the write lock. A checkout that read the clock before
waiting behind the check-in of the same item started its loan before the
previous loan had ended (overlaps of 1-2 s under contention). The clock here
moves on one second at every reading, so the order of readings is the order
of the times recorded, and no test sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.context import Actor, DeskContext
from desk_app.services.transactions import write_transaction
from desk_app.store.models import AuditEntry, Item, Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import ANNE, BO, item, seed_cast
from tests.helpers.staffing import ensure_staff


class TickingClock:
    """Wall-clock time that moves on one second at every reading: no two
    readings are equal, and their order is the order they were taken in."""

    def __init__(self, start: datetime) -> None:
        self._next = start
        self._lock = threading.Lock()
        self.readings = 0

    def now(self) -> datetime:
        with self._lock:
            moment = self._next
            self._next += timedelta(seconds=1)
            self.readings += 1
            return moment


@pytest.fixture
def clock() -> TickingClock:  # replaces conftest's fixed clock for ``ctx``
    return TickingClock(datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def other_desk(backend_url: str, clock: TickingClock, policy: Any) -> Iterator[DeskContext]:
    """A second desk on the same database and the same wall clock."""
    desk = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    yield desk
    desk.sessions.kw["bind"].dispose()


def _item_loans(ctx: DeskContext, barcode: str) -> list[Loan]:
    with ctx.sessions() as session:
        return list(
            session.scalars(
                select(Loan).join(Item, Item.id == Loan.item_id).where(Item.barcode == barcode)
            ).all()
        )


def _is_begin(statement: str) -> bool:
    return statement.lstrip().upper().startswith("BEGIN")


def _begins_until_loan_written(desk: DeskContext, act: Callable[[], Any]) -> int:
    """Which BEGIN of ``act``, counted from 1, opens the transaction that
    inserts the loan (a role check may read in a transaction of its own first)."""
    engine = desk.sessions.kw["bind"]
    begins = 0
    found: list[int] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal begins
        if _is_begin(statement):
            begins += 1
        elif statement.lstrip().upper().startswith("INSERT INTO LOANS"):
            found.append(begins)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        act()
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert found, "no loan was written"
    return found[0]


def test_h13_p14_checkout_queued_behind_a_checkin_starts_after_the_loan_ended(
    ctx: DeskContext, other_desk: DeskContext, actor: Actor
) -> None:
    """Desk B's checkout asks for the write lock while desk A checks the same
    item in; B gets the lock only after A commits. The new loan must start at
    or after the end of the loan A closed, and the audit trail run forwards."""
    engine_b = other_desk.sessions.kw["bind"]
    if engine_b.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock is taken at BEGIN IMMEDIATE")
    seed_cast(ctx)
    ensure_staff(ctx, actor.staff)
    desk_b_actor = Actor(actor.staff, "desk-b")
    assert circulation.checkout(ctx, actor, ANNE, item(1)).code is Code.LOANED
    writing_begin = _begins_until_loan_written(
        other_desk, lambda: circulation.checkout(other_desk, desk_b_actor, BO, item(2))
    )

    b_at_lock, a_committed = threading.Event(), threading.Event()
    begins = 0
    outcome: dict[str, Any] = {}

    def queue_behind_a(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Desk B is about to BEGIN IMMEDIATE the transaction that lends: the
        # lock is desk A's until A commits, so B waits here as it would there.
        nonlocal begins
        if _is_begin(statement):
            begins += 1
            if begins == writing_begin:
                b_at_lock.set()
                assert a_committed.wait(timeout=30), "desk A never committed"

    def desk_b() -> None:
        try:
            outcome["verdict"] = circulation.checkout(other_desk, desk_b_actor, BO, item(1))
        except BaseException as exc:  # reported by the main thread
            outcome["error"] = exc

    event.listen(engine_b, "before_cursor_execute", queue_behind_a)
    thread = threading.Thread(target=desk_b)
    try:
        thread.start()
        assert b_at_lock.wait(timeout=30), "desk B never began its transaction"
        returned = circulation.checkin(ctx, actor, item(1))  # desk A
        a_committed.set()
        thread.join(timeout=30)
    finally:
        a_committed.set()
        event.remove(engine_b, "before_cursor_execute", queue_behind_a)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert returned.code is Code.RETURNED
    assert outcome["verdict"].code is Code.LOANED

    first, second = sorted(_item_loans(ctx, item(1)), key=lambda loan: loan.id)
    assert first.ended_at is not None
    assert second.loaned_at >= first.ended_at, (
        f"loan {second.id} starts {second.loaned_at}, before loan {first.id} ended {first.ended_at}"
    )
    with ctx.sessions() as session:
        times = session.scalars(select(AuditEntry.at).order_by(AuditEntry.id)).all()
    assert times == sorted(times), "the audit trail runs backwards"


def test_h13_p14_write_transaction_reads_the_clock_after_begin(
    ctx: DeskContext, clock: TickingClock
) -> None:
    engine = ctx.sessions.kw["bind"]
    began: list[int] = []  # how many clock readings there were at each BEGIN

    def record(_conn: Any) -> None:
        began.append(clock.readings)

    event.listen(engine, "begin", record)
    try:
        before = clock.readings
        with write_transaction(ctx) as (session, now):
            assert began == [before], "the clock was read before the transaction began"
            assert session.in_transaction()
        assert clock.readings == before + 1
        assert now == datetime(2026, 3, 2, 10, 0) + timedelta(seconds=before)
    finally:
        event.remove(engine, "begin", record)


def test_h13_p14_write_transaction_rolls_back_on_error(ctx: DeskContext) -> None:
    seed_cast(ctx)
    with pytest.raises(RuntimeError), write_transaction(ctx) as (session, _now):
        session.add(Item(barcode=item(99), title="never stored"))
        session.flush()
        raise RuntimeError("boom")
    with ctx.sessions() as session:
        assert session.scalar(select(Item).where(Item.barcode == item(99))) is None


def _checkout_other(ctx: DeskContext, actor: Actor) -> Any:
    return circulation.checkout(ctx, actor, ANNE, item(2))


def _checkin(ctx: DeskContext, actor: Actor) -> Any:
    return circulation.checkin(ctx, actor, item(1))


def _renew(ctx: DeskContext, actor: Actor) -> Any:
    return circulation.renew(ctx, actor, item(1))


def _request(ctx: DeskContext, actor: Actor) -> Any:
    return circulation.request(ctx, actor, BO, item(1))


def _found(ctx: DeskContext, actor: Actor) -> Any:
    return circulation.found_on_shelf(ctx, actor, item(1))


def _undo(ctx: DeskContext, actor: Actor) -> Any:
    loan_id = _item_loans(ctx, item(1))[0].id
    return circulation.undo_checkout(ctx, actor, loan_id)


@pytest.mark.parametrize(
    "action",
    [_checkout_other, _checkin, _renew, _request, _found, _undo],
    ids=["checkout", "checkin", "renew", "request", "found_on_shelf", "undo_checkout"],
)
def test_h13_p14_every_desk_action_reads_the_clock_after_begin(
    ctx: DeskContext,
    clock: TickingClock,
    actor: Actor,
    action: Callable[[DeskContext, Actor], Any],
) -> None:
    """Each circulation write takes its time inside the transaction that
    writes: between that transaction's BEGIN and its first write, and never
    before it (a role check may read in a transaction of its own first)."""
    seed_cast(ctx)
    ensure_staff(ctx, actor.staff)
    assert circulation.checkout(ctx, actor, ANNE, item(1)).code is Code.LOANED
    engine = ctx.sessions.kw["bind"]
    log: list[str] = []

    def began(_conn: Any) -> None:  # a transaction began (SQLite: BEGIN IMMEDIATE ran)
        log.append("begin")

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            log.append("write")

    real_now = clock.now

    def now() -> datetime:
        log.append("now")
        return real_now()

    event.listen(engine, "begin", began)
    event.listen(engine, "before_cursor_execute", watch)
    clock.now = now  # type: ignore[method-assign]
    try:
        action(ctx, actor)
    finally:
        del clock.now
        event.remove(engine, "before_cursor_execute", watch)
        event.remove(engine, "begin", began)
    assert "write" in log, f"the action wrote nothing: {log}"
    first_write = log.index("write")
    writing_begin = max(i for i, entry in enumerate(log[:first_write]) if entry == "begin")
    assert "now" not in log[:writing_begin], f"the clock was read before the BEGIN: {log}"
    assert "now" in log[writing_begin:first_write], f"no time was taken for the write: {log}"
