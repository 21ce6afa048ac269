"""§3 T1, T2, T4: what the desk says about a route's day and a return to collect.

``services.transport`` reads the route, its stored dispatch and the loans,
and asks here; the answers (refusals included) are built only here. Whether
a route may leave or be confirmed delivered is the dispatch table's
(``domain.dispatch_states``), not a check of its own: a route cannot be
delivered before it left, nor twice, nor leave twice on one day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desk_app.domain.dispatch_states import DISPATCH, DispatchAction, DispatchState
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import Transit
from desk_app.domain.transport import TRAVELS
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, tx, txn


def no_route(route: str) -> Verdict:
    """T1: the route code names no courier route."""
    return verdict(
        Code.DISPATCH_REFUSED,
        "T1",
        tx("There is no courier route '{route}'.", route=route),
        reason_key="no_route",
    )


def dispatch_refusal(
    route: str, day: date, today: date, state: DispatchState | None
) -> Verdict | None:
    """T4: why the route cannot leave on ``day`` (None: it may). A day to
    come has not happened yet; a route that left that day cannot leave again."""
    if day > today:
        return verdict(
            Code.DISPATCH_REFUSED,
            "T4",
            tx(
                "Route {route} cannot leave on {day} yet: today is {today}.",
                route=route,
                day=day,
                today=today,
            ),
            reason_key="future_day",
        )
    if not DISPATCH.can(state, DispatchAction.DISPATCH):
        return verdict(
            Code.DISPATCH_REFUSED,
            "T4",
            tx("Route {route} has already left on {day}.", route=route, day=day),
            reason_key="already_dispatched",
        )
    return None


def not_on_manifest(route: str, stray: Sequence[str]) -> Verdict:
    """T4: items in the crate that the route does not carry refuse the whole
    dispatch, so nothing is half-recorded."""
    return verdict(
        Code.NOT_ON_MANIFEST,
        "T4",
        tx(
            "Not on route {route}'s manifest: {barcodes}. "
            "Take them out of the crate; nothing was dispatched.",
            route=route,
            barcodes=", ".join(stray),
        ),
        barcodes=list(stray),
    )


def dispatched(
    route: str, day: date, loaded: int, missing: Sequence[str], dispatch_id: int
) -> Verdict:
    """T4: the route left with ``loaded`` items; the ``missing`` ones wait
    for the next day's manifest."""
    message: Text
    if missing:
        message = txn(
            "Route {route} dispatched: {n} item in transit, {missing} not loaded "
            "(they wait for the next run).",
            "Route {route} dispatched: {n} items in transit, {missing} not loaded "
            "(they wait for the next run).",
            n=loaded,
            route=route,
            missing=len(missing),
        )
    else:
        message = txn(
            "Route {route} dispatched: {n} item in transit.",
            "Route {route} dispatched: {n} items in transit.",
            n=loaded,
            route=route,
        )
    return verdict(
        Code.DISPATCHED,
        "T4",
        message,
        route=route,
        day=day,
        loaded=loaded,
        missing=list(missing),
        dispatch_id=dispatch_id,
    )


def delivery_refusal(route: str, day: date, state: DispatchState | None) -> Verdict | None:
    """T4: why the route's delivery on ``day`` cannot be confirmed (None: it
    can): it has not left, or it was confirmed already."""
    if DISPATCH.can(state, DispatchAction.DELIVER):
        return None
    if state is None:
        return verdict(
            Code.DISPATCH_REFUSED,
            "T4",
            tx(
                "Route {route} has not left on {day}: mark it dispatched first.",
                route=route,
                day=day,
            ),
            reason_key="not_dispatched",
        )
    return verdict(
        Code.DISPATCH_REFUSED,
        "T4",
        tx("Route {route}'s delivery on {day} was confirmed already.", route=route, day=day),
        reason_key="already_delivered",
    )


def delivered(route: str, day: date, count: int, dispatch_id: int) -> Verdict:
    """T4: the courier is back; ``count`` items reached their institutes."""
    return verdict(
        Code.DELIVERED,
        "T4",
        txn(
            "Route {route}: delivery confirmed, {n} item delivered.",
            "Route {route}: delivery confirmed, {n} items delivered.",
            n=count,
            route=route,
        ),
        route=route,
        day=day,
        delivered=count,
        dispatch_id=dispatch_id,
    )


def announce_refusal(
    item: str, hand_over: HandOver | str, transit: Transit | None
) -> Verdict | None:
    """T2, T4: a return can be announced only for an item the courier brought
    and that has reached the institute (None: it can). A T2 borrower brings
    the item to the desk."""
    if HandOver(hand_over) not in TRAVELS:
        return verdict(
            Code.DISPATCH_REFUSED,
            "T2",
            tx(
                "Item {item} was not sent by courier: the borrower returns it at the desk.",
                item=item,
            ),
            reason_key="not_by_courier",
        )
    if transit is Transit.AWAITING_DISPATCH:
        message = tx(
            "Item {item} has not reached the institute: it still waits for the courier.",
            item=item,
        )
    elif transit is Transit.IN_TRANSIT:
        message = tx(
            "Item {item} has not reached the institute: it is on its way there.", item=item
        )
    else:
        return None
    return verdict(Code.DISPATCH_REFUSED, "T4", message, reason_key="not_delivered")


def return_announced(
    item: str, institute: Text, route: str | None, stop: int | None, since: date | None
) -> Verdict:
    """T4: the item is on the route's collect list from ``since``."""
    return verdict(
        Code.RETURN_ANNOUNCED,
        "T4",
        tx(
            "The courier collects {item} at {institute} (route {route}, stop {stop}).",
            item=item,
            institute=institute,
            route=route,
            stop=stop,
        ),
        route=route,
        since=since,
    )
