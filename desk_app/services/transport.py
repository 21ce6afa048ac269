"""§3 Transport: slips, courier manifests, dispatch and delivery (T1-T4, I3).

A manifest is two set-based queries (what to deliver, what to collect) over
the route's institutes, never a loop of per-loan loads: a busy route's
1,000 lines come back in one round trip each. Slips and manifests leave
here as the plain data of ``printing.documents``; this module never draws.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from desk_app.domain import dispatch_verdicts, roles
from desk_app.domain.dispatch_states import DispatchState, state_of
from desk_app.domain.facts import Capacity
from desk_app.domain.ill import HandOver
from desk_app.domain.loading import LoadingOutcome, loading_outcome
from desk_app.domain.loan_states import (
    TRANSIT,
    LoanState,
    Transit,
    TransitAction,
    TransitionRefused,
)
from desk_app.domain.scan import Scanned, SlipCode, scanned
from desk_app.domain.transport import TRAVELS, collect_reason, institute_name, pickup_shelf
from desk_app.domain.verdict import Verdict
from desk_app.i18n import literal, render
from desk_app.printing.documents import (
    ManifestData,
    ManifestLine,
    ManifestStop,
    SlipData,
    SlipKind,
)
from desk_app.services import audit
from desk_app.services.access import authorize, require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import find_open_loan, not_on_loan
from desk_app.services.transactions import write_transaction
from desk_app.store.models import (
    Borrower,
    Dispatch,
    Institute,
    Item,
    LoadingScan,
    Loan,
    Route,
)

_SLIP_KIND = {
    HandOver.COURIER: SlipKind.TRANSPORT,
    HandOver.INTERNAL_COURIER: SlipKind.TRANSPORT,
    HandOver.SELF_PICKUP: SlipKind.PICKUP,
    HandOver.READING_ROOM: SlipKind.READING_ROOM,
}
_TRAVELLING = sorted(TRAVELS)  # T1, T3: the loans a route carries and collects


@dataclass(frozen=True)
class RouteInfo:
    code: str
    name: str
    internal_courier: bool  # T3


def routes(ctx: DeskContext, actor: Actor) -> list[RouteInfo]:
    """The routes a courier can pick, external couriers first (T1, T3)."""
    require(ctx, actor, roles.Action.VIEW_ROUTES)
    with ctx.sessions() as session:
        rows = session.scalars(select(Route).order_by(Route.delivery, Route.code)).all()
        return [RouteInfo(r.code, r.name, r.delivery == HandOver.INTERNAL_COURIER) for r in rows]


# --- slips --------------------------------------------------------------------


# A slip prints while the borrower waits: its loan, item, borrower, institute
# and route in one read rather than five lazy ones (issue 6).
_SLIP_LOADS = (
    joinedload(Loan.item),
    joinedload(Loan.borrower).joinedload(Borrower.institute).joinedload(Institute.route),
)


def slip_for_loan(
    ctx: DeskContext, actor: Actor, loan_id: int, language: str = "da"
) -> SlipData | None:
    """The slip of one loan (T4, T2, I3), or None if there is no such loan.
    Private-capacity loans get a pickup slip: the borrower is at the desk."""
    require(ctx, actor, roles.Action.PRINT_SLIP)
    with ctx.sessions() as session:
        loan = session.get(Loan, loan_id, options=_SLIP_LOADS)
        return None if loan is None else _slip(session, ctx, loan, language)


def slip_for_item(
    ctx: DeskContext, actor: Actor, item_raw: Scanned | str, language: str = "da"
) -> SlipData | Verdict:
    """The slip of the item's open loan, or the verdict saying why there is
    none (misread, unknown item, not on loan). A scanned slip barcode works
    too, so a crumpled slip can be reprinted from itself."""
    if (refused := authorize(ctx, actor, roles.Action.PRINT_SLIP)) is not None:
        return refused
    scan = scanned(item_raw)
    with ctx.sessions() as session:
        if isinstance(scan, SlipCode):
            loan = session.get(Loan, scan.loan_id)
            if loan is None or loan.state != LoanState.OPEN:
                return not_on_loan(scan.shown)
            return _slip(session, ctx, loan, language)
        found = find_open_loan(session, scan)
        return found if isinstance(found, Verdict) else _slip(session, ctx, found, language)


def _slip(session: Session, ctx: DeskContext, loan: Loan, language: str) -> SlipData:
    institute = loan.borrower.institute
    kind = _SLIP_KIND[HandOver(loan.delivery)]
    route = institute.route if kind is SlipKind.TRANSPORT else None
    transport = ctx.policy.transport
    return SlipData(
        kind=kind,
        loan_id=loan.id,
        borrower_name=loan.borrower.name,
        institute_name=_institute_name(institute, language),
        institute_address=institute.address,
        route_code=route.code if route else None,
        route_name=route.name if route else None,
        stop=institute.stop if route else None,
        internal_courier=loan.delivery == HandOver.INTERNAL_COURIER,
        title=loan.item.title,
        author=loan.item.author,
        call_number=loan.item.call_number,
        item_barcode=loan.item.barcode,
        loan_date=loan.loan_date,
        due=loan.due,
        guaranteed_until=loan.guaranteed_until,
        use_at_institute=loan.use_at_institute,
        is_ill=loan.is_ill,
        shelf_place=pickup_shelf(loan.borrower.name) if kind is SlipKind.PICKUP else None,
        reading_room=(
            render(literal(transport.reading_room, da=transport.reading_room_da), language)
            if kind is SlipKind.READING_ROOM
            else None
        ),
        desk=loan.desk,
        printed_at=ctx.now(),
    )


def _institute_name(institute: Institute, language: str) -> str:
    return render(institute_name(institute.name, institute.name_da), language)


# --- manifests ----------------------------------------------------------------


def manifest(
    ctx: DeskContext, actor: Actor, route_code: str, day: date, desk: str, language: str = "da"
) -> ManifestData | Verdict:
    """T4: the route's manifest for ``day``: stops in route order, what to
    deliver and what to collect at each. Once the route has left that day,
    the deliveries are exactly the loans it carried, so a reprint matches
    the signed copy; before, they are every loan still waiting for it."""
    if (refused := authorize(ctx, actor, roles.Action.PRINT_MANIFEST)) is not None:
        return refused
    with ctx.sessions() as session:
        route = session.get(Route, route_code)
        if route is None:
            return dispatch_verdicts.no_route(route_code)
        return _manifest(session, ctx, route, day, desk, language)


def _manifest(
    session: Session, ctx: DeskContext, route: Route, day: date, desk: str, language: str
) -> ManifestData:
    dispatch = _dispatch(session, route.code, day)
    institutes = session.scalars(
        select(Institute)
        .where(Institute.route_code == route.code, Institute.delivery != HandOver.SELF_PICKUP)
        .order_by(Institute.stop, Institute.code)
    ).all()
    columns = (
        Loan.id,
        Loan.due,
        Loan.use_at_institute,
        Loan.step,
        Loan.return_announced_on,
        Item.barcode,
        Item.title,
        Item.call_number,
        Borrower.name,
        Borrower.institute_code,
    )
    base = (
        select(*columns)
        .join(Item, Item.id == Loan.item_id)
        .join(Borrower, Borrower.id == Loan.borrower_id)
        .join(Institute, Institute.code == Borrower.institute_code)
        .where(Institute.route_code == route.code, Institute.delivery != HandOver.SELF_PICKUP)
    )
    if dispatch is not None:
        to_deliver = base.where(Loan.dispatch_id == dispatch.id, Loan.state != LoanState.CANCELLED)
    else:
        to_deliver = base.where(
            Loan.state == LoanState.OPEN,
            Loan.transit.in_(TRANSIT.sources(TransitAction.DISPATCH)),
            Loan.loan_date <= day,
        )
    to_collect = base.where(
        Loan.state == LoanState.OPEN,
        Loan.capacity == Capacity.INSTITUTE,
        Loan.delivery.in_(_TRAVELLING),
        or_(Loan.transit.is_(None), Loan.transit == Transit.DELIVERED),
        or_(
            Loan.step.is_not(None),
            and_(Loan.return_announced_on.is_not(None), Loan.return_announced_on <= day),
        ),
    )
    order = (Borrower.name, Item.barcode)
    deliver: dict[str, list[ManifestLine]] = defaultdict(list)
    for row in session.execute(to_deliver.order_by(*order)):
        deliver[row.institute_code].append(_line(row))
    collect: dict[str, list[ManifestLine]] = defaultdict(list)
    for row in session.execute(to_collect.order_by(*order)):
        reason = collect_reason(row.step, row.return_announced_on is not None)
        collect[row.institute_code].append(_line(row, reason.value if reason else None))
    stops = tuple(
        ManifestStop(
            stop=inst.stop or 0,
            institute_code=inst.code,
            institute_name=_institute_name(inst, language),
            address=inst.address,
            deliver=tuple(deliver[inst.code]),
            collect=tuple(collect[inst.code]),
        )
        for inst in institutes
        if deliver[inst.code] or collect[inst.code]
    )
    return ManifestData(
        route_code=route.code,
        route_name=route.name,
        internal_courier=route.delivery == HandOver.INTERNAL_COURIER,
        day=day,
        stops=stops,
        desk=desk,
        printed_at=ctx.now(),
        dispatched_at=dispatch.dispatched_at if dispatch else None,
        delivered_at=dispatch.delivered_at if dispatch else None,
    )


def _line(row: Any, reason: str | None = None) -> ManifestLine:
    return ManifestLine(
        item_barcode=row.barcode,
        title=row.title,
        call_number=row.call_number,
        borrower_name=row.name,
        due=row.due,
        use_at_institute=bool(row.use_at_institute) and reason is None,
        reason=reason,
        loan_id=row.id,
    )


def _dispatch(session: Session, route_code: str, day: date) -> Dispatch | None:
    return session.scalars(
        select(Dispatch).where(Dispatch.route_code == route_code, Dispatch.day == day)
    ).one_or_none()


def _state(record: Dispatch | None) -> DispatchState | None:
    """The route's day as the dispatch table sees it (None: it has not left)."""
    return state_of(record.delivered_at if record else None, dispatched=record is not None)


