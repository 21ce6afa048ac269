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
from typing import Literal

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from desk_app.domain import roles
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import Transit, TransitAction, TransitionRefused, transit_step
from desk_app.domain.transport import collect_reason, pickup_shelf
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.printing.documents import (
    ManifestData,
    ManifestLine,
    ManifestStop,
    SlipData,
    SlipKind,
    loan_id_of,
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
_TRAVELLING = (HandOver.COURIER.value, HandOver.INTERNAL_COURIER.value)


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
        return [RouteInfo(r.code, r.name, r.delivery == "internal_courier") for r in rows]


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
    ctx: DeskContext, actor: Actor, item_raw: str, language: str = "da"
) -> SlipData | Verdict:
    """The slip of the item's open loan, or the verdict saying why there is
    none (misread, unknown item, not on loan). A scanned slip barcode works
    too, so a crumpled slip can be reprinted from itself."""
    if (refused := authorize(ctx, actor, roles.Action.PRINT_SLIP)) is not None:
        return refused
    with ctx.sessions() as session:
        loan_id = loan_id_of(item_raw)
        if loan_id is not None:
            loan = session.get(Loan, loan_id)
            if loan is None or loan.state != "open":
                return not_on_loan(item_raw.strip().upper())
            return _slip(session, ctx, loan, language)
        loan = find_open_loan(session, item_raw)
        return loan if isinstance(loan, Verdict) else _slip(session, ctx, loan, language)


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
        internal_courier=loan.delivery == HandOver.INTERNAL_COURIER.value,
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
            (transport.reading_room_da if language == "da" else transport.reading_room)
            if kind is SlipKind.READING_ROOM
            else None
        ),
        desk=loan.desk,
        printed_at=ctx.now(),
    )


def _institute_name(institute: Institute, language: str) -> str:
    return (institute.name_da or institute.name) if language == "da" else institute.name


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
            return _no_route(route_code)
        return _manifest(session, ctx, route, day, desk, language)


def _no_route(route_code: str) -> Verdict:
    return verdict(
        Code.DISPATCH_REFUSED,
        "T1",
        f"There is no courier route {route_code!r}.",
        f"Der er ingen kurerrute {route_code!r}.",
        reason_key="no_route",
    )


def _manifest(
    session: Session, ctx: DeskContext, route: Route, day: date, desk: str, language: str
) -> ManifestData:
    dispatch = _dispatch(session, route.code, day)
    institutes = session.scalars(
        select(Institute)
        .where(Institute.route_code == route.code, Institute.delivery != "self_pickup")
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
        .where(Institute.route_code == route.code, Institute.delivery != "self_pickup")
    )
    if dispatch is not None:
        to_deliver = base.where(Loan.dispatch_id == dispatch.id, Loan.state != "cancelled")
    else:
        to_deliver = base.where(
            Loan.state == "open",
            Loan.transit == Transit.AWAITING_DISPATCH.value,
            Loan.loan_date <= day,
        )
    to_collect = base.where(
        Loan.state == "open",
        Loan.capacity == "institute",
        Loan.delivery.in_(_TRAVELLING),
        or_(Loan.transit.is_(None), Loan.transit == Transit.DELIVERED.value),
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
        internal_courier=route.delivery == "internal_courier",
        day=day,
        stops=stops,
        desk=desk,
        printed_at=ctx.now(),
        dispatched_at=dispatch.dispatched_at if dispatch else None,
        delivered_at=dispatch.delivered_at if dispatch else None,
    )


def _line(row, reason: str | None = None) -> ManifestLine:  # type: ignore[no-untyped-def]
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


# --- loading the crate (T4) -----------------------------------------------------


@dataclass(frozen=True)
class LoadingScanRecord:
    """One loan in a route's crate: who scanned it in, at which desk, when."""

    loan_id: int
    staff: str
    desk: str
    at: datetime


