"""§4 Loan period: L1 to L5, and the periods of private (P1) and ILL (I2) loans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desk_app.domain.calendar import add_period
from desk_app.domain.facts import Capacity, LoanFacts
from desk_app.domain.policy import Policy
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


@dataclass(frozen=True)
class LoanTerms:
    due: date
    guaranteed_until: date | None
    requested_at_once: bool  # L3: others still wait, so the loan starts "requested"
    rule: str  # the rule the due date rests on


def institute_loan_terms(loan_day: date, others_waiting: bool, policy: Policy) -> LoanTerms:
    """L1: due 1 year from the loan date. L2: guaranteed for 1 month, or only
    14 days if another borrower has a request on the item at checkout.
    L3: with requests still waiting the loan is at once "requested", so L4
    shortens its due date straight away."""
    due = add_period(loan_day, policy.loan.standard)  # L1
    if not others_waiting:
        guaranteed = add_period(loan_day, policy.loan.guaranteed)  # L2: 1 month
        return LoanTerms(due, guaranteed, requested_at_once=False, rule="L1")
    guaranteed = add_period(loan_day, policy.loan.guaranteed_if_requested)  # L2: 14 days
    due = due_after_request(due, guaranteed, loan_day)  # L3 -> L4
    return LoanTerms(due, guaranteed, requested_at_once=True, rule="L2")


def private_loan_terms(loan_day: date, policy: Policy) -> LoanTerms:
    """P1: a private-capacity loan has the private rules' own period."""
    return LoanTerms(
        add_period(loan_day, policy.private.loan_period), None, requested_at_once=False, rule="P1"
    )


def ill_loan_terms(receipt_day: date, lender_country: str, policy: Policy) -> LoanTerms:
    """I2: 1 month; 2 months when the lending library is in Denmark."""
    home = lender_country.upper() == policy.ill.home_country
    period = policy.ill.period_home if home else policy.ill.period_abroad
    due = add_period(receipt_day, period)
    return LoanTerms(due, due, requested_at_once=False, rule="I2")


def due_after_request(due: date, guaranteed_until: date | None, request_day: date) -> date:
    """L4: when another borrower requests the item, the due date becomes
    ``min(due, max(request day, guaranteed_until))``: it only ever moves earlier."""
    floor = request_day if guaranteed_until is None else max(request_day, guaranteed_until)
    return min(due, floor)


def renewal_horizon(loan_date: date, policy: Policy) -> date:
    """L5: no loan runs past 3 years from its loan date without coming back."""
    return add_period(loan_date, policy.loan.renewal_horizon)


def decide_renewal(
    loan: LoanFacts,
    day: date,
    *,
    suspended: bool,
    requested_by_other: bool,
    policy: Policy,
) -> Verdict:
    """L5: renewal to ``min(renewal day + 1 year, loan date + 3 years)``.

    Refusals, in this order: the borrower is suspended (§5 S3), another
    borrower has requested the item, the 3-year horizon is reached, or the loan
    is an ILL loan (§7 I2). L5's list is complete: a suspension case settled by
    contact (S5) no longer suspends, so it may be renewed, and the renewal
    starts its ladder afresh (S0).
    """
    if suspended:
        return verdict(
            Code.SUSPENDED,
            "S3",
            tx("Renewal refused: the borrower is suspended. The recalled item must come back."),
        )
    if requested_by_other:
        return verdict(
            Code.REQUESTED_BY_OTHER,
            "L5",
            tx("Renewal refused: another borrower has requested this item."),
        )
    horizon = renewal_horizon(loan.loan_date, policy)
    if loan.due >= horizon:
        return verdict(
            Code.RENEWAL_LIMIT,
            "L5",
            tx(
                "Renewal refused: the loan has reached {period} from the loan date. "
                "Return it for control; it may then be lent again.",
                period=policy.loan.renewal_horizon.describe(),
            ),
            horizon=horizon,
        )
    if loan.is_ill:
        return verdict(
            Code.ILL_NOT_RENEWABLE,
            "I2",
            tx("Renewal refused: interlibrary loans cannot be renewed."),
        )
    extension = (
        policy.private.loan_period
        if loan.capacity is Capacity.PRIVATE
        else policy.loan.renewal_extension
    )
    new_due = min(add_period(day, extension), horizon)
    return verdict(
        Code.RENEWED,
        "L5",
        tx("Renewed until {due}.", due=new_due),
        due=new_due,
    )
