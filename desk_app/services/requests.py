"""The order cycle's requests (§4 L3-L4, Q1-Q3): place one for the borrower
at the desk, cancel one (Q2), the pick list (Q1), a borrower's requests with
their places in the queues.

Placing is ``circulation.place_request_in`` (the replay's ``request`` and the
orders import take the same path); each function here checks the actor's
role first. The pick list and a borrower's requests are read set-based, one
query for the rows and one for the cards to show, however many requests
wait: the queue's place is a window over the active requests
(``row_number`` by time placed, then id: L3's order), not a query per row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.borrower_requests import BorrowerRequest
from desk_app.domain.claim_states import UNSETTLED
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import LoanState
from desk_app.domain.pick_list import PickEntry, in_shelf_order
from desk_app.domain.request_states import REQUEST, RequestAction, RequestState
from desk_app.domain.request_verdicts import (
    cancelled,
    no_request,
    no_such_borrower,
    pick_list_verdict,
)
from desk_app.domain.scan import Scanned, scanned
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.access import authorize, require
from desk_app.services.circulation import place_request_in
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import act
from desk_app.services.lookup import active_requests, find_card, find_item, preferred_cards
from desk_app.store.models import Borrower, Claim, Institute, Item, Loan, Request

CANCEL_AUDIT = "cancel_request"  # the audit trail's name for Q2
_HAND_OVERS = {h.value: h for h in HandOver}  # an institute's delivery mode, as a loan's (T1-T3)


def place_request(ctx: DeskContext, actor: Actor, borrower_id: int, item: Scanned | str) -> Verdict:
    """L3-L4 for the borrower at the desk: REQUESTED with ``position`` and
    ``due_changed_to`` (the open loan's due date moved earlier, L4), its text
    naming both; or why not (the checks of a request, ``checkout.decide_request``)."""
    item_scan = scanned(item)

    def work(session: Session, now: datetime) -> Verdict:
        return place_request_in(session, ctx, actor, now, None, item_scan, borrower_id=borrower_id)

    return act(ctx, actor, roles.Action.REQUEST, work).verdict


def cancel_request(
    ctx: DeskContext,
    actor: Actor,
    item: Scanned | str,
    *,
    card: Scanned | str | None = None,
    borrower_id: int | None = None,
) -> Verdict:
    """Q2: the borrower's (``card`` or ``borrower_id``) active request on the
    item is cancelled and the queue closes up: CANCELLED, or NO_REQUEST when
    they have none. A due date an earlier request moved (L4) stays."""
    if (card is None) == (borrower_id is None):
        raise ValueError("name the borrower by card or by borrower_id, not both or neither")
    item_scan = scanned(item)
    card_scan = scanned(card) if card is not None else None

    def work(session: Session, now: datetime) -> Verdict:
        return cancel_request_in(
            session, ctx, actor, now, item_scan, card=card_scan, borrower_id=borrower_id
        )

    return act(ctx, actor, roles.Action.REQUEST, work).verdict


def cancel_request_in(
    session: Session,
    ctx: DeskContext,
    actor: Actor,
    now: datetime,
    item: Scanned | str,
    *,
    card: Scanned | str | None = None,
    borrower_id: int | None = None,
) -> Verdict:
    """:func:`cancel_request` in the caller's transaction (the role checked there)."""
    if card is not None:
        hit = find_card(session, scanned(card), ctx.cpr_key)
        if hit.card is None:
            return hit.refusal()
        borrower = hit.card.borrower
    else:
        assert borrower_id is not None
        found = session.get(Borrower, borrower_id)
        if found is None:
            return no_such_borrower(borrower_id)
        borrower = found
    item_hit = find_item(session, scanned(item), lock=True)  # the queue moves under the lock
    if item_hit.item is None:
        outcome = item_hit.refusal()
        audit.record(session, actor, now, CANCEL_AUDIT, outcome, borrower_id=borrower.id)
        return outcome
    item_row = item_hit.item
    queue = active_requests(session, item_row.id)
    mine = next((r for r in queue if r.borrower_id == borrower.id), None)
    if mine is None:
        outcome = no_request(
            title=item_row.title,
            barcode=item_row.barcode,
            borrower=borrower.name,
            borrower_id=borrower.id,
        )
    else:
        mine.state = REQUEST.step(mine.state, RequestAction.CANCEL)
        mine.ended_at = now
        outcome = cancelled(
            title=item_row.title,
            barcode=item_row.barcode,
            position=queue.index(mine) + 1,
            still_waiting=len(queue) - 1,
            borrower_id=borrower.id,
        )
    audit.record(
        session,
        actor,
        now,
        CANCEL_AUDIT,
        outcome,
        borrower_id=borrower.id,
        item_id=item_row.id,
    )
    return outcome


def first_requester_in(session: Session, item_id: int) -> Request | None:
    """The first active request on the item (L3's queue), or None: who an
    item checked in (Q3) or picked from the shelf (Q1) is lent to."""
    first = (
        select(Request)
        .where(Request.item_id == item_id, Request.state == RequestState.ACTIVE)
        .order_by(Request.placed_at, Request.id)
        .limit(1)
    )
    return session.scalars(first).first()


# --- the pick list (Q1) ----------------------------------------------------------


def _open_loan_on(item_id: Any) -> ColumnElement[bool]:
    return select(Loan.id).where(Loan.item_id == item_id, Loan.state == LoanState.OPEN).exists()


def _lost(item_id: Any) -> ColumnElement[bool]:
    """C2: the item's loan ended as lost and its claim is unsettled (the
    item has not come back, C4). A damage claim on a returned loan is no loss."""
    return (
        select(Claim.id)
        .join(Loan, Loan.id == Claim.loan_id)
        .where(
            Claim.item_id == item_id,
            Loan.state == LoanState.LOST,
            Claim.state.in_(sorted(UNSETTLED)),
        )
        .exists()
    )


def _queue_order() -> tuple[Any, ...]:
    return (Request.placed_at, Request.id)


def pick_list(ctx: DeskContext, actor: Actor) -> list[PickEntry]:
    """Q1: the items on the shelf (no open loan, not lost) with an active
    request, each for its first requester, in shelf order (call number as
    text, then barcode; no call number last). Raises ``NotPermitted``."""
    require(ctx, actor, roles.Action.PICK_LIST)
    with ctx.sessions() as session:
        return pick_list_in(session)


def pick_list_outcome(ctx: DeskContext, actor: Actor) -> Verdict:
    """:func:`pick_list` as a verdict (the replay's ``pick_list``): PICK_LIST
    with ``items`` (``{"item", "card"}``) and ``entries``, or the refusal."""
    refused = authorize(ctx, actor, roles.Action.PICK_LIST)
    if refused is not None:
        return refused
    with ctx.sessions() as session:
        return pick_list_verdict(pick_list_in(session))


def pick_list_in(session: Session) -> list[PickEntry]:
    """:func:`pick_list` in the caller's session (the role checked already)."""
    ranked = (
        select(
            Request.item_id,
            Request.borrower_id,
            Request.placed_at,
            func.row_number()
            .over(partition_by=Request.item_id, order_by=_queue_order())
            .label("place"),
            func.count().over(partition_by=Request.item_id).label("waiting"),
        )
        .where(
            Request.state == RequestState.ACTIVE,
            ~_open_loan_on(Request.item_id),
            ~_lost(Request.item_id),
        )
        .subquery()
    )
    rows = (
        session.connection()
        .execute(  # Core rows: no ORM loading per row
            select(
                Item.barcode,
                Item.call_number,
                Item.title,
                Item.author,
                ranked.c.borrower_id,
                Borrower.name.label("borrower_name"),
                Institute.code.label("institute_code"),
                Institute.name.label("institute_name"),
                Institute.delivery,
                Institute.route_code,
                ranked.c.placed_at,
                ranked.c.waiting,
            )
            .select_from(ranked)
            .join(Item, Item.id == ranked.c.item_id)
            .join(Borrower, Borrower.id == ranked.c.borrower_id)
            .join(Institute, Institute.code == Borrower.institute_code)
            .where(ranked.c.place == 1)
        )
        .all()
    )
    cards = preferred_cards(session, {row[4] for row in rows})
    entries = []
    for (
        barcode,
        call_number,
        title,
        author,
        borrower_id,
        borrower_name,
        institute_code,
        institute_name,
        delivery,
        route_code,
        placed_at,
        waiting,
    ) in rows:
        hand_over = _HAND_OVERS[delivery]
        entries.append(
            PickEntry(
                barcode=barcode,
                call_number=call_number,
                title=title,
                author=author,
                card=cards.get(borrower_id),
                borrower_id=borrower_id,
                borrower_name=borrower_name,
                institute_code=institute_code,
                institute_name=institute_name,
                hand_over=hand_over,
                route=None if hand_over is HandOver.SELF_PICKUP else route_code,
                requested_at=placed_at,
                waiting=waiting,
            )
        )
    return in_shelf_order(entries)


# --- a borrower's requests (the panel, the receipt) ---------------------------


def requests_of(ctx: DeskContext, actor: Actor, borrower_id: int) -> list[BorrowerRequest]:
    """The borrower's active requests, oldest first, each with its place in
    the item's queue, the queue's length, the open loan's due date and
    whether the item is on the pick list. Raises ``NotPermitted``."""
    require(ctx, actor, roles.Action.BORROWER_STATUS)
    with ctx.sessions() as session:
        return requests_of_in(session, borrower_id)


def requests_of_in(session: Session, borrower_id: int) -> list[BorrowerRequest]:
    """:func:`requests_of` in the caller's session (the role checked already)."""
    theirs = select(Request.item_id).where(
        Request.borrower_id == borrower_id, Request.state == RequestState.ACTIVE
    )
    ranked = (
        select(
            Request.id,
            Request.item_id,
            Request.borrower_id,
            Request.placed_at,
            func.row_number()
            .over(partition_by=Request.item_id, order_by=_queue_order())
            .label("place"),
            func.count().over(partition_by=Request.item_id).label("waiting"),
        )
        .where(Request.state == RequestState.ACTIVE, Request.item_id.in_(theirs))
        .subquery()
    )
    rows = session.execute(
        select(
            ranked.c.id,
            Item.barcode,
            Item.title,
            Item.call_number,
            ranked.c.place,
            ranked.c.waiting,
            ranked.c.placed_at,
            Loan.due,
            _lost(Item.id).label("lost"),
        )
        .select_from(ranked)
        .join(Item, Item.id == ranked.c.item_id)
        .outerjoin(Loan, and_(Loan.item_id == Item.id, Loan.state == LoanState.OPEN))
        .where(ranked.c.borrower_id == borrower_id)
        .order_by(ranked.c.placed_at, ranked.c.id)
    ).all()
    return [
        BorrowerRequest(
            request_id=row.id,
            barcode=row.barcode,
            title=row.title,
            call_number=row.call_number,
            position=row.place,
            waiting=row.waiting,
            placed_at=row.placed_at,
            on_loan=row.due is not None,
            due=row.due,
            on_pick_list=row.due is None and not row.lost,
        )
        for row in rows
    ]
