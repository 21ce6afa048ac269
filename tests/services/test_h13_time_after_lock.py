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
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from desk_app.domain.calendar import HalfYear
from desk_app.domain.material import Alternative
from desk_app.domain.verdict import Code
from desk_app.services import (
    cards,
    circulation,
    claims,
    ill,
    notice_mail,
    notices,
    orders,
    staff,
    supervision,
    transport,
)
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import ItemRecord, declare
from desk_app.services.notice_letters import Signature
from desk_app.services.notice_mail import MailSettings
from desk_app.services.transactions import write_transaction
from desk_app.store.models import AuditEntry, Borrower, Card, Item, Loan, NoticeMail
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import ANNE, BO, CECILIE, item, seed_cast
from tests.helpers.staffing import ensure_staff

SIGN = Signature("Det Kgl. Bibliotek", "Udlånet, Main desk")


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


def _clock_and_writes(ctx: DeskContext, clock: TickingClock, act: Callable[[], Any]) -> list[str]:
    """What happened during ``act``, in order: "begin" (a transaction began:
    on SQLite, after its BEGIN IMMEDIATE ran), "end" (it committed or rolled
    back), "write" (an INSERT, UPDATE or DELETE) and "now" (a clock reading)."""
    engine = ctx.sessions.kw["bind"]
    log: list[str] = []

    def began(_conn: Any) -> None:
        log.append("begin")

    def ended(_conn: Any) -> None:
        log.append("end")

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            log.append("write")

    real_now = clock.now

    def now() -> datetime:
        log.append("now")
        return real_now()

    listeners = [("begin", began), ("commit", ended), ("rollback", ended)]
    listeners.append(("before_cursor_execute", watch))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    clock.now = now  # type: ignore[method-assign]
    try:
        act()
    finally:
        del clock.now
        for name, listener in listeners:
            event.remove(engine, name, listener)
    return log


def _assert_time_taken_after_begin(log: list[str]) -> None:
    """The first write's transaction took its time between its BEGIN and
    that write, no clock was read before that BEGIN (a role check may read
    in a transaction of its own first), and every reading was made inside a
    transaction: a later write's time too (a message's claim after the
    outbox's tidy, say) was read after its BEGIN, not between transactions."""
    assert "write" in log, f"the action wrote nothing: {log}"
    first_write = log.index("write")
    writing_begin = max(i for i, entry in enumerate(log[:first_write]) if entry == "begin")
    assert "now" not in log[:writing_begin], f"the clock was read before the BEGIN: {log}"
    assert "now" in log[writing_begin:first_write], f"no time was taken for the write: {log}"
    in_transaction = False
    for entry in log:
        if entry in ("begin", "end"):
            in_transaction = entry == "begin"
        elif entry == "now":
            assert in_transaction, f"the clock was read outside a transaction: {log}"


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
    _assert_time_taken_after_begin(_clock_and_writes(ctx, clock, lambda: action(ctx, actor)))


# The other writing services. Each case prepares what its action needs (not
# watched) and returns the watched call, and the code it answers with.
Prepared = Callable[[DeskContext, Actor], tuple[Callable[[], Any], Code | None]]
ROUTE_DAY = date(2026, 3, 2)  # the ticking clock's day: item(1) waits for the NORTH courier
MAIL = MailSettings(host="127.0.0.1", port=25, security="none", sender="udlaan@kb.dk")


