"""Issue 13 point 4: loading scans are stored as they happen (table
``loading_scans``, migration 0007), shown to every desk and after a restart,
and the dispatch sends what any desk loaded. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from alembic import command
from sqlalchemy import inspect, select

from desk_app.domain.loan_states import Transit
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.printing.documents import ManifestData
from desk_app.services import circulation, transport
from desk_app.services.context import Actor
from desk_app.services.loading import LoadingList
from desk_app.services.staff import add_staff
from desk_app.store.engine import make_engine
from desk_app.store.migrate import alembic_config, upgrade
from desk_app.store.models import LoadingScan, Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import CECILIE, TEST_CPR, item, seed_cast

DAY = date(2026, 3, 2)  # the clock fixture's day
DESK = Actor("Dorte Desk", "Main desk")
NORTH_DESK = Actor("Kaj Courier", "North desk")
SOUTH_DESK = Actor("Karen Courier", "South desk")


def _manifest(ctx, route: str = "SOUTH", day: date = DAY) -> ManifestData:  # type: ignore[no-untyped-def]
    result = transport.manifest(ctx, NORTH_DESK, route, day, "test-desk", "en")
    assert isinstance(result, ManifestData), result
    return result


def _stored(ctx) -> list[tuple[str, str, str, datetime]]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        rows = session.execute(
            select(LoadingScan, Loan)
            .join(Loan, Loan.id == LoadingScan.loan_id)
            .order_by(LoadingScan.id)
        ).all()
        return [
            (s.route_code, loan.item.barcode, f"{s.staff}@{s.desk}", s.loaded_at)
            for s, loan in rows
        ]


def _barcodes(entries) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.line.item_barcode for e in entries]


def _transit(ctx, barcode: str) -> str | None:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalars(select(Loan.transit).where(Loan.item.has(barcode=barcode))).one()


def _cast(ctx) -> None:  # type: ignore[no-untyped-def]
    """The test cast, a desk login and two couriers at two desks."""
    seed_cast(ctx)
    add_staff(ctx, DESK.staff, Role.DESK, "1111")
    add_staff(ctx, NORTH_DESK.staff, Role.COURIER, "3333")
    add_staff(ctx, SOUTH_DESK.staff, Role.COURIER, "4444")


def _three_loans(ctx) -> None:  # type: ignore[no-untyped-def]
    """Route SOUTH: item(2) and item(6) for NFI (stop 1), item(1) for SAXO (stop 2)."""
    _cast(ctx)
    for card, barcode in ((CECILIE, item(2)), (CECILIE, item(6)), (TEST_CPR, item(1))):
        assert circulation.checkout(ctx, DESK, card, barcode).ok


def test_h13_p4_two_desks_share_one_stored_crate(ctx, clock):
    _three_loans(ctx)
    north = LoadingList(ctx, NORTH_DESK, _manifest(ctx))
    clock.set(datetime(2026, 3, 2, 10, 5))
    assert north.scan(item(2)).code is Code.LOADED
    # stored as it happened: route, item, who, where, when
    assert _stored(ctx) == [
        ("SOUTH", item(2), "Kaj Courier@North desk", datetime(2026, 3, 2, 10, 5))
    ]

    # a second desk opening the same route and day sees the crate as it is
    south = LoadingList(ctx, SOUTH_DESK, _manifest(ctx))
    assert _barcodes(south.loaded) == [item(2)]
    assert (south.loaded[0].staff, south.loaded[0].desk) == ("Kaj Courier", "North desk")
    again = south.scan(item(2))
    assert again.code is Code.LOADED and again.data["duplicate"]
    assert "by Kaj Courier at North desk" in again.message_en
    clock.set(datetime(2026, 3, 2, 10, 7))
    added = south.scan(item(1))
    assert added.code is Code.LOADED and not added.data["duplicate"] and added.data["left"] == 1
    assert len(_stored(ctx)) == 2, "a second scan of an item stores nothing"

    # the first desk's next scan brings the other desk's scans along
    assert north.scan(item(2)).data["duplicate"]
    assert _barcodes(north.loaded) == [item(2), item(1)]
    assert _barcodes(north.missing) == [item(6)]
    # the dispatch sends what every desk loaded, even one this desk never saw
    stale = LoadingList(ctx, NORTH_DESK, _manifest(ctx))
    clock.set(datetime(2026, 3, 2, 10, 9))
    assert south.scan(item(6)).code is Code.LOADED
    done = stale.dispatch()
    assert done.code is Code.DISPATCHED and done.data["loaded"] == 3
    assert {_transit(ctx, b) for b in (item(1), item(2), item(6))} == {Transit.IN_TRANSIT.value}


def test_h13_p4_the_crate_survives_a_restart(backend_url, clock, policy):
    first = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    try:
        _three_loans(first)
        loading = LoadingList(first, NORTH_DESK, _manifest(first))
        assert loading.scan(item(6)).code is Code.LOADED
        assert loading.scan(item(1)).code is Code.LOADED
    finally:
        first.close()
    restarted = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    try:
        again = LoadingList(restarted, SOUTH_DESK, _manifest(restarted))
        assert _barcodes(again.loaded) == [item(6), item(1)]
        assert _barcodes(again.missing) == [item(2)]
        # another day's crate is another crate
        other_day = LoadingList(restarted, SOUTH_DESK, _manifest(restarted, day=date(2026, 3, 3)))
        assert other_day.loaded == [] and len(other_day.missing) == 3
    finally:
        restarted.close()


def test_h13_p4_a_scan_after_another_desk_dispatched_stores_nothing(ctx):
    _three_loans(ctx)
    north = LoadingList(ctx, NORTH_DESK, _manifest(ctx))
    south = LoadingList(ctx, SOUTH_DESK, _manifest(ctx))
    assert south.scan(item(2)).code is Code.LOADED
    assert south.dispatch().code is Code.DISPATCHED
    late = north.scan(item(1))  # north's manifest still says "not dispatched"
    assert late.code is Code.DISPATCH_REFUSED and late.data["reason_key"] == "already_dispatched"
    assert [row[1] for row in _stored(ctx)] == [item(2)]
    assert _transit(ctx, item(1)) == Transit.AWAITING_DISPATCH.value


def test_h13_p4_a_loan_undone_after_the_manifest_is_not_loaded(ctx):
    _cast(ctx)
    loan_id = circulation.checkout(ctx, DESK, CECILIE, item(2)).data["loan_id"]
    loading = LoadingList(ctx, NORTH_DESK, _manifest(ctx))
    assert circulation.undo_checkout(ctx, DESK, loan_id).ok
    refused = loading.scan(item(2))
    assert refused.code is Code.NOT_ON_MANIFEST and "no longer waits" in refused.message_en
    assert _stored(ctx) == [] and loading.loaded == []


def test_h13_p4_a_desk_login_may_not_load_and_stores_nothing(ctx):
    _three_loans(ctx)
    refused = LoadingList(ctx, DESK, _manifest(ctx)).scan(item(2))
    assert refused.code is Code.NOT_PERMITTED
    assert _stored(ctx) == []


def test_h13_p4_migration_0007_adds_and_removes_the_table(backend_url):
    engine = make_engine(backend_url)
    try:
        upgrade(engine, "0007")
        assert "loading_scans" in inspect(engine).get_table_names()
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")
        assert "loading_scans" not in inspect(engine).get_table_names()
        upgrade(engine, "0007")
        assert "loading_scans" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_h13_p4_two_desks_scanning_the_same_item_at_once_store_it_once(backend_url, clock, policy):
    """Two desks (own engines, own threads) scan each item at the same moment:
    both are told it is in the crate, one of them that it was already."""
    setup = open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    _three_loans(setup)
    desks = [
        open_desk(backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock) for _ in range(2)
    ]
    try:
        lists = [
            LoadingList(desk, who, _manifest(desk))
            for desk, who in zip(desks, (NORTH_DESK, SOUTH_DESK), strict=True)
        ]
        barrier = threading.Barrier(2)

        def load(loading: LoadingList, barcode: str) -> tuple[str, bool]:
            barrier.wait(timeout=30)
            outcome = loading.scan(barcode)
            return outcome.code.value, bool(outcome.data.get("duplicate"))

        with ThreadPoolExecutor(2) as pool:
            for barcode in (item(2), item(6), item(1)):
                answers = sorted(pool.map(load, lists, [barcode, barcode]))
                assert answers == [("LOADED", False), ("LOADED", True)], barcode
        assert sorted(row[1] for row in _stored(setup)) == sorted([item(1), item(2), item(6)])
    finally:
        for desk in (*desks, setup):
            desk.close()
