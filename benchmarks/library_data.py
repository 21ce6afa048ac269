"""A synthetic national-library database for the benchmarks (issue 6).

Default scale: 1,000,000 items, 100,000 borrowers, 300,000 open loans spread
over the §5 ladder as the daily runs would have left them up to yesterday,
2,000,000 closed loans, 50,000 requests, and one borrower with 500 open loans;
with each loan's audit entry and each ladder step's notice, as a database that
has been in use for years would hold them.

Rows are made as tuples in Python and written with the driver's bulk path,
not the ORM: ``executemany`` on one SQLite transaction (journal off while
loading; the indexes dropped and made again afterwards), ``COPY`` on
PostgreSQL. The schema comes from the desk's own migrations, so the database
is exactly what a desk opens.

    .venv/bin/python benchmarks/library_data.py --out /tmp/library          # SQLite
    .venv/bin/python benchmarks/library_data.py --db postgresql+psycopg://postgres@127.0.0.1/test

``library.json`` beside the data says what was made (counts, the day it
stands on, the 500-loan borrower's card, what the day's notices run must
send); the runner (``library_bench.py``) reads it.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from notices_run import FIRST, LAST, MIX, WORDS, Plan
from sqlalchemy import Engine, Table
from sqlalchemy.types import Boolean, Date, DateTime

from desk_app.domain.barcodes import cpr_lookup_key, mask_cpr, with_check_digit
from desk_app.domain.facts import Step
from desk_app.domain.ladder import LadderState, next_notice
from desk_app.domain.policy import Policy
from desk_app.domain.search_key import search_key
from desk_app.policy_file import load_policy
from desk_app.services.context import DeskContext
from desk_app.services.enrolment import policy_institutes, upsert_institutes
from desk_app.store.models import (
    AuditEntry,
    Borrower,
    Card,
    Item,
    Loan,
    Notice,
    NoticeRun,
    Request,
    Staff,
)

CPR_KEY = b"benchmark"
ELIGIBLE = (("researcher", 40), ("phd_student", 25), ("teacher", 20), ("emeritus", 5))
NOT_ELIGIBLE = (("student", 7), ("external", 3))
DESKS = ("KUB Nord", "KUB Syd", "KUB Amager")
STAFF = ("anne", "bo", "ida", "lars", "mette")
BARCODE_ITEM = "38299"
BARCODE_CARD = "28299"


@dataclass(frozen=True)
class Scale:
    items: int = 1_000_000
    borrowers: int = 100_000
    open_loans: int = 300_000
    closed_loans: int = 2_000_000
    requests: int = 50_000
    heavy_loans: int = 500

    def times(self, factor: float) -> Scale:
        """The same shape, smaller (tests) or larger; the heavy borrower keeps
        his 500 loans unless there are fewer loans than that."""
        n = {k: max(10, round(v * factor)) for k, v in asdict(self).items()}
        n["heavy_loans"] = min(self.heavy_loans, n["open_loans"] // 4)
        return Scale(**n)


@dataclass
class Library:
    """What was made: read back by the runner from ``library.json``."""

    url: str
    day: str
    seed: int
    scale: dict[str, int]
    rows: dict[str, int] = field(default_factory=dict)
    heavy_card: str = ""
    heavy_borrower_id: int = 1
    ladder: dict[str, int] = field(default_factory=dict)  # open loans by state this morning
    expected_notices: dict[str, int] = field(default_factory=dict)  # the day's run, by step
    seconds: dict[str, float] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Library:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def card_number(n: int) -> str:
    return with_check_digit(f"{BARCODE_CARD}{n:08d}")


def item_barcode(n: int) -> str:
    return with_check_digit(f"{BARCODE_ITEM}{n:08d}")


def cpr_of(n: int) -> str:
    """A synthetic CPR-shaped number (never a real person's: day 01-28, 1950-99)."""
    return f"{1 + n % 28:02d}{1 + n % 12:02d}{50 + n % 50:02d}{n % 10_000:04d}"


# --- writing --------------------------------------------------------------------------------


class Writer:
    """Bulk rows into one table: ``rows`` are tuples in ``columns`` order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def write(self, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        if self.dialect == "sqlite":
            return self._sqlite(table, columns, rows)
        return self._postgresql(table, columns, rows)

    def _sqlite(self, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        # SQLAlchemy stores dates and times on SQLite as ISO text (a space
        # between date and time, microseconds always) and booleans as 0/1:
        # write the same, or the desk's comparisons would miss the rows.
        convert: list[Callable[[Any], Any] | None] = []
        for name in columns:
            kind = table.c[name].type
            if isinstance(kind, DateTime):
                convert.append(_sqlite_datetime)
            elif isinstance(kind, Date):
                convert.append(_iso)
            elif isinstance(kind, Boolean):
                convert.append(_bit)
            else:
                convert.append(None)
        todo = [(i, f) for i, f in enumerate(convert) if f is not None]

        def converted() -> Iterator[tuple[Any, ...]]:
            for row in rows:
                values = list(row)
                for i, f in todo:
                    if values[i] is not None:
                        values[i] = f(values[i])
                yield tuple(values)

        sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        raw = self.engine.raw_connection()
        try:
            conn: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
            conn.execute("BEGIN")
            cursor = conn.executemany(sql, converted())
            count = cursor.rowcount
            conn.execute("COMMIT")
        finally:
            raw.close()
        return count

    def _postgresql(
        self, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        raw = self.engine.raw_connection()
        count = 0
        try:
            sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            raw.commit()
        finally:
            raw.close()
        return count


def _iso(value: date) -> str:
    return value.isoformat()


def _sqlite_datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _bit(value: bool) -> int:
    return 1 if value else 0


def sqlite_value(value: Any) -> Any:
    """Any value as the desk's SQLAlchemy stores it on SQLite (by its type)."""
    if isinstance(value, datetime):
        return _sqlite_datetime(value)
    if isinstance(value, date):
        return _iso(value)
    if isinstance(value, bool):
        return _bit(value)
    return value


class FastLoad:
    """SQLite: no journal while loading, and the tables' secondary indexes
    made once at the end instead of kept up row by row (several times faster);
    the database is put back in WAL mode, as the desk opens it."""

    def __init__(self, engine: Engine, tables: Sequence[str]) -> None:
        self.engine = engine
        self.tables = tables
        self.indexes: list[str] = []

    def __enter__(self) -> FastLoad:
        if self.engine.dialect.name != "sqlite":
            return self
        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            marks = ", ".join("?" * len(self.tables))
            found = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({marks})",
                tuple(self.tables),
            ).fetchall()
            for name, sql in found:
                conn.execute(f'DROP INDEX "{name}"')
                self.indexes.append(sql)
            conn.execute("PRAGMA journal_mode = OFF")
        finally:
            raw.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()
            try:
                conn = raw.driver_connection
                conn.execute("PRAGMA cache_size = -1000000")
                for sql in self.indexes:
                    conn.execute(sql)
                conn.execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
        self.engine.dispose()  # the pool's connections saw the old journal mode


