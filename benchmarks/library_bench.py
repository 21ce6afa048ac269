"""The desk at national-library scale: one command, every figure (issue 6).

    .venv/bin/python benchmarks/library_bench.py                     # SQLite
    .venv/bin/python benchmarks/library_bench.py --db postgresql+psycopg://postgres@127.0.0.1/test

SQLite: the library is generated once into ``--data`` (``library-bench/`` by
default; ``library_data.py``, a few minutes) and every run works on a fresh
copy of it. PostgreSQL: ``--db`` names a server; a throw-away database
``deskapp_bench_<random>`` is generated there and dropped afterwards.

Measured, in this order, as a desk's day goes:

1. the morning's notices run (``run_notices``), compared step by step with
   what the domain's evaluator says for the generated ladder, and the
   notices counted in the table;
2. cold start to ready-to-scan (``cold_start.py``: a fresh process each time);
3. checkout and check-in through the service layer, p50/p99, for ordinary
   borrowers and for the borrower with 500 open loans, each kind followed by
   as many of its **raw-SQL floor**: hand-written statements on the
   driver's connection that read and write the same rows (card, borrower,
   item, open loan, queue, suspension causes; the loan and its audit row),
   so the ratio service/floor is what the service layer costs;
4. key event to verdict painted in the real desk window (offscreen);
5. supervisor search by name fragment, card and institute;
6. a transport slip (read + PDF) and the 1,000-item manifest;
7. peak memory (this process, and the cold-start process).

Every measured operation is checked for its work: each checkout must be
LOANED and the loans table must have grown by exactly the loans made; each
check-in RETURNED and the loans closed; the notices stored; the searches
found what they looked for; the PDFs have their pages. A fast no-op fails
the run (exit 1). ``--json`` writes every figure for the record.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import library_data
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from desk_app.clock import FixedClock
from desk_app.domain.verdict import Code
from desk_app.policy_file import load_policy
from desk_app.services import circulation
from desk_app.services.context import Actor, DeskContext
from desk_app.services.notices import run_notices
from desk_app.store.engine import normalise_url, sqlite_url
from desk_app.store.models import Loan, Notice
from desk_app.wiring import open_desk

ACTOR = Actor("benchmark", "KUB Nord")  # library_data's supervisor (services check roles)
ELIGIBLE = tuple(c for c, _ in library_data.ELIGIBLE)


class NoOp(AssertionError):
    """A measured operation did not do its work: the figure would lie."""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise NoOp(what)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Figure:
    """One line of the table."""

    name: str
    n: int
    p50: float  # milliseconds (seconds for the notices run: see unit)
    p99: float
    unit: str = "ms"
    target: float | None = None  # on p99 (on the single value where n == 1)
    floor_p50: float | None = None
    floor_p99: float | None = None
    ratio_target: float | None = None
    work: str = ""  # what was checked
    target_on: str = "p99"  # or "p50": a start is judged by the typical one

    @property
    def ratio(self) -> float | None:
        """p99 over the floor's p99: the target's ratio."""
        return None if not self.floor_p99 else self.p99 / self.floor_p99

    @property
    def ratio_p50(self) -> float | None:
        """The typical operation's ratio, printed beside it."""
        return None if not self.floor_p50 else self.p50 / self.floor_p50

    @property
    def met(self) -> bool | None:
        if self.target is None and self.ratio_target is None:
            return None
        value = self.p50 if self.target_on == "p50" else self.p99
        ok = self.target is None or value <= self.target
        if self.ratio_target is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.ratio_target
        return ok


@dataclass
class Report:
    database: str
    machine: dict[str, Any]
    library: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t0) * 1000, result


# --- the databases --------------------------------------------------------------------------


