"""§2 M3: ordering an alternative for a reading-room item that may not be lent.

The checkout refusal (NOT_LOANABLE_READING_ROOM) lists the alternatives that
apply to the item; the desk orders one of them here, for the same borrower,
so the refusal ends in something the borrower can use. Only an alternative
the rules offer for that item can be ordered, and the borrower must be one
who could place a request (card known and valid, U1; eligible, E1; not
suspended, S3): the same checks, from the same domain function.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.checkout import ACTION_ORDER
from desk_app.domain.material import Alternative
from desk_app.domain.order_states import ORDER, OrderAction, OrderState
from desk_app.domain.orders import order_refusal, ordered
from desk_app.domain.scan import Scanned, scanned
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import act
from desk_app.services.lookup import check_card_borrower, find_item, item_facts
from desk_app.store.models import AlternativeOrder


def order_alternative(
    ctx: DeskContext,
    actor: Actor,
    card_raw: Scanned | str,
    item_raw: Scanned | str,
    alternative: Alternative | str,
) -> Verdict:
    """Order an M3 alternative of a reading-room item for the card's borrower.

    ORDERED on success (``duplicate`` when the same open order exists, which
    is not placed twice); otherwise the borrower's or the item's refusal, or
    ALTERNATIVE_NOT_OFFERED when M3 does not offer that alternative for the
    item. Audited as ``order_alternative`` whenever the borrower is known.
    """
    wanted = Alternative(alternative)
    card_scan, item_scan = scanned(card_raw), scanned(item_raw)

    def work(session: Session, now: datetime) -> Verdict:
        checked = check_card_borrower(session, card_scan, ctx.cpr_key, now.date(), ACTION_ORDER)
        borrower, refusal = checked.borrower, checked.refusal
        item_hit = find_item(session, item_scan)
        item = item_hit.item
        if refusal is None and item is None:
            refusal = item_hit.refusal()
        if refusal is None and item is not None:
            refusal = order_refusal(item_facts(item), wanted, ctx.policy.material)
        if refusal is not None:
            if borrower is not None:
                audit.record(
                    session,
                    actor,
                    now,
                    "order_alternative",
                    refusal,
                    borrower_id=borrower.id,
                    item_id=item.id if item else None,
                    alternative=wanted.value,
                )
            return refusal
        assert borrower is not None and item is not None
        existing = session.scalars(
            select(AlternativeOrder).where(
                AlternativeOrder.borrower_id == borrower.id,
                AlternativeOrder.item_id == item.id,
                AlternativeOrder.alternative == wanted.value,
                AlternativeOrder.state == OrderState.OPEN,
            )
        ).first()
        order = existing or AlternativeOrder(
            borrower_id=borrower.id,
            item_id=item.id,
            alternative=wanted.value,
            placed_at=now,
            staff=actor.staff,
            desk=actor.desk,
            state=ORDER.start(OrderAction.PLACE),
        )
        if existing is None:
            session.add(order)
            session.flush()
        outcome = ordered(
            wanted,
            item.title,
            order_id=order.id,
            borrower_id=borrower.id,
            placed_before=existing.placed_at.date() if existing is not None else None,
        )
        audit.record(
            session,
            actor,
            now,
            "order_alternative",
            outcome,
            borrower_id=borrower.id,
            item_id=item.id,
        )
        return outcome

    return act(ctx, actor, roles.Action.ORDER_ALTERNATIVE, work).verdict
