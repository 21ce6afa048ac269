"""Claims (§6 C2, C3): a claim for each item declared lost, at the policy's
amounts; those of last half-year were billed with its statement already.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from desk_app.demo.audit import LoanEvent, entry, loan_entry
from desk_app.demo.loans import LOST, LoanPlan
from desk_app.domain.calendar import HalfYear
from desk_app.domain.claim_states import CLAIM, ClaimAction
from desk_app.domain.claims import claim_amounts
from desk_app.domain.verdict import Code

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan

OPEN = CLAIM.start(ClaimAction.RAISE)
BILLED = CLAIM.step(OPEN, ClaimAction.BILL)
BILLED_AFTER = timedelta(days=10)  # the statement goes out ten days after the half-year


def claim_rows(
    plan: DemoPlan, loans: list[LoanPlan], staff: str, desk: str, audit: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A claim per lost loan (with ids), and their audit entries added to ``audit``."""
    rows = []
    this_half = HalfYear.containing(plan.today)
    for loan in loans:
        if loan.state is not LOST or loan.ended_at is None:
            continue
        opened = loan.ended_at.date()
        amounts = claim_amounts(
            plan.policy,
            item_price=loan.item.price,
            material_type=loan.item.material_type,
            entered_amount=None,
        )
        half = HalfYear.containing(opened)
        billed_on = half.last_day + BILLED_AFTER
        billed = half != this_half and billed_on <= plan.yesterday
        rows.append(
            {
                "loan_id": loan.id,
                "item_id": loan.item.id,
                "borrower_id": loan.borrower.id,
                "faculty_code": loan.borrower.faculty,
                "capacity": loan.capacity,
                "opened_on": opened,
                "amount": amounts.amount,
                "fee": amounts.fee,
                "state": BILLED if billed else OPEN,
                "billed_period": str(half) if billed else None,
                "billed_on": billed_on if billed else None,
                "refund": None,
                "closed_on": None,
            }
        )
        ids = (loan.borrower.id, loan.item.id, loan.id)
        audit.append(loan_entry(LoanEvent.LOST, loan.ended_at, staff, desk, loan.rule, *ids))
        if billed:
            audit.append(entry(plan.at(billed_on), staff, desk, "claims", Code.BILLED, "C3", *ids))
    return rows
