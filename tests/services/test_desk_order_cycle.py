"""The desk's scan loop in the order cycle (issue 15), below the window:
check-in routing (Q3), a picked item lent without a card (Q1), a borrower
taken by id, requests placed and cancelled for the borrower at the desk, and
renew all (L5). Run on SQLite and PostgreSQL (the ``ctx`` fixture)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from desk_app.domain.request_states import RequestState
from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor
from desk_app.services.desk import DeskSession, Mode, Tone, renew_all
from desk_app.services.desk_action import BorrowerId
from desk_app.services.notices import run_notices
from desk_app.services.staff import add_staff
from desk_app.store.models import Borrower, Item, Loan, Request
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

DESK = Actor("Dorte Desk", "Main desk")
SUPERVISOR = Actor("Søren Supervisor", "Main desk")
COURIER = Actor("Kaj Courier", "Main desk")


@pytest.fixture
def staffed(ctx):  # type: ignore[no-untyped-def]
    seed_cast(ctx)
    add_staff(ctx, DESK.staff, "desk", "1111")
    add_staff(ctx, SUPERVISOR.staff, "supervisor", "2222")
    add_staff(ctx, COURIER.staff, "courier", "3333")
    return ctx


def _open_loans(ctx) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Item barcode -> borrower name of every open loan."""
    with ctx.sessions() as session:
        loans = session.scalars(select(Loan).where(Loan.state == "open")).all()
        return {loan.item.barcode: loan.borrower.name for loan in loans}


def _loan_of(ctx, barcode: str) -> Loan:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        loans = session.scalars(select(Loan).where(Loan.state == "open")).all()
        (loan,) = [loan for loan in loans if loan.item.barcode == barcode]
        return loan


def _requests(ctx) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        rows = session.execute(
            select(Item.barcode, Borrower.name, Request.state)
            .join(Item, Item.id == Request.item_id)
            .join(Borrower, Borrower.id == Request.borrower_id)
            .order_by(Request.placed_at, Request.id)
        ).all()
        return [(barcode, name, state) for barcode, name, state in rows]


def _id_of(ctx, name: str) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalars(select(Borrower.id).where(Borrower.name == name)).one()


def _at(clock, minutes: int) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 3, 2, 10, 0) + timedelta(minutes=minutes))


def _suspend(ctx, clock, card: str, barcode: str) -> None:  # type: ignore[no-untyped-def]
    """``card``'s loan of ``barcode`` climbs the whole §5 ladder (S2)."""
    clock.set(datetime(2025, 1, 2, 10))
    assert circulation.checkout(ctx, SUPERVISOR, card, barcode).ok
    for day in (date(2026, 1, 3), date(2026, 1, 18), date(2026, 1, 26), date(2026, 2, 3)):
        run_notices(ctx, SUPERVISOR, day)
    run_notices(ctx, SUPERVISOR, date(2026, 2, 11))
    clock.set(datetime(2026, 3, 2, 9))


def _queued_before(ctx, barcode: str, *names: str) -> None:  # type: ignore[no-untyped-def]
    """Requests placed before their borrowers were suspended or their cards
    expired (a request is refused then, S3, U1): written as they stand."""
    with ctx.sessions() as session:
        item_id = session.scalars(select(Item.id).where(Item.barcode == barcode)).one()
        for minutes, name in enumerate(names):
            borrower_id = session.scalars(select(Borrower.id).where(Borrower.name == name)).one()
            session.add(
                Request(
                    item_id=item_id,
                    borrower_id=borrower_id,
                    placed_at=datetime(2024, 12, 1, 9, minutes),
                    state=RequestState.ACTIVE,
                    staff="Dorte Desk",
                    desk="Main desk",
                )
            )
        session.commit()


