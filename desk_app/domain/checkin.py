"""What a return says: check-in, found on the shelf, a lost item back (§5 S4, §6 C1, C4, §9 P1, U2).

The service ends the loan through the loan table and reads what followed
(whether it lifted a suspension, who is waiting, the late fee); the words
and the rule the desk shows are decided here: C1 for a plain return, S4 when
it lifted the borrower's suspension, P1 when a private loan's late fee is
charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.claim_states import CLAIM, ClaimAction, ClaimState, on_return
from desk_app.domain.claims import ClaimAmounts, refund_on_return
from desk_app.domain.loan_states import LoanAction
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, tx


def returned(
    title: str,
    *,
    reinstated: bool,
    next_card: str | None,
    late_fee: Decimal | None,
    damage_charge: Decimal | None,
    borrower_id: int,
) -> Verdict:
    """C1: the item is back. S4 when the return lifted the borrower's
    suspension (the rule the desk must see first); P1 when a late fee is
    charged for a private loan and no suspension was lifted."""
    parts: list[Text] = [tx("Returned: {title}.", title=title)]
    rule = "C1"
    if reinstated:
        parts.append(tx("The borrower's suspension is lifted."))
        rule = "S4"
    if next_card:
        parts.append(tx("Requested: hold it for the next borrower."))
    if late_fee:
        parts.append(tx("Late fee {fee} DKK (private loan).", fee=late_fee))
        rule = rule if reinstated else "P1"
    return verdict(
        Code.RETURNED,
        rule,
        join(parts, " "),
        reinstated=reinstated,
        next=next_card,
        late_fee=late_fee if late_fee else None,
        damage_charge=damage_charge,
        borrower_id=borrower_id,
    )


def found_on_shelf(*, reinstated: bool, next_card: str | None, borrower_id: int) -> Verdict:
    """C1: staff found the item on the shelf: the loan ends, liability with it."""
    return verdict(
        Code.DISCHARGED,
        "C1",
        tx("Found on the shelf: the loan is ended and the borrower is no longer liable."),
        reinstated=reinstated,
        next=next_card,
        borrower_id=borrower_id,
    )


@dataclass(frozen=True)
class LostItemBack:
    """C4: what a lost item's return does to its claim, and what the desk says."""

    claim_state: ClaimState  # after the return
    refund: Decimal | None  # a billed claim's refund; None when cancelled
    verdict: Verdict


def lost_item_back(
    claim_state: ClaimState | str,
    amounts: ClaimAmounts,
    by: LoanAction,
    *,
    next_card: str | None,
    borrower_id: int,
) -> LostItemBack:
    """C4: a lost item comes back (checked in, or found on the shelf). A
    billed claim is refunded minus the collection fee; a claim not yet billed
    is cancelled in full."""
    action = on_return(claim_state)
    billed = action is ClaimAction.REFUND
    refund = refund_on_return(amounts, billed)
    if billed:
        text = tx(
            "Lost item back: the billed claim is refunded, {refund} DKK (less the fee).",
            refund=refund,
        )
    else:
        text = tx("Lost item back: the claim, not yet billed, is cancelled.")
    outcome = verdict(
        Code.RETURNED if by is LoanAction.RETURN else Code.DISCHARGED,
        "C4",
        text,
        reinstated=False,
        next=next_card,
        refund=refund,
        borrower_id=borrower_id,
    )
    return LostItemBack(CLAIM.step(claim_state, action), refund, outcome)
