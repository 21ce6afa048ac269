"""How many of each a library holds, at each scale.

The other modules of the package say what a library holds (who borrows, what
is on the shelves, where each open loan stands on the §5 ladder); this one
says how many. Three scales are in use: the demo a newcomer opens (2,000
borrowers, every rule with a case to look at), the national library the
benchmarks measure (a million items, issue 6) and the notices run's 300,000
open loans (issue 5). :meth:`Scale.times` makes any of them smaller or larger
with the same shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from desk_app.demo.ladder import Position
from desk_app.demo.people import E_RESOURCES_SHARE, EXPIRED_SHARE, HEALTH_CARD_SHARE

# The smallest demo that still shows every case (a student, an emeritus
# without an office, a lost card, a suspended borrower, ...).
MIN_BORROWERS = 50
MIN_ITEMS = 300

# Where the open institute loans of a library in daily use stand on the
# morning of its day (shares of the open loans; measured on the notices run).
LIBRARY_LADDER: tuple[tuple[Position, float], ...] = (
    (Position.NOT_DUE, 0.810),
    (Position.DUE_TODAY, 0.005),  # RECALL tomorrow
    (Position.DUE_YESTERDAY, 0.030),  # RECALL today
    (Position.RECALL, 0.050),
    (Position.REMINDER_1, 0.030),
    (Position.REMINDER_2, 0.020),
    (Position.REMINDER_3, 0.015),
    (Position.SUSPENSION, 0.025),
    (Position.SETTLED, 0.015),  # S5, back to SUSPENSION the day after the agreed date
)


@dataclass(frozen=True)
class Scale:
    """The counts every scale has; the default is the national library (issue 6)."""

    items: int = 1_000_000
    borrowers: int = 100_000
    open_loans: int = 300_000  # institute capacity: not yet due, or on the §5 ladder
    closed_loans: int = 2_000_000  # returned, over the past years
    requests: int = 50_000
    heavy_loans: int = 500  # one borrower's open loans (the 500-loan borrower), not yet due
    private_loans: int = 6_000  # P1: off the ladder

    def times(self, factor: float) -> Scale:
        """The same shape, smaller (tests) or larger; the heavy borrower keeps
        his 500 loans unless there are fewer loans than that. A kind the scale
        has none of stays at none."""
        n = {k: max(10, round(v * factor)) if v else 0 for k, v in asdict(self).items()}
        n["heavy_loans"] = min(self.heavy_loans, n["open_loans"] // 4)
        return Scale(**n)

    @classmethod
    def notices(cls, loans: int, private: int, returned: int) -> Scale:
        """The notices run's database (issue 5): open loans, a borrower per ten
        of them, an item per open loan; no requests, no 500-loan borrower."""
        return cls(
            items=loans + private,
            borrowers=max(10, loans // 10),
            open_loans=loans,
            closed_loans=returned,
            requests=0,
            heavy_loans=0,
            private_loans=private,
        )

    @classmethod
    def demo(cls, borrowers: int = 2000, items: int = 20000) -> Scale:
        """The demo's counts: everything below follows from its borrowers and items."""
        cases = DemoCases.of(borrowers, items)
        return cls(
            items=items,
            borrowers=borrowers,
            open_loans=cases.open_loans,
            closed_loans=cases.closed_loans,
            requests=cases.requested + cases.queued + cases.shelf_queues,
            heavy_loans=0,
            private_loans=cases.private,
        )


def _count(share: float, n: int, least: int) -> int:
    return max(least, round(share * n))


@dataclass(frozen=True)
class DemoCases:
    """The demo's cases, each a share of the borrowers and at least one or two,
    so that a demo of any size has every rule to look at. The demo makes as
    many as it finds borrowers and items fit for (most of the time all)."""

    borrowers: int
    catalogue: int  # the library's own items (the ILL items come on top)
    ill_items: int  # I2, I3
    health_cards: int  # E3, B3
    e_resources_declared: int  # E3 without a CPR number
    expired_cards: int  # U1
    lost_cards: int
    replaced_cards: int
    suspension: int  # §5, the open loans on each rung
    reminder_3: int
    reminder_2: int
    reminder_1: int
    recall: int
    settled: int  # S5
    due_yesterday: int  # today's run recalls them
    requested: int  # L4: loans others requested
    queued: int  # L3: lent to the first in a queue, another still waiting
    reading_room: int  # M2, at most a third of the reading-room books M2 allows
    private: int  # P1
    open_loans: int  # all open loans, the bulk current loans fill up to it
    shelf_queues: int  # L3: requests on items on the shelf
    lost: int  # C2, with claims (C3)
    closed_loans: int  # history, on items on the shelf
    courier_high: int  # T4: today's checkouts per route, at most
    courier_low: int

    @classmethod
    def of(cls, borrowers: int, items: int) -> DemoCases:
        n = borrowers
        ill = max(3, round(0.006 * n))
        catalogue = items - ill
        high = min(25, max(6, round(0.01 * n)))
        return cls(
            borrowers=n,
            catalogue=catalogue,
            ill_items=ill,
            health_cards=max(2, round(HEALTH_CARD_SHARE * n)),
            e_resources_declared=round(E_RESOURCES_SHARE * n),
            expired_cards=max(2, round(EXPIRED_SHARE * n)),
            lost_cards=max(1, n // 1000),
            replaced_cards=max(1, round(0.005 * n)),
            suspension=_count(0.006, n, 3),
            reminder_3=_count(0.008, n, 2),
            reminder_2=_count(0.010, n, 2),
            reminder_1=_count(0.012, n, 2),
            recall=_count(0.020, n, 2),
            settled=_count(0.0015, n, 2),
            due_yesterday=_count(0.005, n, 1),
            requested=_count(0.010, n, 3),
            queued=_count(0.003, n, 2),
            reading_room=_count(0.010, n, 2),
            private=_count(0.030, n, 4),
            open_loans=min(round(0.3 * catalogue), 3 * n),
            shelf_queues=_count(0.004, n, 2),
            lost=_count(0.002, n, 2),
            closed_loans=round(0.2 * catalogue),
            courier_high=high,
            courier_low=max(5, high // 2),
        )
