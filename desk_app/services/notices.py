"""§5 The daily notices run, as set-based SQL over the open loans.

The transitions come from ``domain.ladder.LADDER``: one CASE expression per
run picks each loan's next step, one INSERT ... SELECT stores the notices
(S6) and one UPDATE moves the loans. A loan moves at most one step per run,
and not at all on a day that already sent it a notice, so the run is
idempotent per day and a late run catches up one step a day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Case

from desk_app.domain import roles
from desk_app.domain.facts import Capacity, Step
from desk_app.domain.ladder import LADDER, Trigger, deadline_of, notices_run
from desk_app.domain.loan_states import LoanState
from desk_app.domain.mail_states import MAIL, MailAction
from desk_app.domain.policy import LadderPolicy
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.access import authorize
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import preferred_cards
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Borrower, Item, Loan, Notice, NoticeMail, NoticeRun


def _fires(rung_from: Step | None, trigger: Trigger, day: date) -> ColumnElement[bool]:
    if trigger is Trigger.DUE:
        return and_(Loan.step.is_(None), Loan.due < day)
    assert rung_from is not None
    return and_(Loan.step == rung_from.value, Loan.step_deadline < day)


def ladder_sql(day: date, policy: LadderPolicy) -> tuple[ColumnElement[bool], Case[Any], Case[Any]]:
    """(which loans move, their new step, their new deadline) for the run of ``day``."""
    resuspend = and_(Loan.settled.is_(True), Loan.agreed_date < day)  # S5
    step_whens: list[tuple[ColumnElement[bool], Any]] = [(resuspend, Step.SUSPENSION.value)]
    deadline_whens: list[tuple[ColumnElement[bool], Any]] = [(resuspend, literal(None))]
    unsettled = Loan.settled.is_(False)
    for rung in LADDER:
        fires = and_(unsettled, _fires(rung.from_step, rung.trigger, day))
        step_whens.append((fires, rung.to_step.value))
        deadline_whens.append((fires, literal(deadline_of(rung, day, policy))))
    moves = and_(
        Loan.state == LoanState.OPEN,
        Loan.capacity == Capacity.INSTITUTE,  # P1: private loans are not on the ladder
        or_(Loan.step_on.is_(None), Loan.step_on < day),
        or_(*(cond for cond, _ in step_whens)),
    )
    return moves, case(*step_whens, else_=Loan.step), case(*deadline_whens, else_=None)


def _queue_messages(session: Session, run_id: int) -> None:
    """One outbox row per borrower of the run (S6), in the run's transaction:
    a notice never exists without the message that carries it. A borrower
    without an e-mail address gets a printed letter instead."""
    address = func.trim(func.coalesce(Borrower.email, ""))
    session.execute(
        insert(NoticeMail).from_select(
            ["run_id", "borrower_id", "address", "state", "attempts"],
            select(
                literal(run_id),
                Borrower.id,
                Borrower.email,
                case(
                    (address == "", MAIL.start(MailAction.NO_ADDRESS)),
                    else_=MAIL.start(MailAction.QUEUE),
                ),
                literal(0),
            ).where(Borrower.id.in_(select(Notice.borrower_id).where(Notice.run_id == run_id))),
        )
    )


def run_notices(ctx: DeskContext, actor: Actor, day: date | None = None) -> Verdict:
    """The daily run for ``day`` (default: today). Stores every notice (S6).

    Two desks starting at the same moment may both run: SQLite serialises
    them, and on PostgreSQL the loser meets the one-notice-per-loan-per-day
    constraint and runs again, finding nothing left to send."""
    if (refused := authorize(ctx, actor, roles.Action.RUN_NOTICES)) is not None:
        return refused
    try:
        return _run_notices(ctx, actor, day)
    except IntegrityError:
        return _run_notices(ctx, actor, day)


def _run_notices(ctx: DeskContext, actor: Actor, day: date | None) -> Verdict:
    with write_transaction(ctx) as (session, now):
        day = day or now.date()
        moves, new_step, new_deadline = ladder_sql(day, ctx.policy.ladder)
        run = NoticeRun(run_date=day, ran_at=now, notices=0, staff=actor.staff, desk=actor.desk)
        session.add(run)
        session.flush()
        session.execute(
            insert(Notice).from_select(
                ["run_id", "loan_id", "borrower_id", "step", "sent_on", "deadline"],
                select(
                    literal(run.id),
                    Loan.id,
                    Loan.borrower_id,
                    new_step,
                    literal(day),
                    new_deadline,
                ).where(moves),
            )
        )
        _queue_messages(session, run.id)
        session.execute(
            update(Loan)
            .where(moves)
            .values(step=new_step, step_deadline=new_deadline, step_on=day, settled=False)
            .execution_options(synchronize_session=False)
        )
        rows = session.execute(
            select(Notice.borrower_id, Item.barcode, Notice.step, Notice.deadline)
            .join(Loan, Loan.id == Notice.loan_id)
            .join(Item, Item.id == Loan.item_id)
            .where(Notice.run_id == run.id)
        ).all()
        cards = preferred_cards(session, {r.borrower_id for r in rows})
        notices = sorted(
            (
                {
                    "card": cards.get(r.borrower_id),
                    "item": r.barcode,
                    "step": r.step,
                    "deadline": r.deadline,
                }
                for r in rows
            ),
            key=lambda n: (n["card"] or "", n["item"]),
        )
        run.notices = len(notices)
        outcome = notices_run(day, notices)
        audit.record(session, actor, now, "notices", outcome, count=len(notices), notices=None)
        return outcome


def last_run_date(ctx: DeskContext) -> date | None:
    with ctx.sessions() as session:
        return session.scalars(
            select(NoticeRun.run_date).order_by(NoticeRun.run_date.desc())
        ).first()


def run_is_due(ctx: DeskContext, day: date | None = None) -> bool:
    """True while the day's run has not happened (the start-up check). Here,
    beside the run, not in ``daily_run``: the desk asks at every start, and
    ``daily_run`` brings the mail and letter code along."""
    last = last_run_date(ctx)
    return last is None or last < (day or ctx.today())
