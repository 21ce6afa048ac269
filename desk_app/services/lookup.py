"""Reading the facts the rules need, in as few queries as a scan allows.

A scan arrives classified once (``domain.scan``: a card, a health card, an
item, a slip's code, or a misread); the look-ups take that typed value, or a
string from the callers that still read one (the replay, the console), which
is classified here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, joinedload

from desk_app.domain.barcodes import Scan, ScanKind, cpr_lookup_key
from desk_app.domain.cards import card_unknown
from desk_app.domain.checkout import check_borrower, item_unknown
from desk_app.domain.facts import (
    BorrowerFacts,
    Capacity,
    CardFacts,
    CardStatus,
    Category,
    ItemFacts,
    LoanFacts,
    LoanRule,
    Step,
)
from desk_app.domain.loan_states import LoanState
from desk_app.domain.lookup_verdicts import not_on_loan
from desk_app.domain.policy import Delivery
from desk_app.domain.request_states import RequestState
from desk_app.domain.scan import (
    HealthCard,
    ItemBarcode,
    LibraryCard,
    Misread,
    Scanned,
    card_lookup,
    misread_verdict,
    scan_error_verdict,
    scanned,
    wrong_kind_verdict,
)
from desk_app.domain.verdict import Verdict
from desk_app.i18n import Text
from desk_app.store.models import Borrower, Card, Item, Loan, Request

__all__ = [  # the verdicts built in the domain, kept here for the services that import them
    "not_on_loan",
    "scan_error_verdict",
]

# The statements of every scan, built once: building a statement costs more
# Python than SQLite takes to run it (issue 6). The borrower and institute
# (delivery, E1) come with the card: every caller needs them, and one joined
# read is a third of three lazy ones.
_CARD = (
    select(Card)
    .options(joinedload(Card.borrower).joinedload(Borrower.institute))
    .where(Card.lookup == bindparam("lookup"))
)
_ITEM = select(Item).where(Item.barcode == bindparam("barcode"))
_ITEM_LOCKED = _ITEM.with_for_update()
_OPEN_LOAN = select(Loan).where(Loan.item_id == bindparam("item_id"), Loan.state == LoanState.OPEN)
_QUEUE = (
    select(Request)
    .where(Request.item_id == bindparam("item_id"), Request.state == RequestState.ACTIVE)
    .order_by(Request.placed_at, Request.id)
)
_SUSPENSION_CAUSES = (
    select(Item.barcode)
    .join(Loan, Loan.item_id == Item.id)
    .where(
        Loan.borrower_id == bindparam("borrower_id"),
        Loan.state == LoanState.OPEN,
        Loan.step == Step.SUSPENSION.value,
        Loan.settled.is_(False),
    )
    .order_by(Item.barcode)
)


def card_lookup_value(scan: Scan, cpr_key: bytes) -> str:
    """The ``cards.lookup`` value of a ``barcodes.classify`` card scan: the
    number, or the CPR's keyed hash (B3)."""
    if scan.kind is ScanKind.HEALTH_CARD:
        return cpr_lookup_key(scan.value, cpr_key)
    return scan.value


@dataclass
class CardHit:
    card: Card | None
    read: str  # what to show of the scan (masked for CPR, B3)
    error: Verdict | None = None

    def refusal(self) -> Verdict:
        """Why no card was found: a misread (B2/B4) or an unknown number."""
        return self.error or card_unknown(self.read)


def find_card(session: Session, raw: Scanned | str, cpr_key: bytes) -> CardHit:
    """The scanned card (with its borrower and institute), or why none."""
    found = scanned(raw)
    if isinstance(found, Misread):
        return CardHit(None, found.shown, misread_verdict(found, "card"))
    if not isinstance(found, LibraryCard | HealthCard):
        return CardHit(None, found.shown, wrong_kind_verdict(found, "card"))
    lookup = card_lookup(found, cpr_key)
    return CardHit(session.scalars(_CARD, {"lookup": lookup}).one_or_none(), found.shown)


@dataclass
class ItemHit:
    item: Item | None
    read: str
    error: Verdict | None = None

    def refusal(self) -> Verdict:
        """Why no item was found: a misread (B2/B4) or an unknown barcode."""
        return self.error or item_unknown(self.read)


def find_item(session: Session, raw: Scanned | str, *, lock: bool = False) -> ItemHit:
    """The scanned item, or why none (a slip's code is no item barcode here)."""
    found = scanned(raw)
    if isinstance(found, Misread):
        return ItemHit(None, found.shown, misread_verdict(found, "item"))
    if not isinstance(found, ItemBarcode):
        return ItemHit(None, found.shown, wrong_kind_verdict(found, "item"))
    query = _ITEM_LOCKED if lock else _ITEM
    return ItemHit(session.scalars(query, {"barcode": found.barcode}).one_or_none(), found.barcode)


