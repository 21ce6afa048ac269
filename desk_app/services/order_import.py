"""The order form's orders placed as requests, all or nothing (§4 L3, L4; Q1).

``desk-app orders import FILE.csv`` reads the order form's CSV export
(``domain.order_import``: every bad line found, with its line number) and
places each order as a request for the card's borrower, decided by the
rules of every request (``checkout.decide_request``: U1, E1, S3, L3, L4)
and written as ``circulation.place_request_in`` writes one; an item on the
shelf goes on the pick list (Q1). The request keeps the order's number
(``requests.order_ref``, unique), the day ordered and the note.

- **Nothing half-imported.** A file with a bad line places nothing (unless
  ``skip_bad``: then its good lines are placed and the bad ones listed as
  skipped); the orders of a clean file are placed in ONE transaction, the
  role (``roles.Action.REQUEST``) checked once in it.
- **A rule's refusal is an answer, not a bad line.** An unknown or expired
  card, a suspended borrower, an unknown item, an item the borrower has on
  loan: that line is reported with its rule and code and places nothing
  (audited, as at the desk); the other lines are placed.
- **Nothing twice.** An order whose number a request has already (placed by
  an earlier import, whatever became of it since: lent, cancelled) is
  "imported already" and places nothing; an order whose borrower has an
  active request on the item already places nothing either. An order a rule
  refused keeps no number, so importing the corrected file again places it.
  Two imports at once: the second waits for the first's locks on the items
  and then finds its orders imported (should it not, the order number's
  unique index stops it, and it runs again).

Fast enough for a day's orders: the facts of every line are read in a few
set-based queries and the requests written in one flush (3,000 orders in
about two seconds on SQLite, the write lock held as long; see
:func:`place_orders_in`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from desk_app.domain import checkout as rules
from desk_app.domain import roles
from desk_app.domain.facts import BorrowerFacts, Category, Step
from desk_app.domain.loan_states import LoanState
from desk_app.domain.order_import import (
    LineOutcome,
    OrderFile,
    OrderLine,
    already_imported,
    order_line_text,
    outcome_text,
    read_order_file,
)
from desk_app.domain.policy import Delivery
from desk_app.domain.request_states import REQUEST, RequestAction, RequestState
from desk_app.domain.scan import card_lookup
from desk_app.domain.verdict import Verdict
from desk_app.i18n import Text
from desk_app.services import audit
from desk_app.services.access import authorize_in
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import card_facts, item_facts, loan_facts
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Borrower, Card, Item, Loan, Request

ATTEMPTS = 3  # another import (or desk) placing the same order meanwhile: run again
_CHUNK = 500  # values per set-based look-up (well under any database's limit on parameters)
REQUEST_AUDIT = "request"  # the audit trail's name for a request, as at the desk
_T = TypeVar("_T")


class ImportStatus(StrEnum):
    """How the import ended, as the command's exit status says it."""

    DONE = "done"  # every order placed, or there already
    SOME_REFUSED = "some_refused"  # placed what the rules allow; some refused (or skipped)
    MALFORMED = "malformed"  # the file has bad lines: nothing placed
    NOT_PERMITTED = "not_permitted"  # the actor may not place requests: nothing placed


@dataclass(frozen=True)
class OrderResult:
    """What became of one good line of the file."""

    line: int
    order_ref: str
    outcome: LineOutcome
    text: Text  # the request's verdict, or "imported already", with its rule
    verdict: Verdict | None = None  # the rule's verdict (None: imported already)

    @property
    def report(self) -> Text:
        return order_line_text(self.line, self.order_ref, self.text)


@dataclass(frozen=True)
class ImportReport:
    """The file as read, and what became of each order."""

    file: OrderFile
    results: tuple[OrderResult, ...] = ()
    skip_bad: bool = False
    checked_only: bool = False  # ``check_only``: decided, then rolled back
    refusal: Verdict | None = None  # NOT_PERMITTED's verdict (audited)

    @property
    def status(self) -> ImportStatus:
        if self.refusal is not None:
            return ImportStatus.NOT_PERMITTED
        if self.file.bad and not (self.skip_bad and self.file.header_ok):
            return ImportStatus.MALFORMED
        if self.file.bad or self.count(LineOutcome.REFUSED):
            return ImportStatus.SOME_REFUSED
        return ImportStatus.DONE

    @property
    def placed_anything(self) -> bool:
        return not self.checked_only and self.count(LineOutcome.PLACED) > 0

    def count(self, *outcomes: LineOutcome) -> int:
        return sum(1 for r in self.results if r.outcome in outcomes)