# --- loading the crate (T4) -----------------------------------------------------


@dataclass(frozen=True)
class LoadingScanRecord:
    """One loan in a route's crate: who scanned it in, at which desk, when."""

    loan_id: int
    staff: str
    desk: str
    at: datetime


@dataclass(frozen=True)
class LoadingAnswer:
    """What became of one loading scan, and the crate after it (every desk's
    scans, oldest first), so the window shows what the others loaded too."""

    outcome: LoadingOutcome
    scans: tuple[LoadingScanRecord, ...]


def loading_scans(
    ctx: DeskContext, actor: Actor, route_code: str, day: date
) -> tuple[LoadingScanRecord, ...]:
    """The route's crate on ``day`` as stored (issue 13 point 4): what a new
    dispatch window, another desk or the desk after a restart starts from.
    Looking is for any staff member (the routes' own state); loading is not."""
    require(ctx, actor, roles.Action.VIEW_ROUTES)
    with ctx.sessions() as session:
        return _loading_scans(session, route_code, day)


def record_loading(
    ctx: DeskContext, actor: Actor, route_code: str, day: date, loan_id: int
) -> LoadingAnswer:
    """Store one item scanned into the crate as it happens (T4). The loan's
    row is locked first: a dispatch of the route locks its waiting loans, so
    on PostgreSQL a scan and a dispatch take turns (SQLite's write lock
    does the same), and a scan never lands in a crate that has left."""
    require(ctx, actor, roles.Action.LOAD_ROUTE)
    try:
        with write_transaction(ctx) as (session, now):
            loan = session.get(Loan, loan_id, with_for_update=True)
            scanned = session.scalars(
                select(LoadingScan.id).where(
                    LoadingScan.route_code == route_code,
                    LoadingScan.day == day,
                    LoadingScan.loan_id == loan_id,
                )
            ).first()
            outcome = loading_outcome(
                _state(_dispatch(session, route_code, day)),
                loan.state if loan else None,
                loan.transit if loan else None,
                scanned is not None,
            )
            if outcome is LoadingOutcome.LOADED:
                session.add(
                    LoadingScan(
                        route_code=route_code,
                        day=day,
                        loan_id=loan_id,
                        loaded_at=now,
                        staff=actor.staff,
                        desk=actor.desk,
                    )
                )
                session.flush()
            return LoadingAnswer(outcome, _loading_scans(session, route_code, day))
    except IntegrityError:  # another desk stored the same scan first
        return LoadingAnswer(
            LoadingOutcome.ALREADY_LOADED, loading_scans(ctx, actor, route_code, day)
        )


