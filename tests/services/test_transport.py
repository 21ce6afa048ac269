"""§3 transport on a real database: slips, manifests, loading, dispatch, delivery."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from desk_app.domain.facts import Capacity
from desk_app.domain.loan_states import Transit
from desk_app.domain.scan import slip_code
from desk_app.domain.verdict import Code
from desk_app.printing.documents import ManifestData, SlipData, SlipKind
from desk_app.services import circulation, ill, transport
from desk_app.services.loading import LoadingList
from desk_app.services.notices import run_notices
from desk_app.store.models import AuditEntry, Dispatch, Loan
from tests.helpers.people import (
    ANNE,
    BO,
    CECILIE,
    INF_USER,
    PLEN_USER,
    STUDENT,
    TEST_CPR,
    item,
    seed_cast,
)
from tests.helpers.staffing import test_actor

DAY = date(2026, 3, 2)  # the clock fixture's day


def _loan(ctx, barcode: str) -> Loan:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalars(select(Loan).where(Loan.item.has(barcode=barcode))).one()


def _manifest(ctx, route: str, day: date = DAY) -> ManifestData:  # type: ignore[no-untyped-def]
    result = transport.manifest(ctx, test_actor(ctx), route, day, "test-desk", "en")
    assert isinstance(result, ManifestData), result
    return result


def _deliver(m: ManifestData) -> list[tuple[int, str, str]]:
    return [(s.stop, s.institute_code, line.item_barcode) for s in m.stops for line in s.deliver]


def _collect(m: ManifestData) -> list[tuple[str, str, str | None]]:
    return [
        (s.institute_code, line.item_barcode, line.reason) for s in m.stops for line in s.collect
    ]


# --- slips ----------------------------------------------------------------------


def test_T1_courier_checkout_waits_for_dispatch_and_has_a_transport_slip(ctx, actor):
    seed_cast(ctx)
    loan_id = circulation.checkout(ctx, actor, ANNE, item(1)).data["loan_id"]
    assert _loan(ctx, item(1)).transit == Transit.AWAITING_DISPATCH.value
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(1), "en")
    assert isinstance(slip, SlipData)
    assert slip.kind is SlipKind.TRANSPORT and slip.loan_id == loan_id
    assert (slip.borrower_name, slip.institute_name) == (
        "Anne Jensen",
        "Department of Computer Science",
    )
    assert (slip.route_code, slip.stop, slip.internal_courier) == ("NORTH", 6, False)
    assert slip.institute_address and slip.item_barcode == item(1)
    assert (slip.due, slip.guaranteed_until) == (date(2027, 3, 2), date(2026, 4, 2))
    assert slip.slip_code == slip_code(loan_id)
    # the slip's own barcode finds the same loan (a crumpled slip reprints itself)
    assert transport.slip_for_item(ctx, test_actor(ctx), slip_code(loan_id), "en") == slip


def test_T3_internal_courier_slip_names_the_internal_route(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, PLEN_USER, item(1))
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(1), "da")
    assert isinstance(slip, SlipData)
    assert slip.kind is SlipKind.TRANSPORT and slip.internal_courier
    assert slip.route_code == "FREDERIKSBERG"


def test_T2_self_pickup_gets_a_pickup_slip_with_the_shelf_and_never_travels(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, INF_USER, item(1))
    assert _loan(ctx, item(1)).transit is None
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(1))
    assert isinstance(slip, SlipData)
    assert slip.kind is SlipKind.PICKUP and slip.shelf_place == "H"  # Gustav Holm
    assert slip.route_code is None and slip.stop is None


def test_P1_private_loan_is_handed_over_at_the_desk(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, STUDENT, item(1), Capacity.PRIVATE)
    assert _loan(ctx, item(1)).transit is None
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(1))
    assert isinstance(slip, SlipData) and slip.kind is SlipKind.PICKUP


def test_M2_slip_carries_use_at_institute(ctx, actor, clock):
    seed_cast(ctx)
    assert circulation.checkout(ctx, actor, ANNE, item(3)).code is Code.LOANED  # 1905, KUB
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(3))
    assert isinstance(slip, SlipData) and slip.use_at_institute


def test_I3_reading_room_only_ill_gets_a_reading_room_slip(ctx, actor):
    seed_cast(ctx)
    ill_item = item(40)
    outcome = ill.receive(
        ctx, actor, ANNE, ill_item, "Rare Lent Book", "DE", reading_room_only=True
    )
    assert outcome.code is Code.LOANED
    assert _loan(ctx, ill_item).transit is None
    slip = transport.slip_for_item(ctx, test_actor(ctx), ill_item, "en")
    assert isinstance(slip, SlipData) and slip.kind is SlipKind.READING_ROOM
    assert slip.reading_room == ctx.policy.transport.reading_room and slip.is_ill
    # an ILL item the lender lets travel goes by courier like any loan (I3)
    assert ill.receive(ctx, actor, BO, item(41), "Lent Book", "SE").code is Code.LOANED
    assert _loan(ctx, item(41)).transit == Transit.AWAITING_DISPATCH.value


def test_slip_for_an_item_not_on_loan_or_misread_says_why(ctx, actor):
    seed_cast(ctx)
    assert transport.slip_for_item(ctx, test_actor(ctx), item(1)).code is Code.NOT_ON_LOAN
    assert transport.slip_for_item(ctx, test_actor(ctx), item(99)).code is Code.ITEM_UNKNOWN
    misread = item(1)[:-1] + str((int(item(1)[-1]) + 1) % 10)
    assert transport.slip_for_item(ctx, test_actor(ctx), misread).code is Code.ITEM_UNKNOWN
    assert transport.slip_for_item(ctx, test_actor(ctx), slip_code(4711)).code is Code.NOT_ON_LOAN


def test_B3_health_card_borrower_slip_has_no_cpr(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, TEST_CPR, item(1))
    slip = transport.slip_for_item(ctx, test_actor(ctx), item(1))
    assert isinstance(slip, SlipData)
    digits = TEST_CPR.replace("-", "")
    assert all(digits not in str(value) for value in vars(slip).values())


# --- manifests ------------------------------------------------------------------


def test_T4_manifest_lists_stops_in_route_order_with_deliveries(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, TEST_CPR, item(1))  # SAXO, SOUTH stop 2
    circulation.checkout(ctx, actor, CECILIE, item(2))  # NFI, SOUTH stop 1
    circulation.checkout(ctx, actor, CECILIE, item(6))
    circulation.checkout(ctx, actor, ANNE, item(3))  # NORTH: not on SOUTH
    south = _manifest(ctx, "SOUTH")
    assert _deliver(south) == [(1, "NFI", item(2)), (1, "NFI", item(6)), (2, "SAXO", item(1))]
    assert (south.deliver_count, south.collect_count) == (3, 0)
    assert not south.internal_courier and south.dispatched_at is None
    north = _manifest(ctx, "NORTH")
    assert _deliver(north) == [(6, "DIKU", item(3))]
    assert north.stops[0].deliver[0].use_at_institute  # M2 marked on the manifest
    # not yet lent on the day before: not on that day's manifest
    assert _manifest(ctx, "SOUTH", date(2026, 3, 1)).stops == ()


def test_T3_internal_courier_has_its_own_manifest_and_T2_self_pickup_none(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, PLEN_USER, item(1))
    circulation.checkout(ctx, actor, INF_USER, item(2))
    internal = _manifest(ctx, "FREDERIKSBERG")
    assert internal.internal_courier and _deliver(internal) == [(1, "PLEN", item(1))]
    everywhere = [_manifest(ctx, r.code) for r in transport.routes(ctx, test_actor(ctx))]
    assert all(item(2) not in str(_deliver(m)) for m in everywhere)
    assert [r.code for r in transport.routes(ctx, test_actor(ctx)) if r.internal_courier] == [
        "FREDERIKSBERG"
    ]


def test_T4_manifest_collects_recalled_loans_and_announced_returns(ctx, actor, clock):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, ANNE, item(1))
    circulation.checkout(ctx, actor, BO, item(2))
    circulation.checkout(ctx, actor, BO, item(6))
    year_on = date(2027, 3, 3)
    # Monday's run leaves with nothing loaded: all three wait for Tuesday's
    assert LoadingList(ctx, actor, _manifest(ctx, "NORTH")).dispatch().code is Code.DISPATCHED
    assert _manifest(ctx, "NORTH", date(2026, 3, 3)).deliver_count == 3
    # still in the crate or waiting: never on a collect list
    run_notices(ctx, actor, year_on)
    assert _manifest(ctx, "NORTH", year_on).collect_count == 0
    tuesday = date(2026, 3, 3)
    early = transport.dispatch(ctx, actor, "NORTH", tuesday, [])
    assert early.code is Code.DISPATCH_REFUSED and early.data["reason_key"] == "future_day"
    clock.set(datetime(2026, 3, 3, 10))
    _dispatch_all(ctx, actor, clock, "NORTH", tuesday)
    assert transport.confirm_delivered(ctx, actor, "NORTH", date(2026, 3, 3)).code is Code.DELIVERED
    # §5: a year on all three were recalled; two are renewed, and Bo announces item(6)
    clock.set(datetime(2027, 3, 3, 9))
    assert circulation.renew(ctx, actor, item(2)).code is Code.RENEWED
    assert circulation.renew(ctx, actor, item(6)).code is Code.RENEWED
    assert transport.announce_return(ctx, actor, item(6)).code is Code.RETURN_ANNOUNCED
    north = _manifest(ctx, "NORTH", year_on)
    assert _collect(north) == [("DIKU", item(1), "recall"), ("DIKU", item(6), "announced")]
    assert north.deliver_count == 0 and north.stops[0].count == 2
    # once returned at the desk, they leave the collect list
    circulation.checkin(ctx, actor, item(1))
    assert _collect(_manifest(ctx, "NORTH", year_on)) == [("DIKU", item(6), "announced")]


def test_T4_announced_return_refused_before_the_item_reached_the_institute(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, CECILIE, item(2))
    refused = transport.announce_return(ctx, actor, item(2))
    assert refused.code is Code.DISPATCH_REFUSED and refused.data["reason_key"] == "not_delivered"
    assert _loan(ctx, item(2)).return_announced_on is None


def test_T2_announced_return_refused_for_a_loan_that_did_not_travel(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, INF_USER, item(1))
    refused = transport.announce_return(ctx, actor, item(1))
    assert refused.code is Code.DISPATCH_REFUSED and refused.rule == "§3 T2"
    assert _loan(ctx, item(1)).return_announced_on is None


def test_manifest_for_an_unknown_route_says_so(ctx):
    refused = transport.manifest(ctx, test_actor(ctx), "MARS", DAY, "desk")
    assert refused.code is Code.DISPATCH_REFUSED and "MARS" in refused.message_en


# --- loading, dispatch, delivery ------------------------------------------------


def _dispatch_all(ctx, actor, clock, route: str, day: date) -> None:  # type: ignore[no-untyped-def]
    loading = LoadingList(ctx, actor, _manifest(ctx, route, day))
    for entry in loading.missing:
        assert loading.scan(entry.line.item_barcode).code is Code.LOADED
    assert loading.dispatch().code is Code.DISPATCHED


def test_T4_loading_scan_marks_loaded_and_missing(ctx, actor):
    seed_cast(ctx)
    first = circulation.checkout(ctx, actor, CECILIE, item(2)).data["loan_id"]
    circulation.checkout(ctx, actor, TEST_CPR, item(1))
    loading = LoadingList(ctx, actor, _manifest(ctx, "SOUTH"), prefix="", suffix="")
    assert loading.expected == 2 and len(loading.missing) == 2
    loaded = loading.scan(f" {item(2)}\r")
    assert loaded.code is Code.LOADED and loaded.data["stop"] == 1 and loaded.data["left"] == 1
    again = loading.scan(slip_code(first))  # the slip's code finds the same line
    assert again.code is Code.LOADED and again.data["duplicate"]
    assert [e.line.item_barcode for e in loading.missing] == [item(1)]
    assert loading.scan(item(6)).code is Code.NOT_ON_MANIFEST
    assert loading.scan(ANNE).code is Code.NOT_ON_MANIFEST  # a card
    misread = item(1)[:-1] + str((int(item(1)[-1]) + 1) % 10)
    assert loading.scan(misread).code is Code.ITEM_UNKNOWN
    assert [e.line.item_barcode for e in loading.loaded] == [item(2)]
    # nothing in the database moved while loading
    assert _loan(ctx, item(2)).transit == Transit.AWAITING_DISPATCH.value


def test_T4_dispatch_puts_loaded_in_transit_and_leaves_missing_for_the_next_run(ctx, actor, clock):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, CECILIE, item(2))
    circulation.checkout(ctx, actor, TEST_CPR, item(1))
    loading = LoadingList(ctx, actor, _manifest(ctx, "SOUTH"))
    loading.scan(item(2))
    clock.set(datetime(2026, 3, 2, 13, 30))
    done = loading.dispatch()
    assert done.code is Code.DISPATCHED and done.data["missing"] == [item(1)]
    assert _loan(ctx, item(2)).transit == Transit.IN_TRANSIT.value
    assert _loan(ctx, item(1)).transit == Transit.AWAITING_DISPATCH.value
    # a reprint of the day's manifest shows exactly what left, and when
    again = _manifest(ctx, "SOUTH")
    assert _deliver(again) == [(1, "NFI", item(2))]
    assert again.dispatched_at == datetime(2026, 3, 2, 13, 30)
    # the missing item is on the next day's manifest
    assert _deliver(_manifest(ctx, "SOUTH", date(2026, 3, 3))) == [(2, "SAXO", item(1))]
    # the route cannot leave twice the same day, and loading says so
    twice = transport.dispatch(ctx, actor, "SOUTH", DAY, [])
    assert twice.code is Code.DISPATCH_REFUSED
    assert LoadingList(ctx, actor, again).scan(item(2)).code is Code.DISPATCH_REFUSED
    with ctx.sessions() as session:
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "dispatch")).all()
    assert [(a.code, a.staff, a.desk) for a in audited] == [
        ("DISPATCHED", "test-staff", "test-desk")
    ]


def test_T4_delivery_confirmed_once_after_dispatch(ctx, actor, clock):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, CECILIE, item(2))
    before = transport.confirm_delivered(ctx, actor, "SOUTH", DAY)
    assert before.code is Code.DISPATCH_REFUSED and before.data["reason_key"] == "not_dispatched"
    _dispatch_all(ctx, actor, clock, "SOUTH", DAY)
    clock.set(datetime(2026, 3, 2, 16))
    delivered = transport.confirm_delivered(ctx, actor, "SOUTH", DAY)
    assert delivered.code is Code.DELIVERED and delivered.data["delivered"] == 1
    loan = _loan(ctx, item(2))
    assert (loan.transit, loan.delivered_at) == ("delivered", datetime(2026, 3, 2, 16))
    assert transport.confirm_delivered(ctx, actor, "SOUTH", DAY).code is Code.DISPATCH_REFUSED
    reprinted = _manifest(ctx, "SOUTH")
    assert (reprinted.dispatched_at, reprinted.delivered_at) == (
        datetime(2026, 3, 2, 10),
        datetime(2026, 3, 2, 16),
    )


def test_T4_dispatch_with_a_stray_barcode_changes_nothing(ctx, actor):
    seed_cast(ctx)
    circulation.checkout(ctx, actor, CECILIE, item(2))
    refused = transport.dispatch(ctx, actor, "SOUTH", DAY, [item(2), item(6)])
    assert refused.code is Code.NOT_ON_MANIFEST and refused.data["barcodes"] == [item(6)]
    assert _loan(ctx, item(2)).transit == Transit.AWAITING_DISPATCH.value
    with ctx.sessions() as session:
        assert session.scalars(select(Dispatch)).all() == []


@pytest.mark.parametrize("route", ["NORTH", "FREDERIKSBERG"])
def test_T4_empty_route_still_has_a_manifest(ctx, route):
    seed_cast(ctx)
    empty = _manifest(ctx, route)
    assert empty.stops == () and empty.route_code == route