def import_orders(
    ctx: DeskContext,
    actor: Actor,
    data: bytes | OrderFile,
    *,
    skip_bad: bool = False,
    check_only: bool = False,
) -> ImportReport:
    """Place the orders of an order form's CSV export (``data``: its bytes,
    or the file as ``domain.order_import.read_order_file`` read them).

    A file with a bad line places nothing (:attr:`ImportStatus.MALFORMED`),
    unless ``skip_bad`` (a header that cannot be read stops it even then);
    ``check_only`` decides every line as the import would and then rolls
    everything back. See the module's docstring for what each line may
    become."""
    order_file = read_order_file(data, ctx.today()) if isinstance(data, bytes) else data
    report = ImportReport(order_file, skip_bad=skip_bad, checked_only=check_only)
    if report.status is ImportStatus.MALFORMED:
        return report
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _import(ctx, actor, report)
        except IntegrityError:
            # Another import placed one of these orders, or a desk the same
            # request, between our read and our write: nothing of ours was
            # kept, and the next run sees theirs.
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class _RollBack(Exception):
    """Ends a ``check_only`` run's transaction without keeping anything."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("checked only")
        self.report = report


def _import(ctx: DeskContext, actor: Actor, report: ImportReport) -> ImportReport:
    try:
        with write_transaction(ctx) as (session, now):
            refusal = authorize_in(session, actor, roles.Action.REQUEST, now)
            if refusal is not None:
                return ImportReport(report.file, skip_bad=report.skip_bad, refusal=refusal)
            results = place_orders_in(session, ctx, actor, now, report.file.orders)
            done = ImportReport(report.file, results, report.skip_bad, report.checked_only)
            if report.checked_only:
                raise _RollBack(done)
            return done
    except _RollBack as rolled_back:
        return rolled_back.report


def place_orders_in(
    session: Session,
    ctx: DeskContext,
    actor: Actor,
    now: datetime,
    orders: Sequence[OrderLine],
) -> tuple[OrderResult, ...]:
    """Place ``orders`` in the caller's transaction (the role checked there
    already), in file order; an order number a request has already places
    nothing.

    Each order is decided as ``circulation.place_request_in`` decides a
    request (``checkout.decide_request`` on the same facts: U1, E1, S3, L3,
    L4), is written as it writes one (the request, L4's earlier due date,
    the audit entry with the order's number) and refused as it refuses one
    (an unknown card is not audited, as at the desk). The facts of all the
    lines are read in a few set-based queries first, the items locked, and
    kept up to date as the lines are placed (the queue grows, a due date
    moves earlier): a request at a time would take ~5 queries and a flush
    per line, and on SQLite the desks wait for the write lock that long.
    ``tests/services/test_order_import.py`` holds the two paths to the same
    answers."""
    facts = _Facts.read(session, ctx.cpr_key, orders)  # the items locked first: then
    imported = _imported(session, [o.order_ref for o in orders])  # a parallel import's are seen
    results: list[OrderResult] = []
    for order in orders:
        placed_on = imported.get(order.order_ref)
        if placed_on is not None:
            text = already_imported(placed_on)
            results.append(
                OrderResult(order.line, order.order_ref, LineOutcome.ALREADY_IMPORTED, text)
            )
            continue
        outcome = _place(session, actor, now, order, facts, ctx.cpr_key)
        if not outcome.ok:
            kind = LineOutcome.REFUSED
        elif outcome.data.get("duplicate"):
            kind = LineOutcome.ALREADY_REQUESTED
        else:
            kind = LineOutcome.PLACED
        results.append(
            OrderResult(order.line, order.order_ref, kind, outcome_text(kind, outcome), outcome)
        )
    return tuple(results)


def _place(
    session: Session,
    actor: Actor,
    now: datetime,
    order: OrderLine,
    facts: _Facts,
    cpr_key: bytes,
) -> Verdict:
    """One order, as ``circulation.place_request_in`` places a request."""
    card = facts.cards.get(card_lookup(order.card, cpr_key))
    item = facts.items.get(order.item.barcode)
    loan = facts.loans.get(item.id) if item is not None else None
    queue = facts.queues.setdefault(item.id, []) if item is not None else []
    borrower = facts.borrowers.get(card.borrower_id) if card is not None else None
    outcome = rules.decide_request(
        card=card_facts(card) if card is not None else None,
        borrower=borrower,
        item=item_facts(item) if item is not None else None,
        current_loan=loan_facts(loan) if loan is not None else None,
        queue=queue,
        day=now.date(),
        read_card=order.card.shown,
        read_item=order.item.shown,
    )
    if borrower is None:
        return outcome
    if outcome.ok and not outcome.data["duplicate"]:
        assert item is not None
        session.add(
            Request(
                item_id=item.id,
                borrower_id=borrower.id,
                placed_at=now,
                state=REQUEST.start(RequestAction.PLACE),
                staff=actor.staff,
                desk=actor.desk,
                order_ref=order.order_ref,
                ordered_on=order.ordered_on,
                order_note=order.note,
            )
        )
        queue.append(borrower.id)
        if loan is not None and outcome.data["due_changed_to"] is not None:
            loan.due = outcome.data["due_changed_to"]  # L4
    audit.record(
        session,
        actor,
        now,
        REQUEST_AUDIT,
        outcome,
        borrower_id=borrower.id,
        item_id=item.id if item is not None else None,
        loan_id=loan.id if loan is not None else None,
        order_ref=order.order_ref,
    )
    return outcome


@dataclass
class _Facts:
    """What the rules need of every line's card, borrower and item, read at once."""

    cards: dict[str, Card]  # by ``cards.lookup`` (a CPR's keyed hash, B3)
    items: dict[str, Item]  # by barcode, locked
    loans: dict[int, Loan]  # the open loan, by item id
    queues: dict[int, list[int]]  # the active requesters, first first (L3), by item id
    borrowers: dict[int, BorrowerFacts]  # by id, suspension causes included (S2)

    @classmethod
    def read(cls, session: Session, cpr_key: bytes, orders: Sequence[OrderLine]) -> _Facts:
        lookups = sorted({card_lookup(o.card, cpr_key) for o in orders})
        cards = {
            c.lookup: c
            for chunk in _chunks(lookups)
            for c in session.scalars(_CARDS_IN, {"in": chunk})
        }
        barcodes = sorted({o.item.barcode for o in orders})
        items = {
            i.barcode: i
            for chunk in _chunks(barcodes)
            for i in session.scalars(_ITEMS_IN, {"in": chunk})
        }
        item_ids = sorted(i.id for i in items.values())
        loans = {
            loan.item_id: loan
            for chunk in _chunks(item_ids)
            for loan in session.scalars(_OPEN_LOANS_IN, {"in": chunk})
        }
        queues: dict[int, list[int]] = {}
        for chunk in _chunks(item_ids):
            for item_id, borrower_id in session.execute(_QUEUES_IN, {"in": chunk}):
                queues.setdefault(item_id, []).append(borrower_id)
        people = {c.borrower_id: c.borrower for c in cards.values()}
        causes: dict[int, list[str]] = {}
        for chunk in _chunks(sorted(people)):
            for borrower_id, barcode in session.execute(_SUSPENSION_CAUSES_IN, {"in": chunk}):
                causes.setdefault(borrower_id, []).append(barcode)
        borrowers = {
            b.id: BorrowerFacts(
                id=b.id,
                name=b.name,
                category=Category(b.category),
                own_office=b.own_office,
                delivery=Delivery(b.institute.delivery),
                suspension_causes=tuple(causes.get(b.id, ())),
            )
            for b in people.values()
        }
        return cls(cards, items, loans, queues, borrowers)


def _chunks(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _in() -> BindParameter[Any]:
    """The list a set-based look-up takes (``{"in": [...]}``), expanded when run."""
    return bindparam("in", expanding=True)


_CARDS_IN = (
    select(Card)
    .options(joinedload(Card.borrower).joinedload(Borrower.institute))
    .where(Card.lookup.in_(_in()))
)
_ITEMS_IN = select(Item).where(Item.barcode.in_(_in())).order_by(Item.id).with_for_update()
_OPEN_LOANS_IN = select(Loan).where(Loan.item_id.in_(_in()), Loan.state == LoanState.OPEN)
_QUEUES_IN = (
    select(Request.item_id, Request.borrower_id)
    .where(Request.item_id.in_(_in()), Request.state == RequestState.ACTIVE)
    .order_by(Request.placed_at, Request.id)
)
_SUSPENSION_CAUSES_IN = (
    select(Loan.borrower_id, Item.barcode)
    .join(Item, Loan.item_id == Item.id)
    .where(
        Loan.borrower_id.in_(_in()),
        Loan.state == LoanState.OPEN,
        Loan.step == Step.SUSPENSION.value,
        Loan.settled.is_(False),
    )
    .order_by(Item.barcode)
)
_IMPORTED_IN = select(Request.order_ref, Request.placed_at).where(Request.order_ref.in_(_in()))


def _imported(session: Session, refs: Sequence[str]) -> dict[str, date]:
    """The order numbers among ``refs`` that a request has, with the day it
    was placed."""
    found: dict[str, date] = {}
    for chunk in _chunks(refs):
        for ref, placed_at in session.execute(_IMPORTED_IN, {"in": chunk}):
            if ref is not None:
                found[ref] = placed_at.date()
    return found
