"""The demo's cases: a loan for every rule of ``scheme-rules.md``.

The order matters and keeps the cases true: loans on the §5 ladder first,
SUSPENSION before the rest, so S3 keeps a suspended borrower from borrowing
after his suspension began; the bulk of current loans once every rule has
its case; the courier's day, the losses and the history last, on the items
left on the shelf.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk_app.demo.catalogue import ItemPlan
from desk_app.demo.courier import transport_work
from desk_app.demo.loans import (
    closed_loans,
    current_dates,
    ill_loan,
    institute_loan,
    lost_loans,
    minus,
    overdue_loan,
    private_loan,
)
from desk_app.demo.requests import queue_loan, requested_loan, shelf_queue
from desk_app.demo.words import SETTLEMENT_NOTES
from desk_app.domain.facts import Step
from desk_app.domain.ladder import agreed_date

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan
    from desk_app.demo.scale import DemoCases


def plan_loans(plan: DemoPlan, cases: DemoCases) -> None:
    """Every case the scheme's rules name, then the bulk of current loans,
    then the courier's day, the losses and the history."""
    rng = plan.rng
    windows = plan.ladder.windows
    pool = plan.home_pool

    def take() -> ItemPlan | None:
        return pool.pop() if pool else None

    # §5: every rung, SUSPENSION first so S3 keeps the suspended from
    # borrowing after their suspension began.
    targets = (
        (Step.SUSPENSION, cases.suspension),
        (Step.REMINDER_3, cases.reminder_3),
        (Step.REMINDER_2, cases.reminder_2),
        (Step.REMINDER_1, cases.reminder_1),
        (Step.RECALL, cases.recall),
    )
    for step, wanted in targets:
        if step not in windows:
            continue
        low, high = windows[step]
        for _ in range(wanted):
            item = take()
            if item is not None:
                overdue_loan(plan, item, rng.randint(low, high), card_today=True)
    # S5: suspension cases settled by contact; the last one's agreed date
    # was yesterday, so today's notices run puts it back at SUSPENSION.
    if Step.SUSPENSION in windows:
        low = windows[Step.SUSPENSION][0]
        settle_after = plan.policy.ladder.agreed_after_contact
        for i in range(cases.settled):
            item = take()
            if item is None:
                break
            loan = overdue_loan(plan, item, rng.randint(low + 30, low + 90))
            if loan is None or loan.step is not Step.SUSPENSION:
                continue
            lapsing = i == cases.settled - 1
            contact = minus(plan.yesterday, settle_after) if lapsing else plan.days_ago(1, 10)
            if contact <= loan.notices[-1][0]:
                continue
            loan.settled_on = contact
            loan.agreed = agreed_date(contact, plan.policy.ladder)
            loan.note = rng.choice(SETTLEMENT_NOTES)
    # Due yesterday: today's notices run recalls them (RECALL).
    for _ in range(cases.due_yesterday):
        item = take()
        if item is not None:
            overdue_loan(plan, item, 0)
    # L4: requests on items on loan shorten the loan's due date; the
    # request days stay within the ladder short of SUSPENSION.
    latest = windows.get(Step.SUSPENSION, (60, 0))[0] - 1
    for _ in range(cases.requested):
        item = take()
        if item is not None:
            requested_loan(plan, item, latest)
    # L3: a loan made for the first in a queue while others still wait (14 days).
    for _ in range(cases.queued):
        item = take()
        if item is not None:
            queue_loan(plan, item)
    # M2: reading-room books lent for use at the institute only.
    for _ in range(min(len(plan.m2_pool) // 3, cases.reading_room)):
        institute_loan(plan, plan.m2_pool.pop(), plan.days_ago(1, 360))
    # I2/I3: interlibrary loans, 1 month (2 from a Danish library).
    for item in (i for i in plan.items if i.is_ill):
        ill_loan(plan, item)
    # P1: private-capacity loans, off the ladder; some are overdue (late fee).
    for _ in range(cases.private):
        item = take()
        if item is not None:
            private_loan(plan, item)
    # The bulk: current loans, due in the future, some renewed (L5).
    while len(plan.loans) < cases.open_loans and pool:
        loan_day, renew_days, due = current_dates(rng, plan.policy, plan.today)
        institute_loan(plan, pool.pop(), loan_day, due=due, renew_days=renew_days)
    # Queues on items on the shelf: only the first requester may borrow (L3).
    for _ in range(cases.shelf_queues):
        item = take()
        if item is None:
            break
        shelf_queue(plan, item)
    transport_work(plan, cases)
    lost_loans(plan, cases.lost)  # before the history, so a lost item has no later return
    closed_loans(plan, cases.closed_loans)
