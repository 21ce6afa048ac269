"""What the database holds, at a glance (start-up screen, first-start check)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from desk_app.domain.loan_states import LoanState
from desk_app.services.context import DeskContext
from desk_app.store.models import Borrower, Item, Loan


@dataclass(frozen=True)
class Overview:
    borrowers: int
    items: int
    open_loans: int

    @property
    def empty(self) -> bool:
        return self.borrowers == 0 and self.items == 0


def holds_nothing(ctx: DeskContext) -> bool:
    """No borrowers and no items: the first-start check (demo data offered).
    It asks for one row of each rather than counting them, which on a
    national library's million items would hold up every desk start."""
    with ctx.sessions() as session:
        return all(
            session.scalars(select(column).limit(1)).first() is None
            for column in (Borrower.id, Item.id)
        )


def overview(ctx: DeskContext) -> Overview:
    with ctx.sessions() as session:
        return Overview(
            borrowers=session.scalar(select(func.count()).select_from(Borrower)) or 0,
            items=session.scalar(select(func.count()).select_from(Item)) or 0,
            open_loans=session.scalar(
                select(func.count()).select_from(Loan).where(Loan.state == LoanState.OPEN)
            )
            or 0,
        )
