"""Finding borrowers and items as the desk types, at library scale (issue 15).

    .venv/bin/python benchmarks/search_bench.py                       # SQLite
    .venv/bin/python benchmarks/search_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres
    .venv/bin/python benchmarks/search_bench.py --use-db postgresql+psycopg://…/library

The library is the issue-6 benchmark's (``library_bench.py``: 100,000
borrowers, 1,000,000 items; SQLite: generated once into ``--data``,
``library-bench/`` by default, and every run works on a fresh copy;
PostgreSQL: generated into a throw-away database, or ``--use-db`` names one
generated before with ``library_data.py --db``).

What is typed is what a desk types, key by key, for borrowers and items
picked at random: a first name letter by letter then the surname ("a",
"an", …, "anne j", "anne je", …), a surname alone, the name without its
Danish letters ("soren" for "Søren"), the name with the institute's code
("Inge Friis NBI"), a library card from its sixth digit to its fourteenth;
a title's first words letter by letter, the author's surname, a call number
character by character, a barcode. Every keystroke is one call of
``services.search.find_borrowers`` or ``find_items`` (the role checked, as
the desk's dialog calls them), timed; p50 and p99 per kind, target p99 ≤ 20 ms.

**Every answer is checked**, so that a search that finds nothing cannot pass
as fast: every hit must match what was typed (each fragment in the name or
naming the institute; each word the start of a word of title or author, or
the call number's start), and when fewer than the limit came back, the
borrower or item the typing was taken from must be among them. Any miss
fails the run (``NO-OP``, exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling scripts

import library_bench
import library_data
from sqlalchemy import text

from desk_app.clock import FixedClock
from desk_app.domain.search_results import BorrowerHit, ItemHit
from desk_app.domain.search_text import SUBSTRING_LETTERS, fold, tokens
from desk_app.policy_file import load_policy
from desk_app.services import search
from desk_app.services.context import DeskContext
from desk_app.wiring import open_desk

ACTOR = library_bench.ACTOR  # the library's supervisor
TARGET_MS = 20.0
LIMIT = search.DEFAULT_LIMIT


class NoOp(AssertionError):
    """A search did not find what it had to: its figure would lie."""


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Typed:
    """One keystroke's search: what is in the field, what it was taken from."""

    kind: str
    text: str
    target: int  # the borrower's or item's id the typing was taken from
    institute: str | None = None  # for "name + institute": the institute typed


@dataclass
class Result:
    kind: str
    n: int
    p50: float
    p99: float
    hits: int
    full: int  # searches that came back with the whole limit ("type more")

    @property
    def met(self) -> bool:
        return self.p99 <= TARGET_MS


@dataclass
class Report:
    database: str
    library: dict[str, Any]
    results: list[Result] = field(default_factory=list)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)


# -- what is typed ------------------------------------------------------------------------


def keystrokes(word: str, start: int = 1) -> list[str]:
    return [word[:n] for n in range(start, len(word) + 1)]


def borrower_typing(rows: Sequence[tuple[int, str, str, str]], rng: random.Random) -> list[Typed]:
    """(id, name, card, institute code) of borrowers picked at random, typed
    in turn the ways a desk types them."""
    typed: list[Typed] = []
    for i, (borrower_id, name, card, institute) in enumerate(rows):
        first, last, *_ = name.split(" ")
        way = i % 5
        if way == 0:  # first name letter by letter, then the surname
            typed += [Typed("name", t, borrower_id) for t in keystrokes(first.lower())]
            typed += [Typed("name", f"{first} {t}", borrower_id) for t in keystrokes(last)]
        elif way == 1:  # the surname alone
            typed += [Typed("name", t, borrower_id) for t in keystrokes(last)]
        elif way == 2:  # without its Danish letters, surname first
            plain = fold(f"{last} {first}")
            typed += [Typed("name (folded)", t, borrower_id) for t in keystrokes(plain, 2)]
        elif way == 3:  # name and institute: "Inge Friis NBI"
            typed.append(
                Typed("name + institute", f"{first} {last} {institute}", borrower_id, institute)
            )
            typed.append(
                Typed("name + institute", f"{first[:3]} {institute}", borrower_id, institute)
            )
        else:  # a library card from its sixth digit
            typed += [Typed("card", t, borrower_id) for t in keystrokes(card, 6)]
    return typed


