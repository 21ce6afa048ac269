"""§6 Lost items and claims: C2 (claim), C3 (half-yearly billing per faculty)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.calendar import HalfYear
from desk_app.domain.claim_states import CLAIM, ClaimAction
from desk_app.domain.claim_verdicts import billed, declared_lost
from desk_app.domain.claims import claim_amounts
from desk_app.domain.facts import Capacity
from desk_app.domain.loan_states import LoanAction
from desk_app.domain.scan import Scanned, scanned
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.circulation import end_item_loan
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import act
from desk_app.store.models import Borrower, Claim, Institute


def declare_lost(
    ctx: DeskContext, actor: Actor, item_raw: Scanned | str, amount: Decimal | None = None
) -> Verdict:
    """C2: the loan ends as lost and a claim opens: replacement price plus the
    collection fee. ``amount`` is what staff enter (an ILL lender's figure)."""
    item_scan = scanned(item_raw)

    def work(session: Session, now: datetime) -> Verdict:
        ended = end_item_loan(
            session, item_scan, LoanAction.LOSE, roles.Action.DECLARE_LOST, actor, now
        )
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
        session.add(
            Claim(
                loan_id=loan.id,
                item_id=item.id,
                borrower_id=loan.borrower_id,
                faculty_code=faculty,
                capacity=loan.capacity,
                opened_on=now.date(),
                amount=amounts.amount,
                fee=amounts.fee,
                state=CLAIM.start(ClaimAction.RAISE),
            )
        )
        outcome = declared_lost(amounts, reinstated=ended.reinstated)
        audit.record(
            session,
            actor,
            now,
            roles.Action.DECLARE_LOST,
            outcome,
            borrower_id=loan.borrower_id,
            item_id=item.id,
            loan_id=loan.id,
        )
        return outcome

    return act(ctx, actor, roles.Action.DECLARE_LOST, work).verdict


def bill_claims(ctx: DeskContext, actor: Actor, period: HalfYear) -> Verdict:
    """C3: bill the period's open institute-capacity claims per faculty, and
    mark them billed. Private-capacity claims (§9) are the person's own and
    are not billed to a faculty."""

    def work(session: Session, now: datetime) -> Verdict:
        claims = session.scalars(
            select(Claim).where(
                Claim.state.in_(CLAIM.sources(ClaimAction.BILL)),
                Claim.capacity == Capacity.INSTITUTE,
                Claim.opened_on >= period.first_day,
                Claim.opened_on <= period.last_day,
            )
        ).all()
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for claim in claims:
            totals[claim.faculty_code] += claim.amount + claim.fee
            claim.state = CLAIM.step(claim.state, ClaimAction.BILL)
            claim.billed_period = str(period)
            claim.billed_on = now.date()
        outcome = billed(str(period), len(claims), dict(sorted(totals.items())))
        audit.record(session, actor, now, roles.Action.BILL_CLAIMS, outcome)
        return outcome

    return act(ctx, actor, roles.Action.BILL_CLAIMS, work).verdict
