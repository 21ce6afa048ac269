"""The audit trail a library in use has: an entry for every checkout, renewal,
return, settlement, announced return, courier run, notices run, request and
card change, as the services would have written it (the action, the outcome's
code, the rule it rested on).
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from desk_app.domain.verdict import Code, rule_label

SOURCE = json.dumps({"source": "demo"})  # the detail of every generated entry

AUDIT_COLUMNS = (
    "at",
    "staff",
    "desk",
    "action",
    "code",
    "rule",
    "borrower_id",
    "item_id",
    "loan_id",
    "detail",
)


class LoanEvent(StrEnum):
    """What happens to a loan that the audit trail keeps (the entry's action)."""

    CHECKOUT = "checkout"
    ILL_RECEIVE = "ill_receive"
    RENEW = "renew"
    CHECKIN = "checkin"
    CONTACT = "contact"
    ANNOUNCE_RETURN = "announce_return"
    LOST = "lost"


class Outcome(NamedTuple):
    code: Code
    rule: str | None  # None: the loan's own rule (the one its checkout rested on)


OUTCOMES: dict[LoanEvent, Outcome] = {
    LoanEvent.CHECKOUT: Outcome(Code.LOANED, None),
    LoanEvent.ILL_RECEIVE: Outcome(Code.LOANED, None),
    LoanEvent.RENEW: Outcome(Code.RENEWED, "L5"),
    LoanEvent.CHECKIN: Outcome(Code.RETURNED, "C1"),
    LoanEvent.CONTACT: Outcome(Code.SETTLED, "S5"),
    LoanEvent.ANNOUNCE_RETURN: Outcome(Code.RETURN_ANNOUNCED, "T4"),
    LoanEvent.LOST: Outcome(Code.LOST, "C2"),
}


def entry_values(
    at: datetime,
    staff: str,
    desk: str,
    action: str,
    code: Code,
    rule: str | None,
    borrower_id: int | None = None,
    item_id: int | None = None,
    loan_id: int | None = None,
    detail: str = SOURCE,
) -> tuple[Any, ...]:
    """One audit row in ``AUDIT_COLUMNS`` order, the rule as the services label it."""
    label = rule_label(rule) if rule else None
    return (at, staff, desk, action, code.value, label, borrower_id, item_id, loan_id, detail)


def entry(
    at: datetime,
    staff: str,
    desk: str,
    action: str,
    code: Code,
    rule: str | None,
    borrower_id: int | None = None,
    item_id: int | None = None,
    loan_id: int | None = None,
    detail: str = SOURCE,
) -> dict[str, Any]:
    """One audit row, by column name."""
    values = entry_values(
        at, staff, desk, action, code, rule, borrower_id, item_id, loan_id, detail
    )
    return dict(zip(AUDIT_COLUMNS, values, strict=True))


def loan_entry(
    event: LoanEvent,
    at: datetime,
    staff: str,
    desk: str,
    loan_rule: str,
    borrower_id: int,
    item_id: int,
    loan_id: int,
) -> dict[str, Any]:
    """The entry of ``event`` on a loan."""
    code, rule = OUTCOMES[event]
    return entry(at, staff, desk, event, code, rule or loan_rule, borrower_id, item_id, loan_id)
