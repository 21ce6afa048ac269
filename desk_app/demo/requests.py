"""Requests (§4 L3, L4): queues on items out on loan, which shorten the loan
(L4); queues on items on the shelf, which only the first may borrow (L3);
and the history of requests fulfilled or cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desk_app.demo.catalogue import ItemPlan
from desk_app.demo.loans import LoanPlan, institute_loan
from desk_app.demo.people import BorrowerPlan
from desk_app.domain.loan_period import due_after_request
from desk_app.domain.request_states import REQUEST, RequestAction, RequestState

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan

# The states a generated request is in (``domain.request_states``).
ACTIVE = REQUEST.start(RequestAction.PLACE)
FULFILLED = REQUEST.step(ACTIVE, RequestAction.FULFIL)
CANCELLED = REQUEST.step(ACTIVE, RequestAction.CANCEL)

# At library scale: what a request is about (shares of the requests).
ON_LOAN_SHARE = 0.7  # queued for an item out on loan
ON_SHELF_SHARE = 0.1  # holding an item on the shelf for its requester
# ... the rest are history: cancelled (Q2)


@dataclass(eq=False)
class RequestPlan:
    item: ItemPlan
    borrower: BorrowerPlan
    placed_at: datetime
    state: RequestState = ACTIVE
    loan: LoanPlan | None = None  # the loan that fulfilled it


REQUEST_COLUMNS = (
    "item_id",
    "borrower_id",
    "placed_at",
    "state",
    "loan_id",
    "ended_at",
    "staff",
    "desk",
)


def requested_loan(plan: DemoPlan, item: ItemPlan, latest_days: int) -> None:
    """L4: others request the item; the due date becomes
    min(due, max(request day, guaranteed_until)) and may pass at once."""
    rng = plan.rng
    loan_day = plan.days_ago(35, 360)
    requests = sorted(
        plan.yesterday - timedelta(days=rng.randint(0, latest_days))
        for _ in range(rng.randint(1, 3))
    )
    requests = [day for day in requests if day > loan_day]
    if not requests:
        return
    terms = plan.terms.institute(loan_day)
    due = terms.due
    for day in requests:
        due = due_after_request(due, terms.guaranteed_until, day)
    loan = institute_loan(plan, item, loan_day, due=due)
    if loan is None:
        return
    waiting: list[BorrowerPlan] = [loan.borrower]
    for day in requests:
        who = plan.pick(day, exclude=waiting)
        if who is not None:
            waiting.append(who[0])
            plan.requests.append(RequestPlan(item, who[0], plan.at(day)))


def queue_loan(plan: DemoPlan, item: ItemPlan) -> None:
    """L2/L3: the first in the queue borrows while another still waits."""
    loan_day = plan.days_ago(1, 20)
    first = plan.pick(loan_day)
    if first is None:
        return
    placed = loan_day - timedelta(days=plan.rng.randint(3, 20))
    second = plan.pick(placed, exclude=[first[0]])
    if second is None or first[0].enrolled_on > placed:
        return
    loan = institute_loan(plan, item, loan_day, others_waiting=True, borrower=first)
    if loan is None:
        return
    plan.requests.append(RequestPlan(item, first[0], plan.at(placed), state=FULFILLED, loan=loan))
    later = placed + timedelta(days=1)
    plan.requests.append(RequestPlan(item, second[0], plan.at(later)))


def shelf_queue(plan: DemoPlan, item: ItemPlan) -> None:
    """L3: two requests on an item on the shelf; only the first may borrow it."""
    placed = sorted(plan.days_ago(1, 10) for _ in range(2))
    waiting: list[BorrowerPlan] = []
    for day in placed:
        who = plan.pick(day, exclude=waiting)
        if who is not None:
            waiting.append(who[0])
            plan.requests.append(RequestPlan(item, who[0], plan.at(day)))
    if waiting:
        plan.shelf_queues.append(item)
