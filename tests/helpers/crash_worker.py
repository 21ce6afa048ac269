"""Kill a desk with SIGKILL in the middle of checkouts and check-ins, and
check that the database never holds a lost or half-written loan (issue 13,
the crash-safety class of docs/reliability.md).

The worker (``python -m tests.helpers.crash_worker URL``, the CPR key in
DESK_APP_CPR_KEY) is a desk process: it opens the database with
``wiring.open_desk`` on the system clock and lends and takes back a set of
items through the real services as a supervisor, printing one line *after*
each commit (``LOANED <loan id> <item>`` / ``RETURNED <loan id> <item>``).
A line printed is therefore a commit made; at most the one action in flight
when the kill lands may have committed without its line.

:func:`run_campaign` seeds a database, then kills one worker after another
at varied moments (after ``k`` lines plus a short delay, both drawn from a
seeded random generator, so a run can be repeated) and after every kill
checks the invariants (:func:`check_invariants`); the next worker goes on
with the same database. The test (tests/services/test_h13_crash_kill9.py)
and the figures (benchmarks/reliability_run.py) both use it.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from desk_app.store.models import AuditEntry, Item, Loan
from tests.helpers.people import ANNE, BO, CECILIE, item

REPO = Path(__file__).resolve().parent.parent.parent
KEY_ENV = "DESK_APP_CPR_KEY"
WORKER_STAFF = "test-staff"  # tests.helpers.staffing's supervisor
WORKER_DESK = "crash-desk"
# Home-loan items of their own (not seed_cast's), lent to three borrowers in turn.
ITEMS = tuple(item(100 + n) for n in range(8))
CARDS = (ANNE, BO, CECILIE)
CHECKOUT_ACTIONS = ("checkout", "checkout_override")
LINE_TIMEOUT_S = 60.0  # a worker that prints nothing for this long has hung: fail, not wait
UNEXPECTED_EXIT = 3


# -- the worker ------------------------------------------------------------------


def worker_main(argv: list[str]) -> int:
    """Lend and take back :data:`ITEMS` until killed (or ``max_steps``)."""
    from desk_app.clock import SystemClock
    from desk_app.domain.verdict import Code
    from desk_app.services.circulation import checkin, checkout
    from desk_app.services.context import Actor
    from desk_app.wiring import open_desk

    url = argv[0]
    max_steps = int(argv[1]) if len(argv) > 1 else 1_000_000
    ctx = open_desk(url, cpr_key=os.environ[KEY_ENV].encode(), clock=SystemClock())
    actor = Actor(WORKER_STAFF, WORKER_DESK)
    with ctx.sessions() as session:  # what the killed worker before left on loan
        on_loan = dict(
            session.execute(
                select(Item.barcode, Loan.id)
                .join(Loan, Loan.item_id == Item.id)
                .where(Loan.state == "open", Item.barcode.in_(ITEMS))
            ).all()
        )
    print("READY", flush=True)
    for step in range(max_steps):
        barcode = ITEMS[step % len(ITEMS)]
        if barcode in on_loan:
            outcome = checkin(ctx, actor, barcode)
            if outcome.code is not Code.RETURNED:
                print(f"UNEXPECTED {outcome.code.value} checkin {barcode}", flush=True)
                return UNEXPECTED_EXIT
            print(f"RETURNED {on_loan.pop(barcode)} {barcode}", flush=True)
        else:
            card = CARDS[(step + step // len(ITEMS)) % len(CARDS)]
            outcome = checkout(ctx, actor, card, barcode)
            if outcome.code is not Code.LOANED:
                print(f"UNEXPECTED {outcome.code.value} checkout {barcode}", flush=True)
                return UNEXPECTED_EXIT
            on_loan[barcode] = int(outcome.data["loan_id"])
            print(f"LOANED {on_loan[barcode]} {barcode}", flush=True)
    ctx.close()
    return 0


# -- the database's state ------------------------------------------------------------


@dataclass
class Snapshot:
    """What the invariants found, and the counts the next kill compares with."""

    loans: int = 0
    returned: int = 0
    open_loans: int = 0
    problems: list[str] = field(default_factory=list)
    loan_states: dict[int, str] = field(default_factory=dict)


def check_invariants(url: str) -> Snapshot:
    """Every invariant a kill must not break, as a list of problems (empty: all
    hold): the file is sound (SQLite), no item has two open loans, every loan
    has exactly its audit rows with the loan's own times and every checkout or
    check-in audit row its loan in the matching state, no loan ends before it
    starts, and loans of one item never overlap."""
    snap = Snapshot()
    problems = snap.problems
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if url.startswith("sqlite"):
                integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
                if integrity != ["ok"]:
                    problems.append(f"integrity_check: {integrity[:5]}")
                foreign = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
                if foreign:
                    problems.append(f"foreign_key_check: {foreign[:5]}")
        with Session(engine) as session:
            loans = session.scalars(select(Loan).order_by(Loan.id)).all()
            audits = session.scalars(
                select(AuditEntry).where(AuditEntry.action.in_((*CHECKOUT_ACTIONS, "checkin")))
            ).all()
            _check_loans(loans, audits, problems)
            snap.loans = len(loans)
            snap.returned = sum(loan.state == "returned" for loan in loans)
            snap.open_loans = sum(loan.state == "open" for loan in loans)
            snap.loan_states = {loan.id: loan.state for loan in loans}
    finally:
        engine.dispose()
    return snap


def _check_loans(loans: list[Loan], audits: list[AuditEntry], problems: list[str]) -> None:
    by_id = {loan.id: loan for loan in loans}
    out_rows: dict[int, list[AuditEntry]] = defaultdict(list)
    in_rows: dict[int, list[AuditEntry]] = defaultdict(list)
    for row in audits:
        if row.loan_id is None or row.loan_id not in by_id:
            problems.append(f"audit {row.id} ({row.action} {row.code}) names no loan")
            continue
        loan = by_id[row.loan_id]
        if row.item_id != loan.item_id:
            problems.append(f"audit {row.id} names item {row.item_id}, loan {loan.id} another")
        if row.action in CHECKOUT_ACTIONS:
            out_rows[loan.id].append(row)
            if row.code != "LOANED" or row.at != loan.loaned_at:
                problems.append(f"audit {row.id}: {row.code} at {row.at} for loan {loan.id}")
        else:
            in_rows[loan.id].append(row)
            if row.code != "RETURNED" or loan.state != "returned" or row.at != loan.ended_at:
                problems.append(
                    f"audit {row.id}: {row.code} at {row.at} for loan {loan.id} "
                    f"({loan.state}, ended {loan.ended_at})"
                )
    open_per_item = Counter(loan.item_id for loan in loans if loan.state == "open")
    problems.extend(
        f"item {item_id} has {n} open loans" for item_id, n in open_per_item.items() if n > 1
    )
    per_item: dict[int, list[Loan]] = defaultdict(list)
    for loan in loans:
        per_item[loan.item_id].append(loan)
        if len(out_rows[loan.id]) != 1:
            problems.append(f"loan {loan.id} has {len(out_rows[loan.id])} checkout audit rows")
        if loan.state == "open":
            if loan.ended_at is not None or in_rows[loan.id]:
                problems.append(f"open loan {loan.id} has an end or a check-in audit row")
        elif loan.state == "returned":
            if loan.ended_at is None or loan.ended_at < loan.loaned_at:
                problems.append(f"loan {loan.id} ends {loan.ended_at}, before {loan.loaned_at}")
            if len(in_rows[loan.id]) != 1:
                problems.append(f"loan {loan.id} has {len(in_rows[loan.id])} check-in audit rows")
        else:
            problems.append(f"loan {loan.id} is {loan.state!r}, neither open nor returned")
    for item_id, item_loans in per_item.items():
        ordered = sorted(item_loans, key=lambda loan: (loan.loaned_at, loan.id))
        for before, after in pairwise(ordered):
            if before.ended_at is None or after.loaned_at < before.ended_at:
                problems.append(
                    f"item {item_id}: loan {after.id} starts {after.loaned_at} while loan "
                    f"{before.id} ({before.loaned_at} to {before.ended_at}) is not over"
                )


# -- the campaign ----------------------------------------------------------------------


@dataclass
class Kill:
    """One worker's life: what it printed before SIGKILL, and what the
    database says afterwards."""

    number: int
    after_lines: int  # the kill was sent after this many lines (plus delay_ms)
    delay_ms: float
    loaned: list[int]  # loan ids of the LOANED lines the worker printed
    returned: list[int]  # loan ids of its RETURNED lines
    extra: int  # commits made without their line: 0, or 1 (the one in flight)
    problems: list[str]
    started_s: float  # from the worker's start to READY


@dataclass
class Campaign:
    kills: list[Kill] = field(default_factory=list)
    final: Snapshot = field(default_factory=Snapshot)
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        return [f"kill {k.number}: {p}" for k in self.kills for p in k.problems]

    @property
    def lines(self) -> int:
        return sum(len(k.loaned) + len(k.returned) for k in self.kills)

    @property
    def in_flight_commits(self) -> int:
        return sum(k.extra for k in self.kills)


def seed_database(url: str, key: bytes) -> None:
    """The cast, :data:`ITEMS` and the supervisor the workers act as."""
    from desk_app.services.enrolment import ItemRecord, declare
    from desk_app.wiring import open_desk
    from tests.helpers.people import seed_cast
    from tests.helpers.staffing import ensure_staff

    ctx = open_desk(url, cpr_key=key)
    try:
        seed_cast(ctx)
        actor = ensure_staff(ctx, WORKER_STAFF)
        records = [ItemRecord(b, f"Crash test copy {n}") for n, b in enumerate(ITEMS, 1)]
        declare(ctx, actor, items=records)
    finally:
        ctx.close()


def run_campaign(
    url: str,
    key: bytes,
    kills: int,
    seed: int = 13,
    max_lines: int = 12,
    max_delay_ms: float = 15.0,
    progress: bool = False,
) -> Campaign:
    """Seed ``url`` and kill ``kills`` workers on it one after another."""
    started = time.monotonic()
    seed_database(url, key)
    rng = random.Random(seed)
    campaign = Campaign()
    before = check_invariants(url)
    for number in range(1, kills + 1):
        after_lines = rng.randint(1, max_lines)
        delay_ms = rng.uniform(0.0, max_delay_ms)
        kill, before = _one_kill(url, key, number, after_lines, delay_ms, before)
        campaign.kills.append(kill)
        if progress and number % 10 == 0:
            print(f"  {number}/{kills} kills, {campaign.lines} lines", file=sys.stderr)
    campaign.final = before
    campaign.seconds = time.monotonic() - started
    return campaign


def _one_kill(
    url: str, key: bytes, number: int, after_lines: int, delay_ms: float, before: Snapshot
) -> tuple[Kill, Snapshot]:
    env = {**os.environ, KEY_ENV: key.decode(), "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        start = time.monotonic()
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crash_worker", url],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(worker, lines), daemon=True)
        reader.start()
        seen: list[str] = []
        problems: list[str] = []
        ready_s = 0.0
        try:
            while len(seen) < after_lines + 1:  # READY, then after_lines commits
                line = lines.get(timeout=LINE_TIMEOUT_S)
                if line is None:
                    break  # the worker ended by itself: reported below
                seen.append(line)
                if line == "READY":
                    ready_s = time.monotonic() - start
            time.sleep(delay_ms / 1000)  # a varied moment: any step of the next commits
        except queue.Empty:
            problems.append(f"the worker printed nothing for {LINE_TIMEOUT_S:.0f} s")
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            reader.join(timeout=LINE_TIMEOUT_S)
            assert worker.stdout is not None
            worker.stdout.close()
        while (line := lines.get_nowait() if not lines.empty() else None) is not None:
            seen.append(line)
        if worker.returncode != -signal.SIGKILL:
            stderr.seek(0)
            tail = stderr.read()[-2000:]
            problems.append(
                f"the worker ended by itself (exit {worker.returncode}) before the kill: "
                f"{seen[-1:]} {tail}"
            )
    loaned = [int(line.split()[1]) for line in seen if line.startswith("LOANED ")]
    returned = [int(line.split()[1]) for line in seen if line.startswith("RETURNED ")]
    after = check_invariants(url)
    problems += after.problems
    # No lost loan: a loan the worker reported is there, in the reported state.
    missing = [i for i in loaned if i not in after.loan_states]
    problems += [f"loan {i} reported LOANED is missing" for i in missing]
    problems += [
        f"loan {i} reported RETURNED is {after.loan_states.get(i)!r}"
        for i in returned
        if after.loan_states.get(i) != "returned"
    ]
    # No phantom: besides the reported commits, at most the one in flight.
    extra = (after.loans - before.loans - len(loaned)) + (
        after.returned - before.returned - len(returned)
    )
    if extra not in (0, 1):
        problems.append(
            f"{after.loans - before.loans} new loans and {after.returned - before.returned} "
            f"returns for {len(loaned)} LOANED and {len(returned)} RETURNED lines"
        )
    kill = Kill(number, after_lines, delay_ms, loaned, returned, extra, problems, ready_s)
    return kill, after


def _read_lines(worker: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert worker.stdout is not None
    for line in worker.stdout:
        lines.put(line.strip())
    lines.put(None)


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
