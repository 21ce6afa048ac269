"""What the order cycle says (§4 L3-L4, Q1-Q3): a cancelled request, a
cancel without a request, the pick list, a borrower named by a number that
is no borrower's.

Placing a request is decided in ``checkout.decide_request`` (the checks it
shares with a checkout); the service reads the queue and the shelf, the words
and the rule are chosen here.
"""

from __future__ import annotations

from collections.abc import Sequence

from desk_app.domain.pick_list import PickEntry
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, tx, txn


def cancelled(
    *, title: str, barcode: str, position: int, still_waiting: int, borrower_id: int
) -> Verdict:
    """Q2: the borrower's request is cancelled and the queue closes up
    (``still_waiting``: the requests left on the item). A due date an
    earlier request moved (L4) stays where it is."""
    parts: list[Text] = [tx("Request cancelled: {title} ({item}).", title=title, item=barcode)]
    if still_waiting:
        parts.append(
            txn(
                "{n} borrower still waits for it.",
                "{n} borrowers still wait for it.",
                n=still_waiting,
            )
        )
    else:
        parts.append(tx("No one else is waiting for it."))
    return verdict(
        Code.CANCELLED,
        "Q2",
        join(parts, " "),
        item=barcode,
        position=position,
        waiting=still_waiting,
        borrower_id=borrower_id,
    )


def no_request(*, title: str, barcode: str, borrower: str, borrower_id: int) -> Verdict:
    """Q2: nothing to cancel: this borrower has no request on the item now
    (never placed, cancelled already, or lent to them)."""
    return verdict(
        Code.NO_REQUEST,
        "Q2",
        tx(
            "{borrower} has no request on {title} ({item}): nothing was cancelled.",
            borrower=borrower,
            title=title,
            item=barcode,
        ),
        item=barcode,
        borrower_id=borrower_id,
    )


def no_such_borrower(borrower_id: int) -> Verdict:
    """A borrower named by number (the desk's served borrower, an imported
    order) that the database does not have, or who has no card."""
    return verdict(
        Code.CARD_UNKNOWN,
        "B1",
        tx(
            "Borrower number {number} is not known here, or has no card. Find the borrower again.",
            number=borrower_id,
        ),
    )


def pick_list_verdict(entries: Sequence[PickEntry]) -> Verdict:
    """Q1: the items to fetch, in shelf order, each for its first requester
    (``items``: the replay's ``{"item", "card"}``; ``entries``: the rest)."""
    return verdict(
        Code.PICK_LIST,
        "Q1",
        txn(
            "{n} item to fetch from the stacks.",
            "{n} items to fetch from the stacks.",
            n=len(entries),
        )
        if entries
        else tx("Nothing to fetch: no request waits for an item on the shelf."),
        items=[{"item": e.barcode, "card": e.card} for e in entries],
        entries=tuple(entries),
    )
