"""What the demo reports back: the database's contents, counted from the
tables (whatever made them), the examples to try and the staff to sign in as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_app.demo.courier import RouteWork
from desk_app.demo.examples import DemoExample
from desk_app.demo.people import HEALTH_CARD, LIBRARY_CARD, DemoStaff
from desk_app.domain.claim_states import ClaimState
from desk_app.domain.facts import Capacity, CardStatus, Step
from desk_app.domain.loan_states import LoanState
from desk_app.domain.request_states import RequestState
from desk_app.store.models import Borrower, Card, Claim, Item, Loan, Request


@dataclass(frozen=True)
class DemoSummary:
    """What is in the database after ``fill_demo`` (counted from the tables)."""

    created: bool  # False: the database already had data and was left alone
    today: date
    borrowers: int
    borrowers_by_category: dict[str, int]
    items: int
    items_by_rule: dict[str, int]
    open_loans: int
    loans_by_step: dict[str, int]  # open institute loans; "none" = no notice yet
    settled_cases: int  # S5: at SUSPENSION, settled by contact, agreed date set
    private_loans: int
    ill_loans: int
    use_at_institute_loans: int  # M2
    active_requests: int
    suspended_borrowers: int  # S2, derived from the loans
    library_cards: int
    health_cards: int
    expired_cards: int
    lost_cards: int
    replaced_cards: int
    open_claims: int
    examples: tuple[DemoExample, ...] = ()
    staff: tuple[DemoStaff, ...] = ()  # the demo accounts this run created
    courier: tuple[RouteWork, ...] = ()  # T4: today's manifest of each route

    @property
    def awaiting_dispatch(self) -> int:
        return sum(r.deliver for r in self.courier)

    @property
    def to_collect(self) -> int:
        return sum(r.collect for r in self.courier)


def _grouped(session: Session, column: Any, *where: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    return {str(key) if key is not None else "none": count for key, count in rows}


def demo_counts(
    session: Session,
    today: date,
    created: bool,
    examples: tuple[DemoExample, ...] = (),
    staff: tuple[DemoStaff, ...] = (),
) -> DemoSummary:
    """Count the database's contents (whatever made them) the way the demo reports them."""
    is_open = Loan.state == LoanState.OPEN
    open_institute = (is_open, Loan.capacity == Capacity.INSTITUTE)

    def number(model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    steps = _grouped(session, Loan.step, *open_institute, Loan.settled.is_(False))
    ordered = {"none": steps.get("none", 0)} | {s.value: steps.get(s.value, 0) for s in Step}
    return DemoSummary(
        created=created,
        today=today,
        borrowers=number(Borrower),
        borrowers_by_category=_grouped(session, Borrower.category),
        items=number(Item),
        items_by_rule=_grouped(session, Item.loan_rule),
        open_loans=number(Loan, is_open),
        loans_by_step=ordered,
        settled_cases=number(Loan, *open_institute, Loan.settled.is_(True)),
        private_loans=number(Loan, is_open, Loan.capacity == Capacity.PRIVATE),
        ill_loans=number(Loan, is_open, Loan.is_ill.is_(True)),
        use_at_institute_loans=number(Loan, is_open, Loan.use_at_institute.is_(True)),
        active_requests=number(Request, Request.state == RequestState.ACTIVE),
        suspended_borrowers=int(
            session.scalar(
                select(func.count(func.distinct(Loan.borrower_id))).where(
                    *open_institute,
                    Loan.step == Step.SUSPENSION,
                    Loan.settled.is_(False),
                )
            )
            or 0
        ),
        library_cards=number(Card, Card.kind == LIBRARY_CARD),
        health_cards=number(Card, Card.kind == HEALTH_CARD),
        expired_cards=number(Card, Card.status == CardStatus.ACTIVE, Card.expires < today),
        lost_cards=number(Card, Card.status == CardStatus.LOST),
        replaced_cards=number(Card, Card.status == CardStatus.REPLACED),
        open_claims=number(Claim, Claim.state == ClaimState.OPEN),
        examples=examples,
        staff=staff,
    )


def has_data(session: Session) -> bool:
    """A database with borrowers or items is someone's: the demo leaves it alone."""
    return any(
        session.scalar(select(func.count()).select_from(model)) for model in (Borrower, Item)
    )
