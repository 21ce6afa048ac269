"""§3 T4: loading a route's crate, one scan at a time, and what the desk says.

``services.transport.record_loading`` reads the facts of one scan (has the
route left, does the loan still wait for it, was it scanned in already) and
``loading_outcome`` decides; ``services.loading`` turns the outcome into the
answer the dispatch window shows, built here. A scan is stored only while the
route may still leave (the dispatch table) and the loan may still be
dispatched (the transit table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desk_app.domain.dispatch_states import DISPATCH, DispatchAction, DispatchState
from desk_app.domain.loan_states import TRANSIT, LoanState, Transit, TransitAction
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


class LoadingOutcome(StrEnum):
    """What became of one loading scan."""

    LOADED = "loaded"  # stored: the item is in the crate
    ALREADY_LOADED = "already_loaded"  # some desk scanned it in before
    DISPATCHED = "dispatched"  # the route left before the scan was stored
    NOT_WAITING = "not_waiting"  # the loan no longer waits for the courier


def loading_outcome(
    route: DispatchState | None,
    loan: LoanState | str | None,
    transit: Transit | str | None,
    scanned: bool,
) -> LoadingOutcome:
    """T4: a scan goes into the crate while the route can still leave that
    day and the loan is open and waiting for dispatch; once only."""
    if not DISPATCH.can(route, DispatchAction.DISPATCH):
        return LoadingOutcome.DISPATCHED
    if loan != LoanState.OPEN or not TRANSIT.can(transit, TransitAction.DISPATCH):
        return LoadingOutcome.NOT_WAITING
    return LoadingOutcome.ALREADY_LOADED if scanned else LoadingOutcome.LOADED


@dataclass(frozen=True)
class CrateLine:
    """One delivery line of the manifest, as a loading answer names it."""

    item: str
    stop: int
    institute_code: str
    institute_name: str  # in the manifest's language


def card_not_item(shown: str) -> Verdict:
    """A card scanned while loading (shown masked if it is a CPR, B3)."""
    return verdict(
        Code.NOT_ON_MANIFEST,
        "T4",
        tx(
            "{card} is a card, not an item: scan the book's barcode or its slip.",
            card=shown,
        ),
    )


def not_on_route(shown: str, route: str, day: date) -> Verdict:
    """T4: the scanned item is not on the route's manifest for the day."""
    return verdict(
        Code.NOT_ON_MANIFEST,
        "T4",
        tx(
            "{item} is not on route {route}'s manifest for {day}: "
            "keep it out of the crate and check its slip.",
            item=shown,
            route=route,
            day=day,
        ),
        item=shown,
    )


def gone_with_route(route: str, item: str) -> Verdict:
    """T4: the manifest read is the one the route left with: nothing to load."""
    return verdict(
        Code.DISPATCH_REFUSED,
        "T4",
        tx("Route {route} has already left; {item} went with it.", route=route, item=item),
        reason_key="already_dispatched",
    )


def loading_verdict(
    route: str,
    line: CrateLine,
    outcome: LoadingOutcome,
    left: int,
    loaded_by: str | None = None,
    loaded_desk: str | None = None,
) -> Verdict:
    """T4: the answer to one scan of a manifest line: loaded (``left`` still
    to load), loaded before (by whom, at which desk, when known), or refused
    because the route left meanwhile or the loan no longer waits for it."""
    item = line.item
    if outcome is LoadingOutcome.DISPATCHED:
        return verdict(
            Code.DISPATCH_REFUSED,
            "T4",
            tx(
                "Route {route} has already left: {item} stays out of the crate.",
                route=route,
                item=item,
            ),
            reason_key="already_dispatched",
        )
    if outcome is LoadingOutcome.NOT_WAITING:
        return verdict(
            Code.NOT_ON_MANIFEST,
            "T4",
            tx(
                "{item} no longer waits for route {route}: keep it out of the crate "
                "(press F5 for the manifest as it is now).",
                item=item,
                route=route,
            ),
            item=item,
        )
    duplicate = outcome is LoadingOutcome.ALREADY_LOADED
    where = {"item": item, "stop": line.stop, "institute": line.institute_name}
    if not duplicate:
        message = tx(
            "Loaded {item} for stop {stop}, {institute}; {left} to go.", left=left, **where
        )
    elif loaded_by:
        message = tx(
            "Already loaded: {item} (stop {stop}, {institute}) by {staff} at {desk}.",
            staff=loaded_by,
            desk=loaded_desk,
            **where,
        )
    else:
        message = tx("Already loaded: {item} (stop {stop}, {institute}).", **where)
    return verdict(
        Code.LOADED,
        "T4",
        message,
        item=item,
        stop=line.stop,
        institute=line.institute_code,
        duplicate=duplicate,
        left=left,
        loaded_by=loaded_by,
        loaded_desk=loaded_desk,
    )
