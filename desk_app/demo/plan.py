"""The demo, planned in memory: every row an object, given its id when written.

A newcomer's desk needs cases that hang together (a suspended borrower has
his suspension's loans and no loan made after it, a queue has the loan it
waits for), so at the demo's scale every borrower, item, loan and request is
planned as an object, with the domain's own rules (eligibility, loan terms,
L4, the ladder's projection), never with a second copy of them. The plan is
the same for the same seed (``random.Random(seed)``) and dated relative to
the injected clock's today. Each kind is planned by the module named for it
(``people``, ``catalogue``, ``loans``, ``requests``, ``courier``); this one
holds what they share: the random source, the day, and who may borrow when.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from desk_app.demo.cases import plan_loans
from desk_app.demo.catalogue import ItemPlan, plan_items
from desk_app.demo.courier import RunPlan
from desk_app.demo.ladder import ONE_DAY, Ladder
from desk_app.demo.loans import LoanPlan, Terms, at
from desk_app.demo.people import BorrowerPlan, CardPlan, plan_borrowers
from desk_app.demo.requests import RequestPlan
from desk_app.demo.scale import DemoCases
from desk_app.domain.policy import Policy


class DemoPlan:
    """The whole demo, built deterministically from the seed."""

    def __init__(
        self,
        policy: Policy,
        today: date,
        cpr_key: bytes,
        seed: int,
        now: datetime | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.policy = policy
        self.today = today
        self.now = now or datetime.combine(today, time(12, 0))
        self.yesterday = today - ONE_DAY
        self.cpr_key = cpr_key
        self.ladder = Ladder(policy.ladder, today)
        self.terms = Terms(policy)
        self.borrowers: list[BorrowerPlan] = []
        self.items: list[ItemPlan] = []
        self.loans: list[LoanPlan] = []
        self.requests: list[RequestPlan] = []
        self.dispatches: list[RunPlan] = []
        self.showcase: dict[str, ItemPlan] = {}
        self.home_pool: list[ItemPlan] = []  # home items on the shelf, free to lend
        self.m2_pool: list[ItemPlan] = []  # reading-room items M2 allows to lend
        self.shelf_queues: list[ItemPlan] = []
        self.newcomer: BorrowerPlan | None = None
        self.eligible: tuple[list[BorrowerPlan], list[float]] = ([], [])
        self.everyone: tuple[list[BorrowerPlan], list[float]] = ([], [])

    def build(self, cases: DemoCases) -> DemoPlan:
        """People first, then the catalogue, then the loans that join them."""
        plan_borrowers(self, cases)
        plan_items(self, cases.catalogue, cases.ill_items)
        plan_loans(self, cases)
        return self

    # -- the calendar ----------------------------------------------------------

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def at(self, day: date) -> datetime:
        """A moment in the desk's opening hours on ``day``."""
        return at(self.rng, day)

    def between(self, day: date, start: time, end: time | datetime) -> datetime:
        """A moment on ``day`` from ``start`` to ``end`` (five-minute steps);
        from midnight if ``end`` comes first (a demo made before opening)."""
        first = datetime.combine(day, start)
        last = end if isinstance(end, datetime) else datetime.combine(day, end)
        if last <= first:
            first = datetime.combine(day, time(0, 0))
        steps = max(0, int((last - first).total_seconds() // 300))
        return first + timedelta(minutes=5 * self.rng.randint(0, steps)) if steps else first

    # -- who may borrow ----------------------------------------------------------

    def pick(
        self,
        day: date,
        *,
        institute: bool = True,
        exclude: Sequence[BorrowerPlan] = (),
        card_today: bool = False,
        among: Sequence[BorrowerPlan] = (),
    ) -> tuple[BorrowerPlan, CardPlan] | None:
        """A borrower who could borrow on ``day``: enrolled, a valid card (U1),
        eligible for institute capacity (E1), not suspended (S3); drawn from
        ``among`` alike if given, else the heavy borrowers more often."""
        members, cumulative = self.eligible if institute else self.everyone
        total = cumulative[-1]
        for _ in range(80):
            if among:
                borrower = self.rng.choice(among)
            else:
                borrower = members[bisect_left(cumulative, self.rng.random() * total)]
            if borrower.reserved or any(borrower is x for x in exclude):
                continue
            if borrower.enrolled_on > day:
                continue
            if borrower.suspended_since is not None and day >= borrower.suspended_since:
                continue
            if card_today and not borrower.library_card().valid_on(self.today):
                continue
            cards = [c for c in borrower.cards if c.valid_on(day)]
            if not cards:
                continue
            health = [c for c in cards if c.kind == "health"]
            card = health[0] if health and self.rng.random() < 0.3 else cards[0]
            return borrower, card
        return None
