"""Loans: the open ones (current, and on every rung of the §5 ladder), and the
closed ones of the past years.

How a loan's dates come about is described once (``current_dates``,
``overdue_dates``, ``closed_dates``, ``renewals``) with the domain's loan
terms (L1-L5), and used at every scale. At the demo's scale the loans are
planned as objects, one case per rule (``cases``); at library scale
``library`` streams them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from desk_app.demo.catalogue import ItemPlan
from desk_app.demo.ladder import ONE_DAY, Sent
from desk_app.demo.people import BorrowerPlan, CardPlan
from desk_app.domain import calendar
from desk_app.domain.calendar import Period
from desk_app.domain.facts import Capacity, Step
from desk_app.domain.ill import HandOver, ill_hand_over
from desk_app.domain.loan_period import (
    LoanTerms,
    ill_loan_terms,
    institute_loan_terms,
    private_loan_terms,
)
from desk_app.domain.loan_states import LOAN, LoanAction, LoanState, Transit
from desk_app.domain.material import Lendable, check_lendable
from desk_app.domain.policy import Policy

if TYPE_CHECKING:
    from desk_app.demo.courier import RunPlan
    from desk_app.demo.plan import DemoPlan

# The states a generated loan is in: made by a checkout, ended by a return or
# a loss (the loan table's own rows, ``domain.loan_states``).
OPEN = LOAN.start(LoanAction.CHECK_OUT)
RETURNED = LOAN.step(OPEN, LoanAction.RETURN)
LOST = LOAN.step(OPEN, LoanAction.LOSE)


def at(rng: random.Random, day: date) -> datetime:
    """A moment in the desk's opening hours on ``day`` (five-minute steps)."""
    return datetime.combine(day, time(rng.randint(9, 15), rng.randrange(0, 60, 5)))


@lru_cache(maxsize=1 << 16)
def add_period(day: date, period: Period) -> date:
    """The calendar's ``add_period``, kept: a library at scale asks for the same
    few thousand days millions of times."""
    return calendar.add_period(day, period)


def minus(day: date, period: Period) -> date:
    """``day`` less a policy period, so ``add_period`` leads back to about ``day``."""
    return add_period(day, Period(-period.years, -period.months, -period.days))


