"""The demo's writer: the plan through the desk's own session, in one
transaction, ids back by RETURNING.

Set-based Core inserts on the ORM's tables (their defaults and the desk's
types apply, as for any row the desk writes), not row-by-row ORM work, which
would take minutes for the default 20,000 items. The library-scale writer is
``bulk``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from desk_app.demo.audit import AUDIT_COLUMNS, LoanEvent, entry, loan_entry
from desk_app.demo.catalogue import ITEM_COLUMNS, item_values
from desk_app.demo.claims import claim_rows
from desk_app.demo.courier import DISPATCH_COLUMNS
from desk_app.demo.loans import LOAN_COLUMNS, RETURNED, LoanPlan, loan_values
from desk_app.demo.notices import MAIL_COLUMNS, NOTICE_COLUMNS, RUN_COLUMNS, NoticeHistory
from desk_app.demo.plan import DemoPlan
from desk_app.demo.requests import REQUEST_COLUMNS
from desk_app.domain.verdict import Code
from desk_app.services.context import Actor
from desk_app.store.models import (
    AuditEntry,
    Borrower,
    Card,
    Claim,
    Dispatch,
    Item,
    Loan,
    Notice,
    NoticeMail,
    NoticeRun,
    Request,
)

DEMO_ACTOR = Actor("demo", "demo")


def _insert_returning_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in batches and return their new ids, in order.

    Core on the table, not the ORM bulk path: the ORM splits rows by which
    columns are None and splices the RETURNING rows back quadratically (a
    minute for 20,000 items instead of a fraction of a second).
    """
    if not rows:
        return []
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def _insert_numbered(
    session: Session, model: Any, objects: Sequence[Any], row: Callable[[Any], dict[str, Any]]
) -> None:
    """Insert one row per plan object and give each object its new id."""
    ids = _insert_returning_ids(session, model, [row(o) for o in objects])
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


def _named(columns: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(columns, values, strict=True))


def write_plan(session: Session, plan: DemoPlan, actor: Actor = DEMO_ACTOR) -> None:
    """Every planned row, parents first, each object given its id."""
    staff, desk = actor.staff, actor.desk
    _insert_numbered(
        session,
        Borrower,
        plan.borrowers,
        lambda b: {
            "name": b.name,
            "category": b.category,
            "institute_code": b.institute,
            "own_office": b.own_office,
            "e_resources": b.e_resources,
            "email": b.email,
            "enrolled_on": b.enrolled_on,
        },
    )
    owner_of = {id(c): b for b in plan.borrowers for c in b.cards}
    cards = [c for b in plan.borrowers for c in b.cards]
    _insert_numbered(
        session,
        Card,
        cards,
        lambda c: {
            "borrower_id": owner_of[id(c)].id,
            "kind": c.kind,
            "lookup": c.lookup,
            "display": c.display,
            "expires": c.expires,
            "status": c.status,
            "status_changed_on": c.status_changed_on,
            "replaced_by_id": None,
        },
    )
    replaced = [{"id": c.id, "replaced_by_id": c.replaced_by.id} for c in cards if c.replaced_by]
    if replaced:
        session.execute(update(Card), replaced)

    _insert_numbered(session, Item, plan.items, lambda i: _named(ITEM_COLUMNS, item_values(i)))
    _insert_numbered(
        session,
        Dispatch,
        sorted(plan.dispatches, key=lambda d: (d.dispatched_at, d.route)),
        lambda d: _named(
            DISPATCH_COLUMNS,
            (
                d.route,
                d.day,
                d.dispatched_at,
                d.loaded,
                d.missing,
                staff,
                desk,
                d.delivered_at,
                staff,
            ),
        ),
    )
    loans = sorted(plan.loans, key=lambda loan: loan.loaned_at)
    _insert_numbered(
        session, Loan, loans, lambda x: _named(LOAN_COLUMNS, loan_values(x, staff, desk))
    )

    requests = sorted(plan.requests, key=lambda r: r.placed_at)
    _insert(
        session,
        Request,
        [
            _named(
                REQUEST_COLUMNS,
                (
                    r.item.id,
                    r.borrower.id,
                    r.placed_at,
                    r.state,
                    r.loan.id if r.loan else None,
                    r.loan.loaned_at if r.loan else None,
                    staff,
                    desk,
                ),
            )
            for r in requests
        ],
    )

    audit: list[dict[str, Any]] = []
    _write_notices(session, plan, loans, actor, audit)
    _insert(session, Claim, claim_rows(plan, loans, staff, desk, audit))

    for loan in loans:
        audit += _loan_audit(plan, loan, staff, desk)
    for run in plan.dispatches:
        detail = json.dumps({"route": run.route, "day": run.day.isoformat(), "source": "demo"})
        for at, action, code in (
            (run.dispatched_at, "dispatch", Code.DISPATCHED),
            (run.delivered_at, "deliver", Code.DELIVERED),
        ):
            audit.append(entry(at, staff, desk, action, code, "T4", detail=detail))
    for r in requests:
        audit.append(
            entry(
                r.placed_at, staff, desk, "request", Code.REQUESTED, "L3", r.borrower.id, r.item.id
            )
        )
    for card in cards:
        if card.status_changed_on is not None:
            at = plan.at(card.status_changed_on)
            borrower_id = owner_of[id(card)].id
            audit.append(entry(at, staff, desk, "card_lost", Code.CARD_REPLACED, "U1", borrower_id))
    audit.sort(key=lambda row: row["at"])
    _insert(session, AuditEntry, audit)