@contextmanager
def sqlite_library(
    data: Path, scale: float, seed: int
) -> Iterator[tuple[str, library_data.Library]]:
    """A fresh copy of the generated library (generated first if missing)."""
    made_file = data / "library.json"
    source = data / "library.sqlite3"
    wanted = asdict(library_data.Scale().times(scale))
    lib = library_data.Library.load(made_file) if made_file.exists() else None
    if lib is None or lib.scale != wanted or lib.seed != seed or not source.exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        print(f"generating the library into {data} (scale {scale}) ...", flush=True)
        lib = _generate(sqlite_url(source), scale, seed)
        lib.save(made_file)
    # Bring the library to the desk's schema once, not in every copy.
    open_desk(sqlite_url(source), cpr_key=library_data.CPR_KEY).close()
    work = Path(tempfile.mkdtemp(prefix="desk-library-bench-"))
    try:
        shutil.copyfile(source, work / "library.sqlite3")
        yield sqlite_url(work / "library.sqlite3"), lib
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def postgresql_library(
    server: str, scale: float, seed: int, keep: bool
) -> Iterator[tuple[str, library_data.Library]]:
    server = normalise_url(server)
    name = f"deskapp_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        print(f"generating the library into PostgreSQL database {name} ...", flush=True)
        yield url, _generate(url, scale, seed)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _generate(url: str, scale: float, seed: int) -> library_data.Library:
    day = date.today()
    clock = FixedClock(datetime.combine(day, datetime.min.time()))
    ctx = open_desk(url, cpr_key=library_data.CPR_KEY, policy=load_policy(), clock=clock)
    try:
        return library_data.generate(
            ctx,
            url,
            library_data.Scale().times(scale),
            seed,
            day,
            lambda line: print(line, flush=True),
        )
    finally:
        ctx.close()


# --- picking rows -------------------------------------------------------------------------


class Picker:
    """Rows for the operations, chosen at random but fit for them, so every
    checkout is a LOANED and every check-in a RETURNED; never the same row twice."""

    def __init__(self, ctx: DeskContext, lib: library_data.Library, rng: random.Random) -> None:
        self.ctx, self.lib, self.rng = ctx, lib, rng
        self.used_items: set[str] = set()
        self.used_borrowers: set[int] = set()

    def lenders(self, n: int) -> list[str]:
        """Library cards of borrowers who may borrow today (E1, B1, S2)."""
        day = self.ctx.today()
        found: list[str] = []
        with self.ctx.sessions() as s:
            while len(found) < n:
                ids = [self.rng.randint(2, self.lib.scale["borrowers"]) for _ in range(n * 2)]
                rows = s.execute(_lenders_query(ids, day)).all()
                for borrower_id, display in rows:
                    if borrower_id not in self.used_borrowers and len(found) < n:
                        self.used_borrowers.add(borrower_id)
                        found.append(display)
        return found

    def shelf_items(self, n: int) -> list[str]:
        """Home-loan items on the shelf that nobody has requested."""
        first = self.lib.scale["open_loans"] + 1
        last = self.lib.scale["items"]
        found: list[str] = []
        with self.ctx.sessions() as s:
            while len(found) < n:
                ids = [self.rng.randint(first, last) for _ in range(n * 2)]
                rows = s.execute(
                    select(text("i.barcode"))
                    .select_from(text("items i"))
                    .where(
                        text("i.id IN :ids").bindparams(_expanding("ids", ids)),
                        text("i.loan_rule = 'home'"),
                        text(
                            "NOT EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id"
                            " AND l.state = 'open')"
                        ),
                        text(
                            "NOT EXISTS (SELECT 1 FROM requests r WHERE r.item_id = i.id"
                            " AND r.state = 'active')"
                        ),
                    )
                ).scalars()
                for barcode in rows:
                    if barcode not in self.used_items and len(found) < n:
                        self.used_items.add(barcode)
                        found.append(barcode)
        return found

    def loaned_items(self, n: int, borrower_id: int | None) -> list[str]:
        """Items out on loan (to ``borrower_id``, or to anyone but the heavy borrower)."""
        with self.ctx.sessions() as s:
            query = (
                select(text("i.barcode"))
                .select_from(text("loans l JOIN items i ON i.id = l.item_id"))
                .where(text("l.state = 'open'"))
            )
            if borrower_id is not None:
                query = query.where(text("l.borrower_id = :b").bindparams(b=borrower_id))
            else:
                lo = self.lib.scale["heavy_loans"] + 1
                ids = [self.rng.randint(lo, self.lib.scale["open_loans"]) for _ in range(n * 2)]
                query = query.where(text("l.item_id IN :ids").bindparams(_expanding("ids", ids)))
            rows = [b for b in s.execute(query).scalars() if b not in self.used_items]
        self.rng.shuffle(rows)
        picked = rows[:n]
        self.used_items.update(picked)
        check(len(picked) == n, f"only {len(picked)} loaned items to check in, wanted {n}")
        return picked


