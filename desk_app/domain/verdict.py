"""Verdicts: what the desk says, and the rule it rests on.

A verdict is a value: the outcome code of ``replay-format.md``, the rule id
with its paragraph ("§4 L2"), a message (a :class:`~desk_app.i18n.Text`,
rendered in the desk's language at the edge), and the data the screen, the
slip and the replay output need. Verdicts are built in the domain only
(issue 14): services gather the facts, ask the domain, and persist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desk_app.i18n import Text, render


class Code(StrEnum):
    LOANED = "LOANED"
    RETURNED = "RETURNED"
    RENEWED = "RENEWED"
    REQUESTED = "REQUESTED"
    NOTICES = "NOTICES"
    SETTLED = "SETTLED"
    LOST = "LOST"
    DISCHARGED = "DISCHARGED"
    BILLED = "BILLED"
    CARD_REPLACED = "CARD_REPLACED"
    STATUS = "STATUS"
    CARD_UNKNOWN = "CARD_UNKNOWN"
    CARD_INVALID = "CARD_INVALID"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    SUSPENDED = "SUSPENDED"
    ITEM_UNKNOWN = "ITEM_UNKNOWN"
    ON_LOAN = "ON_LOAN"
    RESERVED_FOR_OTHER = "RESERVED_FOR_OTHER"
    NOT_LOANABLE_ID_CARD = "NOT_LOANABLE_ID_CARD"
    NOT_LOANABLE_READING_ROOM = "NOT_LOANABLE_READING_ROOM"
    REQUESTED_BY_OTHER = "REQUESTED_BY_OTHER"
    RENEWAL_LIMIT = "RENEWAL_LIMIT"
    ILL_NOT_RENEWABLE = "ILL_NOT_RENEWABLE"
    NOT_ON_LOAN = "NOT_ON_LOAN"
    CANCELLED = "CANCELLED"  # Q2: the borrower's request is cancelled
    PICK_LIST = "PICK_LIST"  # Q1: the items to fetch from the stacks
    NO_REQUEST = "NO_REQUEST"  # Q2: cancel_request without a request
    # Beyond the replay contract's table (an extra code, see the closing note):
    NO_CASE = "NO_CASE"  # contact about a loan that is no suspension case (S5)
    SIGNED_IN = "SIGNED_IN"  # a staff member signed in at a desk
    SIGN_IN_REFUSED = "SIGN_IN_REFUSED"  # wrong name/card or PIN, or locked out
    UNDONE = "UNDONE"  # the last checkout was undone within the undo window
    UNDO_REFUSED = "UNDO_REFUSED"  # too late, or the loan was returned or renewed
    OVERRIDE_REFUSED = "OVERRIDE_REFUSED"  # no reason given, or not a supervisor
    ORDERED = "ORDERED"  # an M3 alternative was ordered for a reading-room item
    ALTERNATIVE_NOT_OFFERED = "ALTERNATIVE_NOT_OFFERED"  # M3 offers no such alternative
    LOADED = "LOADED"  # T4: an item on the manifest scanned into the courier's crate
    NOT_ON_MANIFEST = "NOT_ON_MANIFEST"  # T4: scanned while loading, not for this route
    DISPATCHED = "DISPATCHED"  # T4: a route marked as left, its loaded items in transit
    DELIVERED = "DELIVERED"  # T4: a route's delivery confirmed
    DISPATCH_REFUSED = "DISPATCH_REFUSED"  # already dispatched/delivered, or not yet left
    RETURN_ANNOUNCED = "RETURN_ANNOUNCED"  # T4: the institute will hand the item to the courier
    SETTLE_REFUSED = "SETTLE_REFUSED"  # S5: not a supervisor, no note, or agreed date passed
    NOT_PERMITTED = "NOT_PERMITTED"  # the actor's role may not do this (domain.roles), or no staff
    RECEIPT_SENT = "RECEIPT_SENT"  # a borrower receipt e-mailed (issue 15)
    RECEIPT_NOT_SENT = "RECEIPT_NOT_SENT"  # no e-mail address, mail not set up or refused


OK_CODES = frozenset(
    {
        Code.LOANED,
        Code.RETURNED,
        Code.RENEWED,
        Code.REQUESTED,
        Code.CANCELLED,
        Code.PICK_LIST,
        Code.NOTICES,
        Code.SETTLED,
        Code.LOST,
        Code.DISCHARGED,
        Code.BILLED,
        Code.CARD_REPLACED,
        Code.STATUS,
        Code.SIGNED_IN,
        Code.UNDONE,
        Code.ORDERED,
        Code.LOADED,
        Code.DISPATCHED,
        Code.DELIVERED,
        Code.RETURN_ANNOUNCED,
        Code.RECEIPT_SENT,
    }
)

_PARAGRAPH = {"E": "§1", "M": "§2", "T": "§3", "L": "§4", "S": "§5", "C": "§6", "I": "§7"}
_PARAGRAPH |= {"K": "§8", "P": "§9", "Q": "§4"}  # Q1-Q3: the order cycle, under §4


def rule_label(rule_id: str) -> str:
    """``"L2"`` -> ``"§4 L2"``; card and charter rules (B, U) have no paragraph."""
    paragraph = _PARAGRAPH.get(rule_id[:1])
    return f"{paragraph} {rule_id}" if paragraph else rule_id


@dataclass(frozen=True)
class Verdict:
    code: Code
    rule: str  # the label, e.g. "§4 L2"
    text: Text
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code in OK_CODES

    def message(self, language: str = "en") -> str:
        return render(self.text, language)

    @property
    def message_en(self) -> str:  # the replay output's ``reason`` is English
        return self.message("en")

    @property
    def message_da(self) -> str:
        return self.message("da")


def verdict(code: Code, rule_id: str, message: Text, **data: Any) -> Verdict:
    """A verdict on ``rule_id`` ("L2") saying ``message`` (a ``tx(...)`` Text)."""
    return Verdict(code, rule_label(rule_id), message, data)
