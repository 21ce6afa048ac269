"""Time of the daily notices run (§5) over 300,000 open loans (issue 5).

Builds a fresh database of synthetic data: ~30,000 borrowers with a library
card each, one item per loan, and 300,000 open institute-capacity loans spread
over the ladder as the daily runs would have left them up to yesterday (most
not yet due; a few % due yesterday, so RECALLed today; loans at RECALL and
REMINDER_1..3 whose deadlines pass today or later; some at SUSPENSION; some
settled by contact, a few with the agreed date passed), plus private-capacity
loans (not on the ladder) and returned loans (history). Then it times
``run_notices(ctx, actor, day)`` as the desk runs it, the same day again
(idempotent: 0 notices) and the next day, and prints where the time went,
statement by statement. Target: the day's run in ≤ 5 s.

    .venv/bin/python benchmarks/notices_run.py [--loans 300000] [--seed 1]
    .venv/bin/python benchmarks/notices_run.py --db postgresql+psycopg://postgres@127.0.0.1/test

SQLite: a file in a temporary folder, removed afterwards (``--keep`` keeps it).
PostgreSQL: ``--db`` names a server (and a database to connect to); the
benchmark creates a database of its own there, ``deskapp_bench_<random>``,
and drops it afterwards; it never writes to the database it connects to.
After loading it runs ANALYZE, as autovacuum would have on a live database.

Every day's notices are counted by step and compared with what the domain's
own evaluator (``domain.ladder.next_notice``) says for the same loans, so a
fast no-op cannot pass.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import make_url

from desk_app.clock import FixedClock
from desk_app.domain.barcodes import with_check_digit
from desk_app.domain.calendar import add_period
from desk_app.domain.facts import Step
from desk_app.domain.ladder import LADDER, LadderState, agreed_date, deadline_of, next_notice
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Job
from desk_app.policy_file import load_policy
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import policy_institutes, upsert_institutes
from desk_app.services.notices import run_notices
from desk_app.store.engine import normalise_url, sqlite_url
from desk_app.store.models import Borrower, Card, Item, Loan
from desk_app.wiring import open_desk

TARGET_S = 5.0
CHUNK = 10_000
ACTOR = Actor("benchmark", "KUB Nord", job=Job.DAILY_RUN)  # as the daily run (roles)
STEPS = tuple(s.value for s in Step)
CATEGORIES = (("researcher", 40), ("phd_student", 25), ("teacher", 20), ("emeritus", 5))
FIRST = ("Karen", "Jens", "Mette", "Søren", "Anne", "Bo", "Ida", "Niels", "Åse", "Lars")
LAST = ("Jørgensen", "Hansen", "Nielsen", "Ørsted", "Bohr", "Holm", "Krogh", "Lund", "Møller")
WORDS = ("kvante", "historie", "grundlag", "teori", "metode", "studier", "analyse", "rettens")
# Where the open institute loans stand on the run's day (shares of --loans).
MIX: tuple[tuple[str, float], ...] = (
    ("not due", 0.810),
    ("due today", 0.005),  # RECALL tomorrow
    ("due yesterday", 0.030),  # RECALL today
    ("RECALL", 0.050),
    ("REMINDER_1", 0.030),
    ("REMINDER_2", 0.020),
    ("REMINDER_3", 0.015),
    ("SUSPENSION", 0.025),
    ("settled", 0.015),  # S5, back to SUSPENSION the day after the agreed date
)


@dataclass
class Generated:
    borrowers: int = 0
    items: int = 0
    institute: int = 0
    private: int = 0
    returned: int = 0
    states: Counter[str] = field(default_factory=Counter)
    expected: dict[date, Counter[str]] = field(default_factory=dict)
    seconds: float = 0.0


class Plan:
    """The synthetic loans, planned with the domain's ladder and periods."""

    def __init__(self, day: date, policy: Policy, rng: random.Random) -> None:
        self.day = day
        self.policy = policy
        self.rng = rng
        yesterday = day - timedelta(days=1)
        # The days a loan can have received each step and still stand at it
        # this morning: its deadline has not passed before yesterday's run.
        self.windows: dict[str, list[date]] = {}
        for rung in LADDER:
            if rung.deadline is None:
                continue
            sent, window = yesterday, []
            while (
                deadline_of(rung, sent, policy.ladder) or sent
            ) >= yesterday:  # a rung with a deadline
                window.append(sent)
                sent -= timedelta(days=1)
            self.windows[rung.to_step.value] = window
        contact, contacts = yesterday, []
        while agreed_date(contact, policy.ladder) >= yesterday:
            contacts.append(contact)
            contact -= timedelta(days=1)
        self.contacts = contacts
        self.names = [n for n, _ in MIX]
        self.cum = [sum(w for _, w in MIX[: i + 1]) for i in range(len(MIX))]

    def state(self) -> str:
        r = self.rng.random() * self.cum[-1]
        for name, edge in zip(self.names, self.cum, strict=True):
            if r < edge:
                return name
        return self.names[-1]

    def ladder_columns(self, state: str) -> dict[str, Any]:
        """due, loan_date and the §5 columns of an open institute loan."""
        rng, day = self.rng, self.day
        step: str | None = None
        deadline: date | None = None
        step_on: date | None = None
        settled, settled_on, agreed, note = False, None, None, None
        if state == "not due":
            due = day + timedelta(days=rng.randint(1, 365))
        elif state == "due today":
            due = day
        elif state == "due yesterday":
            due = day - timedelta(days=1)
        elif state in self.windows:
            step = state
            step_on = rng.choice(self.windows[state])
            rung = next(r for r in LADDER if r.to_step.value == state)
            deadline = deadline_of(rung, step_on, self.policy.ladder)
            due = step_on - timedelta(days=1 + 14 * STEPS.index(state))
        else:  # SUSPENSION, settled
            step = Step.SUSPENSION.value
            step_on = day - timedelta(days=rng.randint(1, 400))
            if state == "settled":
                settled_on = rng.choice(self.contacts)
                step_on = min(step_on, settled_on)
                settled, agreed = True, agreed_date(settled_on, self.policy.ladder)
                note = "Aftalt ved henvendelse i skranken"
            due = step_on - timedelta(days=50)
        loan_date = due - timedelta(days=365)  # L1: a year
        return {
            "loan_date": loan_date,
            "due": due,
            "guaranteed_until": loan_date + timedelta(days=30),
            "step": step,
            "step_deadline": deadline,
            "step_on": step_on,
            "settled": settled,
            "settled_on": settled_on,
            "agreed_date": agreed,
            "settlement_note": note,
        }