def _expanding(name: str, values: Sequence[Any]):  # type: ignore[no-untyped-def]
    from sqlalchemy import bindparam

    return bindparam(name, value=list(values), expanding=True)


def _lenders_query(ids: list[int], day: date):  # type: ignore[no-untyped-def]
    return (
        text(
            "SELECT b.id, c.display FROM borrowers b JOIN cards c ON c.borrower_id = b.id"
            " WHERE b.id IN :ids AND c.kind = 'library' AND c.status = 'active'"
            " AND c.expires >= :day AND b.category IN :eligible"
            " AND (b.category <> 'emeritus' OR b.own_office = :office)"  # E1
            " AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.borrower_id = b.id"
            " AND l.state = 'open' AND l.step = 'SUSPENSION')"
        )
        .bindparams(_expanding("ids", ids), _expanding("eligible", ELIGIBLE))
        .bindparams(day=day, office=True)
    )


# --- the raw-SQL floor ----------------------------------------------------------------------


class Floor:
    """The least SQL that reads and writes what a checkout or check-in must,
    on the driver's own connection: one query per fact, the two inserts (or
    the update and the insert), one commit. No ORM, no domain, no verdict."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.raw = engine.raw_connection()
        self.conn = self.raw.driver_connection
        self.mark = "%s" if self.pg else "?"
        self.lock = " FOR UPDATE" if self.pg else ""

    def close(self) -> None:
        self.raw.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.mark)

    def _v(self, value: Any) -> Any:
        """SQLite stores dates, times and booleans as the desk's SQLAlchemy does."""
        return value if self.pg else library_data.sqlite_value(value)

    def _begin(self) -> Any:
        cur = self.conn.cursor()
        if not self.pg:
            cur.execute("BEGIN IMMEDIATE")
        return cur

    def _causes(self, cur: Any, borrower_id: int) -> list[Any]:
        cur.execute(
            self._sql(
                "SELECT i.barcode FROM loans l JOIN items i ON i.id = l.item_id"
                " WHERE l.borrower_id = ? AND l.state = 'open' AND l.step = 'SUSPENSION'"
                " AND l.settled = ? ORDER BY i.barcode"
            ),
            (borrower_id, self._v(False)),
        )
        return cur.fetchall()

    def _queue(self, cur: Any, item_id: int) -> list[Any]:
        cur.execute(
            self._sql(
                "SELECT id, borrower_id FROM requests WHERE item_id = ? AND state = 'active'"
                " ORDER BY placed_at, id"
            ),
            (item_id,),
        )
        return cur.fetchall()

    def _commit(self, cur: Any) -> None:
        if self.pg:
            self.conn.commit()
        else:
            cur.execute("COMMIT")

    def _audit(
        self,
        cur: Any,
        now: datetime,
        action: str,
        code: str,
        rule: str,
        borrower_id: int,
        item_id: int,
        loan_id: int,
    ) -> None:
        cur.execute(
            self._sql(
                "INSERT INTO audit (at, staff, desk, action, code, rule, borrower_id, item_id,"
                " loan_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            (
                self._v(now),
                ACTOR.staff,
                ACTOR.desk,
                action,
                code,
                rule,
                borrower_id,
                item_id,
                loan_id,
                None,
            ),
        )

    def checkout(self, card: str, barcode: str, now: datetime) -> int:
        cur = self._begin()
        cur.execute(
            self._sql(
                "SELECT c.id, c.status, c.expires, b.id, b.category, b.own_office, i.delivery"
                " FROM cards c JOIN borrowers b ON b.id = c.borrower_id"
                " JOIN institutes i ON i.code = b.institute_code WHERE c.lookup = ?"
            ),
            (card,),
        )
        card_id, _status, _expires, borrower_id, _cat, _office, delivery = cur.fetchone()
        cur.execute(
            self._sql(
                "SELECT id, title, loan_rule, owner, printed_year, danish_legal_deposit, is_ill"
                f" FROM items WHERE barcode = ?{self.lock}"
            ),
            (barcode,),
        )
        item_id, *_ = cur.fetchone()
        cur.execute(
            self._sql("SELECT borrower_id FROM loans WHERE item_id = ? AND state = 'open'"),
            (item_id,),
        )
        assert cur.fetchone() is None
        self._queue(cur, item_id)
        assert not self._causes(cur, borrower_id)
        day = now.date()
        cur.execute(
            self._sql(
                "INSERT INTO loans (item_id, borrower_id, card_id, capacity, state, loaned_at,"
                " loan_date, guaranteed_until, due, delivery, use_at_institute, is_ill, renewals,"
                " settled, transit, staff, desk)"
                " VALUES (?, ?, ?, 'institute', 'open', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
                + (" RETURNING id" if self.pg else "")
            ),
            (
                item_id,
                borrower_id,
                card_id,
                self._v(now),
                self._v(day),
                self._v(day + timedelta(days=30)),
                self._v(day + timedelta(days=365)),
                delivery,
                self._v(False),
                self._v(False),
                self._v(False),
                "awaiting_dispatch" if delivery != "self_pickup" else None,
                ACTOR.staff,
                ACTOR.desk,
            ),
        )
        loan_id = cur.fetchone()[0] if self.pg else cur.lastrowid
        self._audit(cur, now, "checkout", "LOANED", "L1", borrower_id, item_id, loan_id)
        self._commit(cur)
        return loan_id

    def checkin(self, barcode: str, now: datetime) -> int:
        cur = self._begin()
        cur.execute(
            self._sql(f"SELECT id, title FROM items WHERE barcode = ?{self.lock}"), (barcode,)
        )
        item_id, _title = cur.fetchone()
        cur.execute(
            self._sql(
                "SELECT id, borrower_id, capacity, due FROM loans"
                " WHERE item_id = ? AND state = 'open'"
            ),
            (item_id,),
        )
        loan_id, borrower_id, _capacity, _due = cur.fetchone()
        was = self._causes(cur, borrower_id)
        cur.execute(
            self._sql("UPDATE loans SET state = 'returned', ended_at = ? WHERE id = ?"),
            (self._v(now), loan_id),
        )
        if was:
            self._causes(cur, borrower_id)
        self._queue(cur, item_id)
        self._audit(cur, now, "checkin", "RETURNED", "C1", borrower_id, item_id, loan_id)
        self._commit(cur)
        return loan_id


