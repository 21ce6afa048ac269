"""The supervisor screen's questions (issue 5), as set-based reads.

Find borrowers, show one borrower's cases (S2 badge, open loans, each loan's
notices as S6 keeps them), their audit trail, every suspended borrower (with a
CSV export), and the what-if of ``domain.projection``. Nothing here writes:
settling a case is ``supervision.settle_by_contact``.

Each question is a fixed, small number of queries whatever the number of
borrowers or loans (no query per row). No CPR number is ever read or written:
a health card shows only as its masked ``display`` (B3).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.facts import Capacity, Step
from desk_app.domain.ladder import CaseFacts, LadderState, suspension_causes
from desk_app.domain.loan_states import LoanState
from desk_app.domain.mail_states import MailState
from desk_app.domain.projection import BorrowerProjection, OpenCase, project_borrower
from desk_app.domain.search_text import SEARCH_WORD_LENGTH as SEARCH_WORD_LENGTH
from desk_app.domain.search_text import SEARCH_WORDS as SEARCH_WORDS
from desk_app.domain.search_text import borrower_query, with_institutes
from desk_app.domain.search_text import search_words as search_words
from desk_app.domain.transport import institute_name
from desk_app.i18n import Text, language_of, render, tx
from desk_app.services import search
from desk_app.services.access import require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import preferred_cards
from desk_app.store.models import AuditEntry, Borrower, Institute, Item, Loan, Notice, NoticeMail

SEARCH_LIMIT = 200
# The words searched are read by the desk's search (``domain.search_text``:
# at most SEARCH_WORDS words of SEARCH_WORD_LENGTH characters, issue 13);
# re-exported here for the supervisor's screen and its tests.

# --------------------------------------------------------------------------
# Finding borrowers


@dataclass(frozen=True)
class BorrowerHit:
    borrower_id: int
    name: str
    card: str | None  # the preferred card, masked if a health card (B3)
    institute: str
    institute_name: str
    open_loans: int
    suspended: bool  # S2
    settled: bool  # an S5-settled case is open


@dataclass(frozen=True)
class BorrowerSearch:
    hits: tuple[BorrowerHit, ...]
    more: bool  # more matched than the limit: the supervisor should narrow it
    # the text was cut to SEARCH_WORDS words of SEARCH_WORD_LENGTH characters:
    # the screen says only the start was searched
    trimmed: bool = False
    searched: str = ""  # the words searched for: what "no match for ..." may quote


def search_borrowers(
    ctx: DeskContext, actor: Actor, text: str, limit: int = SEARCH_LIMIT
) -> BorrowerSearch:
    """Borrowers by a scanned or typed card (a library card by its number, a
    health card by its keyed hash, B3), else by name (every word a fragment,
    in any order, any case, any accent) or institute (its code, or a word of
    its name). Only the first words are searched (``search_words``);
    ``trimmed`` says so.

    The desk's search (``services.search``), the one matching of borrowers
    (``search.borrower_matches``, the index of migration 0010), with the
    supervisor's columns; unlike the desk's, the first digits of a card
    find nothing here (a whole card only)."""
    require(ctx, actor, roles.Action.SEARCH_BORROWERS)
    query = borrower_query(text, card_prefix=False)
    if query.empty:
        return BorrowerSearch((), False, query.trimmed, query.searched)
    with search.reading(ctx) as session:
        if query.words:
            query = with_institutes(query, search.institutes(session))

        def run(fts5: bool) -> BorrowerSearch:
            found = search.borrower_matches(session, query, ctx.cpr_key, limit, fts5=fts5)
            if found is None:
                return BorrowerSearch((), False)
            return _hits(session, found, limit)

        hits = search.with_index(session, run)
    return BorrowerSearch(hits.hits, hits.more, query.trimmed, query.searched)


def _hits(session: Session, found: Select[tuple[int]], limit: int) -> BorrowerSearch:
    """The borrowers ``found`` (at most ``limit`` + 1 ids), by name, each with
    their open loans at a glance, in one query, and their cards in one more.
    The open loans are counted and the suspensions looked up for the found
    only (``ix_loans_borrower_state_step``, not the millions of closed loans)."""
    open_loan = and_(Loan.borrower_id == Borrower.id, Loan.state == LoanState.OPEN)
    suspension = and_(open_loan, Loan.step == Step.SUSPENSION.value)
    rows = session.execute(
        select(
            Borrower.id,
            Borrower.name,
            Institute.code,
            Institute.name,
            select(func.count()).where(open_loan).scalar_subquery(),
            exists().where(suspension, Loan.settled.is_(False)),
            exists().where(suspension, Loan.settled.is_(True)),
        )
        .join(Institute, Institute.code == Borrower.institute_code)
        .where(Borrower.id.in_(found.scalar_subquery()))
        .order_by(Borrower.name, Borrower.id)
    ).all()
    cards = preferred_cards(session, [r[0] for r in rows[:limit]])
    hits = tuple(
        BorrowerHit(
            borrower_id=r[0],
            name=r[1],
            card=cards.get(r[0]),
            institute=r[2],
            institute_name=r[3],
            open_loans=int(r[4] or 0),
            suspended=bool(r[5]),
            settled=bool(r[6]),
        )
        for r in rows[:limit]
    )
    return BorrowerSearch(hits, len(rows) > limit)


# --------------------------------------------------------------------------
# One borrower's cases


class Badge(StrEnum):
    """The status at a glance: red, amber or green."""

    SUSPENDED = "suspended"  # S2: an unsettled SUSPENSION case is open
    SETTLED = "settled"  # S5: not suspended, a settled case waits for its item
    CLEAR = "clear"  # not suspended


@dataclass(frozen=True)
class NoticeLine:
    """One notice as S6 keeps it."""

    step: str
    sent_on: date
    deadline: date | None
    # how it reached the borrower (S6): the outbox state, None for runs from
    # before the outbox
    delivery: MailState | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class CaseLoan:
    loan_id: int
    item: str
    title: str
    capacity: str
    loan_date: date
    due: date
    step: str | None
    deadline: date | None
    step_on: date | None
    settled: bool
    settled_on: date | None
    agreed: date | None
    note: str | None
    notices: tuple[NoticeLine, ...]  # oldest first

    @property
    def causes_suspension(self) -> bool:
        return self.step == Step.SUSPENSION.value and not self.settled


@dataclass(frozen=True)
class BorrowerCase:
    borrower_id: int
    name: str
    category: str
    card: str | None  # masked if a health card (B3)
    institute: str
    institute_name: Text  # domain.transport.institute_name: Danish where the register has it
    causes: tuple[str, ...]  # S2: items of the unsettled SUSPENSION cases
    loans: tuple[CaseLoan, ...]  # open loans, by due date

    @property
    def suspended(self) -> bool:
        return bool(self.causes)

    @property
    def back_by(self) -> date | None:
        """S5: the earliest agreed date of the open settled cases."""
        agreed = [loan.agreed for loan in self.loans if loan.settled and loan.agreed is not None]
        return min(agreed, default=None)

    @property
    def suspended_since(self) -> date | None:
        days = [loan.step_on for loan in self.loans if loan.causes_suspension and loan.step_on]
        return min(days, default=None)

    @property
    def badge(self) -> Badge:
        if self.suspended:
            return Badge.SUSPENDED
        return Badge.SETTLED if self.back_by is not None else Badge.CLEAR


def borrower_case(ctx: DeskContext, actor: Actor, borrower_id: int) -> BorrowerCase | None:
    """The borrower with their open loans and each loan's notices; None if no
    such borrower. Four queries, however many loans and notices."""
    require(ctx, actor, roles.Action.VIEW_BORROWER)
    with ctx.sessions() as session:
        head = session.execute(
            select(
                Borrower.name,
                Borrower.category,
                Institute.code,
                Institute.name,
                Institute.name_da,
            )
            .join(Institute, Institute.code == Borrower.institute_code)
            .where(Borrower.id == borrower_id)
        ).one_or_none()
        if head is None:
            return None
        loans = session.execute(
            select(Loan, Item.barcode, Item.title)
            .join(Item, Item.id == Loan.item_id)
            .where(Loan.borrower_id == borrower_id, Loan.state == LoanState.OPEN)
            .order_by(Loan.due, Item.barcode)
        ).all()
        history: dict[int, list[NoticeLine]] = {}
        for loan_id, step, sent_on, deadline, delivery, delivered_at in session.execute(
            select(
                Notice.loan_id,
                Notice.step,
                Notice.sent_on,
                Notice.deadline,
                NoticeMail.state,
                Notice.delivered_at,
            )
            .join(Loan, Loan.id == Notice.loan_id)
            .outerjoin(
                NoticeMail,
                and_(
                    NoticeMail.run_id == Notice.run_id,
                    NoticeMail.borrower_id == Notice.borrower_id,
                ),
            )
            .where(Loan.borrower_id == borrower_id, Loan.state == LoanState.OPEN)
            .order_by(Notice.sent_on, Notice.id)
        ):
            history.setdefault(loan_id, []).append(
                NoticeLine(
                    step,
                    sent_on,
                    deadline,
                    MailState(delivery) if delivery else None,
                    delivered_at,
                )
            )
        case_loans = tuple(
            CaseLoan(
                loan_id=loan.id,
                item=barcode,
                title=title,
                capacity=loan.capacity,
                loan_date=loan.loan_date,
                due=loan.due,
                step=loan.step,
                deadline=loan.step_deadline,
                step_on=loan.step_on,
                settled=loan.settled,
                settled_on=loan.settled_on,
                agreed=loan.agreed_date,
                note=loan.settlement_note,
                notices=tuple(history.get(loan.id, ())),
            )
            for loan, barcode, title in loans
        )
        causes = suspension_causes(
            CaseFacts(c.item, Step(c.step) if c.step else None, c.settled) for c in case_loans
        )
        return BorrowerCase(
            borrower_id=borrower_id,
            name=head.name,
            category=head.category,
            card=preferred_cards(session, [borrower_id]).get(borrower_id),
            institute=head.code,
            institute_name=institute_name(head[3], head.name_da),
            causes=causes,
            loans=case_loans,
        )


# --------------------------------------------------------------------------
# The audit trail


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    staff: str
    desk: str
    action: str
    code: str
    rule: str | None
    item: str | None
    detail: dict[str, Any]


def audit_trail(
    ctx: DeskContext, actor: Actor, borrower_id: int, limit: int = 500
) -> list[AuditLine]:
    """The borrower's audit entries, newest first (who, where, when, what)."""
    require(ctx, actor, roles.Action.VIEW_BORROWER)
    with ctx.sessions() as session:
        rows = session.execute(
            select(AuditEntry, Item.barcode)
            .outerjoin(Item, Item.id == AuditEntry.item_id)
            .where(AuditEntry.borrower_id == borrower_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        ).all()
        return [
            AuditLine(
                at=entry.at,
                staff=entry.staff,
                desk=entry.desk,
                action=entry.action,
                code=entry.code,
                rule=entry.rule,
                item=barcode,
                detail=_detail(entry.detail),
            )
            for entry, barcode in rows
        ]


def _detail(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"detail": text}
    return value if isinstance(value, dict) else {"detail": value}


# --------------------------------------------------------------------------
# All suspended borrowers


@dataclass(frozen=True)
class SuspendedBorrower:
    borrower_id: int
    name: str
    card: str | None  # masked if a health card (B3)
    institute: str
    institute_name: Text  # domain.transport.institute_name: Danish where the register has it
    since: date | None  # the earliest SUSPENSION notice among the causing loans
    causes: int  # how many loans suspend the borrower
    oldest_due: date


def suspended_borrowers(ctx: DeskContext, actor: Actor) -> list[SuspendedBorrower]:
    """Everyone S2 suspends today: one grouped query, plus one for the cards."""
    require(ctx, actor, roles.Action.LIST_SUSPENDED)
    return _suspended(ctx)


def _suspended(ctx: DeskContext) -> list[SuspendedBorrower]:
    with ctx.sessions() as session:
        rows = session.execute(
            select(
                Borrower.id,
                Borrower.name,
                Institute.code,
                Institute.name,
                Institute.name_da,
                func.min(Loan.step_on),
                func.count(Loan.id),
                func.min(Loan.due),
            )
            .select_from(Loan)
            .join(Borrower, Borrower.id == Loan.borrower_id)
            .join(Institute, Institute.code == Borrower.institute_code)
            .where(
                Loan.state == LoanState.OPEN,
                Loan.step == Step.SUSPENSION.value,
                Loan.settled.is_(False),
            )
            .group_by(Borrower.id, Borrower.name, Institute.code, Institute.name, Institute.name_da)
            .order_by(func.min(Loan.step_on), Borrower.name, Borrower.id)
        ).all()
        cards = preferred_cards(session, [r[0] for r in rows])
    return [
        SuspendedBorrower(
            borrower_id=r[0],
            name=r[1],
            card=cards.get(r[0]),
            institute=r[2],
            institute_name=institute_name(r[3], r[4]),
            since=r[5],
            causes=int(r[6]),
            oldest_due=r[7],
        )
        for r in rows
    ]


CSV_HEADERS = (
    tx("Name"),
    tx("Card"),
    tx("Institute"),
    tx("Institute name"),
    tx("Suspended since"),
    tx("Causing loans"),
    tx("Oldest due date"),
)


def suspended_csv(rows: list[SuspendedBorrower], language: str = "en") -> str:
    """The list as CSV text. Danish Excel splits on ";", English on ","; dates
    are ISO so they sort and parse the same everywhere."""
    out = io.StringIO()
    language = language_of(language)
    writer = csv.writer(out, delimiter=";" if language == "da" else ",", lineterminator="\r\n")
    writer.writerow(render(header, language) for header in CSV_HEADERS)
    for row in rows:
        writer.writerow(
            (
                row.name,
                row.card or "",
                row.institute,
                render(row.institute_name, language),
                row.since.isoformat() if row.since else "",
                row.causes,
                row.oldest_due.isoformat(),
            )
        )
    return out.getvalue()


def export_suspended_csv(ctx: DeskContext, actor: Actor, path: Path, language: str = "en") -> int:
    """Write the suspended list to ``path`` as UTF-8 with a byte-order mark,
    so Excel shows æøå; returns how many borrowers it holds."""
    require(ctx, actor, roles.Action.LIST_SUSPENDED)
    rows = _suspended(ctx)
    path.write_text(suspended_csv(rows, language), encoding="utf-8-sig", newline="")
    return len(rows)


# --------------------------------------------------------------------------
# What-if


def open_cases(session: Session, borrower_id: int) -> list[OpenCase]:
    """The borrower's open institute-capacity loans as the ladder sees them
    (P1: private loans are not on it)."""
    rows = session.execute(
        select(Item.barcode, Loan)
        .join(Item, Item.id == Loan.item_id)
        .where(
            Loan.borrower_id == borrower_id,
            Loan.state == LoanState.OPEN,
            Loan.capacity == Capacity.INSTITUTE,
        )
    ).all()
    return [
        OpenCase(
            item=barcode,
            state=LadderState(
                due=loan.due,
                step=Step(loan.step) if loan.step else None,
                deadline=loan.step_deadline,
                last_notice_on=loan.step_on,
                settled=loan.settled,
                agreed=loan.agreed_date,
            ),
        )
        for barcode, loan in rows
    ]


def what_if(ctx: DeskContext, actor: Actor, borrower_id: int, until: date) -> BorrowerProjection:
    """If nothing comes back: the notices the daily runs from today to
    ``until`` would send, and the day S2 would suspend. Read-only: the
    projection runs on copies of the loans' ladder states."""
    require(ctx, actor, roles.Action.VIEW_BORROWER)
    with ctx.sessions() as session:
        cases = open_cases(session, borrower_id)
    return project_borrower(cases, ctx.today(), until, ctx.policy.ladder)
