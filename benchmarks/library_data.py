"""A synthetic national-library database for the benchmarks (issue 6).

Default scale: 1,000,000 items, 100,000 borrowers, 300,000 open institute
loans spread over the §5 ladder as the daily runs would have left them up to
yesterday, 6,000 private loans, 2,000,000 closed loans, 50,000 requests, and
one borrower with 500 open loans; with each loan's audit entries and every
notice the ladder sent, as a database that has been in use for years would
hold them.

The library is the desk's own generator at library scale
(``desk_app.demo.generate``: the demo's description of a library, written in
bulk: ``executemany`` on SQLite, ``COPY`` on PostgreSQL). This script is its
command line:

    .venv/bin/python benchmarks/library_data.py --out /tmp/library          # SQLite
    .venv/bin/python benchmarks/library_data.py --db postgresql+psycopg://postgres@127.0.0.1/test

``library.json`` beside the data says what was made (counts, the day it
stands on, the 500-loan borrower's card, what the day's notices run must
send); the runner (``library_bench.py``) reads it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from desk_app.demo import Scale, library_card
from desk_app.demo import generate as generate_library
from desk_app.demo.bulk import sqlite_value
from desk_app.demo.ladder import Position
from desk_app.demo.people import CATEGORIES, eligible
from desk_app.domain.facts import Step
from desk_app.domain.roles import Role
from desk_app.services.context import DeskContext

__all__ = ["CPR_KEY", "ELIGIBLE", "Library", "Scale", "card_number", "generate", "sqlite_value"]

CPR_KEY = b"benchmark"
# The categories the scheme lends to (E1; an emeritus only with an own office).
ELIGIBLE = tuple((c.value, share) for c, office, share in CATEGORIES if eligible(c, office))
BENCHMARK_STAFF = (("benchmark", Role.SUPERVISOR),)  # the runner's actor (services check roles)
card_number = library_card  # borrower n's library card


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
    ladder: dict[str, int] = field(default_factory=dict)  # open loans by position this morning
    expected_notices: dict[str, int] = field(default_factory=dict)  # the day's run, by step
    seconds: dict[str, float] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Library:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def generate(
    ctx: DeskContext,
    url: str,
    scale: Scale | None = None,
    seed: int = 1,
    day: date | None = None,
    progress: Callable[[str], None] = print,
) -> Library:
    """Fill the (empty, migrated) database of ``ctx``; say what was made."""
    scale = scale or Scale()
    made = generate_library(ctx, scale, seed, day, staff=BENCHMARK_STAFF, progress=progress)
    expected = made.expected.get(made.day, {})
    return Library(
        url=url,
        day=made.day.isoformat(),
        seed=seed,
        scale=asdict(scale),
        rows=made.rows,
        heavy_card=made.heavy_card,
        heavy_borrower_id=made.heavy_borrower_id,
        ladder={p.value: made.positions[p] for p in Position},
        expected_notices={s.value: expected.get(s, 0) for s in Step},
        seconds=made.seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    from desk_app.clock import FixedClock
    from desk_app.policy_file import load_policy
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
    try:
        made = generate(ctx, url, Scale().times(args.scale), args.seed, args.day)
    finally:
        ctx.close()
    made.save(args.out / "library.json")
    print(f"made in {made.seconds['total']:.0f} s: {args.out / 'library.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