# --- the measurements -----------------------------------------------------------------------


def open_count(ctx: DeskContext) -> int:
    with ctx.sessions() as s:
        return s.scalar(select(func.count()).select_from(Loan).where(Loan.state == "open")) or 0


def measure_notices(ctx: DeskContext, lib: library_data.Library, report: Report) -> None:
    day = date.fromisoformat(lib.day)
    ms, outcome = timed(lambda: run_notices(ctx, ACTOR, day))
    notices = outcome.data.get("notices", [])
    by_step = Counter(str(n["step"]) for n in notices)
    expected = Counter({k: v for k, v in lib.expected_notices.items() if v})
    check(by_step == expected, f"notices by step {dict(by_step)}, expected {dict(expected)}")
    with ctx.sessions() as s:
        stored = s.scalar(select(func.count()).select_from(Notice).where(Notice.sent_on == day))
    check(stored == len(notices) > 0, f"{stored} notices stored, {len(notices)} reported")
    report.add(
        Figure(
            "notices run (the day)",
            1,
            ms / 1000,
            ms / 1000,
            unit="s",
            target=5.0,
            work=f"{len(notices):,} notices stored, by step as the domain's evaluator says",
        )
    )


def measure_circulation(
    ctx: DeskContext,
    clock: FixedClock,
    picker: Picker,
    lib: library_data.Library,
    report: Report,
    n: int,
    heavy_n: int,
) -> None:
    """Checkouts then check-ins, each followed by as many of its raw-SQL floor
    on other rows. One after the other, not alternated: SQLite empties a
    connection's page cache when another connection has written, so
    alternating would make both start cold every time (a desk has one)."""
    engine: Engine = ctx.sessions.kw["bind"]
    floor = Floor(engine)
    moment = [datetime.combine(ctx.today(), datetime.min.time()) + timedelta(hours=9)]

    def tick() -> datetime:
        moment[0] += timedelta(seconds=3)
        clock.set(moment[0])
        return moment[0]

    def lend(card: str, item: str) -> float:
        tick()
        ms, outcome = timed(lambda: circulation.checkout(ctx, ACTOR, card, item))
        check(outcome.code == Code.LOANED, f"checkout {card} {item}: {outcome.message_en}")
        return ms

    def lend_raw(card: str, item: str) -> float:
        now = tick()
        return timed(lambda: floor.checkout(card, item, now))[0]

    def take_back(item: str) -> float:
        tick()
        ms, outcome = timed(lambda: circulation.checkin(ctx, ACTOR, item))
        check(outcome.code == Code.RETURNED, f"checkin {item}: {outcome.message_en}")
        return ms

    def take_back_raw(item: str) -> float:
        now = tick()
        return timed(lambda: floor.checkin(item, now))[0]

    heavy_label = " (500-loan borrower)"
    try:
        for label, count in (("", n), (heavy_label, heavy_n)):
            heavy = bool(label)
            cards = [lib.heavy_card] * count * 2 if heavy else picker.lenders(count * 2)
            items = picker.shelf_items(count * 2)
            before = open_count(ctx)
            service = [lend(cards[2 * i], items[2 * i]) for i in range(count)]
            raw = [lend_raw(cards[2 * i + 1], items[2 * i + 1]) for i in range(count)]
            made = open_count(ctx) - before
            check(made == 2 * count, f"{made} loans made by {2 * count} checkouts")
            work = f"{count:,} LOANED + {count:,} floor loans = {made:,} new loans"
            report.add(_pair(f"checkout{label}", service, raw, work))

        for label, count in (("", n), (heavy_label, heavy_n)):
            holder = lib.heavy_borrower_id if label else None
            items = picker.loaned_items(count * 2, holder)
            before = open_count(ctx)
            service = [take_back(items[2 * i]) for i in range(count)]
            raw = [take_back_raw(items[2 * i + 1]) for i in range(count)]
            closed = before - open_count(ctx)
            check(closed == 2 * count, f"{closed} loans closed by {2 * count} check-ins")
            work = f"{count:,} RETURNED + {count:,} floor = {closed:,} loans closed"
            report.add(_pair(f"check-in{label}", service, raw, work))
    finally:
        floor.close()


