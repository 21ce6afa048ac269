"""§5 S5: a supervisor settles a suspension case after the borrower's contact.

Only a supervisor (``roles.Action.SETTLE_BY_CONTACT``) may settle, and only
with a note: the role comes from the staff table, never from the caller
(``services.access``), so a desk login cannot claim more than it has, and no
caller is trusted blindly (a replay runs as a signed-in operator, or as a
supervisor only on a database without staff). Every refusal is audited and
changes nothing else (issue 13, point 20). The supervisor screen's
read-only queries live in ``supervision_queries``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.cards import card_unknown
from desk_app.domain.facts import Step
from desk_app.domain.ladder import agreed_date
from desk_app.domain.supervision_verdicts import case_refusal, settle_refusal, settled
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.access import authorize
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import find_card, find_open_loan, not_on_loan, suspension_causes
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Borrower


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
    if (refused := authorize(ctx, actor, roles.Action.SETTLE_BY_CONTACT)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        card_hit = find_card(session, card_raw, ctx.cpr_key)
        borrower = card_hit.card.borrower if card_hit.card else None
        refused = settle_refusal(note, agreed, now.date())
        if refused is not None:
            _audit_refusal(session, now, actor, refused, borrower.id if borrower else None, note)
            return refused
        if borrower is None:
            return card_hit.refusal()
        return _settle(session, ctx, now, actor, borrower, item_raw, note, agreed)


def settle_for_borrower(
    ctx: DeskContext,
    actor: Actor,
    borrower_id: int,
    item_raw: str,
    note: str,
    agreed: date | None = None,
) -> Verdict:
    """The same for the supervisor screen, which knows the borrower but not
    always a card it may show: a health card is only ever masked there (B3)."""
    if (refused := authorize(ctx, actor, roles.Action.SETTLE_BY_CONTACT)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        borrower = session.get(Borrower, borrower_id)
        refused = settle_refusal(note, agreed, now.date())
        if refused is not None:
            _audit_refusal(session, now, actor, refused, borrower.id if borrower else None, note)
            return refused
        if borrower is None:
            return card_unknown(str(borrower_id))
        return _settle(session, ctx, now, actor, borrower, item_raw, note, agreed)


def _audit_refusal(
    session: Session,
    now: datetime,
    actor: Actor,
    refused: Verdict,
    borrower_id: int | None,
    note: str,
) -> None:
    """A refused settlement is audited like a refused override (issue 13,
    point 20); the case itself stays exactly as it was."""
    audit.record(
        session, actor, now, "contact", refused, borrower_id=borrower_id, note=note.strip()
    )


def _settle(
    session: Session,
    ctx: DeskContext,
    now: datetime,
    actor: Actor,
    borrower: Borrower,
    item_raw: str,
    note: str,
    agreed: date | None,
) -> Verdict:
    loan = find_open_loan(session, item_raw)
    if isinstance(loan, Verdict):
        return loan
    if loan.borrower_id != borrower.id:  # not this borrower's case
        return not_on_loan(loan.item.barcode)
    if (no_case := case_refusal(Step(loan.step) if loan.step else None)) is not None:
        return no_case
    was_suspended = bool(suspension_causes(session, borrower.id))
    note = note.strip()
    loan.settled = True
    loan.settled_on = now.date()
    loan.agreed_date = agreed_date(now.date(), ctx.policy.ladder, agreed)
    loan.settlement_note = note
    session.flush()
    reinstated = was_suspended and not suspension_causes(session, borrower.id)
    outcome = settled(loan.agreed_date, reinstated)
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
