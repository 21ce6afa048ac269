"""Suspended borrowers for the supervisor screen's tests (§5, S2, S5)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from desk_app.clock import FixedClock
from desk_app.services.circulation import checkout
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import BorrowerRecord, ItemRecord, declare
from desk_app.services.notices import run_notices
from tests.helpers.people import card, item
from tests.helpers.staffing import seeder

# A borrower whose name needs more than ASCII (search, CSV for Excel).
SOREN = card(20)
SOREN_NAME = "Søren Ærø Åberg"

LOANED_AT = datetime(2025, 1, 2, 10)  # due 2026-01-02 (L1: one year)
# The daily runs that take a loan due 2026-01-02 up the ladder, one rung each.
LADDER_DAYS = {
    "RECALL": date(2026, 1, 3),  # deadline 2026-01-17
    "REMINDER_1": date(2026, 1, 18),  # deadline 2026-01-25
    "REMINDER_2": date(2026, 1, 26),  # deadline 2026-02-02
    "REMINDER_3": date(2026, 2, 3),  # deadline 2026-02-10
    "SUSPENSION": date(2026, 2, 11),
}


def declare_soren(ctx: DeskContext) -> None:
    declare(
        ctx,
        seeder(ctx),
        borrowers=[
            BorrowerRecord(SOREN, SOREN_NAME, "researcher", "DIKU", card_expires=date(2031, 12, 31))
        ],
        items=[ItemRecord(item(20), "Ødegaards Æbler og Ål", printed_year=2001)],
    )


def lend(ctx: DeskContext, actor: Actor, clock: FixedClock, loans: list[tuple[str, str]]) -> None:
    """Lend each (card, item) on ``LOANED_AT``."""
    clock.set(LOANED_AT)
    for who, what in loans:
        assert checkout(ctx, actor, who, what).ok, (who, what)


def climb(ctx: DeskContext, actor: Actor, clock: FixedClock, up_to: str = "SUSPENSION") -> None:
    """Run the daily notices on the ladder days up to ``up_to``, then set the
    clock to 10:00 the day after the last run."""
    for step, day in LADDER_DAYS.items():
        run_notices(ctx, actor, day)
        if step == up_to:
            clock.set(datetime.combine(day + timedelta(days=1), time(10)))
            return
