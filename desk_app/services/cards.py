"""U1: a card reported lost, or replaced by a newer card."""

from __future__ import annotations

from sqlalchemy import select

from desk_app.domain import roles
from desk_app.domain.barcodes import ScanError, ScanKind, classify, mask_cpr
from desk_app.domain.card_states import CARD, CardAction
from desk_app.domain.card_verdicts import card_lost_refusal, card_replaced, card_taken
from desk_app.domain.cards import card_unknown
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.access import authorize
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import card_facts, card_lookup_value, find_card, scan_error_verdict
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Card


def card_lost(
    ctx: DeskContext, actor: Actor, card_raw: str, new_card_raw: str | None = None
) -> Verdict:
    """The card stops working at once (U1). With ``new_card_raw`` the borrower
    gets that card, and the old one is marked replaced by it."""
    if (refused := authorize(ctx, actor, roles.Action.CARD_LOST)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        hit = find_card(session, card_raw, ctx.cpr_key)
        if hit.card is None:
            return hit.refusal()
        old = hit.card
        action = CardAction.REPLACE if new_card_raw else CardAction.REPORT_LOST
        if (refused := card_lost_refusal(card_facts(old), action, now.date())) is not None:
            return refused
        new: Card | None = None
        if new_card_raw:
            scan = classify(new_card_raw)
            if isinstance(scan, ScanError):
                return scan_error_verdict(scan, "card")
            if not scan.is_card:
                return card_unknown(scan.value)
            lookup = card_lookup_value(scan, ctx.cpr_key)
            taken = session.scalars(select(Card).where(Card.lookup == lookup)).one_or_none()
            if taken is not None:
                return card_taken(taken.display)
            library = scan.kind is ScanKind.LIBRARY_CARD
            display = scan.value if library else mask_cpr(scan.value)
            new = Card(
                borrower_id=old.borrower_id,
                kind="library" if library else "health",
                lookup=lookup,
                display=display,
                expires=old.expires,
                status=CARD.start(CardAction.REISSUE),
            )
            session.add(new)
            session.flush()
        old.status = CARD.step(old.status, action)
        old.status_changed_on = now.date()
        old.replaced_by_id = new.id if new else None
        outcome = card_replaced(old.display, new.display if new else None)
        audit.record(session, actor, now, "card_lost", outcome, borrower_id=old.borrower_id)
        return outcome