def _loan_audit(plan: DemoPlan, loan: LoanPlan, staff: str, desk: str) -> list[dict[str, Any]]:
    """A loan's entries: its checkout, renewals, return, settlement, announced return."""
    ids = (loan.borrower.id, loan.item.id, loan.id)

    def add(event: LoanEvent, at: Any) -> None:
        rows.append(loan_entry(event, at, staff, desk, loan.rule, *ids))

    rows: list[dict[str, Any]] = []
    add(LoanEvent.ILL_RECEIVE if loan.item.is_ill else LoanEvent.CHECKOUT, loan.loaned_at)
    for day in loan.renew_days:
        add(LoanEvent.RENEW, plan.at(day))
    if loan.state is RETURNED and loan.ended_at:
        add(LoanEvent.CHECKIN, loan.ended_at)
    if loan.settled_on:
        add(LoanEvent.CONTACT, plan.at(loan.settled_on))
    if loan.announced_at:
        add(LoanEvent.ANNOUNCE_RETURN, loan.announced_at)
    return rows


def _write_notices(
    session: Session,
    plan: DemoPlan,
    loans: list[LoanPlan],
    actor: Actor,
    audit: list[dict[str, Any]],
) -> None:
    """S6: every notice the daily runs sent, one run per day up to yesterday;
    earlier days' messages were e-mailed, yesterday's wait for a mail server
    (none is set up on a demo desk)."""
    history = NoticeHistory(plan.yesterday, mail_server=False)
    for loan in loans:
        for day, notice in loan.notices:
            history.add(day, notice, loan.id, loan.borrower.id, loan.borrower.email)
    if not history:
        return
    days = history.days()
    rows = [_named(RUN_COLUMNS, row) for row in history.run_rows(actor.staff, actor.desk)]
    run_of = dict(zip(days, _insert_returning_ids(session, NoticeRun, rows), strict=True))
    _insert(session, Notice, [_named(NOTICE_COLUMNS, r) for r in history.notice_rows(run_of)])
    _insert(session, NoticeMail, [_named(MAIL_COLUMNS, r) for r in history.mail_rows(run_of)])
    audit += [_named(AUDIT_COLUMNS, r) for r in history.audit_rows(actor.staff, actor.desk)]
