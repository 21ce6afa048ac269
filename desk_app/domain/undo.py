"""Undoing a checkout made a moment ago by mistake (wrong item, wrong card).

Allowed only for an open loan made less than the undo window ago that
nothing has happened to since: no renewal, notice, settlement or request.
Anything later is a check-in (C1), which the borrower's history shows. The
loan then ends as cancelled (``LoanAction.CANCEL``) and a request it fulfilled
(L3) is reopened (``RequestAction.REOPEN``), in its old place in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from desk_app.domain.loan_states import LoanState
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, tx, txn

# What an ended loan says to an undo: the loan table's ended states, in words.
NOTHING_TO_UNDO: dict[LoanState, Text] = {
    LoanState.RETURNED: tx("Nothing to undo: the loan has been returned already."),
    LoanState.LOST: tx("Nothing to undo: the loan has been declared lost already."),
    LoanState.DISCHARGED: tx("Nothing to undo: the loan has been found on the shelf already."),
    LoanState.CANCELLED: tx("Nothing to undo: the loan has been undone already."),
}


@dataclass(frozen=True)
class UndoFacts:
    """The loan as an undo sees it."""

    state: LoanState
    loaned_at: datetime
    renewals: int
    acted_on: str | None  # the first thing audited on the loan since its checkout
    noticed: bool  # a notice step reached, or the case settled (S5)


def no_such_loan() -> Verdict:
    return _refused(tx("There is no such loan to undo."), "unknown")


def undo_refusal(loan: UndoFacts, now: datetime, within: timedelta) -> Verdict | None:
    """Why this loan may not be undone at ``now``, or None."""
    if loan.state is not LoanState.OPEN:
        return _refused(NOTHING_TO_UNDO[loan.state], loan.state.value)
    if loan.renewals:
        return _refused(
            tx("Cannot undo: the loan has been renewed since. Check the item in instead."),
            "renewed",
        )
    if loan.acted_on is not None or loan.noticed:
        return _refused(
            tx(
                "Cannot undo: the loan has been acted on since ({what}). "
                "Check the item in instead.",
                what=loan.acted_on or "notice",
            ),
            "changed",
        )
    if now - loan.loaned_at >= within:
        return _refused(
            tx(
                "Too late to undo: the loan was made more than {span} ago. "
                "Check the item in instead.",
                span=span_text(within),
            ),
            "too_late",
        )
    return None


def undone(
    *, loan_id: int, title: str, barcode: str, borrower_id: int, request_reopened: bool
) -> Verdict:
    parts = [tx("Checkout undone: the loan of {title} is cancelled.", title=title)]
    if request_reopened:
        parts.append(tx("The borrower's request is active again."))
    return verdict(
        Code.UNDONE,
        "C1",
        join(parts, " "),
        loan_id=loan_id,
        item=barcode,
        borrower_id=borrower_id,
        request_reactivated=request_reopened,
    )


def span_text(span: timedelta) -> Text:
    """The undo window in words: whole minutes, else seconds."""
    seconds = int(span.total_seconds())
    if seconds % 60 == 0:
        return txn("{n} minute", "{n} minutes", n=seconds // 60)
    return txn("{n} second", "{n} seconds", n=seconds)


def _refused(text: Text, reason_key: str) -> Verdict:
    return verdict(Code.UNDO_REFUSED, "C1", text, reason_key=reason_key)
