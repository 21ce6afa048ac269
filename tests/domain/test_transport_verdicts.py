"""§3 T2/T4 and §5 S6 verdicts built in the domain (issue 14): the facts in,
the verdict out, its message a Text in English and Danish."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.domain.dispatch_states import DispatchState
from desk_app.domain.dispatch_verdicts import (
    announce_refusal,
    delivered,
    delivery_refusal,
    dispatch_refusal,
    dispatched,
    no_route,
    return_announced,
)
from desk_app.domain.ill import HandOver
from desk_app.domain.ladder import notices_run
from desk_app.domain.loading import (
    CrateLine,
    LoadingOutcome,
    card_not_item,
    loading_outcome,
    loading_verdict,
    not_on_route,
)
from desk_app.domain.loan_states import LoanState, Transit
from desk_app.domain.mail_states import MAIL, MailAction, MailState
from desk_app.domain.verdict import Code
from desk_app.i18n import literal

DAY = date(2026, 12, 3)
LINE = CrateLine("30010000000011", 2, "IKK", "Institut for Kunst")


def test_T4_a_route_leaves_once_a_day_and_not_before_the_day():
    assert dispatch_refusal("NORTH", DAY, DAY, None) is None
    early = dispatch_refusal("NORTH", date(2026, 12, 4), DAY, None)
    assert early is not None and early.data["reason_key"] == "future_day"
    assert early.message_da == "Rute NORTH kan ikke køre 04.12.2026 endnu: i dag er 03.12.2026."
    for state in DispatchState:
        again = dispatch_refusal("NORTH", DAY, DAY, state)
        assert again is not None and again.data["reason_key"] == "already_dispatched"


def test_T4_delivery_is_confirmed_only_after_the_route_left_and_only_once():
    assert delivery_refusal("NORTH", DAY, DispatchState.DISPATCHED) is None
    before = delivery_refusal("NORTH", DAY, None)
    twice = delivery_refusal("NORTH", DAY, DispatchState.DELIVERED)
    assert before is not None and before.data["reason_key"] == "not_dispatched"
    assert twice is not None and twice.data["reason_key"] == "already_delivered"
    assert twice.rule == "§3 T4" and twice.code is Code.DISPATCH_REFUSED


def test_T4_dispatched_and_delivered_count_items_in_both_languages():
    one = dispatched("NORTH", DAY, 1, [], 7)
    assert one.message_en == "Route NORTH dispatched: 1 item in transit."
    assert one.message_da == "Rute NORTH afsendt: 1 eksemplar undervejs."
    some_missing = dispatched("NORTH", DAY, 2, ["A", "B"], 7)
    assert "2 items in transit, 2 not loaded" in some_missing.message_en
    assert some_missing.data["missing"] == ["A", "B"] and some_missing.ok
    done = delivered("NORTH", DAY, 3, 7)
    assert done.message_da == "Rute NORTH: levering bekræftet, 3 eksemplarer leveret."
    assert no_route("MARS").message_en == "There is no courier route 'MARS'."


def test_T2_T4_a_return_is_announced_only_for_a_courier_item_that_arrived():
    t2 = announce_refusal("X1", HandOver.SELF_PICKUP, None)
    assert t2 is not None and t2.rule == "§3 T2" and t2.data["reason_key"] == "not_by_courier"
    waiting = announce_refusal("X1", HandOver.COURIER, Transit.AWAITING_DISPATCH)
    on_way = announce_refusal("X1", HandOver.INTERNAL_COURIER, Transit.IN_TRANSIT)
    assert waiting is not None and "still waits for the courier" in waiting.message_en
    assert on_way is not None and on_way.message_da.endswith("det er på vej derud.")
    assert announce_refusal("X1", HandOver.COURIER, Transit.DELIVERED) is None
    said = return_announced("X1", literal("Art", da="Kunst"), "NORTH", 2, DAY)
    assert said.message_en == "The courier collects X1 at Art (route NORTH, stop 2)."
    assert said.message_da == "Kureren henter X1 på Kunst (rute NORTH, stop 2)."


@pytest.mark.parametrize(
    ("route", "loan", "transit", "scanned", "outcome"),
    [
        (None, LoanState.OPEN, Transit.AWAITING_DISPATCH, False, LoadingOutcome.LOADED),
        (None, LoanState.OPEN, Transit.AWAITING_DISPATCH, True, LoadingOutcome.ALREADY_LOADED),
        (DispatchState.DISPATCHED, LoanState.OPEN, Transit.AWAITING_DISPATCH, False,
         LoadingOutcome.DISPATCHED),
        (None, LoanState.RETURNED, Transit.AWAITING_DISPATCH, False, LoadingOutcome.NOT_WAITING),
        (None, LoanState.OPEN, Transit.IN_TRANSIT, False, LoadingOutcome.NOT_WAITING),
        (None, None, None, False, LoadingOutcome.NOT_WAITING),
    ],
)  # fmt: skip
def test_T4_a_loading_scan_is_stored_only_while_route_and_loan_wait(
    route, loan, transit, scanned, outcome
):
    assert loading_outcome(route, loan, transit, scanned) is outcome


def test_T4_loading_answers_name_the_stop_and_who_loaded_it_before():
    fresh = loading_verdict("NORTH", LINE, LoadingOutcome.LOADED, 4, "Kaj", "North desk")
    assert fresh.code is Code.LOADED and not fresh.data["duplicate"]
    assert fresh.message_da == "Læsset 30010000000011 til stop 2, Institut for Kunst; 4 tilbage."
    again = loading_verdict("NORTH", LINE, LoadingOutcome.ALREADY_LOADED, 4, "Kaj", "North desk")
    assert again.data["duplicate"] and again.message_en.endswith("by Kaj at North desk.")
    left = loading_verdict("NORTH", LINE, LoadingOutcome.DISPATCHED, 4)
    assert left.code is Code.DISPATCH_REFUSED and left.data["reason_key"] == "already_dispatched"
    gone = loading_verdict("NORTH", LINE, LoadingOutcome.NOT_WAITING, 4)
    assert gone.code is Code.NOT_ON_MANIFEST and "no longer waits" in gone.message_en
    stray = not_on_route("X9", "NORTH", DAY)
    assert stray.message_da.startswith("X9 er ikke på rute NORTHs manifest 03.12.2026")
    assert card_not_item("2001").code is Code.NOT_ON_MANIFEST


def test_S6_the_run_counts_its_notices_and_queues_a_letter_for_no_address():
    run = notices_run(DAY, [{"card": "1", "item": "2", "step": "RECALL", "deadline": None}] * 2)
    assert run.message_en == "Notices run for 2026-12-03: 2 notices."
    assert run.message_da == "Rykkerkørsel for 03.12.2026: 2 meddelelser."
    assert run.data["run_date"] == DAY and len(run.data["notices"]) == 2
    assert MAIL.start(MailAction.NO_ADDRESS) is MailState.POSTAL
    assert MAIL.start(MailAction.QUEUE) is MailState.PENDING
