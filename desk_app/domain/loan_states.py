"""Loan states as data (after invenio-circulation): the loan table and the transit table.

A loan is created open by a checkout, renewed in place, and ended by one of
four actions. An open loan that travels by courier (§3 T1, T3) also has a
transit state, with its own table: the loan stays open (the borrower is
liable from checkout, C1) while the item waits for the courier, travels and
arrives. Services ask :data:`LOAN` / :data:`TRANSIT` (``domain.state_machine``)
for the next state; ``transition`` and ``transit_step`` are the short forms.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.state_machine import Machine, Step, TransitionRefused

__all__ = [
    "ENDED",
    "LOAN",
    "TRANSIT",
    "Action",
    "LoanAction",
    "LoanState",
    "Transit",
    "TransitAction",
    "TransitionRefused",
    "transit_step",
    "transition",
]

_P = roles.Action


class LoanState(StrEnum):
    OPEN = "open"  # on loan: the borrower is liable (C1)
    RETURNED = "returned"  # checked in (C1 ends)
    LOST = "lost"  # declared lost: a claim is open (C2)
    DISCHARGED = "discharged"  # found on the shelf (C1)
    CANCELLED = "cancelled"  # a checkout undone at once: as if it never happened


class LoanAction(StrEnum):
    CHECK_OUT = "check_out"
    RENEW = "renew"
    RETURN = "return"
    LOSE = "lose"
    FIND = "find"
    CANCEL = "cancel"


Action = LoanAction  # the older name, kept for the services that say loan_states.Action

LOAN: Machine[LoanState, LoanAction] = Machine(
    "loan",
    LoanState,
    [
        Step(None, LoanAction.CHECK_OUT, LoanState.OPEN, _P.CHECK_OUT, "L1"),
        Step(LoanState.OPEN, LoanAction.RENEW, LoanState.OPEN, _P.RENEW, "L5"),
        Step(LoanState.OPEN, LoanAction.RETURN, LoanState.RETURNED, _P.CHECK_IN, "C1"),
        Step(LoanState.OPEN, LoanAction.LOSE, LoanState.LOST, _P.DECLARE_LOST, "C2"),
        Step(LoanState.OPEN, LoanAction.FIND, LoanState.DISCHARGED, _P.FOUND_ON_SHELF, "C1"),
        Step(LoanState.OPEN, LoanAction.CANCEL, LoanState.CANCELLED, _P.UNDO_CHECKOUT, ""),
    ],
)

ENDED = frozenset({LoanState.RETURNED, LoanState.LOST, LoanState.DISCHARGED, LoanState.CANCELLED})


def transition(state: LoanState | str, action: LoanAction) -> LoanState:
    """The state after ``action``; raises :class:`TransitionRefused` if the
    table has no such transition (never a silent fall-through)."""
    return LOAN.step(state, action)


class Transit(StrEnum):
    """Where a travelling loan's item is (§3 T1, T3, T4)."""

    AWAITING_DISPATCH = "awaiting_dispatch"  # slip printed; on the courier shelf
    IN_TRANSIT = "in_transit"  # loaded and the route marked dispatched
    DELIVERED = "delivered"  # the courier's delivery was confirmed


class TransitAction(StrEnum):
    SEND = "send"  # a checkout to an institute served by the courier
    DISPATCH = "dispatch"
    DELIVER = "deliver"


TRANSIT: Machine[Transit, TransitAction] = Machine(
    "travelling item",
    Transit,
    [
        Step(None, TransitAction.SEND, Transit.AWAITING_DISPATCH, _P.CHECK_OUT, "T3"),
        Step(
            Transit.AWAITING_DISPATCH,
            TransitAction.DISPATCH,
            Transit.IN_TRANSIT,
            _P.DISPATCH_ROUTE,
            "T4",
        ),
        Step(
            Transit.IN_TRANSIT, TransitAction.DELIVER, Transit.DELIVERED, _P.CONFIRM_DELIVERY, "T4"
        ),
    ],
)


def transit_step(state: Transit | str, action: TransitAction) -> Transit:
    """The transit state after ``action``; raises :class:`TransitionRefused`
    when the table has no such row (an item cannot be delivered twice, nor
    delivered before it left)."""
    return TRANSIT.step(state, action)
