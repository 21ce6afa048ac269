"""The order cycle's requests on a real database (SQLite, and PostgreSQL when
set): placing for the borrower at the desk (L3-L4), cancelling (Q2), the
pick list (Q1), a borrower's requests, and who an item goes to next (Q3)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from desk_app.clock import FixedClock
from desk_app.demo.bulk import Writer, bulk_engine, finish
from desk_app.domain.ill import HandOver
from desk_app.domain.request_states import RequestState
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.services import circulation, claims, requests
from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import ItemRecord, declare
from desk_app.store.models import AuditEntry, Borrower, Card, Item, Loan, Request
from tests.helpers.people import (
    ANNE,
    BO,
    CECILIE,
    INF_USER,
    PLEN_USER,
    TEST_CPR,
    item,
    seed_cast,
)
from tests.helpers.staffing import ensure_staff, seeder

# Items with call numbers, declared beside the cast's (item(1)..item(6) have none).
SHELF = {
    item(11): "PT8175 .S6",
    item(12): "B3279 .H4",
    item(13): "B3279 .H4",  # the same call number as item(12): the barcode decides
    item(14): "G1019 .A7",
}


@pytest.fixture
def cast(ctx: DeskContext) -> DeskContext:
    seed_cast(ctx)
    records = [ItemRecord(b, f"Book {b[-4:]}", call_number=c) for b, c in SHELF.items()]
    declare(ctx, seeder(ctx), items=records)
    return ctx


def _ids(ctx: DeskContext) -> dict[str, int]:
    """Borrower ids by name's first word."""
    with ctx.sessions() as session:
        return {b.name.split()[0]: b.id for b in session.scalars(select(Borrower))}


def _queue(ctx: DeskContext, barcode: str) -> list[str]:
    """The item's active requests, first first, by borrower's first name."""
    with ctx.sessions() as session:
        rows = session.execute(
            select(Borrower.name)
            .join(Request, Request.borrower_id == Borrower.id)
            .join(Item, Item.id == Request.item_id)
            .where(Item.barcode == barcode, Request.state == RequestState.ACTIVE)
            .order_by(Request.placed_at, Request.id)
        ).scalars()
        return [name.split()[0] for name in rows]


def _due(ctx: DeskContext, barcode: str) -> date:
    with ctx.sessions() as session:
        return session.scalars(
            select(Loan.due).join(Item, Item.id == Loan.item_id).where(Item.barcode == barcode)
        ).one()


def _audit(ctx: DeskContext, action: str) -> list[str]:
    with ctx.sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry.code).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def _later(clock: FixedClock, minutes: int = 1) -> None:
    clock.set(clock.now() + timedelta(minutes=minutes))


# --- placing (L3, L4) --------------------------------------------------------