def _lend_and_queue(ctx, clock, holder: str, barcode: str, *queue: str) -> None:  # type: ignore[no-untyped-def]
    """``holder`` has ``barcode``; the cards in ``queue`` request it, in order."""
    _at(clock, -60)
    assert circulation.checkout(ctx, SUPERVISOR, holder, barcode).ok
    for minutes, card in enumerate(queue, start=-50):
        _at(clock, minutes)
        assert circulation.request(ctx, SUPERVISOR, card, barcode).ok
    _at(clock, 0)


# -- Q3: a returned book goes on to the next requester ------------------------------


def test_q3_check_in_lends_to_the_next_requester_in_the_same_scan(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1), ANNE, CECILIE)
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    shown = desk.scan(item(1))
    v = shown.verdict
    assert (v.code, v.data["routed"], v.data["lent_to"]) == (Code.LOANED, "Q3", "Anne Jensen")
    assert v.rule == "§4 Q3, §4 L2"  # Cecilie still waits: only 14 days (L2)
    message = v.message("en")
    assert message.startswith("Returned: Concrete Mathematics. Lent to Anne Jensen (request)")
    assert "guaranteed only 14 days" in message
    assert "route NORTH (Nørre Campus), stop 6" in message
    assert shown.tone is Tone.CAUTION
    assert _open_loans(ctx) == {item(1): "Anne Jensen"}
    loan = _loan_of(ctx, item(1))
    assert loan.guaranteed_until == date(2026, 3, 16) and loan.delivery == "courier"
    assert desk.last_loan_id == loan.id == v.data["loan_id"]  # its slip, its undo
    # two transactions, two lines: each names its own loan's borrower
    assert [(e.action, e.borrower, e.code) for e in desk.log] == [
        ("check_in", "Bo Nielsen", "RETURNED"),
        ("route", "Anne Jensen", "LOANED"),
    ]
    assert shown.borrower is not None and shown.borrower.data["name"] == "Anne Jensen"
    assert [(r[1], r[2]) for r in _requests(ctx)] == [
        ("Anne Jensen", RequestState.FULFILLED),
        ("Cecilie Hansen", RequestState.ACTIVE),
    ]


def test_q3_the_log_never_names_the_borrower_at_the_desk(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1), CECILIE)
    desk = DeskSession(ctx, DESK)
    desk.scan(ANNE)  # Anne is served; she hands in Bo's book
    desk.set_mode(Mode.CHECK_IN)
    shown = desk.scan(item(1))
    assert shown.verdict.data["lent_to"] == "Cecilie Hansen"
    assert shown.verdict.rule == "§4 Q3"  # no one else waits: the month's guarantee (L2 not cut)
    assert [e.borrower for e in desk.log[1:]] == ["Bo Nielsen", "Cecilie Hansen"]
    assert desk.serving is not None and desk.serving.data["name"] == "Anne Jensen"
    assert "route SOUTH" in shown.verdict.message("en")


def test_q3_a_suspended_requester_is_passed_over_with_the_rule(staffed, clock):
    ctx = staffed
    _suspend(ctx, clock, BO, item(2))
    _lend_and_queue(ctx, clock, CECILIE, item(1))
    _queued_before(ctx, item(1), "Bo Nielsen", "Anne Jensen")
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    shown = desk.scan(item(1))
    v = shown.verdict
    assert (v.code, v.data["lent_to"], v.data["passed_over"]) == (
        Code.LOANED,
        "Anne Jensen",
        ["SUSPENDED"],
    )
    message = v.message("en")
    assert "Not lent to Bo Nielsen (§5 S3): Loan refused: the borrower is suspended" in message
    assert v.rule == "§4 Q3, §4 L2"  # Bo still waits (his request stays): 14 days
    assert _loan_of(ctx, item(1)).guaranteed_until == date(2026, 3, 16)
    assert [(e.action, e.borrower, e.code) for e in desk.log] == [
        ("check_in", "Cecilie Hansen", "RETURNED"),
        ("route", "Bo Nielsen", "SUSPENDED"),
        ("route", "Anne Jensen", "LOANED"),
    ]
    states = {(r[0], r[1]): r[2] for r in _requests(ctx)}
    assert states[(item(1), "Bo Nielsen")] == RequestState.ACTIVE  # he keeps his place
    assert states[(item(1), "Anne Jensen")] == RequestState.FULFILLED
    assert desk.open_refusals == []  # the book went on: nothing left undone