LoadingOutcome = Literal["loaded", "already_loaded", "dispatched", "not_waiting"]


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
            outcome: LoadingOutcome
            if _dispatch(session, route_code, day) is not None:
                outcome = "dispatched"
            elif (
                loan is None
                or loan.state != "open"
                or loan.transit != Transit.AWAITING_DISPATCH.value
            ):
                outcome = "not_waiting"
            elif session.scalars(
                select(LoadingScan.id).where(
                    LoadingScan.route_code == route_code,
                    LoadingScan.day == day,
                    LoadingScan.loan_id == loan_id,
                )
            ).first():
                outcome = "already_loaded"
            else:
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
                outcome = "loaded"
            return LoadingAnswer(outcome, _loading_scans(session, route_code, day))
    except IntegrityError:  # another desk stored the same scan first
        return LoadingAnswer("already_loaded", loading_scans(ctx, actor, route_code, day))


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
            return _no_route(route_code)
        if day > now.date():
            return verdict(
                Code.DISPATCH_REFUSED,
                "T4",
                f"Route {route_code} cannot leave on {day.isoformat()} yet: today is "
                f"{now.date().isoformat()}.",
                f"Rute {route_code} kan ikke køre {day:%d.%m.%Y} endnu: i dag er "
                f"{now.date():%d.%m.%Y}.",
                reason_key="future_day",
            )
        if _dispatch(session, route_code, day) is not None:
            return verdict(
                Code.DISPATCH_REFUSED,
                "T4",
                f"Route {route_code} has already left on {day.isoformat()}.",
                f"Rute {route_code} er allerede kørt {day:%d.%m.%Y}.",
                reason_key="already_dispatched",
            )
        waiting = session.scalars(
            select(Loan)
            .join(Borrower, Borrower.id == Loan.borrower_id)
            .join(Institute, Institute.code == Borrower.institute_code)
            .join(Item, Item.id == Loan.item_id)
            .where(
                Institute.route_code == route_code,
                Institute.delivery != "self_pickup",
                Loan.state == "open",
                Loan.transit == Transit.AWAITING_DISPATCH.value,
                Loan.loan_date <= day,
            )
            .with_for_update(of=Loan)
        ).all()
        by_barcode = {loan.item.barcode: loan for loan in waiting}
        stray = sorted(set(loaded) - set(by_barcode))
        if stray:
            return verdict(
                Code.NOT_ON_MANIFEST,
                "T4",
                f"Not on route {route_code}'s manifest: {', '.join(stray)}. "
                "Take them out of the crate; nothing was dispatched.",
                f"Ikke på rute {route_code}s manifest: {', '.join(stray)}. "
                "Tag dem ud af kassen; intet er afsendt.",
                barcodes=stray,
            )
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
            loan.transit = transit_step(loan.transit or "", TransitAction.DISPATCH).value
            loan.dispatch_id = record.id
        missing = sorted(set(by_barcode) - set(loaded))
        outcome = verdict(
            Code.DISPATCHED,
            "T4",
            f"Route {route_code} dispatched: {record.loaded} item(s) in transit"
            + (f", {record.missing} not loaded (they wait for the next run)." if missing else "."),
            f"Rute {route_code} afsendt: {record.loaded} eksemplar(er) undervejs"
            + (f", {record.missing} ikke læsset (de venter til næste tur)." if missing else "."),
            route=route_code,
            day=day,
            loaded=record.loaded,
            missing=missing,
            dispatch_id=record.id,
        )
        audit.record(session, actor, now, "dispatch", outcome)
        return outcome


def confirm_delivered(ctx: DeskContext, actor: Actor, route_code: str, day: date) -> Verdict:
    """T4: the courier is back with the signed manifest: what the route
    carried is delivered (the transit table allows it only once)."""
    if (refused := authorize(ctx, actor, roles.Action.CONFIRM_DELIVERY)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        record = _dispatch(session, route_code, day)
        if record is None:
            return verdict(
                Code.DISPATCH_REFUSED,
                "T4",
                f"Route {route_code} has not left on {day.isoformat()}: mark it dispatched first.",
                f"Rute {route_code} er ikke kørt {day:%d.%m.%Y}: markér den afsendt først.",
                reason_key="not_dispatched",
            )
        if record.delivered_at is not None:
            return verdict(
                Code.DISPATCH_REFUSED,
                "T4",
                f"Route {route_code}'s delivery on {day.isoformat()} was confirmed already.",
                f"Rute {route_code}s levering {day:%d.%m.%Y} er allerede bekræftet.",
                reason_key="already_delivered",
            )
        carried = session.scalars(
            select(Loan).where(Loan.dispatch_id == record.id).with_for_update()
        ).all()
        delivered = 0
        for loan in carried:
            try:
                loan.transit = transit_step(loan.transit or "", TransitAction.DELIVER).value
            except (TransitionRefused, ValueError):
                continue  # returned or undone on the way: nothing to deliver
            loan.delivered_at = now
            delivered += 1
        record.delivered_at = now
        record.delivered_by = actor.staff
        outcome = verdict(
            Code.DELIVERED,
            "T4",
            f"Route {route_code}: delivery confirmed, {delivered} item(s) delivered.",
            f"Rute {route_code}: levering bekræftet, {delivered} eksemplar(er) leveret.",
            route=route_code,
            day=day,
            delivered=delivered,
            dispatch_id=record.id,
        )
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
        if loan.delivery not in _TRAVELLING:
            return verdict(
                Code.DISPATCH_REFUSED,
                "T2",
                f"Item {barcode} was not sent by courier: the borrower returns it at the desk.",
                f"Eksemplaret {barcode} er ikke sendt med kurer: låneren afleverer "
                "det ved skranken.",
                reason_key="not_by_courier",
            )
        if loan.transit in (Transit.AWAITING_DISPATCH.value, Transit.IN_TRANSIT.value):
            state_en, state_da = (
                ("still waits for the courier", "venter stadig på kureren")
                if loan.transit == Transit.AWAITING_DISPATCH.value
                else ("is on its way there", "er på vej derud")
            )
            return verdict(
                Code.DISPATCH_REFUSED,
                "T4",
                f"Item {barcode} has not reached the institute: it {state_en}.",
                f"Eksemplaret {barcode} er ikke nået frem til instituttet: det {state_da}.",
                reason_key="not_delivered",
            )
        if loan.return_announced_on is None:
            loan.return_announced_on = now.date()
        institute = loan.borrower.institute
        outcome = verdict(
            Code.RETURN_ANNOUNCED,
            "T4",
            f"The courier collects {barcode} at {institute.name} "
            f"(route {institute.route_code}, stop {institute.stop}).",
            f"Kureren henter {barcode} på {institute.name_da or institute.name} "
            f"(rute {institute.route_code}, stop {institute.stop}).",
            route=institute.route_code,
            since=loan.return_announced_on,
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