def _pair(name: str, service: list[float], raw: list[float], work: str) -> Figure:
    return Figure(
        name,
        len(service),
        statistics.median(service),
        percentile(service, 0.99),
        target=10.0,
        floor_p50=statistics.median(raw),
        floor_p99=percentile(raw, 0.99),
        ratio_target=3.0,
        work=work,
    )


def measure_search(ctx: DeskContext, lib: library_data.Library, report: Report, n: int) -> None:
    from desk_app.services.supervision_queries import search_borrowers

    rng = random.Random(lib.seed + 5)
    with ctx.sessions() as s:
        names = (
            s.execute(
                text("SELECT name FROM borrowers WHERE id IN :ids").bindparams(
                    _expanding("ids", [rng.randint(2, lib.scale["borrowers"]) for _ in range(n)])
                )
            )
            .scalars()
            .all()
        )
        institutes = s.execute(text("SELECT code FROM institutes")).scalars().all()
    queries: list[tuple[str, str]] = []
    for i, name in enumerate(names):
        first, last, number = name.split(" ")
        kind = i % 4
        if kind == 0:  # a surname and the start of a first name, any case
            queries.append((f"{last.lower()} {first[:3]}", "name"))
        elif kind == 1:  # a fragment of the surname only: many hits, the first 200
            queries.append((last[1:5], "name"))
        elif kind == 2:
            queries.append((library_data.card_number(int(number)), "card"))
        else:
            queries.append((rng.choice(institutes), "institute"))
    times: dict[str, list[float]] = {"name": [], "card": [], "institute": []}
    found = 0
    for query, kind in queries:
        ms, result = timed(lambda q=query: search_borrowers(ctx, ACTOR, q))
        check(bool(result.hits), f"search {query!r} found nobody")
        found += len(result.hits)
        times[kind].append(ms)
    every = [t for ts in times.values() for t in ts]
    report.add(
        Figure(
            "supervisor search (all)",
            len(every),
            statistics.median(every),
            percentile(every, 0.99),
            target=20.0,
            work=f"{len(queries)} searches, every one found borrowers ({found:,} hits)",
        )
    )
    for kind, ts in times.items():
        report.add(Figure(f"  by {kind}", len(ts), statistics.median(ts), percentile(ts, 0.99)))


