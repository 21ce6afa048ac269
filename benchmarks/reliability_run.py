"""Figures of a run for docs/reliability.md (issue 13): crashes, fuzzing, hangs.

(a) crash safety: desks killed with SIGKILL in the middle of checkouts and
    check-ins (tests/helpers/crash_worker.py, as tests/services/
    test_h13_crash_kill9.py but many more kills), the invariants checked after
    every kill: SQLite's integrity_check, at most one open loan per item,
    every loan with exactly its audit rows and every such row with its loan in
    the matching state, no loan ending before it starts or overlapping the
    item's previous loan, every reported commit present and at most one
    unreported (the one in flight);
(b) fuzzing: the ``slow`` hypothesis properties of tests/test_h13_fuzz.py
    with DESK_APP_FUZZ_EXAMPLES examples each, counted by hypothesis itself;
(c) a hung database: how long a checkout waits before "not done" on an SQLite
    file whose write lock another desk holds, and on a private PostgreSQL
    server stopped with SIGSTOP (tests/helpers/pg_instance.py; skipped when
    no PostgreSQL binaries are installed), at the default DESK_APP_DB_TIMEOUT.

    .venv/bin/python benchmarks/reliability_run.py [--kills 100] [--seed 13]
        [--fuzz-examples 2000] [--pg URL] [--skip crash,fuzz,hang]

The crash run is on a temporary SQLite file and, with ``--pg`` or
DESK_APP_TEST_DATABASE_URL, also on a database it creates on that server
(``deskapp_test_<random>``) and drops afterwards. Every figure comes with its
check, so a run that did nothing cannot look good; the exit status is 1 when
any invariant or property failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # the crash worker and the test helpers live in tests/

from sqlalchemy import func, select  # noqa: E402

from desk_app.clock import SystemClock  # noqa: E402
from desk_app.domain.verdict import Code  # noqa: E402
from desk_app.services.circulation import checkout  # noqa: E402
from desk_app.services.context import Actor, DeskContext  # noqa: E402
from desk_app.store.engine import DB_TIMEOUT_ENV, database_timeout  # noqa: E402
from desk_app.store.models import AuditEntry, Loan  # noqa: E402
from desk_app.wiring import open_desk  # noqa: E402
from tests.helpers.crash_worker import Campaign, run_campaign  # noqa: E402
from tests.helpers.databases import PG_ENV, fresh_postgres_database  # noqa: E402
from tests.helpers.people import ANNE, item, seed_cast  # noqa: E402
from tests.helpers.staffing import ensure_staff  # noqa: E402

KEY = b"reliability-run-key"
FUZZ_FILE = "tests/test_h13_fuzz.py"
PARTS = ("crash", "fuzz", "hang")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs per database")
    parser.add_argument("--seed", type=int, default=13, help="the kill moments' seed")
    parser.add_argument("--fuzz-examples", type=int, default=2000, help="per property")
    parser.add_argument("--pg", help=f"PostgreSQL server URL (default ${PG_ENV})")
    parser.add_argument("--skip", default="", help="comma-separated: " + ",".join(PARTS))
    args = parser.parse_args(argv)
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    if unknown := skip - set(PARTS):
        parser.error(f"--skip: unknown part(s) {', '.join(sorted(unknown))}")
    pg = args.pg or os.environ.get(PG_ENV)
    started = time.monotonic()
    ok = True
    with _isolated():
        if pg:
            os.environ[PG_ENV] = pg
        print(
            f"reliability run: Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}, {os.cpu_count()} CPU cores, "
            f"DESK_APP_DB_TIMEOUT {database_timeout():g} s"
        )
        if "crash" not in skip:
            ok &= crash_part(args.kills, args.seed, pg)
        if "fuzz" not in skip:
            ok &= fuzz_part(args.fuzz_examples)
        if "hang" not in skip:
            ok &= hang_part()
    print(f"\nwhole run: {time.monotonic() - started:.0f} s; {'ALL OK' if ok else 'FAILURES'}")
    return 0 if ok else 1


@contextmanager
def _isolated() -> Iterator[None]:
    """As the tests: a data folder of its own, no credential store."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="reliability-") as folder:
        os.environ["DESK_APP_DATA_DIR"] = folder
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        for name in ("DESK_APP_DATABASE_URL", "DESK_APP_POLICY", DB_TIMEOUT_ENV):
            os.environ.pop(name, None)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


