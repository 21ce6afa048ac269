"""§7 Interlibrary loan: I1 to I3 (the periods are in ``loan_period``)."""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain.policy import Delivery


class HandOver(StrEnum):
    """Where a loan goes after checkout: the institute's mode, or the reading room."""

    COURIER = "courier"
    SELF_PICKUP = "self_pickup"
    INTERNAL_COURIER = "internal_courier"
    READING_ROOM = "reading_room"


def ill_hand_over(institute_delivery: Delivery, reading_room_only: bool) -> HandOver:
    """I3: a received ILL item goes to the institute like any loan (T1 to T3),
    unless the lender made it reading-room only."""
    if reading_room_only:
        return HandOver.READING_ROOM
    return HandOver(institute_delivery.value)