def card_facts(card: Card) -> CardFacts:
    return CardFacts(
        display=card.display,
        status=CardStatus(card.status),
        expires=card.expires,
        status_changed_on=card.status_changed_on,
    )


def suspension_causes(session: Session, borrower_id: int) -> tuple[str, ...]:
    """S2: items of the borrower's open loans at SUSPENSION, unsettled."""
    return tuple(session.scalars(_SUSPENSION_CAUSES, {"borrower_id": borrower_id}))


def borrower_facts(session: Session, borrower: Borrower) -> BorrowerFacts:
    return BorrowerFacts(
        id=borrower.id,
        name=borrower.name,
        category=Category(borrower.category),
        own_office=borrower.own_office,
        delivery=Delivery(borrower.institute.delivery),
        suspension_causes=suspension_causes(session, borrower.id),
    )


class ItemLike(Protocol):
    """An item row, or a plan of one (the demo data), as the rules see it."""

    barcode: str
    title: str
    loan_rule: str
    owner: str
    printed_year: int | None
    danish_legal_deposit: bool
    is_ill: bool


def item_facts(item: ItemLike) -> ItemFacts:
    return ItemFacts(
        barcode=item.barcode,
        title=item.title,
        loan_rule=LoanRule(item.loan_rule),
        owner=item.owner,
        printed_year=item.printed_year,
        danish_legal_deposit=item.danish_legal_deposit,
        is_ill=item.is_ill,
    )


def loan_facts(loan: Loan) -> LoanFacts:
    return LoanFacts(
        borrower_id=loan.borrower_id,
        capacity=Capacity(loan.capacity),
        loan_date=loan.loan_date,
        due=loan.due,
        guaranteed_until=loan.guaranteed_until,
        is_ill=loan.is_ill,
        step=Step(loan.step) if loan.step else None,
        settled=loan.settled,
    )


def find_open_loan(session: Session, raw: Scanned | str, *, lock: bool = False) -> Loan | Verdict:
    """The scanned item's open loan, or why there is none: a misread or
    unreadable scan (B2/B4), an unknown item, or an item not on loan (C1)."""
    hit = find_item(session, raw, lock=lock)
    if hit.item is None:
        return hit.refusal()
    loan = open_loan(session, hit.item.id)
    return not_on_loan(hit.item.barcode) if loan is None else loan


def open_loan(session: Session, item_id: int) -> Loan | None:
    return session.scalars(_OPEN_LOAN, {"item_id": item_id}).one_or_none()


def active_requests(session: Session, item_id: int) -> list[Request]:
    """The queue (L3), first first: by time placed, then by id."""
    return list(session.scalars(_QUEUE, {"item_id": item_id}))


def card_preference(status: str, kind: str, card_id: int) -> tuple[int, int, int]:
    """Which of a borrower's cards to show: active before not, library card
    before health card (B3: the CPR stays masked anyway), then the newest."""
    return (int(status == CardStatus.ACTIVE), int(kind == "library"), card_id)


def preferred_cards(session: Session, borrower_ids: Iterable[int]) -> dict[int, str]:
    """The card number to show for each borrower: an active library card
    first, then an active health card (masked, B3), then the newest card."""
    ids = set(borrower_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Card.borrower_id, Card.kind, Card.status, Card.display, Card.id).where(
            and_(Card.borrower_id.in_(ids))
        )
    ).all()
    best: dict[int, tuple[tuple[int, int, int], str]] = {}
    for borrower_id, kind, status, display, card_id in rows:
        rank = card_preference(status, kind, card_id)
        if borrower_id not in best or rank > best[borrower_id][0]:
            best[borrower_id] = (rank, display)
    return {k: v[1] for k, v in best.items()}


def preferred_card(session: Session, borrower_id: int) -> str | None:
    return preferred_cards(session, [borrower_id]).get(borrower_id)


@dataclass(frozen=True)
class BorrowerCheck:
    """A scanned card, its borrower, and why they may not act (or None)."""

    card: Card | None
    borrower: Borrower | None
    refusal: Verdict | None


def check_card_borrower(
    session: Session, raw: Scanned | str, cpr_key: bytes, day: date, action: Text
) -> BorrowerCheck:
    """The borrower half of an institute-capacity action (U1, E1, S3) for a
    scanned card: shared by ILL receipt and M3 orders."""
    hit = find_card(session, raw, cpr_key)
    card = hit.card
    borrower = card.borrower if card else None
    refusal = check_borrower(
        card_facts(card) if card else None,
        borrower_facts(session, borrower) if borrower else None,
        Capacity.INSTITUTE,
        day,
        hit.read,
        action,
        hit.error,
    )
    return BorrowerCheck(card, borrower, refusal)