def test_q3_when_no_one_may_borrow_it_it_stays_returned_with_an_instruction(staffed, clock):
    ctx = staffed
    _suspend(ctx, clock, BO, item(2))
    _lend_and_queue(ctx, clock, CECILIE, item(1))
    _queued_before(ctx, item(1), "Bo Nielsen", "Karl Mortensen")
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    shown = desk.scan(item(1))
    v = shown.verdict
    assert (v.code, v.rule, v.data["held"]) == (Code.RETURNED, "§4 Q3", True)
    assert v.data["passed_over"] == ["SUSPENDED", "CARD_INVALID"]
    message = v.message("en")
    assert "Not lent to Bo Nielsen (§5 S3)" in message
    assert "Not lent to Karl Mortensen (U1)" in message
    assert "keep it at the desk, not on the shelf" in message
    assert shown.tone is Tone.CAUTION
    assert item(1) not in _open_loans(ctx)
    # the item's latest refusal stays listed (the banner named both)
    assert [r.outcome.verdict.code for r in desk.open_refusals] == [Code.CARD_INVALID]


@pytest.mark.parametrize(
    ("card", "where"),
    [
        (INF_USER, "pickup shelf H at the desk: Gustav Holm collects it"),  # T2
        (PLEN_USER, "internal courier (route FREDERIKSBERG)"),  # T3
    ],
    ids=["T2_pickup_shelf", "T3_internal_courier"],
)
def test_q3_the_banner_says_where_the_book_goes(staffed, clock, card, where):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1), card)
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    assert where in desk.scan(item(1)).verdict.message("en")


def test_q3_danish_banner(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1), INF_USER)
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    message = desk.scan(item(1)).verdict.message("da")
    assert "Lånt ud til Gustav Holm (reservering)" in message
    assert "afhentningshylde H" in message


def test_q3_a_courier_checks_in_but_never_lends_on(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1), ANNE)
    desk = DeskSession(ctx, COURIER)
    desk.set_mode(Mode.CHECK_IN)
    shown = desk.scan(item(1))
    assert shown.verdict.code is Code.RETURNED
    assert "do not shelve it" in shown.verdict.message("en")
    assert _open_loans(ctx) == {}
    assert [e.action for e in desk.log] == ["check_in"]


def test_q3_a_plain_return_without_a_queue_is_unchanged(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1))
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    shown = desk.scan(item(1))
    assert (shown.verdict.code, shown.tone) == (Code.RETURNED, Tone.ACCEPTED)
    assert shown.verdict.message("en") == "Returned: Concrete Mathematics."
    assert len(desk.log) == 1


def test_q3_the_routed_loan_may_be_undone_and_the_request_reopens(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1), ANNE)
    desk = DeskSession(ctx, DESK)
    desk.set_mode(Mode.CHECK_IN)
    desk.scan(item(1))
    assert desk.can_undo()
    assert desk.undo().verdict.code is Code.UNDONE
    assert _requests(ctx) == [(item(1), "Anne Jensen", RequestState.ACTIVE)]


# -- Q1: a picked item scanned with no borrower at the desk ---------------------------------


def test_q1_a_picked_item_is_lent_to_its_first_requester_without_a_card(staffed, clock):
    ctx = staffed
    assert circulation.request(ctx, DESK, INF_USER, item(6)).ok
    assert circulation.request(ctx, DESK, ANNE, item(6)).ok
    desk = DeskSession(ctx, DESK)
    shown = desk.scan(item(6))
    v = shown.verdict
    assert (v.code, v.data["routed"], v.rule) == (Code.LOANED, "Q1", "§4 Q1, §4 L2")
    assert v.message("en").startswith("Lent to Gustav Holm (request): Loan until")
    assert "pickup shelf H" in v.message("en")
    assert _open_loans(ctx) == {item(6): "Gustav Holm"}
    assert [(e.action, e.borrower) for e in desk.log] == [("picked", "Gustav Holm")]
    assert desk.serving is None  # nobody was served: the next card starts afresh
    assert desk.last_loan_id == v.data["loan_id"]