def _chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    """Rows for executemany, NULL columns left out (the column's default is
    NULL wherever a row leaves one out), grouped by the columns they set:
    fewer parameters to process and bind per row."""
    chunks: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        row = {k: v for k, v in row.items() if v is not None}
        key = tuple(row)
        chunk = chunks.setdefault(key, [])
        chunk.append(row)
        if len(chunk) == size:
            chunks[key] = []
            yield chunk
    yield from (chunk for chunk in chunks.values() if chunk)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def generate(
    ctx: DeskContext, loans: int, private: int, returned: int, day: date, seed: int
) -> Generated:
    """Fill the (empty, migrated) database with Core executemany inserts."""
    started = time.perf_counter()
    rng = random.Random(seed)
    policy = ctx.policy
    plan = Plan(day, policy, rng)
    out = Generated()
    with ctx.sessions.begin() as session:
        upsert_institutes(session, policy_institutes(policy), policy)
    institutes = [(i.code, i.delivery.value) for i in policy.institutes]
    next_day = day + timedelta(days=1)
    out.expected = {day: Counter(), next_day: Counter()}
    borrowers = max(10, loans // 10)
    items = loans + private
    engine: Engine = ctx.sessions.kw["bind"]
    delivery_of: list[str] = [""]
    with engine.begin() as conn:

        def borrower_rows() -> Iterator[dict[str, Any]]:
            for n in range(1, borrowers + 1):
                code, delivery = rng.choice(institutes)
                delivery_of.append(delivery)
                yield {
                    "id": n,
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                    "category": _weighted(rng, CATEGORIES),
                    "institute_code": code,
                    "own_office": rng.random() < 0.8,
                    "e_resources": rng.random() < 0.9,
                    "email": f"laaner{n}@ku.dk",
                    "enrolled_on": day - timedelta(days=rng.randint(0, 3000)),
                }

        def card_rows() -> Iterator[dict[str, Any]]:
            for n in range(1, borrowers + 1):
                number = with_check_digit(f"28299{n:08d}")
                yield {
                    "id": n,
                    "borrower_id": n,
                    "kind": "library",
                    "lookup": number,
                    "display": number,
                    "expires": day + timedelta(days=rng.randint(30, 1500)),
                    "status": "active",
                    "status_changed_on": None,
                    "replaced_by_id": None,
                }

        def item_rows() -> Iterator[dict[str, Any]]:
            for n in range(1, items + 1):
                yield {
                    "id": n,
                    "barcode": with_check_digit(f"38299{n:08d}"),
                    "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}, bind {n}",
                    "author": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "call_number": f"{rng.randint(100, 999)}.{rng.randint(1, 9)} Bog",
                    "material_type": "book",
                    "loan_rule": "home",
                    "owner": "KUB",
                    "printed_year": rng.randint(1930, day.year),
                    "danish_legal_deposit": False,
                    "price": None,
                    "is_ill": False,
                    "ill_lender_country": None,
                    "reading_room_only": False,
                }

        def loan_row(loan_id: int, item_id: int, borrower: int, **cols: Any) -> dict[str, Any]:
            loan_date: date = cols["loan_date"]
            row = {
                "id": loan_id,
                "item_id": item_id,
                "borrower_id": borrower,
                "card_id": borrower,
                "capacity": "institute",
                "state": "open",
                "loaned_at": datetime.combine(loan_date, datetime.min.time())
                + timedelta(minutes=rng.randint(8 * 60, 18 * 60)),
                "guaranteed_until": None,
                "delivery": delivery_of[borrower],
                "use_at_institute": False,
                "is_ill": False,
                "renewals": 0,
                "step": None,
                "step_deadline": None,
                "step_on": None,
                "settled": False,
                "settled_on": None,
                "agreed_date": None,
                "settlement_note": None,  # transit, dispatch, return_announced_on: NULL
                "ended_at": None,
                "staff": "bench",
                "desk": "KUB Nord",
            }
            row.update(cols)
            return row

        def loan_rows() -> Iterator[dict[str, Any]]:
            for n in range(1, loans + 1):
                state = plan.state()
                out.states[state] += 1
                cols = plan.ladder_columns(state)
                cols["renewals"] = rng.choice((0, 0, 0, 1, 2)) if state == "not due" else 0
                yield loan_row(n, n, rng.randint(1, borrowers), **cols)
                _expect(out, cols, day, policy)
            for n in range(loans + 1, loans + private + 1):
                loan_date = day - timedelta(days=rng.randint(0, 60))
                due = add_period(loan_date, policy.private.loan_period)
                yield loan_row(
                    n, n, rng.randint(1, borrowers), capacity="private",
                    loan_date=loan_date, due=due,
                )  # fmt: skip
            for n in range(loans + private + 1, loans + private + returned + 1):
                loan_date = day - timedelta(days=rng.randint(30, 2000))
                ended = datetime.combine(loan_date, datetime.min.time()) + timedelta(
                    days=rng.randint(1, 29), hours=rng.randint(8, 18)
                )
                yield loan_row(
                    n, rng.randint(1, items), rng.randint(1, borrowers),
                    state="returned", loan_date=loan_date, due=loan_date + timedelta(days=365),
                    ended_at=ended,
                )  # fmt: skip

        for table, rows in (
            (Borrower.__table__, borrower_rows()),
            (Card.__table__, card_rows()),
            (Item.__table__, item_rows()),
            (Loan.__table__, loan_rows()),
        ):
            for chunk in _chunks(rows):
                conn.execute(insert(table), chunk)
        if conn.dialect.name == "postgresql":
            for table in ("borrowers", "cards", "items", "loans"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    out.borrowers, out.items = borrowers, items
    out.institute, out.private, out.returned = loans, private, returned
    out.seconds = time.perf_counter() - started
    return out


def _expect(out: Generated, cols: dict[str, Any], day: date, policy: Policy) -> None:
    """What the domain's evaluator says the runs of ``day`` and the next day send."""
    state = LadderState(
        due=cols["due"],
        step=Step(cols["step"]) if cols["step"] else None,
        deadline=cols["step_deadline"],
        last_notice_on=cols["step_on"],
        settled=cols["settled"],
        agreed=cols["agreed_date"],
    )
    for run_day in (day, day + timedelta(days=1)):
        notice = next_notice(state, run_day, policy.ladder)
        if notice is not None:
            out.expected[run_day][notice.step.value] += 1
            state = state.after(notice, run_day)


class StatementTimer:
    """Wall time per SQL statement kind, while ``on``."""

    def __init__(self, engine: Engine) -> None:
        self.on = False
        self.times: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        self._started = 0.0

    def reset(self) -> None:
        self.times.clear()

    def _before(self, *_args: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.on:
            label = _label(statement)
            self.times[label] += time.perf_counter() - self._started


def _label(statement: str) -> str:
    text = " ".join(statement.split())
    words = text.split(" ")
    verb = words[0].upper()
    if verb == "INSERT":
        label = f"INSERT {words[2]}"
        return label + " … SELECT" if re.search(r"\bSELECT\b", text, re.I) else label
    if verb in ("UPDATE", "DELETE"):
        return f"{verb} {words[1]}"
    found = re.search(r"\bFROM\s+(\w+)", text, re.I)
    joins = re.findall(r"\bJOIN\s+(\w+)", text, re.I)
    return f"{verb} {' ⋈ '.join([found.group(1) if found else '?', *joins])}"


@dataclass
class RunResult:
    label: str
    seconds: float
    by_step: Counter[str]
    reported: int


def timed_run(ctx: DeskContext, clock: FixedClock, day: date, label: str) -> RunResult:
    clock.set(datetime.combine(day, datetime.min.time()) + timedelta(hours=6))
    started = time.perf_counter()
    outcome = run_notices(ctx, ACTOR, day)
    seconds = time.perf_counter() - started
    notices = outcome.data.get("notices", [])
    by_step = Counter(str(n["step"]) for n in notices)
    return RunResult(label, seconds, by_step, len(notices))


@contextmanager
def fresh_database(url: str | None, keep: bool) -> Iterator[tuple[str, str]]:
    """(URL to use, description); the database is new and removed after."""
    if url is None or url.startswith("sqlite"):
        if url is not None:
            path = Path(url.split("sqlite:///", 1)[-1])
            if path.exists():
                raise SystemExit(f"{path} exists; the benchmark wants a fresh database")
            yield url, f"SQLite file {path} (kept)"
            return
        folder = Path(tempfile.mkdtemp(prefix="desk-notices-bench-"))
        try:
            yield (
                sqlite_url(folder / "desk.sqlite3"),
                f"SQLite file in {folder}" + (" (kept)" if keep else ""),
            )
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        return
    server = normalise_url(url)
    name = f"deskapp_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        fresh = make_url(server).set(database=name).render_as_string(hide_password=False)
        yield (
            fresh,
            f"PostgreSQL {version}, throw-away database {name}" + (" (kept)" if keep else ""),
        )
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--loans", type=int, default=300_000, help="open institute loans")
    parser.add_argument("--private", type=int, help="open private loans (default loans/50)")
    parser.add_argument("--returned", type=int, help="returned loans (default loans/3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--db", help="PostgreSQL server URL (default: a temporary SQLite file)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    private = args.loans // 50 if args.private is None else args.private
    returned = args.loans // 3 if args.returned is None else args.returned
    day: date = args.day
    next_day = day + timedelta(days=1)

    with fresh_database(args.db, args.keep) as (url, where):
        clock = FixedClock(datetime.combine(day, datetime.min.time()))
        ctx = open_desk(url, cpr_key=b"benchmark", policy=load_policy(), clock=clock)
        engine: Engine = ctx.sessions.kw["bind"]
        try:
            print(f"database: {where}; {os.cpu_count()} CPU cores")
            made = generate(ctx, args.loans, private, returned, day, args.seed)
            print(
                f"generated in {made.seconds:.1f} s: {made.institute:,} open institute loans,"
                f" {made.private:,} open private loans, {made.returned:,} returned loans,"
                f" {made.items:,} items, {made.borrowers:,} borrowers with a library card"
            )
            print(
                "open institute loans this morning: "
                + ", ".join(f"{name} {made.states[name]:,}" for name, _ in MIX)
            )
            with ctx.sessions() as session:
                open_loans = session.scalar(
                    select(func.count()).select_from(Loan).where(Loan.state == "open")
                )
            timer = StatementTimer(engine)
            runs: list[tuple[RunResult, Counter[str] | None, Counter[str]]] = []
            for run_day, label, expected in (
                (day, f"{day} (the day)", made.expected[day]),
                (day, f"{day} again", Counter()),
                (next_day, f"{next_day} (next day)", made.expected[next_day]),
            ):
                timer.reset()
                timer.on = True
                result = timed_run(ctx, clock, run_day, label)
                timer.on = False
                runs.append((result, expected, Counter(timer.times)))

            print(
                f"run_notices over {open_loans:,} open loans"
                f" ({made.institute:,} institute-capacity, on the ladder):"
            )
            header = f"{'run':24} {'notices':>8}" + "".join(f" {s:>11}" for s in STEPS)
            print(f"{header} {'seconds':>8}  as expected")
            for result, expected, _ in runs:
                ok = result.by_step == expected and result.reported == sum(expected.values())
                check = "yes" if ok else f"NO, expected {dict(expected)}"
                print(
                    f"{result.label:24} {result.reported:8,}"
                    + "".join(f" {result.by_step[s]:11,}" for s in STEPS)
                    + f" {result.seconds:8.2f}  {check}"
                )
            print(
                "where the time went (SQL: in the driver's execute; SQLite makes a SELECT's"
                " rows while they are fetched, which counts as Python here):"
            )
            for result, _, times in runs:
                sql = sum(times.values())
                parts = ", ".join(
                    f"{name} {secs:.2f}" for name, secs in times.most_common() if secs >= 0.005
                )
                print(
                    f"  {result.label:24} total {result.seconds:.2f} s = SQL {sql:.2f}"
                    f" ({parts}) + Python/commit {result.seconds - sql:.2f}"
                )
            first, again, _ = (r for r, _, _ in runs)
            print(f"second run the same day: {again.reported} notices")
            met = first.seconds <= TARGET_S
            print(
                f"target: the day's run over {open_loans:,} open loans ≤ {TARGET_S:.0f} s:"
                f" {'PASS' if met else 'OVER TARGET'} ({first.seconds:.2f} s)"
            )
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
