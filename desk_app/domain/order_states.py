"""Orders of an M3 alternative (digital copy, ILL, Reading Room West) as a state table.

Today an order is only placed; fulfilling and cancelling arrive with the
ILL and copy orders (issue 18), which add their own tables beside this one.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.state_machine import Machine, Step

_P = roles.Action


class OrderState(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class OrderAction(StrEnum):
    PLACE = "place"
    FULFIL = "fulfil"
    CANCEL = "cancel"


ORDER: Machine[OrderState, OrderAction] = Machine(
    "order",
    OrderState,
    [
        Step(None, OrderAction.PLACE, OrderState.OPEN, _P.ORDER_ALTERNATIVE, "M3"),
        Step(OrderState.OPEN, OrderAction.FULFIL, OrderState.FULFILLED, _P.ORDER_ALTERNATIVE, "M3"),
        Step(OrderState.OPEN, OrderAction.CANCEL, OrderState.CANCELLED, _P.ORDER_ALTERNATIVE, "M3"),
    ],
)