def test_l4_place_request_for_the_borrower_at_the_desk_names_position_and_moved_due(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    ids = _ids(cast)
    assert circulation.checkout(cast, actor, ANNE, item(1)).code is Code.LOANED
    clock.set(datetime(2026, 3, 10, 9))
    placed = requests.place_request(cast, actor, ids["Bo"], item(1))
    assert placed.code is Code.REQUESTED and placed.rule == "§4 L4"
    assert placed.data["position"] == 1
    assert placed.data["due_changed_to"] == date(2026, 4, 2)  # guaranteed until (L2, L4)
    assert placed.data["borrower_id"] == ids["Bo"]
    assert "number 1" in placed.message_en and "2026" in placed.message_en
    assert placed.message_da.strip() and "1" in placed.message_da
    assert _due(cast, item(1)) == date(2026, 4, 2)
    second = requests.place_request(cast, actor, ids["Cecilie"], item(1))
    assert second.data["position"] == 2 and second.data["due_changed_to"] is None
    assert second.rule == "§4 L3" and "number 2" in second.message_en
    assert _audit(cast, "request") == ["REQUESTED", "REQUESTED"]


def test_l3_place_request_on_the_shelf_and_twice_keeps_one_place(
    cast: DeskContext, actor: Actor
) -> None:
    ids = _ids(cast)
    first = requests.place_request(cast, actor, ids["Anne"], item(2))
    again = requests.place_request(cast, actor, ids["Anne"], item(2))
    assert (first.data["position"], first.data["due_changed_to"]) == (1, None)
    assert again.code is Code.REQUESTED and again.data["duplicate"] is True
    assert _queue(cast, item(2)) == ["Anne"]


def test_place_request_checks_the_borrower_as_a_scanned_card_would(
    cast: DeskContext, actor: Actor
) -> None:
    ids = _ids(cast)
    refused = requests.place_request(cast, actor, ids["Frida"], item(2))  # a student (E1)
    assert refused.code is Code.NOT_ELIGIBLE
    expired = requests.place_request(cast, actor, ids["Karl"], item(2))  # U1
    assert expired.code is Code.CARD_INVALID
    unknown = requests.place_request(cast, actor, 999_999, item(2))
    assert unknown.code is Code.CARD_UNKNOWN and "999999" in unknown.message_en
    no_item = requests.place_request(cast, actor, ids["Anne"], item(99))
    assert no_item.code is Code.ITEM_UNKNOWN
    assert _queue(cast, item(2)) == []


def test_place_request_in_names_the_borrower_once(cast: DeskContext, actor: Actor) -> None:
    with cast.sessions() as session, pytest.raises(ValueError):
        circulation.place_request_in(session, cast, actor, cast.now(), None, item(2))
    with cast.sessions() as session, pytest.raises(ValueError):
        circulation.place_request_in(session, cast, actor, cast.now(), ANNE, item(2), borrower_id=1)


def test_l3_request_by_card_still_goes_through_the_same_path(
    cast: DeskContext, actor: Actor
) -> None:
    placed = circulation.request(cast, actor, CECILIE, item(2))
    assert placed.code is Code.REQUESTED and placed.data["borrower_id"] == _ids(cast)["Cecilie"]


# --- cancelling (Q2) ---------------------------------------------------------


def test_q2_cancel_closes_the_queue(cast: DeskContext, actor: Actor, clock: FixedClock) -> None:
    for who in (ANNE, BO, CECILIE):
        assert circulation.request(cast, actor, who, item(2)).code is Code.REQUESTED
        _later(clock)
    gone = requests.cancel_request(cast, actor, item(2), card=ANNE)
    assert gone.code is Code.CANCELLED and gone.ok and gone.rule == "§4 Q2"
    assert gone.data["position"] == 1 and gone.data["waiting"] == 2
    assert "2 borrowers still wait" in gone.message_en and gone.message_da.strip()
    assert _queue(cast, item(2)) == ["Bo", "Cecilie"]
    [bo] = requests.requests_of(cast, actor, _ids(cast)["Bo"])
    assert (bo.position, bo.waiting, bo.is_next) == (1, 2, True)
    item_id, bo_id = _item_id(cast, item(2)), _ids(cast)["Bo"]
    with cast.sessions() as session:
        first = requests.first_requester_in(session, item_id)
        assert first is not None and first.borrower_id == bo_id


def test_q2_cancel_twice_answers_no_request(cast: DeskContext, actor: Actor) -> None:
    circulation.request(cast, actor, BO, item(2))
    assert requests.cancel_request(cast, actor, item(2), card=BO).code is Code.CANCELLED
    twice = requests.cancel_request(cast, actor, item(2), card=BO)
    assert twice.code is Code.NO_REQUEST and not twice.ok and twice.rule == "§4 Q2"
    assert "Bo Nielsen" in twice.message_en and twice.message_da.strip()
    assert _audit(cast, requests.CANCEL_AUDIT) == ["CANCELLED", "NO_REQUEST"]
    with cast.sessions() as session:
        [cancelled] = session.scalars(select(Request)).all()
    assert cancelled.state == RequestState.CANCELLED and cancelled.ended_at == cast.now()


def test_q2_cancel_by_someone_elses_card_is_no_request(cast: DeskContext, actor: Actor) -> None:
    circulation.request(cast, actor, BO, item(2))
    other = requests.cancel_request(cast, actor, item(2), card=CECILIE)
    assert other.code is Code.NO_REQUEST
    assert _queue(cast, item(2)) == ["Bo"]


def test_q2_cancel_by_borrower_id_and_refusals_of_the_scan(cast: DeskContext, actor: Actor) -> None:
    ids = _ids(cast)
    circulation.request(cast, actor, BO, item(2))
    assert requests.cancel_request(cast, actor, item(99), borrower_id=ids["Bo"]).code is (
        Code.ITEM_UNKNOWN
    )
    assert requests.cancel_request(cast, actor, item(2), borrower_id=999_999).code is (
        Code.CARD_UNKNOWN
    )
    misread = BO[:-1] + str((int(BO[-1]) + 1) % 10)
    assert requests.cancel_request(cast, actor, item(2), card=misread).code is Code.CARD_UNKNOWN
    assert _queue(cast, item(2)) == ["Bo"]
    done = requests.cancel_request(cast, actor, item(2), borrower_id=ids["Bo"])
    assert done.code is Code.CANCELLED and "No one else" in done.message_en
    with pytest.raises(ValueError):
        requests.cancel_request(cast, actor, item(2))
    with pytest.raises(ValueError):
        requests.cancel_request(cast, actor, item(2), card=BO, borrower_id=ids["Bo"])


def test_q2_a_due_date_moved_by_l4_stays_after_the_cancel(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    circulation.checkout(cast, actor, ANNE, item(1))
    clock.set(datetime(2026, 3, 10, 9))
    circulation.request(cast, actor, BO, item(1))
    assert _due(cast, item(1)) == date(2026, 4, 2)
    assert requests.cancel_request(cast, actor, item(1), card=BO).code is Code.CANCELLED
    assert _due(cast, item(1)) == date(2026, 4, 2)
    renewed = circulation.renew(cast, actor, item(1))  # no one waits now (L5)
    assert renewed.code is Code.RENEWED


# --- the pick list (Q1) ------------------------------------------------------


def test_q1_pick_list_in_shelf_order_call_number_then_barcode_none_last(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    for who, barcode in [
        (BO, item(11)),
        (CECILIE, item(12)),
        (ANNE, item(2)),  # no call number
        (PLEN_USER, item(13)),
        (INF_USER, item(12)),  # second in item(12)'s queue
    ]:
        assert circulation.request(cast, actor, who, barcode).code is Code.REQUESTED
        _later(clock)
    entries = requests.pick_list(cast, actor)
    assert [e.barcode for e in entries] == [item(12), item(13), item(11), item(2)]
    assert [e.card for e in entries] == [CECILIE, PLEN_USER, BO, ANNE]
    first = entries[0]
    assert (first.call_number, first.waiting, first.borrower_name) == (
        "B3279 .H4",
        2,
        "Cecilie Hansen",
    )
    assert (first.institute_code, first.hand_over, first.route) == (
        "NFI",
        HandOver.COURIER,
        "SOUTH",
    )
    plen = entries[1]
    assert (plen.hand_over, plen.route) == (HandOver.INTERNAL_COURIER, "FREDERIKSBERG")
    assert entries[3].call_number is None and entries[3].title == "The Art of Computer Programming"
    assert entries[2].requested_at < entries[3].requested_at
    outcome = requests.pick_list_outcome(cast, actor)
    assert outcome.code is Code.PICK_LIST and outcome.rule == "§4 Q1"
    assert outcome.data["items"][0] == {"item": item(12), "card": CECILIE}
    assert "4 items" in outcome.message_en


def test_q1_self_pickup_has_no_route_and_a_health_card_shows_masked(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    circulation.request(cast, actor, INF_USER, item(11))
    circulation.request(cast, actor, TEST_CPR, item(12))
    by_item = {e.barcode: e for e in requests.pick_list(cast, actor)}
    assert (by_item[item(11)].hand_over, by_item[item(11)].route) == (HandOver.SELF_PICKUP, None)
    card = by_item[item(12)].card
    assert card is not None and card.endswith("XXXX") and TEST_CPR.replace("-", "") not in card


def test_q1_a_lent_item_leaves_the_list(cast: DeskContext, actor: Actor) -> None:
    circulation.request(cast, actor, BO, item(11))
    assert [e.barcode for e in requests.pick_list(cast, actor)] == [item(11)]
    assert circulation.checkout(cast, actor, BO, item(11)).code is Code.LOANED
    assert requests.pick_list(cast, actor) == []


def test_q1_an_item_on_loan_is_not_on_it_until_returned(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    circulation.checkout(cast, actor, ANNE, item(11))
    circulation.request(cast, actor, BO, item(11))
    assert requests.pick_list(cast, actor) == []
    _later(clock)
    returned = circulation.checkin(cast, actor, item(11))
    assert returned.data["next"] == BO  # Q3: who it goes to
    assert [e.card for e in requests.pick_list(cast, actor)] == [BO]


def test_q1_a_cancelled_request_leaves_the_list(cast: DeskContext, actor: Actor) -> None:
    circulation.request(cast, actor, BO, item(11))
    requests.cancel_request(cast, actor, item(11), card=BO)
    assert requests.pick_list(cast, actor) == []
    outcome = requests.pick_list_outcome(cast, actor)
    assert outcome.data["items"] == [] and "Nothing to fetch" in outcome.message_en


def test_q1_a_lost_item_is_not_on_it_until_it_comes_back(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    circulation.checkout(cast, actor, ANNE, item(14))
    circulation.request(cast, actor, BO, item(14))
    assert claims.declare_lost(cast, actor, item(14)).code is Code.LOST
    assert requests.pick_list(cast, actor) == []
    [bo] = requests.requests_of(cast, actor, _ids(cast)["Bo"])
    assert (bo.on_loan, bo.on_pick_list) == (False, False)
    _later(clock)
    assert circulation.checkin(cast, actor, item(14)).code is Code.RETURNED  # C4
    assert [e.barcode for e in requests.pick_list(cast, actor)] == [item(14)]


def test_q1_pick_list_is_two_queries_however_many_wait(cast: DeskContext, actor: Actor) -> None:
    for who in (ANNE, BO, CECILIE, PLEN_USER, INF_USER):
        for barcode in SHELF:
            circulation.request(cast, actor, who, barcode)
    bo_id = _ids(cast)["Bo"]
    statements = _counting(cast)
    with cast.sessions() as session:
        entries = requests.pick_list_in(session)
        assert len(statements) <= 2, statements
        statements.clear()
        requests.requests_of_in(session, bo_id)
        assert len(statements) == 1, statements
    assert len(entries) == len(SHELF) and {e.waiting for e in entries} == {5}


def _counting(ctx: DeskContext) -> list[str]:
    engine = ctx.sessions.kw["bind"]
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # not BEGIN, SAVEPOINT ...
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return seen


@pytest.mark.slow
def test_q1_pick_list_of_50000_requests_is_quick(cast: DeskContext, actor: Actor) -> None:
    """50,000 active requests on 20,000 items from 2,000 borrowers, nine in ten
    of the items on loan (a library's requests wait mostly for lent books):
    the list of the other 2,000 reads in well under a second (the rows are
    written through the demo's bulk writer, as the benchmarks do)."""
    now, day = cast.now(), cast.today()
    engine = bulk_engine(cast.sessions.kw["bind"])
    with cast.sessions() as session:
        base = max(
            session.scalar(select(func.max(table.c.id))) or 0
            for table in (Borrower.__table__, Item.__table__, Request.__table__, Loan.__table__)
        )
        anne, anne_card = session.execute(
            select(Card.borrower_id, Card.id).where(Card.lookup == ANNE)
        ).one()
    borrowers = [base + 1 + n for n in range(2000)]
    items = [base + 1 + n for n in range(20000)]
    writer = Writer(engine)
    writer.write(
        Borrower.__table__,
        ("id", "name", "name_key", "category", "institute_code", "own_office", "e_resources"),
        ((b, f"Reader {b}", f"reader {b}", "researcher", "DIKU", False, False) for b in borrowers),
    )
    writer.write(
        Item.__table__,
        (
            "id",
            "barcode",
            "title",
            "call_number",
            "material_type",
            "loan_rule",
            "owner",
            "danish_legal_deposit",
            "is_ill",
            "reading_room_only",
        ),
        (
            (
                i,
                f"9{i:013d}",
                f"Volume {i}",
                f"QA{i % 997}",
                "book",
                "home",
                "KUB",
                False,
                False,
                False,
            )
            for i in items
        ),
    )
    writer.write(
        Request.__table__,
        ("id", "item_id", "borrower_id", "placed_at", "state", "staff", "desk"),
        (
            (
                base + 1 + n,
                items[n % 20000],
                borrowers[(n + n // 20000) % 2000],
                now + timedelta(seconds=n),
                RequestState.ACTIVE.value,
                "bulk",
                "bulk",
            )
            for n in range(50000)
        ),
    )
    writer.write(
        Loan.__table__,
        (
            "id",
            "item_id",
            "borrower_id",
            "card_id",
            "capacity",
            "state",
            "loaned_at",
            "loan_date",
            "guaranteed_until",
            "due",
            "delivery",
            "use_at_institute",
            "is_ill",
            "renewals",
            "settled",
            "staff",
            "desk",
        ),
        (
            (
                base + 1 + n,
                item_id,
                anne,
                anne_card,
                "institute",
                "open",
                now,
                day,
                day,
                day + timedelta(days=365),
                "courier",
                False,
                False,
                0,
                False,
                "bulk",
                "bulk",
            )
            for n, item_id in enumerate(i for k, i in enumerate(items) if k % 10)
        ),
    )
    finish(engine, ["borrowers", "items", "requests", "loans"])
    if engine is not cast.sessions.kw["bind"]:
        engine.dispose()  # PostgreSQL's bulk engine: its connections closed now, not at GC
    started = time.perf_counter()
    entries = requests.pick_list(cast, actor)
    took = time.perf_counter() - started
    assert len(entries) == 2000
    shelf = [(e.call_number or "", e.barcode) for e in entries]
    assert shelf == sorted(shelf) and {e.waiting for e in entries} <= {2, 3}
    assert took < 1.5, f"pick list of 50,000 requests took {took:.2f} s"


# --- a borrower's requests ---------------------------------------------------


def test_requests_of_gives_place_queue_loan_and_pick_list(
    cast: DeskContext, actor: Actor, clock: FixedClock
) -> None:
    ids = _ids(cast)
    circulation.checkout(cast, actor, ANNE, item(1))
    clock.set(datetime(2026, 3, 10, 9))
    circulation.request(cast, actor, CECILIE, item(1))
    _later(clock)
    circulation.request(cast, actor, BO, item(1))
    _later(clock)
    circulation.request(cast, actor, BO, item(11))
    mine = requests.requests_of(cast, actor, ids["Bo"])
    assert [r.barcode for r in mine] == [item(1), item(11)]
    on_loan, on_shelf = mine
    assert (on_loan.position, on_loan.waiting, on_loan.on_loan) == (2, 2, True)
    assert (on_loan.due, on_loan.on_pick_list, on_loan.is_next) == (date(2026, 4, 2), False, False)
    assert (on_shelf.position, on_shelf.waiting, on_shelf.on_loan) == (1, 1, False)
    assert (on_shelf.due, on_shelf.on_pick_list, on_shelf.call_number) == (
        None,
        True,
        "PT8175 .S6",
    )
    assert on_shelf.title == "Book " + item(11)[-4:] and on_shelf.placed_at == clock.now()
    assert requests.requests_of(cast, actor, ids["Anne"]) == []


# --- who may (roles) ---------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COURIER])
def test_a_courier_may_not_place_cancel_or_see_the_pick_list(
    cast: DeskContext, actor: Actor, role: Role
) -> None:
    ids = _ids(cast)
    circulation.request(cast, actor, BO, item(11))
    courier = ensure_staff(cast, "Kaj Courier", role)
    placed = requests.place_request(cast, courier, ids["Anne"], item(2))
    cancelled = requests.cancel_request(cast, courier, item(11), card=BO)
    listed = requests.pick_list_outcome(cast, courier)
    for refused in (placed, cancelled, listed):
        assert refused.code is Code.NOT_PERMITTED and refused.message_da.strip()
    with pytest.raises(NotPermitted):
        requests.pick_list(cast, courier)
    assert _queue(cast, item(11)) == ["Bo"] and _queue(cast, item(2)) == []
    assert len(requests.requests_of(cast, courier, ids["Bo"])) == 1  # the panel: anyone's
    with pytest.raises(NotPermitted):
        requests.requests_of(cast, Actor("Nobody Known", "desk"), ids["Bo"])


def test_a_desk_login_may_do_all_of_it(cast: DeskContext, actor: Actor) -> None:
    desk = ensure_staff(cast, "Dorte Desk", Role.DESK)
    placed = requests.place_request(cast, desk, _ids(cast)["Bo"], item(11))
    assert placed.code is Code.REQUESTED
    assert [e.card for e in requests.pick_list(cast, desk)] == [BO]
    assert requests.cancel_request(cast, desk, item(11), card=BO).code is Code.CANCELLED


def _item_id(ctx: DeskContext, barcode: str) -> int:
    with ctx.sessions() as session:
        return session.scalars(select(Item.id).where(Item.barcode == barcode)).one()
