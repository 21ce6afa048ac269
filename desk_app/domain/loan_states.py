"""Loan states as data (after invenio-circulation): named transitions with guards.

Only the transitions this table allows happen; a service asks :func:`transition`
and gets the new state, or a reason it may not. An open loan that travels by
courier (§3 T1, T3) also has a transit state, with its own table below: the
loan stays open (the borrower is liable from checkout, C1) while the item
waits for the courier, travels, and arrives.
"""

from __future__ import annotations

from enum import StrEnum


class LoanState(StrEnum):
    OPEN = "open"  # on loan: the borrower is liable (C1)
    RETURNED = "returned"  # checked in (C1 ends)
    LOST = "lost"  # declared lost: a claim is open (C2)
    DISCHARGED = "discharged"  # found on the shelf (C1)
    CANCELLED = "cancelled"  # a checkout undone at once: as if it never happened


class Action(StrEnum):
    RETURN = "return"
    LOSE = "lose"
    FIND = "find"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[LoanState, Action], LoanState] = {
    (LoanState.OPEN, Action.RETURN): LoanState.RETURNED,
    (LoanState.OPEN, Action.LOSE): LoanState.LOST,
    (LoanState.OPEN, Action.FIND): LoanState.DISCHARGED,
    (LoanState.OPEN, Action.CANCEL): LoanState.CANCELLED,
}

ENDED = frozenset({LoanState.RETURNED, LoanState.LOST, LoanState.DISCHARGED, LoanState.CANCELLED})


class TransitionRefused(ValueError):
    pass


def transition(state: LoanState | str, action: Action) -> LoanState:
    """The state after ``action``; raises :class:`TransitionRefused` if the
    table has no such transition (never a silent fall-through)."""
    current = LoanState(state)
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionRefused(f"a loan that is {current.value} cannot {action.value}") from None


class Transit(StrEnum):
    """Where a travelling loan's item is (§3 T1, T3, T4)."""

    AWAITING_DISPATCH = "awaiting_dispatch"  # slip printed; on the courier shelf
    IN_TRANSIT = "in_transit"  # loaded and the route marked dispatched
    DELIVERED = "delivered"  # the courier's delivery was confirmed


class TransitAction(StrEnum):
    DISPATCH = "dispatch"
    DELIVER = "deliver"


TRANSIT_TRANSITIONS: dict[tuple[Transit, TransitAction], Transit] = {
    (Transit.AWAITING_DISPATCH, TransitAction.DISPATCH): Transit.IN_TRANSIT,
    (Transit.IN_TRANSIT, TransitAction.DELIVER): Transit.DELIVERED,
}


def transit_step(state: Transit | str, action: TransitAction) -> Transit:
    """The transit state after ``action``; raises :class:`TransitionRefused`
    when the table has no such row (an item cannot be delivered twice, nor
    delivered before it left)."""
    current = Transit(state)
    try:
        return TRANSIT_TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionRefused(f"an item that is {current.value} cannot {action.value}") from None
