"""What a search at the desk finds: borrowers, items, and where an item is (issue 15).

Plain values the services fill and the dialogs show (``services.search``):
a :class:`BorrowerHit` per borrower found, an :class:`ItemHit` per item, and
an item's :class:`ItemStatus`, whose :class:`Availability` is decided here
from the facts (:func:`availability`) and said in words by
:func:`availability_text`. Nothing here shows a CPR number: a card is its
display form, a health card masked (B3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from desk_app.domain.claim_states import ClaimState
from desk_app.domain.facts import Capacity, Category
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import LoanState, Transit
from desk_app.i18n import Text, join, tx, txn


@dataclass(frozen=True)
class BorrowerHit:
    """A borrower found at the desk, as the list of results shows them."""

    borrower_id: int
    name: str
    card: str | None  # the preferred card's display form; a health card masked (B3)
    institute_code: str
    institute_name: Text  # in the desk's language (``transport.institute_name``)
    category: Category
    suspended: bool  # S2: an unsettled SUSPENSION case is open
    card_expired: bool  # the card shown has expired (U1): lending will be refused


class Availability(StrEnum):
    """Where an item is, as the desk says it (derived, not a state table:
    the loan, transit, request and claim tables decide it together)."""

    ON_SHELF = "on_shelf"  # no open loan, no request, not lost
    PICK_LIST = "pick_list"  # Q1: on the shelf with a request: to be fetched
    ON_LOAN = "on_loan"  # lent (and delivered, if it travelled)
    IN_TRANSIT = "in_transit"  # T3/T4: lent, waiting for the courier or on its way
    PICKUP = "pickup"  # T2: lent for collection at the desk (see ``availability``)
    LOST = "lost"  # C2: declared lost, its claim not closed by a return


# claims that stand for an item still missing: open, or billed (C3) and not
# yet refunded by its return (C4)
LOST_CLAIMS = (ClaimState.OPEN, ClaimState.BILLED)


def availability(
    *,
    on_loan: bool,
    capacity: Capacity | None = None,
    hand_over: HandOver | None = None,
    transit: Transit | None = None,
    lost: bool = False,
    requests: int = 0,
) -> Availability:
    """Where an item is, from its open loan (if any), that loan's capacity,
    hand-over and transit, whether a claim says it is lost, and its active
    requests.

    An open loan decides first (a lost item that came back and was lent is
    lent). A courier loan is IN_TRANSIT until its delivery is confirmed
    (T4), then ON_LOAN.

    T2 (self-pickup, an institute loan): the loan is made when the book is
    put out for the borrower, and the desk records no collection. So PICKUP means "lent for
    collection at the desk on its loan date: on the pickup shelf unless the
    borrower has collected it"; :func:`availability_text` says exactly that,
    never "on the pickup shelf" as a fact. A private loan (§9) is handed
    over at the desk as it is made: ON_LOAN.

    Without an open loan: LOST while a claim is open or billed, else on the
    pick list (Q1) while a request waits, else ON_SHELF.
    """
    if on_loan:
        if hand_over is HandOver.SELF_PICKUP and capacity is not Capacity.PRIVATE:
            return Availability.PICKUP
        if transit in (Transit.AWAITING_DISPATCH, Transit.IN_TRANSIT):
            return Availability.IN_TRANSIT
        return Availability.ON_LOAN
    if lost:
        return Availability.LOST
    if requests:
        return Availability.PICK_LIST
    return Availability.ON_SHELF


@dataclass(frozen=True)
class ItemHit:
    """An item found at the desk, with where it is at a glance."""

    item_id: int
    barcode: str
    title: str
    author: str | None
    call_number: str | None
    availability: Availability
    due: date | None  # the open loan's due date
    requests: int  # active requests (the queue's length)

    @property
    def summary(self) -> Text:
        """The short status: "On loan until 3 March 2027", "On the shelf", ..."""
        return availability_text(self.availability, due=self.due, requests=self.requests)


@dataclass(frozen=True)
class OpenLoan:
    """The item's open loan, as the item's status shows it."""

    loan_id: int  # its slip can be reprinted (``documents.slip_pdf``)
    loan_date: date
    due: date
    capacity: Capacity  # to an institute (the scheme) or private (§9)
    hand_over: HandOver  # where it went: courier, internal courier, pickup, reading room
    transit: Transit | None  # T3/T4 for a loan that travels; None otherwise
    institute_code: str  # the borrower's institute
    institute_name: Text
    # who has it: for a supervisor only (``roles.Action.VIEW_ITEM_HISTORY``);
    # None for everyone else
    borrower_id: int | None = None
    borrower_name: str | None = None


@dataclass(frozen=True)
class PastLoan:
    """One earlier loan of the item (a supervisor's history)."""

    loan_id: int
    borrower_id: int
    borrower_name: str
    capacity: Capacity
    loaned_at: datetime
    ended_at: datetime | None
    state: LoanState  # how it ended: returned, lost, found on the shelf, undone


@dataclass(frozen=True)
class ItemStatus:
    """Everything the desk says about one item: where it is, its open loan
    (whose slip can be reprinted), its queue, and, for a supervisor, who
    borrowed it before."""

    item_id: int
    barcode: str
    title: str
    author: str | None
    call_number: str | None
    availability: Availability
    loan: OpenLoan | None
    requests: int  # active requests: the queue's length (L3)
    first_requester: str | None  # the first in the queue's name (staff see it)
    first_requester_id: int | None
    lost_since: date | None  # the open claim's day (C2), when lost
    # past loans, newest first: None unless the actor is a supervisor
    # (``roles.Action.VIEW_ITEM_HISTORY``); () for one with no history
    history: tuple[PastLoan, ...] | None

    @property
    def reprint_loan_id(self) -> int | None:
        """The open loan whose slip can be printed again, if any."""
        return self.loan.loan_id if self.loan is not None else None

    @property
    def summary(self) -> Text:
        """Where the item is, in one sentence."""
        loan = self.loan
        return availability_text(
            self.availability,
            due=loan.due if loan else None,
            requests=self.requests,
            capacity=loan.capacity if loan else None,
            transit=loan.transit if loan else None,
            loan_date=loan.loan_date if loan else None,
            lost_since=self.lost_since,
        )


def availability_text(
    where: Availability,
    *,
    due: date | None = None,
    requests: int = 0,
    capacity: Capacity | None = None,
    transit: Transit | None = None,
    loan_date: date | None = None,
    lost_since: date | None = None,
) -> Text:
    """Where an item is, said in one sentence, its queue after it."""
    said = _where_text(where, due, requests, capacity, transit, loan_date, lost_since)
    if requests and where is not Availability.PICK_LIST:
        queue = txn("Requested by {n} borrower.", "Requested by {n} borrowers.", n=requests)
        return join((said, queue), " ")
    return said


def _where_text(
    where: Availability,
    due: date | None,
    requests: int,
    capacity: Capacity | None,
    transit: Transit | None,
    loan_date: date | None,
    lost_since: date | None,
) -> Text:
    if where is Availability.ON_SHELF:
        return tx("On the shelf.")
    if where is Availability.LOST:
        if lost_since is not None:
            return tx("Lost: declared lost on {day}, the claim is not closed.", day=lost_since)
        return tx("Lost: the claim is not closed.")
    if where is Availability.PICKUP:
        if loan_date is None:
            return tx(
                "Lent for pickup at the desk, due {due}: on the pickup shelf unless collected.",
                due=due,
            )
        return tx(
            "Lent for pickup at the desk on {day}, due {due}: on the pickup shelf "
            "unless collected (collection is not recorded).",
            day=loan_date,
            due=due,
        )
    if where is Availability.IN_TRANSIT:
        if transit is Transit.AWAITING_DISPATCH:
            return tx("Lent, due {due}: waiting for the courier.", due=due)
        return tx("Lent, due {due}: on its way with the courier.", due=due)
    if where is Availability.PICK_LIST:
        return txn(
            "On the shelf, requested by {n} borrower: on the pick list.",
            "On the shelf, requested by {n} borrowers: on the pick list.",
            n=requests,
        )
    if capacity is Capacity.PRIVATE:
        return tx("On loan until {due} (private loan).", due=due)
    if transit is Transit.DELIVERED:
        return tx("On loan until {due} (institute loan, delivered).", due=due)
    if capacity is Capacity.INSTITUTE:
        return tx("On loan until {due} (institute loan).", due=due)
    return tx("On loan until {due}.", due=due)


__all__ = [
    "LOST_CLAIMS",
    "Availability",
    "BorrowerHit",
    "ItemHit",
    "ItemStatus",
    "OpenLoan",
    "PastLoan",
    "availability",
    "availability_text",
]