def test_q1_with_a_borrower_at_the_desk_the_normal_checkout_decides(staffed, clock):
    ctx = staffed
    assert circulation.request(ctx, DESK, INF_USER, item(6)).ok
    desk = DeskSession(ctx, DESK)
    desk.scan(ANNE)
    assert desk.scan(item(6)).verdict.code is Code.RESERVED_FOR_OTHER  # L3
    desk.clear_borrower()
    desk.scan(INF_USER)
    lent = desk.scan(item(6)).verdict
    assert lent.code is Code.LOANED and "routed" not in lent.data


def test_q1_an_item_without_a_request_still_asks_for_the_card(staffed):
    desk = DeskSession(staffed, DESK)
    shown = desk.scan(item(6))
    assert shown.verdict.data.get("need_card")
    assert shown.item is not None and shown.item.title == "Structure and Interpretation"
    assert _open_loans(staffed) == {}


def test_q1_a_picked_item_for_a_suspended_requester_is_refused_on_Q1(staffed, clock):
    ctx = staffed
    _suspend(ctx, clock, BO, item(2))
    assert circulation.request(ctx, SUPERVISOR, BO, item(6)).ok is False  # S3: no new request
    _queued_before(ctx, item(6), "Bo Nielsen")
    desk = DeskSession(ctx, DESK)
    shown = desk.scan(item(6))
    assert (shown.verdict.code, shown.verdict.rule) == (Code.SUSPENDED, "§4 Q1")
    assert shown.tone is Tone.REFUSED
    assert "keep it at the desk" in shown.verdict.message("en")
    assert item(6) not in _open_loans(ctx)


# -- the borrower by id ----------------------------------------------------------------


def test_take_borrower_is_the_same_as_scanning_the_card(staffed):
    ctx = staffed
    by_card = DeskSession(ctx, DESK).scan(ANNE)
    desk = DeskSession(ctx, DESK)
    taken = desk.take_borrower(_id_of(ctx, "Anne Jensen"))
    assert taken.action == "card" and taken.read == ANNE
    assert taken.verdict.data == by_card.verdict.data
    assert desk.serving is not None and desk.serving_id == _id_of(ctx, "Anne Jensen")
    assert desk.scan(item(1)).verdict.code is Code.LOANED
    assert _open_loans(ctx) == {item(1): "Anne Jensen"}


def test_take_borrower_with_only_a_health_card_lends_by_id_and_never_shows_the_cpr(staffed):
    ctx = staffed
    desk = DeskSession(ctx, DESK)
    taken = desk.take_borrower(_id_of(ctx, "Ida Health"))
    assert taken.verdict.code is Code.STATUS and taken.read == "010190-XXXX"  # B3
    assert isinstance(desk._card, BorrowerId)
    assert desk.scan(item(1)).verdict.code is Code.LOANED
    desk.set_mode(Mode.RENEW)
    assert desk.scan(item(1)).verdict.code is Code.RENEWED
    assert all(TEST_CPR[-4:] not in f"{e.read} {e.borrower}" for e in desk.log)


def test_take_borrower_unknown_id_serves_nobody(staffed):
    desk = DeskSession(staffed, DESK)
    desk.scan(ANNE)
    taken = desk.take_borrower(999_999)
    assert taken.verdict.code is Code.CARD_UNKNOWN
    assert desk.serving is None


# -- requests for the borrower at the desk -----------------------------------------------