def item_typing(
    rows: Sequence[tuple[int, str, str | None, str | None, str]], rng: random.Random
) -> list[Typed]:
    """(id, title, author, call number, barcode) of items picked at random."""
    typed: list[Typed] = []
    for i, (item_id, title, author, call, barcode) in enumerate(rows):
        words = [w for w in title.split() if any(c.isalnum() for c in w)]
        way = i % 4
        if way == 0 and words:  # the title's first words, letter by letter
            done = ""
            for word in words[:3]:
                typed += [Typed("title", f"{done}{t}", item_id) for t in keystrokes(word)]
                done += word + " "
        elif way == 1 and author:  # the author's surname, then a title word
            surname = author.split(",")[0]
            typed += [Typed("author", t, item_id) for t in keystrokes(surname)]
            if words:
                longest = max(words, key=len)
                typed += [Typed("author", f"{surname} {t}", item_id) for t in keystrokes(longest)]
        elif way == 2 and call:  # a call number, character by character
            typed += [Typed("call number", t, item_id) for t in keystrokes(call, 2) if t.strip()]
        else:
            typed.append(Typed("barcode", barcode, item_id))
    return typed


# -- the answers checked -----------------------------------------------------------------


def borrower_matches(hit: BorrowerHit, typed: str, names: dict[str, set[str]]) -> bool:
    """Whether ``hit`` matches ``typed`` as the search promises: a card's
    digits start the card; else each word is in the folded name (or starts
    one of its words, when every word is short), or names its institute."""
    words = typed.split()
    if "".join(words).isdigit():
        return hit.card is not None and hit.card.startswith("".join(words))
    keys = [fold(w) for w in words]
    name = fold(hit.name)
    short = all(len(k) < SUBSTRING_LETTERS for k in keys)
    for key in keys:
        in_name = any(w.startswith(key) for w in name.split()) if short else key in name
        if not in_name and hit.institute_code not in names.get(key, set()):
            return False
    return True


def item_matches(hit: ItemHit, typed: str) -> bool:
    if hit.barcode == typed.strip():
        return True
    words = tokens(f"{hit.title} {hit.author or ''}")
    by_words = all(any(w.startswith(t) for w in words) for t in tokens(typed))
    by_call = (hit.call_number or "").lower().startswith(" ".join(typed.split()).lower())
    return by_words or by_call


# -- running ---------------------------------------------------------------------------------


def run(
    kinds: dict[str, list[Typed]],
    call: Callable[[str], list[Any]],
    check: Callable[[Typed, list[Any]], str | None],
    report: Report,
    label: str,
) -> None:
    every: list[float] = []
    per_kind: list[Result] = []
    for kind, typed in kinds.items():
        times: list[float] = []
        hits = full = 0
        for t in typed:
            started = time.perf_counter()
            found = call(t.text)
            ms = (time.perf_counter() - started) * 1000
            problem = check(t, found)
            if problem:
                raise NoOp(f"{label} {t.text!r}: {problem}")
            times.append(ms)
            hits += len(found)
            full += len(found) >= LIMIT
            report.slowest.append((ms, label, t.text))
        every += times
        per_kind.append(
            Result(
                f"  {kind}",
                len(times),
                statistics.median(times),
                percentile(times, 0.99),
                hits,
                full,
            )
        )
    report.results.append(
        Result(
            f"{label} (all)",
            len(every),
            statistics.median(every),
            percentile(every, 0.99),
            sum(r.hits for r in per_kind),
            sum(r.full for r in per_kind),
        )
    )
    report.results.extend(per_kind)