# -- (a) kill -9 ---------------------------------------------------------------------


def crash_part(kills: int, seed: int, pg: str | None) -> bool:
    print(f"\n(a) crash safety: {kills} SIGKILLs per database, seed {seed}")
    results: list[tuple[str, Campaign]] = []
    with tempfile.TemporaryDirectory(prefix="crash-") as folder:
        url = f"sqlite:///{Path(folder) / 'desk.sqlite3'}"
        results.append(("SQLite", run_campaign(url, KEY, kills, seed=seed, progress=True)))
    if pg:
        with fresh_postgres_database() as url:
            results.append(("PostgreSQL", run_campaign(url, KEY, kills, seed=seed, progress=True)))
    header = (
        "| database | kills | commits reported (loans + returns) | unreported commits found "
        "| loans at the end (open) | worker start p50 | invariant violations | time |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    for name, run in results:
        loans = sum(len(k.loaned) for k in run.kills)
        returns = sum(len(k.returned) for k in run.kills)
        start_p50 = statistics.median(k.started_s for k in run.kills) if run.kills else 0.0
        print(
            f"| {name} | {len(run.kills)} | {run.lines:,} ({loans:,} + {returns:,}) "
            f"| {run.in_flight_commits} | {run.final.loans:,} ({run.final.open_loans}) "
            f"| {start_p50:.2f} s | {len(run.problems)} | {run.seconds:.0f} s |"
        )
        ok &= not run.problems and len(run.kills) == kills
    for name, run in results:
        for problem in run.problems[:10]:
            print(f"  {name}: {problem}")
    if results:
        moments = results[0][1].kills
        print(
            f"kill moments: after {min(k.after_lines for k in moments)}–"
            f"{max(k.after_lines for k in moments)} reported commits plus "
            f"{min(k.delay_ms for k in moments):.1f}–{max(k.delay_ms for k in moments):.1f} ms; "
            "'unreported commits' are kills that landed between a COMMIT and its line "
            "(allowed: at most 1 per kill)"
        )
    return ok


# -- (b) fuzzing -----------------------------------------------------------------------

_STAT = re.compile(
    r"^\S*::(?P<test>\S+):\s*\n\s*\n\s*- during generate phase \((?P<seconds>[\d.]+) seconds\):"
    r".*?- (?P<passing>\d+) passing, (?P<failing>\d+) failing, and (?P<invalid>\d+) invalid",
    re.MULTILINE | re.DOTALL,
)
_SUMMARY = re.compile(r"^(?P<summary>\d+ (?:passed|failed).*?) in [\d.]+s", re.MULTILINE)


def fuzz_part(examples: int) -> bool:
    print(f"\n(b) fuzzing: the slow properties of {FUZZ_FILE}, {examples:,} examples each")
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-m",
            "slow",
            "-q",
            "--hypothesis-show-statistics",
            FUZZ_FILE,
        ],
        cwd=REPO,
        env={**os.environ, "DESK_APP_FUZZ_EXAMPLES": str(examples)},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    stats = list(_STAT.finditer(done.stdout))
    print("| property | examples passed | failed | invalid (filtered) | generate phase |")
    print("|---|---:|---:|---:|---:|")
    for stat in stats:
        print(
            f"| {stat['test']} | {int(stat['passing']):,} | {stat['failing']} "
            f"| {stat['invalid']} | {float(stat['seconds']):.1f} s |"
        )
    passing = sum(int(s["passing"]) for s in stats)
    failing = sum(int(s["failing"]) for s in stats)
    summary = _SUMMARY.search(done.stdout)
    print(
        f"total: {passing:,} examples passed, {failing} failed, in {seconds:.0f} s "
        f"(pytest: {summary['summary'] if summary else 'no summary'}, exit {done.returncode})"
    )
    ok = done.returncode == 0 and bool(stats) and failing == 0
    if not ok:
        print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")
    return ok


