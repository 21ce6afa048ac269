"""§5 S6: notice letters filled from the stored notices.

A letter is never stored as a PDF: it is drawn again from the notices of its
run, which never change, so the e-mail, the reprint and the day's batch all
say the same. One query per call, grouped here by (run, borrower).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from desk_app.domain import roles
from desk_app.domain.mail_states import POSTAL
from desk_app.domain.transport import institute_name
from desk_app.i18n import render
from desk_app.printing.letter_data import LetterData, LetterLine
from desk_app.printing.letters import SEVERITY
from desk_app.services.access import require
from desk_app.services.context import Actor, DeskContext
from desk_app.store.models import (
    Borrower,
    Institute,
    Item,
    Loan,
    Notice,
    NoticeMail,
    NoticeRun,
)


@dataclass(frozen=True)
class Signature:
    """Who signs the letters: the library, and the desk to contact."""

    library: str
    desk: str


def letters_where(
    session: Session,
    where: ColumnElement[bool],
    signature: Signature,
    language: str,
    printed_at: datetime,
) -> list[LetterData]:
    """The letters of every (run, borrower) whose notices match ``where``,
    ordered for the internal mail: by institute, then by name."""
    rows = session.execute(
        select(
            Notice.run_id,
            Notice.borrower_id,
            Notice.step,
            Notice.deadline,
            NoticeRun.run_date,
            Item.barcode,
            Item.title,
            Item.call_number,
            Loan.loan_date,
            Loan.due,
            Borrower.name,
            Borrower.email,
            Institute.name.label("institute_name"),
            Institute.name_da,
            Institute.address,
        )
        .join(NoticeRun, NoticeRun.id == Notice.run_id)
        .join(Loan, Loan.id == Notice.loan_id)
        .join(Item, Item.id == Loan.item_id)
        .join(Borrower, Borrower.id == Notice.borrower_id)
        .join(Institute, Institute.code == Borrower.institute_code)
        .where(where)
    ).all()
    grouped: dict[tuple[int, int], list[Any]] = {}
    for row in rows:
        grouped.setdefault((row.run_id, row.borrower_id), []).append(row)
    severity = {step: n for n, step in enumerate(SEVERITY)}
    letters = []
    for group in grouped.values():
        first = group[0]
        group.sort(key=lambda r: (severity.get(r.step, 99), r.deadline or date.max, r.barcode))
        institute = render(institute_name(first.institute_name, first.name_da), language)
        letters.append(
            LetterData(
                borrower_name=first.name,
                institute_name=institute,
                institute_address=first.address or "",
                email=first.email,
                run_date=first.run_date,
                lines=tuple(
                    LetterLine(
                        step=r.step,
                        item_barcode=r.barcode,
                        title=r.title,
                        call_number=r.call_number,
                        loan_date=r.loan_date,
                        due=r.due,
                        deadline=r.deadline,
                    )
                    for r in group
                ),
                sender=signature.library,
                desk=signature.desk,
                printed_at=printed_at,
            )
        )
    letters.sort(key=lambda x: (x.institute_name.casefold(), x.borrower_name.casefold()))
    return letters


def superseded(as_of: date | None = None) -> ColumnElement[bool]:
    """The notice has a newer notice for the same loan (issue 13, point 12):
    a recall that a reminder replaced is stale, and never sent or printed
    after it. ``as_of``: count only newer notices sent by that day, so a
    day's batch of letters reads the same when it is printed again later."""
    newer = aliased(Notice)
    later = and_(newer.loan_id == Notice.loan_id, newer.sent_on > Notice.sent_on)
    if as_of is not None:
        later = and_(later, newer.sent_on <= as_of)
    return select(newer.id).where(later).exists()


def letter_day() -> ColumnElement[date]:
    """The day a message's letter is in the day's batch: the day it went to
    paper after its run (``letter_on``), else the day of its run."""
    return func.coalesce(NoticeMail.letter_on, NoticeRun.run_date)


def letter_of(
    session: Session,
    run_id: int,
    borrower_id: int,
    signature: Signature,
    language: str,
    printed_at: datetime,
    *,
    current_only: bool = False,
) -> LetterData | None:
    """The one letter a run sends a borrower (S6), or None if it sent none.
    ``current_only`` (the e-mail): without the notices a newer one replaced."""
    where = and_(Notice.run_id == run_id, Notice.borrower_id == borrower_id)
    if current_only:
        where = and_(where, ~superseded())
    found = letters_where(session, where, signature, language, printed_at)
    return found[0] if found else None


def letters_of_day(
    ctx: DeskContext,
    actor: Actor,
    day: date,
    signature: Signature,
    language: str,
    *,
    postal_only: bool = False,
    borrower_ids: Iterable[int] | None = None,
) -> list[LetterData]:
    """The day's letters for printing: every letter of the day's runs, or with
    ``postal_only`` those that cannot go by e-mail: no address, the mail
    server kept refusing the address, or (from earlier runs too) the message
    went to paper that day (not sent in time, or maybe delivered when the
    connection was lost), without the notices a newer one had replaced."""
    require(ctx, actor, roles.Action.PRINT_LETTERS)
    where: ColumnElement[bool] = NoticeRun.run_date == day
    if postal_only:
        postal = select(NoticeMail.id).where(
            NoticeMail.run_id == Notice.run_id,
            NoticeMail.borrower_id == Notice.borrower_id,
            NoticeMail.state.in_(POSTAL),  # no address, refused, maybe delivered, too late
            letter_day() == day,
        )
        # the day's runs, and the earlier runs with a message that went to paper
        # that day: an indexed look-up, not a pass over every notice ever sent
        runs = (
            select(NoticeRun.id)
            .where(NoticeRun.run_date == day)
            .union(select(NoticeMail.run_id).where(NoticeMail.letter_on == day))
        )
        where = and_(
            Notice.run_id.in_(runs),
            or_(postal.exists(), and_(where, ~_has_mail_row())),
            ~superseded(day),
        )
    if borrower_ids is not None:
        where = and_(where, Notice.borrower_id.in_(list(borrower_ids)))
    with ctx.sessions() as session:
        return letters_where(session, where, signature, language, ctx.now())


def _has_mail_row() -> ColumnElement[bool]:
    """Runs from before the outbox existed (and demo history) have no row."""
    return (
        select(NoticeMail.id)
        .where(NoticeMail.run_id == Notice.run_id, NoticeMail.borrower_id == Notice.borrower_id)
        .exists()
    )