def measure(ctx: DeskContext, n: int, seed: int, report: Report) -> None:
    rng = random.Random(seed)
    with ctx.sessions() as s:
        top_borrower = s.execute(text("SELECT max(id) FROM borrowers")).scalar() or 0
        top_item = s.execute(text("SELECT max(id) FROM items")).scalar() or 0
        borrower_ids = rng.sample(range(2, top_borrower + 1), min(n, top_borrower - 1))
        people = s.execute(
            text(
                "SELECT b.id, b.name, c.display, b.institute_code FROM borrowers b "
                "JOIN cards c ON c.borrower_id = b.id AND c.kind = 'library' "
                f"WHERE b.id IN ({', '.join(map(str, borrower_ids))})"
            )
        ).all()
        item_ids = rng.sample(range(1, top_item + 1), min(n, top_item))
        items = s.execute(
            text(
                "SELECT id, title, author, call_number, barcode FROM items "
                f"WHERE id IN ({', '.join(map(str, item_ids))})"
            )
        ).all()
        institutes = s.execute(text("SELECT code, name, name_da FROM institutes")).all()
    people = sorted(people, key=lambda r: borrower_ids.index(r[0]))
    names: dict[str, set[str]] = {}
    for code, name, name_da in institutes:
        names.setdefault(fold(code), set()).add(code)
        for word in f"{fold(name)} {fold(name_da or '')}".split():
            for n_ in range(SUBSTRING_LETTERS, len(word) + 1):
                names.setdefault(word[:n_], set()).add(code)

    def by_kind(typed: list[Typed]) -> dict[str, list[Typed]]:
        kinds: dict[str, list[Typed]] = {}
        for t in typed:
            kinds.setdefault(t.kind, []).append(t)
        return kinds

    def check_borrowers(t: Typed, found: list[BorrowerHit]) -> str | None:
        wrong = [h.name for h in found if not borrower_matches(h, t.text, names)]
        if wrong:
            return f"found {wrong[:3]}, which do not match"
        if len(found) < LIMIT and t.target not in {h.borrower_id for h in found}:
            return f"{len(found)} found, not borrower {t.target}"
        if any(h.card and "XXXX" not in h.card and len(h.card) == 11 for h in found):
            return "a CPR number shown"  # B3: never
        return None

    def check_items(t: Typed, found: list[ItemHit]) -> str | None:
        wrong = [h.title for h in found if not item_matches(h, t.text)]
        if wrong:
            return f"found {wrong[:3]}, which do not match"
        if len(found) < LIMIT and t.target not in {h.item_id for h in found}:
            return f"{len(found)} found, not item {t.target}"
        return None

    run(
        by_kind(borrower_typing(people, rng)),
        lambda q: search.find_borrowers(ctx, ACTOR, q, LIMIT),
        check_borrowers,
        report,
        "find_borrowers",
    )
    run(
        by_kind(item_typing(items, rng)),
        lambda q: search.find_items(ctx, ACTOR, q, LIMIT),
        check_items,
        report,
        "find_items",
    )


def print_report(report: Report) -> None:
    print()
    print(f"database: {report.database}")
    head = f"{'search':34} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'hits':>8} {'full':>6}"
    print(f"{head} {'target':>14}  met")
    for r in report.results:
        target = f"p99 ≤ {TARGET_MS:g} ms" if not r.kind.startswith("  ") else ""
        met = ("yes" if r.met else "NO") if target else ""
        line = f"{r.kind:34} {r.n:6,} {r.p50:8.2f} {r.p99:8.2f} {r.hits:8,} {r.full:6,}"
        print(f"{line} {target:>14}  {met}")
    print("slowest:")
    for ms, label, typed in sorted(report.slowest, reverse=True)[:8]:
        print(f"  {ms:8.2f} ms  {label}({typed!r})")
    print(
        "checked: every hit matches what was typed; when fewer than "
        f"{LIMIT} came back, the borrower or item typed was among them"
    )


@contextmanager
def existing(url: str) -> Iterator[tuple[str, Any]]:
    yield url, None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL: a throw-away library there")
    parser.add_argument("--use-db", help="a database with a generated library (kept as it is)")
    parser.add_argument("--data", type=Path, default=Path("library-bench"), help="SQLite library")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 1M items, 100k borrowers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--picks", type=int, default=150, help="borrowers and items typed")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    if args.use_db:
        libraries = existing(args.use_db)
    elif args.db:
        libraries = library_bench.postgresql_library(args.db, args.scale, args.seed, False)
    else:
        libraries = library_bench.sqlite_library(args.data, args.scale, args.seed)
    status = 0
    with libraries as (url, lib):
        day = date.fromisoformat(lib.day) if lib is not None else date.today()
        clock = FixedClock(datetime.combine(day, datetime.min.time()) + timedelta(hours=9))
        ctx = open_desk(url, cpr_key=library_data.CPR_KEY, policy=load_policy(), clock=clock)
        engine = ctx.sessions.kw["bind"]
        with engine.connect() as conn:
            version = conn.exec_driver_sql(
                "SELECT sqlite_version()"
                if engine.dialect.name == "sqlite"
                else "SHOW server_version"
            ).scalar()
            rows = {
                t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                for t in ("borrowers", "items")
            }
        name = "SQLite" if engine.dialect.name == "sqlite" else "PostgreSQL"
        report = Report(database=f"{name} {version}", library=rows)
        print(f"library: {rows['borrowers']:,} borrowers, {rows['items']:,} items ({name})")
        try:
            measure(ctx, args.picks, args.seed, report)
        except NoOp as problem:
            print(f"NO-OP: a search did not find what it had to: {problem}")
            status = 1
        finally:
            ctx.close()
        print_report(report)
        if any(not r.met for r in report.results if not r.kind.startswith("  ")):
            print(f"OVER TARGET: p99 > {TARGET_MS:g} ms")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "database": report.database,
                        "library": report.library,
                        "results": [{**asdict(r), "met": r.met} for r in report.results],
                    },
                    indent=2,
                ),
                encoding="utf-8",
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