class Terms:
    """The domain's loan terms (L1, L2, P1) of one policy, kept per loan day."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._institute: dict[tuple[date, bool], LoanTerms] = {}
        self._private: dict[date, LoanTerms] = {}

    def institute(self, loan_day: date, others_waiting: bool = False) -> LoanTerms:
        key = (loan_day, others_waiting)
        terms = self._institute.get(key)
        if terms is None:
            terms = institute_loan_terms(loan_day, others_waiting, self.policy)
            self._institute[key] = terms
        return terms

    def private(self, loan_day: date) -> LoanTerms:
        terms = self._private.get(loan_day)
        if terms is None:
            terms = self._private[loan_day] = private_loan_terms(loan_day, self.policy)
        return terms


# --------------------------------------------------------------------------
# How a loan's dates come about (every scale)


def renewals(
    rng: random.Random, policy: Policy, loan_day: date, until: date
) -> tuple[list[date], date]:
    """L5: renew shortly before each due date until the due date reaches
    ``until`` (or the 3-year horizon stops it)."""
    loan_policy = policy.loan
    horizon = add_period(loan_day, loan_policy.renewal_horizon)
    due = add_period(loan_day, loan_policy.standard)
    days: list[date] = []
    while due < until and due < horizon:
        renewed = max(loan_day + ONE_DAY, due - timedelta(days=rng.randint(0, 30)))
        due = min(add_period(renewed, loan_policy.renewal_extension), horizon)
        days.append(renewed)
    return days, due


def current_dates(rng: random.Random, policy: Policy, today: date) -> tuple[date, list[date], date]:
    """A current loan, not yet due: lent within the last three years (most
    within the year) and renewed until its due date is today or later (L5).
    Returns the loan day, the renewal days and the due date."""
    draw = rng.random()
    years = 0 if draw < 0.65 else 1 if draw < 0.9 else 2
    earliest = add_period(today, Period(years=-(years + 1))) + timedelta(days=1)
    latest_day = add_period(today, Period(years=-years)) - ONE_DAY
    horizon_floor = minus(today, policy.loan.renewal_horizon) + timedelta(days=30)
    earliest = max(earliest, horizon_floor)
    loan_day = earliest + timedelta(days=rng.randint(0, max(0, (latest_day - earliest).days)))
    renew_days, due = renewals(rng, policy, loan_day, until=today)
    return loan_day, renew_days, due


def overdue_dates(
    rng: random.Random, policy: Policy, due: date
) -> tuple[date, date | None, list[date]]:
    """A loan due on ``due``: lent a year before (L1; its due date is then the
    terms', None here), renewed once (L5), or at the 3-year horizon after
    renewals (L5). Returns the loan day, the due date and the renewal days."""
    loan_policy = policy.loan
    draw = rng.random()
    if draw < 0.7:
        return minus(due, loan_policy.standard), None, []
    if draw < 0.9:
        renewed = minus(due, loan_policy.renewal_extension)
        loan_day = renewed - timedelta(days=rng.randint(200, 364))
        new_due = min(
            add_period(renewed, loan_policy.renewal_extension),
            add_period(loan_day, loan_policy.renewal_horizon),
        )
        return loan_day, new_due, [renewed]
    loan_day = minus(due, loan_policy.renewal_horizon)
    renew_days, new_due = renewals(
        rng, policy, loan_day, until=add_period(loan_day, loan_policy.renewal_horizon)
    )
    return loan_day, new_due, renew_days


def closed_start(rng: random.Random, today: date, span_days: int) -> tuple[date, Capacity]:
    """A loan of the past ``span_days`` that has been returned: its loan day
    and capacity (nine in ten institute loans)."""
    loan_day = today - timedelta(days=rng.randint(30, span_days))
    institute = rng.random() < 0.9
    return loan_day, Capacity.INSTITUTE if institute else Capacity.PRIVATE


def closed_dates(
    rng: random.Random, terms_of: Terms, loan_day: date, capacity: Capacity, yesterday: date
) -> tuple[LoanTerms, date] | None:
    """The terms of a returned loan and the day it came back, before its due
    date and before today (None: lent too late to have come back)."""
    if capacity is Capacity.INSTITUTE:
        terms = terms_of.institute(loan_day)
    else:
        terms = terms_of.private(loan_day)
    last = min(terms.due, yesterday)
    if (last - loan_day).days < 2:
        return None
    return terms, loan_day + timedelta(days=rng.randint(2, (last - loan_day).days))


# --------------------------------------------------------------------------
# The demo's loans


@dataclass(eq=False)
class LoanPlan:
    item: ItemPlan
    borrower: BorrowerPlan
    card: CardPlan
    capacity: Capacity
    loaned_at: datetime
    due: date
    guaranteed_until: date | None
    delivery: HandOver
    rule: str  # the rule the checkout rested on, for the audit trail
    use_at_institute: bool = False
    renew_days: list[date] = field(default_factory=list)
    state: LoanState = OPEN
    ended_at: datetime | None = None
    notices: list[Sent] = field(default_factory=list)
    settled_on: date | None = None
    agreed: date | None = None
    note: str | None = None
    transit: Transit | None = None  # T1, T3, T4
    dispatch: RunPlan | None = None
    delivered_at: datetime | None = None
    announced_on: date | None = None  # T4: the institute announced its return
    announced_at: datetime | None = None
    id: int = 0

    @property
    def loan_date(self) -> date:
        return self.loaned_at.date()

    @property
    def step(self) -> Step | None:
        return self.notices[-1][1].step if self.notices else None


LOAN_COLUMNS = (
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
    "dispatch_id",
    "delivered_at",
    "return_announced_on",
    "ended_at",
    "staff",
    "desk",
)


def loan_values(loan: LoanPlan, staff: str, desk: str) -> tuple[Any, ...]:
    """The loan's row, in ``LOAN_COLUMNS`` order; its step is its last notice's (S6)."""
    last = loan.notices[-1] if loan.notices else None
    return (
        loan.item.id,
        loan.borrower.id,
        loan.card.id,
        loan.capacity,
        loan.state,
        loan.loaned_at,
        loan.loan_date,
        loan.guaranteed_until,
        loan.due,
        loan.delivery,
        loan.use_at_institute,
        loan.item.is_ill,
        len(loan.renew_days),
        last[1].step if last else None,
        last[1].deadline if last else None,
        last[0] if last else None,
        loan.settled_on is not None,
        loan.settled_on,
        loan.agreed,
        loan.note,
        loan.transit,
        loan.dispatch.id if loan.dispatch else None,
        loan.delivered_at,
        loan.announced_on,
        loan.ended_at,
        staff,
        desk,
    )


def open_loan(plan: DemoPlan, loan: LoanPlan) -> None:
    """Record an open loan; the daily runs up to yesterday give its step (§5)."""
    if loan.capacity is Capacity.INSTITUTE:
        loan.notices = plan.ladder.notices(loan.due)
    if loan.step is Step.SUSPENSION:
        since = loan.notices[-1][0]
        held = loan.borrower.suspended_since
        loan.borrower.suspended_since = since if held is None else min(held, since)
    plan.loans.append(loan)


def institute_loan(
    plan: DemoPlan,
    item: ItemPlan,
    loan_day: date,
    *,
    due: date | None = None,
    renew_days: Sequence[date] = (),
    others_waiting: bool = False,
    card_today: bool = False,
    borrower: tuple[BorrowerPlan, CardPlan] | None = None,
) -> LoanPlan | None:
    """An institute-capacity loan made on ``loan_day`` by the domain's rules
    (§2 lendable, L1-L3 terms), then walked up the ladder to yesterday."""
    lendable = check_lendable(item.facts(), Capacity.INSTITUTE, loan_day, plan.policy.material)
    if not isinstance(lendable, Lendable):
        return None
    who = borrower or plan.pick(loan_day, card_today=card_today)
    if who is None:
        return None
    terms = plan.terms.institute(loan_day, others_waiting)
    loan = LoanPlan(
        item=item,
        borrower=who[0],
        card=who[1],
        capacity=Capacity.INSTITUTE,
        loaned_at=plan.at(loan_day),
        due=due or terms.due,
        guaranteed_until=terms.guaranteed_until,
        delivery=HandOver(who[0].delivery.value),  # T1-T3
        rule="M2" if lendable.use_at_institute else terms.rule,
        use_at_institute=lendable.use_at_institute,
        renew_days=list(renew_days),
    )
    open_loan(plan, loan)
    return loan


def overdue_loan(
    plan: DemoPlan, item: ItemPlan, days_late: int, *, card_today: bool = False
) -> LoanPlan | None:
    """A loan due ``days_late`` days before yesterday (``overdue_dates``)."""
    due = plan.yesterday - timedelta(days=days_late)
    loan_day, new_due, renew_days = overdue_dates(plan.rng, plan.policy, due)
    return institute_loan(
        plan, item, loan_day, due=new_due, renew_days=renew_days, card_today=card_today
    )


def ill_loan(plan: DemoPlan, item: ItemPlan) -> None:
    """I2: lent on receipt; I3: to the institute or to the reading room."""
    loan_day = plan.days_ago(1, 50)
    who = plan.pick(loan_day)
    if who is None:
        return
    assert item.ill_lender_country is not None
    terms = ill_loan_terms(loan_day, item.ill_lender_country, plan.policy)
    hand_over = ill_hand_over(who[0].delivery, item.reading_room_only)
    open_loan(
        plan,
        LoanPlan(
            item=item,
            borrower=who[0],
            card=who[1],
            capacity=Capacity.INSTITUTE,
            loaned_at=plan.at(loan_day),
            due=terms.due,
            guaranteed_until=terms.guaranteed_until,
            delivery=hand_over,
            rule="I3" if item.reading_room_only else "I2",
        ),
    )


def private_loan(plan: DemoPlan, item: ItemPlan) -> None:
    """P1: anyone with a valid card, students and externals too."""
    loan_day = plan.days_ago(1, 60)
    who = plan.pick(loan_day, institute=False)
    if who is None:
        return
    lendable = check_lendable(item.facts(), Capacity.PRIVATE, loan_day, plan.policy.material)
    if not isinstance(lendable, Lendable):
        return
    terms = plan.terms.private(loan_day)
    open_loan(
        plan,
        LoanPlan(
            item=item,
            borrower=who[0],
            card=who[1],
            capacity=Capacity.PRIVATE,
            loaned_at=plan.at(loan_day),
            due=terms.due,
            guaranteed_until=None,
            delivery=HandOver.SELF_PICKUP,
            rule="P1",
        ),
    )


def closed_loans(plan: DemoPlan, wanted: int) -> None:
    """Returned loans of the last three years, on items now on the shelf,
    so reports (U4) have something to count."""
    rng = plan.rng
    for item in rng.sample(plan.home_pool, min(len(plan.home_pool), wanted)):
        loan_day, capacity = closed_start(rng, plan.today, 3 * 365)
        institute = capacity is Capacity.INSTITUTE
        who = plan.pick(loan_day, institute=institute)
        if who is None:
            continue
        dates = closed_dates(rng, plan.terms, loan_day, capacity, plan.yesterday)
        if dates is None:
            continue
        terms, back = dates
        plan.loans.append(
            LoanPlan(
                item=item,
                borrower=who[0],
                card=who[1],
                capacity=capacity,
                loaned_at=plan.at(loan_day),
                due=terms.due,
                guaranteed_until=terms.guaranteed_until,
                delivery=HandOver(who[0].delivery.value) if institute else HandOver.SELF_PICKUP,
                rule=terms.rule,
                state=RETURNED,
                ended_at=plan.at(back),
            )
        )


def lost_loans(plan: DemoPlan, wanted: int) -> None:
    """C2: a few items declared lost, with claims (C3: open, or billed
    with last half-year's statement)."""
    for _ in range(wanted):
        if not plan.home_pool:
            return
        item = plan.home_pool.pop()
        lost_on = plan.days_ago(2, 250)
        loan_day = lost_on - timedelta(days=plan.rng.randint(60, 300))
        who = plan.pick(loan_day)
        if who is None:
            continue
        terms = plan.terms.institute(loan_day)
        plan.loans.append(
            LoanPlan(
                item=item,
                borrower=who[0],
                card=who[1],
                capacity=Capacity.INSTITUTE,
                loaned_at=plan.at(loan_day),
                due=terms.due,
                guaranteed_until=terms.guaranteed_until,
                delivery=HandOver(who[0].delivery.value),
                rule=terms.rule,
                state=LOST,
                ended_at=plan.at(lost_on),
            )
        )
