"""Requests (§4 L3-L4, Q1-Q3) as a state table.

A request is placed active, is fulfilled by the checkout to its borrower,
or cancelled (Q2). Undoing that checkout reopens it, so the borrower keeps
their place in the queue.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.state_machine import Machine, Step

_P = roles.Action


class RequestState(StrEnum):
    ACTIVE = "active"  # in the queue
    FULFILLED = "fulfilled"  # lent to its borrower
    CANCELLED = "cancelled"  # withdrawn (Q2)


class RequestAction(StrEnum):
    PLACE = "place"
    FULFIL = "fulfil"
    CANCEL = "cancel"
    REOPEN = "reopen"


REQUEST: Machine[RequestState, RequestAction] = Machine(
    "request",
    RequestState,
    [
        Step(None, RequestAction.PLACE, RequestState.ACTIVE, _P.REQUEST, "L3"),
        Step(RequestState.ACTIVE, RequestAction.FULFIL, RequestState.FULFILLED, _P.CHECK_OUT, "L3"),
        Step(RequestState.ACTIVE, RequestAction.CANCEL, RequestState.CANCELLED, _P.REQUEST, "Q2"),
        Step(
            RequestState.FULFILLED,
            RequestAction.REOPEN,
            RequestState.ACTIVE,
            _P.UNDO_CHECKOUT,
            "L3",
        ),
    ],
)
