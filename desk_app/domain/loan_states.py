"""Loan states as data (after invenio-circulation): named transitions with guards.

Only the transitions this table allows happen; a service asks :func:`transition`
and gets the new state, or a reason it may not. The transit states of §3
(dispatch, in transit, delivered) will be added here as rows, not as code.
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
