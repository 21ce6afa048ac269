"""§6 Lost items and claims: C2 (claim), C3 (half-yearly billing per faculty)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from desk_app.domain import roles
from desk_app.domain.calendar import HalfYear
from desk_app.domain.claims import claim_amounts
from desk_app.domain.loan_states import Action
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.services import audit
from desk_app.services.access import authorize
from desk_app.services.circulation import end_item_loan
from desk_app.services.context import Actor, DeskContext
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Borrower, Claim, Institute


def declare_lost(
    ctx: DeskContext, actor: Actor, item_raw: str, amount: Decimal | None = None
) -> Verdict:
    """C2: the loan ends as lost and a claim opens: replacement price plus the
    collection fee. ``amount`` is what staff enter (an ILL lender's figure)."""
    if (refused := authorize(ctx, actor, roles.Action.DECLARE_LOST)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        ended = end_item_loan(session, item_raw, Action.LOSE, "lost", actor, now)
        if isinstance(ended, Verdict):
            return ended
        item, loan = ended.item, ended.loan
        amounts = claim_amounts(
            ctx.policy,
            item_price=item.price,
            material_type=item.material_type,
            entered_amount=amount,
        )
        faculty = session.scalar(
            select(Institute.faculty_code)
            .join(Borrower, Borrower.institute_code == Institute.code)
            .where(Borrower.id == loan.borrower_id)
        )
        claim = Claim(
            loan_id=loan.id,
            item_id=item.id,
            borrower_id=loan.borrower_id,
            faculty_code=faculty,
            capacity=loan.capacity,
            opened_on=now.date(),
            amount=amounts.amount,
            fee=amounts.fee,
            state="open",
        )
        session.add(claim)
        outcome = verdict(
            Code.LOST,
            "C2",
            f"Declared lost. Claim: {amounts.amount} DKK plus {amounts.fee} DKK collection fee, "
            "billed to the faculty with the next half-year's statement.",
            f"Meldt bortkommet. Erstatning: {amounts.amount} kr. plus {amounts.fee} kr. "
            "i opkrævningsgebyr, opkræves hos fakultetet halvårligt.",
            amount=amounts.amount,
            fee=amounts.fee,
            reinstated=ended.reinstated,
        )
        audit.record(
            session,
            actor,
            now,
            "lost",
            outcome,
            borrower_id=loan.borrower_id,
            item_id=item.id,
            loan_id=loan.id,
        )
        return outcome


def bill_claims(ctx: DeskContext, actor: Actor, period: HalfYear) -> Verdict:
    """C3: bill the period's open institute-capacity claims per faculty, and
    mark them billed. Private-capacity claims (§9) are the person's own and
    are not billed to a faculty."""
    if (refused := authorize(ctx, actor, roles.Action.BILL_CLAIMS)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        claims = session.scalars(
            select(Claim).where(
                Claim.state == "open",
                Claim.capacity == "institute",
                Claim.opened_on >= period.first_day,
                Claim.opened_on <= period.last_day,
            )
        ).all()
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for claim in claims:
            totals[claim.faculty_code] += claim.amount + claim.fee
            claim.state = "billed"
            claim.billed_period = str(period)
            claim.billed_on = now.date()
        faculties = dict(sorted(totals.items()))
        outcome = verdict(
            Code.BILLED,
            "C3",
            f"Claims for {period} billed: {len(claims)} claim(s) to {len(faculties)} faculty(ies).",
            f"Erstatningskrav for {period} opkrævet: {len(claims)} krav hos "
            f"{len(faculties)} fakultet(er).",
            faculties=faculties,
            period=str(period),
            claims=len(claims),
        )
        audit.record(session, actor, now, "claims", outcome)
        return outcome
