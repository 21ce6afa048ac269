"""§6 Liability and compensation: C1 to C4, and damage at check-in (U2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.policy import Policy


@dataclass(frozen=True)
class ClaimAmounts:
    amount: Decimal  # replacement (C2), or what the lending library set (ILL)
    fee: Decimal  # collection fee (C2)

    @property
    def total(self) -> Decimal:
        return self.amount + self.fee


def claim_amounts(
    policy: Policy,
    *,
    item_price: Decimal | None,
    material_type: str | None,
    entered_amount: Decimal | None,
) -> ClaimAmounts:
    """C2: the item's price, else the default price for its material type, plus
    the collection fee. An amount entered by staff (the lending library's for an
    ILL item) overrides the price."""
    if entered_amount is not None:
        amount = entered_amount
    elif item_price is not None:
        amount = item_price
    else:
        amount = policy.replacement_price(material_type)
    return ClaimAmounts(amount, policy.fees.collection_fee)


def refund_on_return(amounts: ClaimAmounts, billed: bool) -> Decimal | None:
    """C4: a billed claim is refunded minus the collection fee; a claim not yet
    billed is cancelled in full (nothing to refund: None)."""
    if not billed:
        return None
    return amounts.total - amounts.fee


def damage_charge(policy: Policy) -> Decimal:
    """U2: the price list's charge for damage recorded at check-in."""
    return policy.fees.damage_charge