def test_l4_place_and_q2_cancel_a_request_for_the_borrower_at_the_desk(staffed, clock):
    ctx = staffed
    _lend_and_queue(ctx, clock, BO, item(1))
    desk = DeskSession(ctx, DESK)
    desk.scan(ANNE)
    placed = desk.place_request(item(1))
    assert placed.verdict.code is Code.REQUESTED and placed.verdict.data["position"] == 1
    assert placed.verdict.data["due_changed_to"] == date(2026, 4, 2)  # L4: a month after lending
    assert placed.item is not None and placed.item.title == "Concrete Mathematics"
    assert placed.requests is not None
    (line,) = placed.requests
    assert (line.barcode, line.position, line.due) == (item(1), 1, date(2026, 4, 2))
    assert desk.log[-1].action == "request" and desk.log[-1].borrower == "Anne Jensen"
    cancelled = desk.cancel_request(item(1))
    assert cancelled.verdict.code is Code.CANCELLED
    assert cancelled.requests is None  # none left: the panel says so
    assert cancelled.borrower is not None and cancelled.borrower.data["requests"] == []
    assert desk.cancel_request(item(1)).verdict.code is Code.NO_REQUEST


def test_a_request_needs_a_borrower_at_the_desk_and_a_readable_barcode(staffed):
    desk = DeskSession(staffed, DESK)
    assert desk.place_request(item(1)).verdict.data.get("need_card")
    desk.scan(ANNE)
    assert desk.place_request("hello").action == "misread"
    assert desk.place_request(BO).action == "misread"  # a card is no item
    assert _requests(staffed) == []


# -- renew all (L5) ------------------------------------------------------------------------


def test_l5_renew_all_renews_each_loan_and_lists_each_refusal_with_its_rule(staffed, clock):
    ctx = staffed
    clock.set(datetime(2026, 3, 2, 10))
    for barcode in (item(1), item(2), item(6)):
        assert circulation.checkout(ctx, DESK, ANNE, barcode).ok
    clock.set(datetime(2026, 3, 3, 10))
    assert circulation.request(ctx, DESK, BO, item(2)).ok
    clock.set(datetime(2026, 5, 1, 10))
    desk = DeskSession(ctx, DESK)
    desk.scan(ANNE)
    shown = desk.renew_all()
    v = shown.verdict
    assert (v.code, v.rule) == (Code.RENEWED, "§4 L5")
    assert sorted(v.data["renewed"]) == sorted([item(1), item(6)])
    assert v.data["refused"] == [{"item": item(2), "code": "REQUESTED_BY_OTHER", "rule": "§4 L5"}]
    assert "Renewed 2 of 3 loans." in v.message("en")
    assert (
        f"Not renewed: The Art of Computer Programming ({item(2)}) (§4 L5): "
        "Renewal refused: another borrower has requested this item."
    ) in v.message("en")
    assert shown.tone is Tone.CAUTION
    assert [(e.action, e.code) for e in desk.log[1:]].count(("renew", "RENEWED")) == 2
    (refusal,) = desk.open_refusals
    assert refusal.outcome.verdict.code is Code.REQUESTED_BY_OTHER
    assert _loan_of(ctx, item(1)).due == date(2027, 5, 1)


def test_l5_renew_all_service_answers_per_loan_and_checks_the_role(staffed, clock):
    ctx = staffed
    anne = _id_of(ctx, "Anne Jensen")
    assert renew_all(ctx, DESK, anne) == []
    assert circulation.checkout(ctx, DESK, ANNE, item(1)).ok
    ((barcode, outcome),) = renew_all(ctx, DESK, anne)
    assert (barcode, outcome.code) == (item(1), Code.RENEWED)
    with pytest.raises(NotPermitted):
        renew_all(ctx, COURIER, anne)


def test_l5_renew_all_without_a_borrower_asks_for_the_card(staffed):
    desk = DeskSession(staffed, DESK)
    assert desk.renew_all().verdict.data.get("need_card")