# --- the data -------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _at(day: date, rng: random.Random) -> datetime:
    """A moment in the desk's opening hours on ``day``."""
    return datetime.combine(day, datetime.min.time()) + timedelta(
        seconds=rng.randint(8 * 3600, 18 * 3600)
    )


def generate(
    ctx: DeskContext,
    url: str,
    scale: Scale = Scale(),
    seed: int = 1,
    day: date | None = None,
    progress: Callable[[str], None] = print,
) -> Library:
    """Fill the (empty, migrated) database of ``ctx``; say what was made."""
    rng = random.Random(seed)
    day = day or ctx.today()
    policy: Policy = ctx.policy
    engine: Engine = ctx.sessions.kw["bind"]
    made = Library(url=url, day=day.isoformat(), seed=seed, scale=asdict(scale))
    started = time.perf_counter()
    with ctx.sessions.begin() as session:
        upsert_institutes(session, policy_institutes(policy), policy)
    institutes = [(i.code, i.delivery.value) for i in policy.institutes]
    writer = Writer(engine)
    plan = Plan(day, policy, rng)
    n_borrowers, n_items = scale.borrowers, scale.items
    delivery_of: list[str] = [""] * (n_borrowers + 1)
    category_of: list[str] = [""] * (n_borrowers + 1)

    def step(name: str, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        made.rows[name] = made.rows.get(name, 0) + writer.write(table, columns, rows)
        made.seconds[name] = made.seconds.get(name, 0.0) + time.perf_counter() - t0
        progress(f"  {name:14} {made.rows[name]:>10,} rows  {made.seconds[name]:6.1f} s")

    tables = ("borrowers", "cards", "items", "loans", "requests", "audit", "notices", "notice_runs")
    with FastLoad(engine, tables):
        # Borrowers: 90 % in the scheme's categories (E1), the rest not.
        def borrowers() -> Iterator[tuple[Any, ...]]:
            for n in range(1, n_borrowers + 1):
                code, delivery = rng.choice(institutes)
                category = "researcher" if n == 1 else _weighted(rng, ELIGIBLE + NOT_ELIGIBLE)
                delivery_of[n], category_of[n] = delivery, category
                name = "Heavy Borrower" if n == 1 else f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
                yield (
                    n,
                    name,
                    search_key(name),
                    category,
                    code,
                    rng.random() < 0.8,
                    rng.random() < 0.9,
                    f"laaner{n}@ku.dk" if rng.random() < 0.95 else None,
                    day - timedelta(days=rng.randint(0, 4000)),
                )

        step(
            "borrowers",
            Borrower.__table__,
            (
                "id",
                "name",
                "name_key",
                "category",
                "institute_code",
                "own_office",
                "e_resources",
                "email",
                "enrolled_on",
            ),
            borrowers(),
        )

        # Cards: a library card each (3 % expired), a health card for 10 % (B3:
        # only the keyed hash and the mask are stored).
        def cards() -> Iterator[tuple[Any, ...]]:
            for n in range(1, n_borrowers + 1):
                number = card_number(n)
                expired = n != 1 and rng.random() < 0.03
                expires = day + timedelta(
                    days=-rng.randint(1, 300) if expired else rng.randint(30, 1500)
                )
                yield (n, n, "library", number, number, expires, "active")
            next_id = n_borrowers + 1
            for n in range(1, n_borrowers + 1, 10):
                cpr = cpr_of(n)
                yield (
                    next_id,
                    n,
                    "health",
                    cpr_lookup_key(cpr, CPR_KEY),
                    mask_cpr(cpr),
                    None,
                    "active",
                )
                next_id += 1

        step(
            "cards",
            Card.__table__,
            ("id", "borrower_id", "kind", "lookup", "display", "expires", "status"),
            cards(),
        )

        # Items: 92 % home loan, 6 % reading room, 2 % reading room against ID.
        rules = (("home", 92), ("reading_room", 6), ("reading_room_id", 2))

        def items() -> Iterator[tuple[Any, ...]]:
            for n in range(1, n_items + 1):
                on_loan = n <= scale.open_loans
                yield (
                    n,
                    item_barcode(n),
                    f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}, bind {n}",
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    f"{rng.randint(100, 999)}.{rng.randint(1, 9)} Bog",
                    "book",
                    "home" if on_loan else _weighted(rng, rules),
                    "KUB",
                    rng.randint(1900, day.year),
                    False,
                    False,
                    False,
                )

        step(
            "items",
            Item.__table__,
            (
                "id",
                "barcode",
                "title",
                "author",
                "call_number",
                "material_type",
                "loan_rule",
                "owner",
                "printed_year",
                "danish_legal_deposit",
                "is_ill",
                "reading_room_only",
            ),
            items(),
        )

        # Loans. Open: loan n lends item n; the first ``heavy_loans`` are the
        # heavy borrower's, all not yet due. The rest stand on the ladder as in
        # notices_run's plan. Closed: returned over the past years.
        loan_columns = (
            "id",
            "item_id",
            "borrower_id",
            "card_id",
            "capacity",
            "state",
            "loaned_at",
            "loan_date",
            "guaranteed_until",
            "due",
            "delivery",
            "use_at_institute",
            "is_ill",
            "renewals",
            "step",
            "step_deadline",
            "step_on",
            "settled",
            "settled_on",
            "agreed_date",
            "settlement_note",
            "transit",
            "ended_at",
            "staff",
            "desk",
        )
        expected: Counter[str] = Counter()
        loan_item, loan_borrower = array("l", [0]), array("l", [0])  # by loan id
        ladder: Counter[str] = Counter()
        at_step: list[tuple[int, int, str, date, date | None]] = []
        eligible = [
            n
            for n in range(2, n_borrowers + 1)
            if category_of[n] != "student" and category_of[n] != "external"
        ]

        def open_loans() -> Iterator[tuple[Any, ...]]:
            for n in range(1, scale.open_loans + 1):
                heavy = n <= scale.heavy_loans
                state = "not due" if heavy else plan.state()
                ladder[state] += 1
                cols = plan.ladder_columns(state)
                if heavy:
                    cols["due"] = day + timedelta(days=rng.randint(30, 330))
                    cols["loan_date"] = day - timedelta(days=rng.randint(0, 30))
                    cols["guaranteed_until"] = cols["loan_date"] + timedelta(days=30)
                borrower = 1 if heavy else rng.choice(eligible)
                loaned = _at(cols["loan_date"], rng)
                if cols["step"]:
                    at_step.append(
                        (n, borrower, cols["step"], cols["step_on"], cols["step_deadline"])
                    )
                loan_item.append(n)
                loan_borrower.append(borrower)
                notice = next_notice(_ladder_state(cols), day, policy.ladder)
                if notice is not None:
                    expected[notice.step.value] += 1
                yield (
                    n,
                    n,
                    borrower,
                    borrower,
                    "institute",
                    "open",
                    loaned,
                    cols["loan_date"],
                    cols["guaranteed_until"],
                    cols["due"],
                    delivery_of[borrower],
                    False,
                    False,
                    rng.choice((0, 0, 0, 1, 2)) if state == "not due" else 0,
                    cols["step"],
                    cols["step_deadline"],
                    cols["step_on"],
                    cols["settled"],
                    cols["settled_on"],
                    cols["agreed_date"],
                    cols["settlement_note"],
                    None,
                    None,
                    rng.choice(STAFF),
                    rng.choice(DESKS),
                )

        step("open loans", Loan.__table__, loan_columns, open_loans())
        made.ladder = {name: ladder[name] for name, _ in MIX}
        made.expected_notices = {s.value: expected[s.value] for s in Step}

        def closed_loans() -> Iterator[tuple[Any, ...]]:
            first = scale.open_loans + 1
            for n in range(first, first + scale.closed_loans):
                loan_date = day - timedelta(days=rng.randint(30, 3650))
                loaned = _at(loan_date, rng)
                ended = loaned + timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 6))
                borrower, item = rng.choice(eligible), rng.randint(1, n_items)
                loan_item.append(item)
                loan_borrower.append(borrower)
                yield (
                    n,
                    item,
                    borrower,
                    borrower,
                    "institute",
                    "returned",
                    loaned,
                    loan_date,
                    loan_date + timedelta(days=30),
                    loan_date + timedelta(days=365),
                    delivery_of[borrower],
                    False,
                    False,
                    0,
                    None,
                    None,
                    None,
                    False,
                    None,
                    None,
                    None,
                    None,
                    ended,
                    rng.choice(STAFF),
                    rng.choice(DESKS),
                )

        step("closed loans", Loan.__table__, loan_columns, closed_loans())

        # Requests: 70 % active on items out on loan (the L3 queue), 10 %
        # active on items on the shelf (held for the requester), 20 % history.
        def requests() -> Iterator[tuple[Any, ...]]:
            seen: set[tuple[int, int]] = set()
            for n in range(1, scale.requests + 1):
                share = rng.random()
                if share < 0.8:
                    item = (
                        rng.randint(scale.heavy_loans + 1, scale.open_loans)
                        if share < 0.7
                        else rng.randint(scale.open_loans + 1, n_items)
                    )
                    borrower = rng.choice(eligible)
                    if (item, borrower) in seen:
                        continue
                    seen.add((item, borrower))
                    placed = _at(day - timedelta(days=rng.randint(1, 200)), rng)
                    yield (
                        n,
                        item,
                        borrower,
                        placed,
                        "active",
                        None,
                        rng.choice(STAFF),
                        rng.choice(DESKS),
                    )
                else:
                    placed = _at(day - timedelta(days=rng.randint(30, 2000)), rng)
                    yield (
                        n,
                        rng.randint(1, n_items),
                        rng.choice(eligible),
                        placed,
                        "cancelled",
                        placed + timedelta(days=rng.randint(1, 20)),
                        rng.choice(STAFF),
                        rng.choice(DESKS),
                    )

        step(
            "requests",
            Request.__table__,
            ("id", "item_id", "borrower_id", "placed_at", "state", "ended_at", "staff", "desk"),
            requests(),
        )

        # Audit: the checkout of every loan, and the check-in of every closed one.
        def audit() -> Iterator[tuple[Any, ...]]:
            rng2 = random.Random(seed + 1)
            n = 0
            total = scale.open_loans + scale.closed_loans
            for loan in range(1, total + 1):
                n += 1
                borrower, item = loan_borrower[loan], loan_item[loan]
                at = _at(day - timedelta(days=rng2.randint(0, 3650)), rng2)
                yield (
                    n,
                    at,
                    rng2.choice(STAFF),
                    rng2.choice(DESKS),
                    "checkout",
                    "ACCEPTED",
                    "L1",
                    borrower,
                    item,
                    loan,
                    None,
                )
                if loan > scale.open_loans:
                    n += 1
                    yield (
                        n,
                        at + timedelta(days=30),
                        rng2.choice(STAFF),
                        rng2.choice(DESKS),
                        "checkin",
                        "RETURNED",
                        "C1",
                        borrower,
                        item,
                        loan,
                        None,
                    )

        step(
            "audit",
            AuditEntry.__table__,
            (
                "id",
                "at",
                "staff",
                "desk",
                "action",
                "code",
                "rule",
                "borrower_id",
                "item_id",
                "loan_id",
                "detail",
            ),
            audit(),
        )

        # Notices: the one that put each loan at its step (S6), in the run of its day.
        runs = sorted({sent for _, _, _, sent, _ in at_step})
        run_id = {d: i for i, d in enumerate(runs, start=1)}
        per_run = Counter(sent for _, _, _, sent, _ in at_step)
        step(
            "notice_runs",
            NoticeRun.__table__,
            ("id", "run_date", "ran_at", "notices", "staff", "desk"),
            (
                (
                    run_id[d],
                    d,
                    datetime.combine(d, datetime.min.time()) + timedelta(hours=7),
                    per_run[d],
                    "daily",
                    "KUB Nord",
                )
                for d in runs
            ),
        )
        step(
            "notices",
            Notice.__table__,
            (
                "id",
                "run_id",
                "loan_id",
                "borrower_id",
                "step",
                "sent_on",
                "deadline",
                "delivered_at",
            ),
            (
                (
                    i,
                    run_id[sent],
                    loan,
                    borrower,
                    step_,
                    sent,
                    deadline,
                    datetime.combine(sent, datetime.min.time()) + timedelta(hours=7, minutes=5),
                )
                for i, (loan, borrower, step_, sent, deadline) in enumerate(at_step, start=1)
            ),
        )
        step(
            "staff",
            Staff.__table__,
            ("id", "name", "role", "card", "pin_hash", "active", "failed_attempts"),
            [(1, "benchmark", "supervisor", None, "!", True, 0)],
        )
        t0 = time.perf_counter()
    made.seconds["indexes"] = time.perf_counter() - t0
    progress(f"  {'indexes':14} {'':>10}       {made.seconds['indexes']:6.1f} s")
    t0 = time.perf_counter()
    _finish(engine)
    made.seconds["analyze"] = time.perf_counter() - t0
    made.heavy_card = card_number(1)
    made.seconds["total"] = time.perf_counter() - started
    return made


