"""§7 ILL: a received interlibrary loan is lent to the borrower who ordered it."""

from __future__ import annotations

from sqlalchemy import select

from desk_app.domain import roles
from desk_app.domain.barcodes import ScanError, ScanKind, classify
from desk_app.domain.checkout import item_unknown
from desk_app.domain.ill import ill_hand_over
from desk_app.domain.loan_period import ill_loan_terms
from desk_app.domain.policy import Delivery
from desk_app.domain.transport import transit_after_checkout
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.services import audit
from desk_app.services.access import authorize
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import (
    check_card_borrower,
    open_loan,
    scan_error_verdict,
)
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Item, Loan


def receive(
    ctx: DeskContext,
    actor: Actor,
    card_raw: str,
    item_raw: str,
    title: str,
    lender_country: str,
    reading_room_only: bool = False,
) -> Verdict:
    """I2: 1 month, 2 months from a Danish lender, not renewable. I3: to the
    institute like any loan, or to the reading room if the lender says so."""
    if (refused := authorize(ctx, actor, roles.Action.ILL_RECEIVE)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        day = now.date()
        checked = check_card_borrower(session, card_raw, ctx.cpr_key, day, ("ILL loan", "Indlån"))
        card, borrower, refusal = checked.card, checked.borrower, checked.refusal
        if refusal:
            return refusal
        assert card is not None and borrower is not None
        scan = classify(item_raw)
        if isinstance(scan, ScanError):
            return scan_error_verdict(scan, "item")
        if scan.kind is not ScanKind.ITEM:
            return item_unknown(scan.value)
        item = session.scalars(
            select(Item).where(Item.barcode == scan.value).with_for_update()
        ).one_or_none()
        if item is not None and open_loan(session, item.id) is not None:
            return verdict(
                Code.ON_LOAN,
                "C1",
                "That barcode is on an item already on loan: label the ILL item anew.",
                "Stregkoden sidder på et udlånt eksemplar: giv indlånet en ny stregkode.",
            )
        if item is None:
            item = Item(barcode=scan.value, title=title, material_type="book")
            session.add(item)
        item.title = title
        item.loan_rule = "home"
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
            capacity="institute",
            state="open",
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
        where_en = "to the reading room" if reading_room_only else "to the institute"
        where_da = "til læsesalen" if reading_room_only else "til instituttet"
        outcome = verdict(
            Code.LOANED,
            "I3" if reading_room_only else "I2",
            f"ILL received and lent until {terms.due.isoformat()} (not renewable); "
            f"goes {where_en}.",
            f"Indlån modtaget og udlånt til {terms.due:%d.%m.%Y} (kan ikke fornys); "
            f"sendes {where_da}.",
            due=terms.due,
            guaranteed_until=terms.guaranteed_until,
            delivery=hand_over.value,
            use_at_institute=False,
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
