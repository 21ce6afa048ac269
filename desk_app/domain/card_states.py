"""Library cards (B1, U1) as a state table: active, then lost or replaced."""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.facts import CardStatus
from desk_app.domain.state_machine import Machine, Step

_P = roles.Action


class CardAction(StrEnum):
    ISSUE = "issue"
    REISSUE = "reissue"  # a new card for one reported lost, issued at the desk (U1)
    REPORT_LOST = "report_lost"
    REPLACE = "replace"


CARD: Machine[CardStatus, CardAction] = Machine(
    "card",
    CardStatus,
    [
        Step(None, CardAction.ISSUE, CardStatus.ACTIVE, _P.DECLARE, "B1"),
        Step(None, CardAction.REISSUE, CardStatus.ACTIVE, _P.CARD_LOST, "U1"),
        Step(CardStatus.ACTIVE, CardAction.REPORT_LOST, CardStatus.LOST, _P.CARD_LOST, "U1"),
        Step(CardStatus.ACTIVE, CardAction.REPLACE, CardStatus.REPLACED, _P.CARD_LOST, "U1"),
        # U1: "replace a lost one at the desk": reported lost first, the new card later
        Step(CardStatus.LOST, CardAction.REPLACE, CardStatus.REPLACED, _P.CARD_LOST, "U1"),
    ],
)