def _ladder_state(cols: dict[str, Any]) -> LadderState:
    return LadderState(
        due=cols["due"],
        step=Step(cols["step"]) if cols["step"] else None,
        deadline=cols["step_deadline"],
        last_notice_on=cols["step_on"],
        settled=cols["settled"],
        agreed=cols["agreed_date"],
    )


def _finish(engine: Engine) -> None:
    """PostgreSQL: move the id sequences past the rows, and ANALYZE as
    autovacuum would have on a live database. SQLite: nothing (the desk runs
    no ANALYZE, so the planner sees what it sees in a library)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in (
            "borrowers",
            "cards",
            "items",
            "loans",
            "requests",
            "audit",
            "notices",
            "notice_runs",
            "staff",
        ):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        conn.exec_driver_sql("VACUUM ANALYZE")


def main(argv: Sequence[str] | None = None) -> int:
    from desk_app.clock import FixedClock
    from desk_app.store.engine import sqlite_url
    from desk_app.wiring import open_desk

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("library-bench"),
        help="folder for library.sqlite3 and library.json",
    )
    parser.add_argument("--db", help="PostgreSQL URL of an empty database to fill instead")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the default sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        default=date.today(),
        help="the day the library stands on (default: today, so a desk "
        "started on it finds the notices run done once the runner made it)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    url = args.db or sqlite_url(args.out / "library.sqlite3")
    if not args.db and (args.out / "library.sqlite3").exists():
        raise SystemExit(f"{args.out / 'library.sqlite3'} exists; remove it first")
    clock = FixedClock(datetime.combine(args.day, datetime.min.time()))
    ctx = open_desk(url, cpr_key=CPR_KEY, policy=load_policy(), clock=clock)
    made = generate(ctx, url, Scale().times(args.scale), args.seed, args.day)
    made.save(args.out / "library.json")
    print(f"made in {made.seconds['total']:.0f} s: {args.out / 'library.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
