"""§2 M3: ordering an alternative for a reading-room item that may not be lent.

The checkout refusal (NOT_LOANABLE_READING_ROOM) lists the alternatives that
apply to the item; the desk orders one of them here, for the same borrower,
so the refusal ends in something the borrower can use. Only an alternative
the rules offer for that item can be ordered, and the borrower must be one
who could place a request (card known and valid, U1; eligible, E1; not
suspended, S3): the same checks, from the same domain function.
"""

from __future__ import annotations

from sqlalchemy import select

from desk_app.domain import roles
from desk_app.domain.facts import ItemFacts, LoanRule
from desk_app.domain.material import Alternative, reading_room_alternatives
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.services import audit
from desk_app.services.access import authorize
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import check_card_borrower, find_item, item_facts
from desk_app.services.transactions import write_transaction
from desk_app.store.models import AlternativeOrder

# What was ordered, in the verdict: (English, Danish), with the title filled in.
_ORDERED = {
    Alternative.DIGITAL_COPY: ("a digital copy of {title}", "en digital kopi af {title}"),
    Alternative.ILL: (
        "another copy of {title} from another library (ILL)",
        "et andet eksemplar af {title} fra et andet bibliotek (indlån)",
    ),
    Alternative.READING_ROOM_WEST: (
        "{title} to Reading Room West in the Black Diamond",
        "{title} til Læsesal Vest i Den Sorte Diamant",
    ),
}


def order_alternative(
    ctx: DeskContext,
    actor: Actor,
    card_raw: str,
    item_raw: str,
    alternative: Alternative | str,
) -> Verdict:
    """Order an M3 alternative of a reading-room item for the card's borrower.

    ORDERED on success (``duplicate`` when the same open order exists, which
    is not placed twice); otherwise the borrower's or the item's refusal, or
    ALTERNATIVE_NOT_OFFERED when M3 does not offer that alternative for the
    item. Audited as ``order_alternative`` whenever the borrower is known.
    """
    if (refused := authorize(ctx, actor, roles.Action.ORDER_ALTERNATIVE)) is not None:
        return refused
    wanted = Alternative(alternative)
    with write_transaction(ctx) as (session, now):
        checked = check_card_borrower(
            session, card_raw, ctx.cpr_key, now.date(), ("Order", "Bestilling")
        )
        borrower, refusal = checked.borrower, checked.refusal
        item_hit = find_item(session, item_raw)
        item = item_hit.item
        if refusal is None and item is None:
            refusal = item_hit.refusal()
        if refusal is None and item is not None:
            refusal = _not_offered(item_facts(item), wanted, ctx)
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
                AlternativeOrder.state == "open",
            )
        ).first()
        order = existing or AlternativeOrder(
            borrower_id=borrower.id,
            item_id=item.id,
            alternative=wanted.value,
            placed_at=now,
            staff=actor.staff,
            desk=actor.desk,
            state="open",
        )
        if existing is None:
            session.add(order)
            session.flush()
        en, da = (text.format(title=item.title) for text in _ORDERED[wanted])
        if existing is not None:
            en_msg = f"Already ordered: {en} (on {existing.placed_at:%Y-%m-%d})."
            da_msg = f"Allerede bestilt: {da} (den {existing.placed_at:%d.%m.%Y})."
        else:
            en_msg, da_msg = f"Ordered: {en}.", f"Bestilt: {da}."
        outcome = verdict(
            Code.ORDERED,
            "M3",
            en_msg,
            da_msg,
            order_id=order.id,
            alternative=wanted.value,
            borrower_id=borrower.id,
            duplicate=existing is not None,
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


def _not_offered(item: ItemFacts, wanted: Alternative, ctx: DeskContext) -> Verdict | None:
    """M3's alternatives belong to reading-room material; a home item is
    simply lent (M1), and M4 material offers none."""
    if item.loan_rule is LoanRule.HOME:
        return verdict(
            Code.ALTERNATIVE_NOT_OFFERED,
            "M1",
            f"Nothing to order instead: {item.title} may be lent.",
            f"Intet at bestille i stedet: {item.title} kan udlånes.",
            alternatives=[],
        )
    if item.loan_rule is LoanRule.READING_ROOM_ID:
        return verdict(
            Code.ALTERNATIVE_NOT_OFFERED,
            "M4",
            f"No alternatives for {item.title}: it needs a reading-room ID card.",
            f"Ingen alternativer for {item.title}: det kræver læsesals-ID-kort.",
            alternatives=[],
        )
    offered = reading_room_alternatives(item, ctx.policy.material)
    if wanted in offered:
        return None
    names = ", ".join(a.value for a in offered)
    return verdict(
        Code.ALTERNATIVE_NOT_OFFERED,
        "M3",
        f"{wanted.value} is not offered for {item.title}; it offers: {names}.",
        f"{wanted.value} tilbydes ikke for {item.title}; muligt er: {names}.",
        alternatives=[a.value for a in offered],
    )
