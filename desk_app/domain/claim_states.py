"""Claims (§6 C2-C4) as a state table.

A claim opens when an item is declared lost, is billed to the faculty in
the half-yearly run (C3), and ends when the item comes back: cancelled if
not yet billed, refunded (minus the fee) if billed (C4).
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.state_machine import Machine, Step

_P = roles.Action


class ClaimState(StrEnum):
    OPEN = "open"
    BILLED = "billed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class ClaimAction(StrEnum):
    RAISE = "raise"
    BILL = "bill"
    CANCEL = "cancel"  # the item came back before the claim was billed
    REFUND = "refund"  # the item came back after


CLAIM: Machine[ClaimState, ClaimAction] = Machine(
    "claim",
    ClaimState,
    [
        Step(None, ClaimAction.RAISE, ClaimState.OPEN, _P.DECLARE_LOST, "C2"),
        Step(ClaimState.OPEN, ClaimAction.BILL, ClaimState.BILLED, _P.BILL_CLAIMS, "C3"),
        Step(ClaimState.OPEN, ClaimAction.CANCEL, ClaimState.CANCELLED, _P.CHECK_IN, "C4"),
        Step(ClaimState.BILLED, ClaimAction.REFUND, ClaimState.REFUNDED, _P.CHECK_IN, "C4"),
    ],
)

UNSETTLED = frozenset({ClaimState.OPEN, ClaimState.BILLED})  # the item may still come back


def on_return(state: ClaimState | str) -> ClaimAction:
    """What a lost item's return does to its claim (C4)."""
    return ClaimAction.REFUND if ClaimState(state) is ClaimState.BILLED else ClaimAction.CANCEL