class _TakesEverything:
    """A mail server that takes every message."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_message(self, msg: Any) -> None:
        self.sent.append(msg["To"])

    def quit(self) -> None:
        pass


def _dispatched(ctx: DeskContext, actor: Actor) -> None:
    assert transport.dispatch(ctx, actor, "NORTH", ROUTE_DAY, [item(1)]).code is Code.DISPATCHED


def _confirm_delivered(ctx: DeskContext, actor: Actor) -> tuple[Callable[[], Any], Code | None]:
    _dispatched(ctx, actor)
    return lambda: transport.confirm_delivered(ctx, actor, "NORTH", ROUTE_DAY), Code.DELIVERED


def _announce_return(ctx: DeskContext, actor: Actor) -> tuple[Callable[[], Any], Code | None]:
    _dispatched(ctx, actor)
    assert transport.confirm_delivered(ctx, actor, "NORTH", ROUTE_DAY).code is Code.DELIVERED
    return lambda: transport.announce_return(ctx, actor, item(1)), Code.RETURN_ANNOUNCED


def _sign_in(ctx: DeskContext, actor: Actor) -> tuple[Callable[[], Any], Code | None]:
    """A wrong PIN (no PIN matches the test's staff): audited, and counted."""

    def sign_in() -> None:
        refused = staff.sign_in(ctx, pin="0000", name=actor.staff, desk=actor.desk)
        assert isinstance(refused, staff.SignInRefused), refused

    return sign_in, None


def _anne_id(ctx: DeskContext) -> int:
    with ctx.sessions() as session:
        borrower_id = session.scalar(select(Card.borrower_id).where(Card.lookup == ANNE))
    assert borrower_id is not None
    return borrower_id


def _prepare_mail(ctx: DeskContext, actor: Actor) -> _TakesEverything:
    """A notice for Anne, waiting to be e-mailed."""
    with ctx.sessions.begin() as session:
        session.execute(
            update(Borrower).where(Borrower.id == _anne_id(ctx)).values(email="anne@di.ku.dk")
        )
    assert notices.run_notices(ctx, actor, date(2028, 1, 3)).data["notices"]
    with ctx.sessions() as session:
        assert session.scalars(select(NoticeMail.state)).all() == ["pending"]
    return _TakesEverything()


def _send_pending(ctx: DeskContext, actor: Actor) -> tuple[Callable[[], Any], Code | None]:
    server = _prepare_mail(ctx, actor)

    def send() -> None:
        report = notice_mail.send_pending(ctx, actor, MAIL, SIGN, "da", connect=lambda _m: server)
        assert report.sent == 1 and server.sent == ["anne@di.ku.dk"], report

    return send, None


def _send_to_a_dead_server(ctx: DeskContext, actor: Actor) -> tuple[Callable[[], Any], Code | None]:
    """The server does not answer: the time of the attempt goes on the message."""
    _prepare_mail(ctx, actor)

    def refused(_mail: MailSettings) -> Any:
        raise ConnectionRefusedError("connection refused")

    def send() -> None:
        report = notice_mail.send_pending(ctx, actor, MAIL, SIGN, "da", connect=refused)
        assert report.trouble == notice_mail.UNREACHABLE, report
        with ctx.sessions() as session:
            assert session.scalars(select(NoticeMail.last_attempt_at)).one() is not None

    return send, None


def _record_loading(ctx: DeskContext, actor: Actor) -> tuple[Callable[[], Any], Code | None]:
    loan_id = _item_loans(ctx, item(1))[0].id

    def load() -> None:
        answer = transport.record_loading(ctx, actor, "NORTH", ROUTE_DAY, loan_id)
        assert answer.outcome == "loaded", answer

    return load, None


SERVICES: dict[str, Prepared] = {
    "card_lost": lambda c, a: (lambda: cards.card_lost(c, a, CECILIE), Code.CARD_REPLACED),
    "declare_lost": lambda c, a: (lambda: claims.declare_lost(c, a, item(1)), Code.LOST),
    "bill_claims": lambda c, a: (lambda: claims.bill_claims(c, a, HalfYear(2026, 1)), Code.BILLED),
    "ill.receive": lambda c, a: (
        lambda: ill.receive(c, a, BO, item(50), "ILL book", "SE"),
        Code.LOANED,
    ),
    "order_alternative": lambda c, a: (
        lambda: orders.order_alternative(c, a, ANNE, item(3), Alternative.ILL),
        Code.ORDERED,
    ),
    "sign_in (refused)": _sign_in,
    "settle_by_contact (refused)": lambda c, a: (
        lambda: supervision.settle_by_contact(c, a, ANNE, item(1), ""),
        Code.SETTLE_REFUSED,
    ),
    "settle_for_borrower (refused)": lambda c, a: (
        lambda: supervision.settle_for_borrower(c, a, _anne_id(c), item(1), ""),
        Code.SETTLE_REFUSED,
    ),
    "record_loading": _record_loading,
    "dispatch": lambda c, a: (
        lambda: transport.dispatch(c, a, "NORTH", ROUTE_DAY, [item(1)]),
        Code.DISPATCHED,
    ),
    "confirm_delivered": _confirm_delivered,
    "announce_return": _announce_return,
    "run_notices": lambda c, a: (
        lambda: notices.run_notices(c, a, date(2028, 1, 3)),
        Code.NOTICES,
    ),
    "tidy_outbox": lambda c, a: (lambda: notice_mail.tidy_outbox(c), None),
    "send_pending": _send_pending,
    "send_pending (server down)": _send_to_a_dead_server,
    "declare": lambda c, a: (
        lambda: declare(c, a, items=[ItemRecord(item(40), "A new book")]),
        None,
    ),
    "authorize (refusal audited)": lambda c, a: (
        lambda: circulation.checkout(c, Actor("Nobody Known", a.desk), ANNE, item(2)),
        Code.NOT_PERMITTED,
    ),
}


@pytest.mark.parametrize("name", list(SERVICES))
def test_h13_p14_every_writing_service_reads_the_clock_after_begin(
    ctx: DeskContext, clock: TickingClock, actor: Actor, name: str
) -> None:
    """Cards, claims, ILL, orders, sign-in, settlements, routes, notices and
    their e-mail, declarations and an audited refusal: each takes the time
    of its write after its transaction began, as the circulation does."""
    seed_cast(ctx)
    ensure_staff(ctx, actor.staff)
    assert circulation.checkout(ctx, actor, ANNE, item(1)).code is Code.LOANED
    act, code = SERVICES[name](ctx, actor)
    answers: list[Any] = []
    _assert_time_taken_after_begin(_clock_and_writes(ctx, clock, lambda: answers.append(act())))
    if code is not None:
        assert answers[0].code is code, answers[0]
