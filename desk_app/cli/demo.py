"""``desk-app demo``: fill an empty database with demo data, and say what to try.

The work is in ``desk_app.demo`` (the GUI calls it too); this module only
prints. A newcomer needs numbers to type, so the summary ends with
checkouts to try and the outcome each gives: library cards only, never a CPR
number (B3).
"""

from __future__ import annotations

import sys
import time

from desk_app.demo import DemoSummary, fill_demo
from desk_app.domain.facts import Category, LoanRule, Step
from desk_app.services.context import DeskContext
from desk_app.wiring import database_label

EXIT_USAGE = 2
_CATEGORY_ORDER: tuple[str, ...] = tuple(Category)
_RULE_ORDER: tuple[str, ...] = tuple(LoanRule)


def demo_command(ctx: DeskContext, database_url: str, borrowers: int, items: int, seed: int) -> int:
    """Fill the database and print what is in it; leave a database with data alone."""
    shown = database_label(database_url)
    started = time.perf_counter()
    try:
        summary = fill_demo(ctx, borrowers=borrowers, items=items, seed=seed)
    except ValueError as exc:
        print(f"desk-app demo: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not summary.created:
        print(
            f"{shown} already has data ({summary.borrowers} borrowers, {summary.items} items): "
            "the demo changed nothing.\n"
            "For a demo, give an empty database, e.g.: "
            "desk-app demo --db sqlite:///demo.sqlite3"
        )
        return 0
    print(format_summary(summary, shown, seed, time.perf_counter() - started))
    return 0


def _breakdown(counts: dict[str, int], order: tuple[str, ...]) -> str:
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return ", ".join(f"{k} {counts[k]}" for k in keys)


def format_summary(summary: DemoSummary, shown: str, seed: int, seconds: float) -> str:
    """The report of a fresh demo: counts, then checkouts a newcomer can type."""
    s = summary
    steps = s.loans_by_step
    lines = [
        f"Demo data for {s.today.isoformat()} written to {shown} (seed {seed}, {seconds:.1f} s).",
        "",
        f"Borrowers   {s.borrowers:>6}   {_breakdown(s.borrowers_by_category, _CATEGORY_ORDER)}",
        f"Items       {s.items:>6}   {_breakdown(s.items_by_rule, _RULE_ORDER)}",
        f"Open loans  {s.open_loans:>6}   private {s.private_loans}, ILL {s.ill_loans}, "
        f"use at the institute (M2) {s.use_at_institute_loans}",
        "  institute loans by notice step (§5):",
        f"    no notice yet {steps.get('none', 0):>6}",
    ]
    for step in Step:
        line = f"    {step.value:<13} {steps.get(step.value, 0):>6}"
        if step is Step.SUSPENSION:
            line += f"   + {s.settled_cases} settled by contact (S5)"
        lines.append(line)
    lines += [
        f"Suspended borrowers {s.suspended_borrowers} (S2)   active requests {s.active_requests}"
        f"   open claims {s.open_claims}",
        f"Cards: {s.library_cards} library ({s.expired_cards} expired, {s.lost_cards} lost, "
        f"{s.replaced_cards} replaced), {s.health_cards} health cards "
        "(CPR kept only as a keyed hash, B3)",
    ]
    if s.staff:
        lines += ["", "Sign in as (pick the name or scan the staff card, then type the PIN):"]
        width = max(len(m.name) for m in s.staff)
        lines += [
            f"  {m.name:<{width}}  {m.role.value:<10}  PIN {m.pin}  staff card {m.card}"
            for m in s.staff
        ]
    if s.examples:
        lines += ["", "Try these checkouts at the desk (scan or type the card, then the item):"]
        width = max(len(e.expect.value) for e in s.examples)
        lines += [
            f"  {e.expect.value:<{width}}  card {e.card}  item {e.item}  {e.what}"
            for e in s.examples
        ]
    lines += _courier_lines(s, shown)
    lines += [
        "",
        f"Today's notices run sends what falls due today: desk-app notices --db {shown}",
    ]
    return "\n".join(lines)


def _courier_lines(s: DemoSummary, shown: str) -> list[str]:
    """T4: what waits for each route today, and how to print its papers."""
    if not s.courier:
        return []
    lines = [
        "",
        f"Courier today (T4): {s.awaiting_dispatch} items wait on the courier shelf, "
        f"{s.to_collect} to collect at the institutes",
    ]
    width = max(len(r.route) for r in s.courier)
    for r in s.courier:
        internal = "  (internal courier, T3)" if r.internal_courier else ""
        lines.append(
            f"  {r.route:<{width}}  {r.deliver:>4} to deliver  {r.collect:>4} to collect  "
            f"at {r.stops} stop(s){internal}"
        )
    busiest = max(s.courier, key=lambda r: r.deliver)
    lines.append(
        f"Print a manifest: desk-app print manifest --route {busiest.route} "
        f"--out manifest.pdf --db {shown}"
    )
    if busiest.first_item:
        lines.append(
            f"... and a transport slip: desk-app print slip {busiest.first_item} "
            f"--out slip.pdf --db {shown}"
        )
    return lines
