"""§7 ILL: a received interlibrary loan is lent to the borrower who ordered it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.checkout import ACTION_ILL_LOAN, item_unknown
from desk_app.domain.facts import Capacity, LoanRule
from desk_app.domain.ill import ill_hand_over
from desk_app.domain.ill_receipt import barcode_on_loan, ill_lent
from desk_app.domain.loan_period import ill_loan_terms
from desk_app.domain.loan_states import LOAN, LoanAction
from desk_app.domain.policy import Delivery
from desk_app.domain.scan import (
    ItemBarcode,
    Misread,
    Scanned,
    SlipCode,
    scanned,
    wrong_kind_verdict,
)
from desk_app.domain.transport import transit_after_checkout
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import act
from desk_app.services.lookup import check_card_borrower, open_loan
from desk_app.store.models import Item, Loan


def receive(
    ctx: DeskContext,
    actor: Actor,
    card_raw: Scanned | str,
    item_raw: Scanned | str,
    title: str,
    lender_country: str,
    reading_room_only: bool = False,
) -> Verdict:
    """I2: 1 month, 2 months from a Danish lender, not renewable. I3: to the
    institute like any loan, or to the reading room if the lender says so."""
    card_scan, item_scan = scanned(card_raw), scanned(item_raw)

    def work(session: Session, now: datetime) -> Verdict:
        day = now.date()
        checked = check_card_borrower(session, card_scan, ctx.cpr_key, day, ACTION_ILL_LOAN)
        card, borrower, refusal = checked.card, checked.borrower, checked.refusal
        if refusal:
            return refusal
        assert card is not None and borrower is not None
        if isinstance(item_scan, Misread | SlipCode):
            return wrong_kind_verdict(item_scan, "item")
        if not isinstance(item_scan, ItemBarcode):
            return item_unknown(item_scan.shown)  # B3: a health card shows masked
        item = session.scalars(
            select(Item).where(Item.barcode == item_scan.barcode).with_for_update()
        ).one_or_none()
        if item is not None and open_loan(session, item.id) is not None:
            return barcode_on_loan()
        if item is None:
            item = Item(barcode=item_scan.barcode, title=title, material_type="book")
            session.add(item)
        item.title = title
        item.loan_rule = LoanRule.HOME.value
        item.owner = f"ILL:{lender_country.upper()}"
        item.is_ill = True
        item.ill_lender_country = lender_country.upper()
        item.reading_room_only = reading_room_only
        session.flush()
        terms = ill_loan_terms(day, lender_country, ctx.policy)
        hand_over = ill_hand_over(Delivery(borrower.institute.delivery), reading_room_only)
        loan = Loan(
            item_id=item.id,
            borrower_id=borrower.id,
            card_id=card.id,
            capacity=Capacity.INSTITUTE.value,
            state=LOAN.start(LoanAction.CHECK_OUT),
            loaned_at=now,
            loan_date=day,
            guaranteed_until=terms.guaranteed_until,
            due=terms.due,
            delivery=hand_over.value,
            use_at_institute=False,
            transit=transit_after_checkout(hand_over),
            is_ill=True,
            renewals=0,
            settled=False,
            staff=actor.staff,
            desk=actor.desk,
        )
        session.add(loan)
        session.flush()
        outcome = ill_lent(
            due=terms.due,
            guaranteed_until=terms.guaranteed_until,
            hand_over=hand_over,
            loan_id=loan.id,
        )
        audit.record(
            session,
            actor,
            now,
            "ill_receive",
            outcome,
            borrower_id=borrower.id,
            item_id=item.id,
            loan_id=loan.id,
        )
        return outcome

    return act(ctx, actor, roles.Action.ILL_RECEIVE, work).verdict