def measure_printing(ctx: DeskContext, report: Report, runs: int) -> None:
    import pypdf
    from print_documents import big_manifest

    from desk_app.domain.verdict import Verdict
    from desk_app.printing.fonts import ensure_fonts
    from desk_app.printing.manifest import render_manifest
    from desk_app.printing.slips import render_slip
    from desk_app.services.transport import manifest, slip_for_loan

    ensure_fonts()  # once per desk process, before the first slip
    with ctx.sessions() as s:
        loan_ids = s.scalars(
            select(Loan.id).where(Loan.state == "open").order_by(Loan.id.desc()).limit(runs + 1)
        ).all()

    def slip(loan_id: int) -> bytes:
        data = slip_for_loan(ctx, ACTOR, loan_id)
        assert data is not None
        return render_slip(data)

    # The desk's first slip also loads reportlab's page machinery: timed on
    # its own, then the steady state the target is about.
    first, _ = timed(lambda: slip(loan_ids[0]))
    times = []
    for loan_id in loan_ids[1:]:
        ms, pdf = timed(lambda loan_id=loan_id: slip(loan_id))
        check(len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1, "a slip is one page")
        times.append(ms)
    report.add(
        Figure(
            "transport slip (read + PDF)",
            len(times),
            statistics.median(times),
            percentile(times, 0.99),
            target=20.0,
            work=f"one page each, from the loans just made; the first slip {first:.0f} ms",
        )
    )
    data = big_manifest()
    lines = sum(len(stop.deliver) + len(stop.collect) for stop in data.stops)
    times = []
    pages = 0
    for _ in range(max(3, runs // 10)):
        ms, pdf = timed(lambda: render_manifest(data))
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        times.append(ms)
    check(lines == 1000 and pages > 10, f"manifest: {lines} lines, {pages} pages")
    report.add(
        Figure(
            f"manifest, {lines:,} items (PDF)",
            len(times),
            statistics.median(times),
            max(times),
            target=1000.0,
            work=f"{pages} A4 pages",
        )
    )

    # The real manifest of the busiest route today, as the dispatch window
    # reads and prints it: what the day's checkouts left waiting, and every
    # loan on the ladder to collect (T4). No target: its size is the data's.
    with ctx.sessions() as s:
        route = s.execute(
            text(
                "SELECT i.route_code FROM loans l JOIN borrowers b ON b.id = l.borrower_id"
                " JOIN institutes i ON i.code = b.institute_code"
                " WHERE l.state = 'open' AND l.transit = 'awaiting_dispatch'"
                " GROUP BY i.route_code ORDER BY count(*) DESC, i.route_code LIMIT 1"
            )
        ).scalar()
    if route is not None:
        day = ctx.today()

        def real() -> tuple[int, int, int]:
            data = manifest(ctx, ACTOR, route, day, ACTOR.desk)
            assert not isinstance(data, Verdict)
            pdf = render_manifest(data)
            deliver = sum(len(stop.deliver) for stop in data.stops)
            collect = sum(len(stop.collect) for stop in data.stops)
            return deliver, collect, len(pypdf.PdfReader(io.BytesIO(pdf)).pages)

        ms, (deliver, collect, pages) = timed(real)
        check(deliver > 0 and pages > 0, f"route {route}: {deliver} to deliver, {pages} pages")
        report.add(
            Figure(
                f"manifest of route {route} today (read + PDF)",
                1,
                ms,
                ms,
                work=f"{deliver:,} to deliver, {collect:,} to collect, {pages} pages",
            )
        )


def measure_gui(
    ctx: DeskContext, picker: Picker, lib: library_data.Library, report: Report, scans: int
) -> None:
    """Card, item, card, item ... typed into the real window; then the same
    with the 500-loan borrower's card, whose panel lists all his loans."""
    from gui_scan_latency import type_scans

    heavy_pairs = max(2, scans // 20)
    cards = picker.lenders(scans // 2)
    items = picker.shelf_items(scans // 2 + heavy_pairs)
    codes = [c for pair in zip(cards, items, strict=False) for c in pair]
    codes += [c for item in items[len(cards) :] for c in (lib.heavy_card, item)]
    before = open_count(ctx)
    latencies, outcomes = type_scans(ctx, codes, ACTOR.staff)
    made = open_count(ctx) - before
    check(
        outcomes.get("LOANED", 0) == len(items) == made,
        f"desk window: {outcomes}, {made} loans made",
    )
    ordinary = latencies[: 2 * len(cards)]
    heavy = latencies[2 * len(cards) :]
    report.add(
        Figure(
            "desk window: Enter to verdict painted",
            len(ordinary),
            statistics.median(ordinary),
            percentile(ordinary, 0.99),
            target=30.0,
            work=f"{made} LOANED in the window, a card scan before each",
        )
    )
    report.add(
        Figure(
            "  … 500-loan borrower (card + item)",
            len(heavy),
            statistics.median(heavy),
            percentile(heavy, 0.99),
            target=30.0,
        )
    )


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "date": date.today().isoformat(),
    }


def print_table(report: Report) -> None:
    print()
    print(f"database: {report.database}")
    print(f"machine: {report.machine}")
    head = f"{'operation':42} {'n':>6} {'p50':>9} {'p99':>9} {'floor p50':>10} {'floor p99':>10}"
    print(f"{head} {'p50/floor':>9} {'p99/floor':>9} {'target':>20}  met")
    for f in report.figures:
        floor = (
            f"{f.floor_p50:10.2f} {f.floor_p99:10.2f} {f.ratio_p50:8.1f}× {f.ratio:8.1f}×"
            if f.floor_p50 and f.floor_p99 and f.ratio and f.ratio_p50
            else f"{'':10} {'':10} {'':9} {'':9}"
        )
        target = ""
        if f.target is not None:
            target = f"{f.target_on} ≤ {f.target:g} {f.unit}"
        if f.ratio_target is not None:
            target += f", ≤ {f.ratio_target:g}×"
        met = {None: "", True: "yes", False: "NO"}[f.met]
        print(
            f"{f.name:42} {f.n:6,} {f.p50:7.2f}{f.unit:>2} {f.p99:7.2f}{f.unit:>2} {floor}"
            f" {target:>20}  {met}"
        )
    for f in report.figures:
        if f.work:
            print(f"  checked: {f.name}: {f.work}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: SQLite)")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("library-bench"),
        help="SQLite: folder of the generated library (made if missing)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 1M items, 100k borrowers …")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ops", type=int, default=1000, help="checkouts and check-ins each")
    parser.add_argument("--heavy-ops", type=int, default=100, help="… by the 500-loan borrower")
    parser.add_argument("--scans", type=int, default=400, help="desk-window scans")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--slips", type=int, default=50)
    parser.add_argument("--cold-starts", type=int, default=5)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help="leave out: notices, cold, circulation, gui, search, printing",
    )
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database")
    args = parser.parse_args(argv)

    libraries = (
        postgresql_library(args.db, args.scale, args.seed, args.keep)
        if args.db
        else sqlite_library(args.data, args.scale, args.seed)
    )
    status = 0
    with libraries as (url, lib):
        day = date.fromisoformat(lib.day)
        clock = FixedClock(datetime.combine(day, datetime.min.time()) + timedelta(hours=6))
        ctx = open_desk(
            url,
            cpr_key=library_data.CPR_KEY,
            policy=load_policy(),
            clock=clock,
            background_checkpoints=True,  # as the desk opens it
        )
        engine: Engine = ctx.sessions.kw["bind"]
        dialect = engine.dialect.name
        with engine.connect() as conn:
            version = conn.exec_driver_sql(
                "SELECT sqlite_version()" if dialect == "sqlite" else "SHOW server_version"
            ).scalar()
        report = Report(
            database=f"{'SQLite' if dialect == 'sqlite' else 'PostgreSQL'} {version}",
            machine=machine(),
            library={"day": lib.day, "rows": lib.rows, "generated_in_s": lib.seconds},
        )
        print(f"library of {lib.day}: " + ", ".join(f"{k} {v:,}" for k, v in lib.rows.items()))
        picker = Picker(ctx, lib, random.Random(args.seed + 3))
        gc.freeze()  # as the desk does once started (gui.app.run_gui)
        try:
            if "notices" not in args.skip:
                measure_notices(ctx, lib, report)
                print(f"notices run: {report.figures[-1].p50:.2f} s", flush=True)
            if "cold" not in args.skip:
                import cold_start

                cold = cold_start.measure_cold_start(
                    url, runs=args.cold_starts, cpr_key=library_data.CPR_KEY
                )
                _cold_figures(cold, report)
            clock.set(datetime.combine(day, datetime.min.time()) + timedelta(hours=9))
            if "circulation" not in args.skip:
                measure_circulation(ctx, clock, picker, lib, report, args.ops, args.heavy_ops)
            if "gui" not in args.skip:
                measure_gui(ctx, picker, lib, report, args.scans)
            if "search" not in args.skip:
                measure_search(ctx, lib, report, args.searches)
            if "printing" not in args.skip:
                measure_printing(ctx, report, args.slips)
        except NoOp as problem:
            print(f"NO-OP: a measured operation did not do its work: {problem}")
            status = 1
        finally:
            ctx.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report.add(Figure("peak memory, this process", 1, peak, peak, unit="MB"))
        print_table(report)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        **asdict(report),
                        "figures": [
                            {**asdict(f), "ratio": f.ratio, "ratio_p50": f.ratio_p50, "met": f.met}
                            for f in report.figures
                        ],
                    },
                    indent=2,
                    default=str,
                ),
                encoding="utf-8",
            )
            print(f"figures written to {args.json}")
    return status


def _cold_figures(cold: dict[str, Any], report: Report) -> None:
    """The cold-start module's figures as table lines (its keys: see
    cold_start.py); p99 is the slowest start after the first."""
    check(bool(cold.get("ready")), "a cold start did not reach a desk ready to scan")
    for name in ("sign_in_shown", "desk_ready"):
        values = cold["milestones"][name]
        report.add(
            Figure(
                f"cold start → {name.replace('_', ' ')}",
                int(values["runs"]),
                values["p50"] * 1000,
                values["max"] * 1000,
                target=values["target"] * 1000 if values.get("target") else None,
                target_on="p50",
                work=f"{values['work']}; first start {values['first'] * 1000:.0f} ms",
            )
        )
    peak = int(cold["peak_rss_kib"]) / 1024
    report.add(Figure("peak memory, desk process at ready", 1, peak, peak, unit="MB"))


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # PySide6 can crash while tearing down at exit