# -- (c) a hung database ---------------------------------------------------------------------


@dataclass
class Wait:
    what: str
    seconds: float | None  # None: skipped
    outcome: str
    nothing_written: bool = True
    works_after: bool = True


def hang_part() -> bool:
    limit = database_timeout()
    print(f"\n(c) a hung database: a checkout's wait for 'not done' (limit {limit:g} s + 1 s)")
    waits = [_sqlite_locked(), *_postgres_stopped()]
    print("| database fault | waited | outcome | nothing written | next checkout works |")
    print("|---|---:|---|---|---|")
    ok = True
    for wait in waits:
        shown = "skipped" if wait.seconds is None else f"{wait.seconds:.2f} s"
        print(
            f"| {wait.what} | {shown} | {wait.outcome} | {_yes(wait.nothing_written)} "
            f"| {_yes(wait.works_after)} |"
        )
        if wait.seconds is not None:
            ok &= wait.seconds < limit + 2 and wait.nothing_written and wait.works_after
    return ok


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _ready(ctx: DeskContext) -> Actor:
    seed_cast(ctx)
    return ensure_staff(ctx, "reliability-supervisor")


def _counts(ctx: DeskContext) -> tuple[int, int]:
    with ctx.sessions() as session:
        loans = session.scalar(select(func.count()).select_from(Loan)) or 0
        audit = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return loans, audit


def _timed_checkout(ctx: DeskContext, actor: Actor, barcode: str) -> tuple[float, str]:
    start = time.monotonic()
    try:
        outcome = checkout(ctx, actor, ANNE, barcode).code.value
    except Exception as problem:  # what the window turns into "not done"
        reason = re.sub(r"^\([\w.]+\) ", "", str(problem).splitlines()[0])
        outcome = f"{type(problem).__name__}: {reason[:50]}"
    return time.monotonic() - start, outcome


def _sqlite_locked() -> Wait:
    with tempfile.TemporaryDirectory(prefix="hang-") as folder:
        path = Path(folder) / "desk.sqlite3"
        ctx = open_desk(f"sqlite:///{path}", cpr_key=KEY, clock=SystemClock())
        other = sqlite3.connect(path, isolation_level=None)
        try:
            actor = _ready(ctx)
            before = _counts(ctx)
            other.execute("BEGIN IMMEDIATE")  # another desk's write that never ends
            seconds, outcome = _timed_checkout(ctx, actor, item(1))
            other.execute("ROLLBACK")
            written = _counts(ctx) != before
            works = checkout(ctx, actor, ANNE, item(1)).code is Code.LOANED
        finally:
            other.close()
            ctx.close()
    return Wait("SQLite, write lock held by another desk", seconds, outcome, not written, works)


def _postgres_stopped() -> list[Wait]:
    from sqlalchemy import create_engine

    from tests.helpers.pg_instance import PgUnavailable, private_postgres

    what = ("PostgreSQL SIGSTOPped, pooled connection", "PostgreSQL SIGSTOPped, new connection")
    with ExitStack() as stack:
        try:
            server = stack.enter_context(private_postgres())
        except PgUnavailable as reason:
            return [Wait(w, None, f"no private server: {reason}") for w in what]
        admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql('CREATE DATABASE "hang"')
        admin.dispose()
        ctx = open_desk(server.url.rsplit("/", 1)[0] + "/hang", cpr_key=KEY, clock=SystemClock())
        stack.callback(ctx.close)
        stack.callback(server.thaw)  # first, whatever happens
        actor = _ready(ctx)
        assert checkout(ctx, actor, ANNE, item(1)).code is Code.LOANED
        before = _counts(ctx)
        with server.frozen(max_seconds=60):
            # the pooled connection first (its pre-ping waits the deadline),
            # then a new one (the connect timeout)
            timed = [_timed_checkout(ctx, actor, item(2)) for _ in what]
        written = _counts(ctx) != before
        works = checkout(ctx, actor, ANNE, item(2)).code is Code.LOANED
    return [
        Wait(w, seconds, outcome, not written, works)
        for w, (seconds, outcome) in zip(what, timed, strict=True)
    ]


if __name__ == "__main__":
    sys.exit(main())
