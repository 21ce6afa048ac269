"""A route's day (§3 T4) as a state table: dispatched, then delivered.

The store keeps a dispatch as a row with ``delivered_at``; :func:`state_of`
reads the state from it, so the table is the one place that says a route
cannot be delivered before it left, nor twice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.state_machine import Machine, Step

_P = roles.Action


class DispatchState(StrEnum):
    DISPATCHED = "dispatched"  # the route left with its crate
    DELIVERED = "delivered"  # the courier confirmed the delivery


class DispatchAction(StrEnum):
    DISPATCH = "dispatch"
    DELIVER = "deliver"


DISPATCH: Machine[DispatchState, DispatchAction] = Machine(
    "route's day",
    DispatchState,
    [
        Step(None, DispatchAction.DISPATCH, DispatchState.DISPATCHED, _P.DISPATCH_ROUTE, "T4"),
        Step(
            DispatchState.DISPATCHED,
            DispatchAction.DELIVER,
            DispatchState.DELIVERED,
            _P.CONFIRM_DELIVERY,
            "T4",
        ),
    ],
)


def state_of(delivered_at: datetime | None, dispatched: bool = True) -> DispatchState | None:
    """A stored dispatch's state (``None``: the route has not left)."""
    if not dispatched:
        return None
    return DispatchState.DELIVERED if delivered_at else DispatchState.DISPATCHED
