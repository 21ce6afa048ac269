"""Time of the daily notices run (§5) over 300,000 open loans (issue 5).

Builds a fresh database with the desk's own generator (``desk_app.demo``, at
the scale ``Scale.notices``): ~30,000 borrowers with a library card each, one
item per loan, and 300,000 open institute-capacity loans spread over the
ladder as the daily runs would have left them up to yesterday (most not yet
due; a few % due yesterday, so RECALLed today; loans at RECALL and
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
own evaluator (``domain.ladder.next_notice``) says for the same loans (the
generator counts it loan by loan), so a fast no-op cannot pass.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url

from desk_app.clock import FixedClock
from desk_app.demo import Scale, generate
from desk_app.demo.ladder import Position
from desk_app.domain.facts import Step
from desk_app.domain.loan_states import LoanState
from desk_app.domain.roles import Job
from desk_app.policy_file import load_policy
from desk_app.services.context import Actor, DeskContext
from desk_app.services.notices import run_notices
from desk_app.store.engine import normalise_url, sqlite_url
from desk_app.store.models import Loan
from desk_app.wiring import open_desk

TARGET_S = 5.0
ACTOR = Actor("benchmark", "KUB Nord", job=Job.DAILY_RUN)  # as the daily run (roles)
STEPS = tuple(s.value for s in Step)


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
            scale = Scale.notices(args.loans, private, returned)
            made = generate(ctx, scale, args.seed, day)
            print(
                f"generated in {made.seconds['total']:.1f} s: {scale.open_loans:,} open"
                f" institute loans, {scale.private_loans:,} open private loans,"
                f" {scale.closed_loans:,} returned loans, {scale.items:,} items,"
                f" {scale.borrowers:,} borrowers with a library card"
            )
            print(
                "open institute loans this morning: "
                + ", ".join(f"{p.value} {made.positions[p]:,}" for p in Position)
            )
            with ctx.sessions() as session:
                open_loans = session.scalar(
                    select(func.count()).select_from(Loan).where(Loan.state == LoanState.OPEN)
                )
            expected = {
                run_day: Counter({s.value: n for s, n in made.expected.get(run_day, {}).items()})
                for run_day in (day, next_day)
            }
            timer = StatementTimer(engine)
            runs: list[tuple[RunResult, Counter[str] | None, Counter[str]]] = []
            for run_day, label, wanted in (
                (day, f"{day} (the day)", expected[day]),
                (day, f"{day} again", Counter()),
                (next_day, f"{next_day} (next day)", expected[next_day]),
            ):
                timer.reset()
                timer.on = True
                result = timed_run(ctx, clock, run_day, label)
                timer.on = False
                runs.append((result, wanted, Counter(timer.times)))

            print(
                f"run_notices over {open_loans:,} open loans"
                f" ({scale.open_loans:,} institute-capacity, on the ladder):"
            )
            header = f"{'run':24} {'notices':>8}" + "".join(f" {s:>11}" for s in STEPS)
            print(f"{header} {'seconds':>8}  as expected")
            for result, wanted, _ in runs:
                ok = result.by_step == wanted and result.reported == sum(wanted.values())
                check = "yes" if ok else f"NO, expected {dict(wanted)}"
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
