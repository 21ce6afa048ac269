"""The borrower's state at a glance (S2, U1, E3): for the panel and ``status``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.cards import card_unknown, check_card_valid
from desk_app.domain.loan_states import LoanState
from desk_app.domain.request_states import RequestState
from desk_app.domain.scan import Scanned
from desk_app.domain.supervision_verdicts import borrower_status
from desk_app.domain.verdict import Verdict
from desk_app.services.access import authorize
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import (
    card_facts,
    card_preference,
    find_card,
    suspension_causes,
)
from desk_app.store.models import Card, Item, Loan, Request


def status(ctx: DeskContext, actor: Actor, card_raw: Scanned | str) -> Verdict:
    """STATUS: suspended (derived, S2), the causing items, and the open loans of
    both capacities; with what the borrower panel shows besides."""
    if (refused := authorize(ctx, actor, roles.Action.BORROWER_STATUS)) is not None:
        return refused
    with ctx.sessions() as session:
        return status_in(session, card_raw, ctx.cpr_key, ctx.today())


def status_of(ctx: DeskContext, actor: Actor, borrower_id: int) -> Verdict:
    """The same, for the borrower of a loan just returned or renewed (the desk
    shows whose suspension a check-in lifted), seen through their best card."""
    if (refused := authorize(ctx, actor, roles.Action.BORROWER_STATUS)) is not None:
        return refused
    with ctx.sessions() as session:
        return status_of_in(session, borrower_id, ctx.today())


def status_in(session: Session, card_raw: Scanned | str, cpr_key: bytes, day: date) -> Verdict:
    """:func:`status` in the caller's session (an action checked already,
    ``services.desk_action``): the card read as scanned, or why none."""
    hit = find_card(session, card_raw, cpr_key)
    if hit.card is None:
        return hit.refusal()
    return _status(session, hit.card, day)


def status_of_in(session: Session, borrower_id: int, day: date) -> Verdict:
    """:func:`status_of` in the caller's session."""
    cards = session.scalars(select(Card).where(Card.borrower_id == borrower_id)).all()
    if not cards:
        return card_unknown(str(borrower_id))
    card = max(cards, key=lambda c: card_preference(c.status, c.kind, c.id))
    return _status(session, card, day)


def _status(session: Session, card: Card, day: date) -> Verdict:
    borrower = card.borrower
    causes = suspension_causes(session, borrower.id)
    loans = session.execute(
        select(
            Item.barcode,
            Item.title,
            Loan.capacity,
            Loan.due,
            Loan.step,
            Loan.step_deadline,
            Loan.settled,
            Loan.agreed_date,
            Loan.use_at_institute,
        )
        .join(Item, Item.id == Loan.item_id)
        .where(Loan.borrower_id == borrower.id, Loan.state == LoanState.OPEN)
        .order_by(Loan.due, Item.barcode)
    ).all()
    requests = session.scalars(
        select(Item.barcode)
        .join(Request, Request.item_id == Item.id)
        .where(Request.borrower_id == borrower.id, Request.state == RequestState.ACTIVE)
        .order_by(Request.placed_at)
    ).all()
    invalid = check_card_valid(card_facts(card), day)
    institute = borrower.institute
    return borrower_status(
        borrower.name,
        [row.barcode for row in loans],
        causes,
        borrower_id=borrower.id,
        category=borrower.category,
        institute=institute.code,
        institute_name=institute.name,
        delivery=institute.delivery,
        e_resources=borrower.e_resources,
        card=card.display,
        card_valid=invalid is None,
        card_problem=invalid.message_en if invalid else None,
        requests=list(requests),
        loan_details=[
            {
                "item": row.barcode,
                "title": row.title,
                "capacity": row.capacity,
                "due": row.due,
                "step": row.step,
                "deadline": row.step_deadline,
                "settled": row.settled,
                "agreed": row.agreed_date,
                "use_at_institute": row.use_at_institute,
            }
            for row in loans
        ],
    )