def _loading_scans(session: Session, route_code: str, day: date) -> tuple[LoadingScanRecord, ...]:
    rows = session.execute(
        select(LoadingScan.loan_id, LoadingScan.staff, LoadingScan.desk, LoadingScan.loaded_at)
        .where(LoadingScan.route_code == route_code, LoadingScan.day == day)
        .order_by(LoadingScan.loaded_at, LoadingScan.id)
    )
    return tuple(LoadingScanRecord(*row) for row in rows)


# --- dispatch and delivery ----------------------------------------------------


def dispatch(
    ctx: DeskContext, actor: Actor, route_code: str, day: date, loaded: Collection[str]
) -> Verdict:
    """T4: the route leaves. The loaded items go in transit; items on the
    manifest that were not loaded stay waiting and come on the next day's
    manifest. A barcode that is not on the manifest refuses the whole
    dispatch, so nothing is half-recorded."""
    if (refused := authorize(ctx, actor, roles.Action.DISPATCH_ROUTE)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        route = session.get(Route, route_code)
        if route is None:
            return dispatch_verdicts.no_route(route_code)
        state = _state(_dispatch(session, route_code, day))
        refused = dispatch_verdicts.dispatch_refusal(route_code, day, now.date(), state)
        if refused is not None:
            return refused
        waiting = session.scalars(
            select(Loan)
            .join(Borrower, Borrower.id == Loan.borrower_id)
            .join(Institute, Institute.code == Borrower.institute_code)
            .join(Item, Item.id == Loan.item_id)
            .where(
                Institute.route_code == route_code,
                Institute.delivery != HandOver.SELF_PICKUP,
                Loan.state == LoanState.OPEN,
                Loan.transit.in_(TRANSIT.sources(TransitAction.DISPATCH)),
                Loan.loan_date <= day,
            )
            .with_for_update(of=Loan)
        ).all()
        by_barcode = {loan.item.barcode: loan for loan in waiting}
        stray = sorted(set(loaded) - set(by_barcode))
        if stray:
            return dispatch_verdicts.not_on_manifest(route_code, stray)
        record = Dispatch(
            route_code=route_code,
            day=day,
            dispatched_at=now,
            loaded=len(set(loaded)),
            missing=len(by_barcode) - len(set(loaded)),
            staff=actor.staff,
            desk=actor.desk,
        )
        session.add(record)
        session.flush()
        for barcode in set(loaded):
            loan = by_barcode[barcode]
            loan.transit = TRANSIT.step(loan.transit, TransitAction.DISPATCH).value
            loan.dispatch_id = record.id
        missing = sorted(set(by_barcode) - set(loaded))
        outcome = dispatch_verdicts.dispatched(route_code, day, record.loaded, missing, record.id)
        audit.record(session, actor, now, "dispatch", outcome)
        return outcome


def confirm_delivered(ctx: DeskContext, actor: Actor, route_code: str, day: date) -> Verdict:
    """T4: the courier is back with the signed manifest: what the route
    carried is delivered (the transit table allows it only once)."""
    if (refused := authorize(ctx, actor, roles.Action.CONFIRM_DELIVERY)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        record = _dispatch(session, route_code, day)
        refused = dispatch_verdicts.delivery_refusal(route_code, day, _state(record))
        if refused is not None:
            return refused
        assert record is not None  # the dispatch table delivers only a route that left
        carried = session.scalars(
            select(Loan).where(Loan.dispatch_id == record.id).with_for_update()
        ).all()
        delivered = 0
        for loan in carried:
            try:
                loan.transit = TRANSIT.step(loan.transit, TransitAction.DELIVER).value
            except TransitionRefused:
                continue  # returned or undone on the way: nothing to deliver
            loan.delivered_at = now
            delivered += 1
        record.delivered_at = now
        record.delivered_by = actor.staff
        outcome = dispatch_verdicts.delivered(route_code, day, delivered, record.id)
        audit.record(session, actor, now, "deliver", outcome)
        return outcome


def announce_return(ctx: DeskContext, actor: Actor, item_raw: str) -> Verdict:
    """T4: the institute says a borrower has an item ready to go back; it
    goes on the route's collect list from today. Only a loan that travels
    by courier can be collected (T2 borrowers bring theirs to the desk)."""
    if (refused := authorize(ctx, actor, roles.Action.ANNOUNCE_RETURN)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        loan = find_open_loan(session, item_raw)
        if isinstance(loan, Verdict):
            return loan
        barcode = loan.item.barcode
        transit = Transit(loan.transit) if loan.transit else None
        refused = dispatch_verdicts.announce_refusal(barcode, loan.delivery, transit)
        if refused is not None:
            return refused
        if loan.return_announced_on is None:
            loan.return_announced_on = now.date()
        institute = loan.borrower.institute
        outcome = dispatch_verdicts.return_announced(
            barcode,
            institute_name(institute.name, institute.name_da),
            institute.route_code,
            institute.stop,
            loan.return_announced_on,
        )
        audit.record(
            session,
            actor,
            now,
            "announce_return",
            outcome,
            borrower_id=loan.borrower_id,
            item_id=loan.item_id,
            loan_id=loan.id,
        )
        return outcome
