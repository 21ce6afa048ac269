"""§5 S5: a supervisor settles a suspension case after the borrower's contact."""

from __future__ import annotations

from datetime import date

from desk_app.domain.facts import Step
from desk_app.domain.ladder import agreed_date
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.services import audit
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import find_card, find_open_loan, not_on_loan, suspension_causes


def settle_by_contact(
    ctx: DeskContext,
    actor: Actor,
    card_raw: str,
    item_raw: str,
    note: str,
    agreed: date | None = None,
) -> Verdict:
    """S5: record the contact with a note and an agreed return date (default:
    contact day + 14 days). The case no longer suspends the borrower; if the
    date passes with the item still out, the next run suspends again."""
    now = ctx.now()
    with ctx.sessions.begin() as session:
        card_hit = find_card(session, card_raw, ctx.cpr_key)
        if card_hit.card is None:
            return card_hit.refusal()
        borrower = card_hit.card.borrower
        loan = find_open_loan(session, item_raw)
        if isinstance(loan, Verdict):
            return loan
        if loan.borrower_id != borrower.id:  # not this borrower's case
            return not_on_loan(loan.item.barcode)
        if loan.step != Step.SUSPENSION.value:
            outcome = verdict(
                Code.NO_CASE,
                "S5",
                "This loan is no suspension case: nothing to settle.",
                "Lånet er ingen suspensionssag: intet at afgøre.",
            )
            return outcome
        was_suspended = bool(suspension_causes(session, borrower.id))
        loan.settled = True
        loan.settled_on = now.date()
        loan.agreed_date = agreed_date(now.date(), ctx.policy.ladder, agreed)
        loan.settlement_note = note
        session.flush()
        reinstated = was_suspended and not suspension_causes(session, borrower.id)
        outcome = verdict(
            Code.SETTLED,
            "S5",
            f"Case settled by contact; to be returned by {loan.agreed_date.isoformat()}.",
            f"Sagen er afgjort ved henvendelse; afleveres senest {loan.agreed_date:%d.%m.%Y}.",
            agreed=loan.agreed_date,
            reinstated=reinstated,
        )
        audit.record(
            session,
            actor,
            now,
            "contact",
            outcome,
            borrower_id=borrower.id,
            item_id=loan.item_id,
            loan_id=loan.id,
            note=note,
        )
        return outcome
