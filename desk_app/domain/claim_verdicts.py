"""What the desk says of claims: an item declared lost (C2), a half-year billed (C3).

The amounts are decided in ``claims`` (C2) and the states in ``claim_states``;
these are the words, with the figures the replay output reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from desk_app.domain.claims import ClaimAmounts
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx, txn


def declared_lost(amounts: ClaimAmounts, *, reinstated: bool) -> Verdict:
    """C2: the loan ended as lost; a claim opens for the replacement and the fee."""
    return verdict(
        Code.LOST,
        "C2",
        tx(
            "Declared lost. Claim: {amount} DKK plus {fee} DKK collection fee, "
            "billed to the faculty with the next half-year's statement.",
            amount=amounts.amount,
            fee=amounts.fee,
        ),
        amount=amounts.amount,
        fee=amounts.fee,
        reinstated=reinstated,
    )


def billed(period: str, claims: int, faculties: Mapping[str, Decimal]) -> Verdict:
    """C3: the half-year's open institute claims billed, totalled per faculty."""
    return verdict(
        Code.BILLED,
        "C3",
        tx(
            "Claims for {period} billed: {claims} to {faculties}.",
            period=period,
            claims=txn("{n} claim", "{n} claims", n=claims),
            faculties=txn("{n} faculty", "{n} faculties", n=len(faculties)),
        ),
        faculties=dict(faculties),
        period=period,
        claims=claims,
    )
