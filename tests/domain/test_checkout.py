"""Checkout and request decisions: the order of checks (first refusal wins),
and the L1 to L4, M2, P1 and T1-T3 data a LOANED or REQUESTED verdict carries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desk_app.domain.calendar import Period
from desk_app.domain.checkout import decide_checkout, decide_request, item_unknown
from desk_app.domain.facts import Capacity, CardStatus, Category, LoanRule
from desk_app.domain.policy import Delivery
from desk_app.domain.verdict import OK_CODES, Code, Verdict, rule_label, verdict
from desk_app.i18n import literal
from tests.domain.factories import assert_verdict, borrower, card, item, loan

DAY = date(2026, 5, 1)
ME, OTHER, THIRD = 1, 2, 3
CAUSE = "30010000000029"


def checkout(policy, **overrides) -> Verdict:
    kwargs = {
        "card": card(),
        "borrower": borrower(ME),
        "item": item(),
        "holder_id": None,
        "queue": [],
        "capacity": Capacity.INSTITUTE,
        "day": DAY,
        "policy": policy,
        "read_card": "20010000000013",
        "read_item": "30010000000011",
    }
    kwargs.update(overrides)
    return decide_checkout(**kwargs)


def request(**overrides) -> Verdict:
    kwargs = {
        "card": card(),
        "borrower": borrower(ME),
        "item": item(),
        "current_loan": None,
        "queue": [],
        "day": DAY,
        "read_card": "20010000000013",
        "read_item": "30010000000011",
    }
    kwargs.update(overrides)
    return decide_request(**kwargs)


# --- the order of checks -------------------------------------------------------

# Start with every check failing; fix one at a time: the next check must speak.
CHECKOUT_ORDER = [
    ({}, Code.CARD_UNKNOWN, "B1"),
    ({"card": card(CardStatus.LOST)}, Code.CARD_INVALID, "U1"),
    ({"card": card()}, Code.NOT_ELIGIBLE, "§1 E1"),
    ({"borrower": borrower(ME, causes=(CAUSE,))}, Code.SUSPENDED, "§5 S3"),
    ({"borrower": borrower(ME)}, Code.ITEM_UNKNOWN, "B1"),
    ({"item": item(LoanRule.READING_ROOM_ID)}, Code.ON_LOAN, "§6 C1"),
    ({"holder_id": None}, Code.NOT_LOANABLE_ID_CARD, "§2 M4"),
    ({"item": item()}, Code.RESERVED_FOR_OTHER, "§4 L3"),
    ({"queue": []}, Code.LOANED, "§4 L1"),
]


def test_U1_E1_S3_M4_L3_checkout_check_order_first_refusal_wins(policy):
    state = {
        "card": None,
        "borrower": borrower(ME, Category.STUDENT, causes=(CAUSE,)),
        "item": None,
        "holder_id": OTHER,
        "queue": [OTHER],
    }
    for fix, code, rule in CHECKOUT_ORDER:
        state.update(fix)
        assert_verdict(checkout(policy, **state), code, rule)


def test_B1_checkout_without_borrower_is_card_unknown(policy):
    v = assert_verdict(checkout(policy, borrower=None), Code.CARD_UNKNOWN, "B1")
    assert "20010000000013" in v.message_en


def test_B2_checkout_reports_the_given_misread_instead_of_card_unknown(policy):
    misread = verdict(
        Code.CARD_UNKNOWN, "B2", literal("Misread: scan again.", da="Fejllæsning: scan igen.")
    )
    v = checkout(policy, card=None, borrower=None, unknown_card=misread)
    assert v is misread
    assert v.rule == "B2"


def test_B1_checkout_unknown_item(policy):
    v = assert_verdict(checkout(policy, item=None), Code.ITEM_UNKNOWN, "B1")
    assert "30010000000011" in v.message_en and "30010000000011" in v.message_da
    assert item_unknown("x").code is Code.ITEM_UNKNOWN


def test_B2_checkout_reports_the_given_item_misread(policy):
    misread = verdict(Code.ITEM_UNKNOWN, "B2", literal("Misread.", da="Fejllæsning."))
    assert checkout(policy, item=None, unknown_item=misread) is misread


@pytest.mark.parametrize("status", [CardStatus.LOST, CardStatus.REPLACED])
def test_U1_checkout_refuses_invalid_card(policy, status):
    assert_verdict(checkout(policy, card=card(status)), Code.CARD_INVALID, "U1")


def test_U1_checkout_refuses_expired_card(policy):
    v = checkout(policy, card=card(expires=date(2026, 4, 30)))
    assert_verdict(v, Code.CARD_INVALID, "U1")
    assert v.data["reason_key"] == "expired"


@pytest.mark.parametrize("category", [Category.STUDENT, Category.EXTERNAL])
def test_E1_checkout_refuses_ineligible_in_institute_capacity(policy, category):
    v = checkout(policy, borrower=borrower(ME, category))
    assert_verdict(v, Code.NOT_ELIGIBLE, "§1 E1")


def test_E1_emeritus_needs_own_office_for_institute_checkout(policy):
    no_office = borrower(ME, Category.EMERITUS, own_office=False)
    assert_verdict(checkout(policy, borrower=no_office), Code.NOT_ELIGIBLE, "§1 E1")
    office = borrower(ME, Category.EMERITUS, own_office=True)
    assert_verdict(checkout(policy, borrower=office), Code.LOANED, "§4 L1")


@pytest.mark.parametrize("category", [Category.STUDENT, Category.EXTERNAL, Category.EMERITUS])
def test_E1_eligibility_is_checked_in_institute_capacity_only(policy, category):
    v = checkout(policy, borrower=borrower(ME, category), capacity=Capacity.PRIVATE)
    assert_verdict(v, Code.LOANED, "§9 P1")


def test_S3_suspended_borrower_cannot_check_out_and_is_told_why(policy):
    causes = ("30010000000011", "30010000000029")
    v = checkout(policy, borrower=borrower(ME, causes=causes), item=item(barcode="30010000000037"))
    v = assert_verdict(v, Code.SUSPENDED, "§5 S3")
    assert v.data["causes"] == list(causes)
    for cause in causes:
        assert cause in v.message_en and cause in v.message_da


def test_S3_suspension_applies_to_private_capacity_too(policy):
    v = checkout(policy, borrower=borrower(ME, causes=(CAUSE,)), capacity=Capacity.PRIVATE)
    assert_verdict(v, Code.SUSPENDED, "§5 S3")


def test_C1_item_on_loan_to_another_borrower(policy):
    v = assert_verdict(checkout(policy, holder_id=OTHER), Code.ON_LOAN, "§6 C1")
    assert "another borrower" in v.message_en


def test_C1_item_already_on_loan_to_this_borrower(policy):
    v = assert_verdict(checkout(policy, holder_id=ME), Code.ON_LOAN, "§6 C1")
    assert "renew" in v.message_en


def test_M3_checkout_of_reading_room_item_lists_alternatives(policy):
    rr = item(LoanRule.READING_ROOM, owner="OTHER", printed_year=1910, legal_deposit=True)
    v = assert_verdict(checkout(policy, item=rr), Code.NOT_LOANABLE_READING_ROOM, "§2 M3")
    assert v.data["alternatives"] == ["DIGITAL_COPY", "ILL", "READING_ROOM_WEST"]


def test_M3_loan_rule_is_checked_before_the_queue(policy):
    rr = item(LoanRule.READING_ROOM, owner="OTHER", printed_year=1990)
    v = checkout(policy, item=rr, queue=[OTHER])
    assert_verdict(v, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")


# --- LOANED: L1 to L3, M2, P1, T1-T3 -----------------------------------------


def test_L1_L2_plain_institute_checkout(policy):
    v = assert_verdict(checkout(policy), Code.LOANED, "§4 L1")
    assert v.data == {
        "due": date(2027, 5, 1),
        "guaranteed_until": date(2026, 6, 1),
        "delivery": "courier",
        "use_at_institute": False,
        "fulfils_request": False,
        "requested_at_once": False,
    }
    assert "2027-05-01" in v.message_en and "2026-06-01" in v.message_en
    assert "01.05.2027" in v.message_da and "01.06.2026" in v.message_da
    assert v.ok


def test_L2_guaranteed_month_clamped_at_checkout_on_31_january(policy):
    v = checkout(policy, day=date(2028, 1, 31))
    assert v.data["guaranteed_until"] == date(2028, 2, 29)
    assert v.data["due"] == date(2029, 1, 31)


def test_L3_first_in_queue_alone_gets_the_full_terms(policy):
    v = assert_verdict(checkout(policy, queue=[ME]), Code.LOANED, "§4 L1")
    assert v.data["fulfils_request"] is True
    assert v.data["requested_at_once"] is False
    assert v.data["guaranteed_until"] == date(2026, 6, 1)
    assert v.data["due"] == date(2027, 5, 1)


def test_L2_guaranteed_14_days_when_another_borrower_waits_at_checkout(policy):
    v = assert_verdict(checkout(policy, queue=[ME, OTHER]), Code.LOANED, "§4 L2")
    assert v.data["fulfils_request"] is True
    assert v.data["requested_at_once"] is True  # L3: at once "requested"
    assert v.data["guaranteed_until"] == date(2026, 5, 15)
    assert v.data["due"] == date(2026, 5, 15)  # L4: min(1 year, max(day, day + 14))
    assert "14 days" in v.message_en and "14 dage" in v.message_da


def test_L2_loaned_sentence_is_built_the_same_in_both_languages(policy):
    """The LOANED sentence is put together from parts; each language gets all of them."""
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1900)
    v = checkout(policy, item=rr, queue=[ME, OTHER])
    assert v.message_en == (
        "Loan until 2026-05-15; guaranteed only 14 days (to 2026-05-15): "
        "another borrower is waiting. USE AT THE INSTITUTE ONLY."
    )
    assert v.message_da == (
        "Udlånt til 15.05.2026; kun garanteret 14 dage (til 15.05.2026): "
        "en anden låner venter. MÅ KUN BENYTTES PÅ INSTITUTTET."
    )
    v = checkout(policy, borrower=borrower(ME, category=Category.STUDENT), override=True)
    assert v.message_en == "Override of §1 E1: Loan until 2027-05-01, guaranteed until 2026-06-01."
    assert v.message_da == "Tilsidesat §1 E1: Udlånt til 01.05.2027, garanteret til 01.06.2026."


@pytest.mark.parametrize("queue", [[OTHER], [OTHER, ME], [OTHER, THIRD, ME]])
def test_L3_not_first_in_queue_is_reserved_for_other(policy, queue):
    v = assert_verdict(checkout(policy, queue=queue), Code.RESERVED_FOR_OTHER, "§4 L3")
    assert v.data["queue_length"] == len(queue)
    assert not v.ok


def test_M2_checkout_is_marked_use_at_institute_only(policy):
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1926)
    v = assert_verdict(checkout(policy, item=rr), Code.LOANED, "§2 M2")
    assert v.data["use_at_institute"] is True
    assert v.data["due"] == date(2027, 5, 1)
    assert "USE AT THE INSTITUTE ONLY" in v.message_en
    assert "MÅ KUN BENYTTES PÅ INSTITUTTET" in v.message_da


def test_M2_boundary_at_checkout(policy):
    too_young = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1927)
    assert_verdict(checkout(policy, item=too_young), Code.NOT_LOANABLE_READING_ROOM, "§2 M3")


def test_M2_with_others_waiting_keeps_the_mark_and_gets_14_days(policy):
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1900)
    v = assert_verdict(checkout(policy, item=rr, queue=[ME, OTHER]), Code.LOANED, "§4 L2")
    assert v.data["use_at_institute"] is True
    assert v.data["due"] == date(2026, 5, 15)
    assert "USE AT THE INSTITUTE ONLY" in v.message_en


@pytest.mark.parametrize(
    "delivery", [Delivery.COURIER, Delivery.SELF_PICKUP, Delivery.INTERNAL_COURIER]
)
def test_T1_T3_loan_goes_by_the_institute_delivery_mode(policy, delivery):
    v = checkout(policy, borrower=borrower(ME, delivery=delivery))
    assert v.data["delivery"] == delivery.value


def test_P1_private_checkout_uses_private_period_at_the_desk(policy):
    v = checkout(policy, capacity=Capacity.PRIVATE, borrower=borrower(ME, Category.STUDENT))
    v = assert_verdict(v, Code.LOANED, "§9 P1")
    assert v.data["due"] == date(2026, 5, 31)
    assert v.data["guaranteed_until"] is None
    assert v.data["delivery"] == "self_pickup"
    assert v.data["requested_at_once"] is False


def test_P1_private_checkout_of_reading_room_item_falls_under_M3(policy):
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1850)
    v = checkout(policy, item=rr, capacity=Capacity.PRIVATE)
    assert_verdict(v, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")


def test_L2_waiting_message_describes_the_policy_period(policy):
    custom = replace(policy, loan=replace(policy.loan, guaranteed_if_requested=Period(days=21)))
    v = checkout(custom, queue=[ME, OTHER])
    assert v.data["guaranteed_until"] == date(2026, 5, 22)
    assert "21 days" in v.message_en
    assert "21 dage" in v.message_da


# --- requests ------------------------------------------------------------------

REQUEST_ORDER = [
    ({}, Code.CARD_UNKNOWN, "B1"),
    ({"card": card(CardStatus.REPLACED)}, Code.CARD_INVALID, "U1"),
    ({"card": card()}, Code.NOT_ELIGIBLE, "§1 E1"),
    ({"borrower": borrower(ME, causes=(CAUSE,))}, Code.SUSPENDED, "§5 S3"),
    ({"borrower": borrower(ME)}, Code.ITEM_UNKNOWN, "B1"),
    ({"item": item()}, Code.ON_LOAN, "§4 L3"),
    ({"current_loan": loan(borrower_id=OTHER)}, Code.REQUESTED, "§4 L3"),
]


def test_L3_S3_request_check_order_first_refusal_wins():
    state = {
        "card": None,
        "borrower": borrower(ME, Category.EXTERNAL, causes=(CAUSE,)),
        "item": None,
        "current_loan": loan(borrower_id=ME),
        "queue": [OTHER, ME],
    }
    for fix, code, rule in REQUEST_ORDER:
        state.update(fix)
        assert_verdict(request(**state), code, rule)


def test_S3_suspended_borrower_cannot_request():
    v = assert_verdict(request(borrower=borrower(ME, causes=(CAUSE,))), Code.SUSPENDED, "§5 S3")
    assert v.data["causes"] == [CAUSE]
    assert v.message_en.startswith("Request")


def test_E1_request_needs_an_eligible_borrower():
    v = request(borrower=borrower(ME, Category.STUDENT))
    assert_verdict(v, Code.NOT_ELIGIBLE, "§1 E1")


def test_L3_request_on_a_shelf_item_is_first_in_queue():
    v = assert_verdict(request(), Code.REQUESTED, "§4 L3")
    assert v.data == {"position": 1, "due_changed_to": None, "duplicate": False}


def test_L3_request_joins_the_end_of_the_queue():
    v = request(current_loan=loan(borrower_id=OTHER), queue=[OTHER, THIRD], day=date(2026, 8, 1))
    assert v.data["position"] == 3
    assert "3" in v.message_en and "3" in v.message_da


def test_L3_duplicate_request_reports_the_position():
    v = assert_verdict(request(queue=[OTHER, ME, THIRD]), Code.REQUESTED, "§4 L3")
    assert v.data == {"position": 2, "due_changed_to": None, "duplicate": True}


def test_L4_request_within_guaranteed_period_shortens_due_to_guaranteed_end():
    current = loan(
        date(2026, 4, 20), due=date(2027, 4, 20), guaranteed_until=date(2026, 5, 20), borrower_id=2
    )
    v = assert_verdict(request(current_loan=current), Code.REQUESTED, "§4 L4")
    assert v.data["due_changed_to"] == date(2026, 5, 20)
    assert "2026-05-20" in v.message_en and "20.05.2026" in v.message_da


def test_L4_request_after_guaranteed_period_makes_due_the_request_day():
    current = loan(
        date(2026, 1, 5), due=date(2027, 1, 5), guaranteed_until=date(2026, 2, 5), borrower_id=2
    )
    v = assert_verdict(request(current_loan=current), Code.REQUESTED, "§4 L4")
    assert v.data["due_changed_to"] == DAY


def test_L4_request_never_moves_an_earlier_due_date():
    current = loan(
        date(2025, 1, 5), due=date(2026, 4, 1), guaranteed_until=date(2025, 2, 5), borrower_id=2
    )
    v = assert_verdict(request(current_loan=current), Code.REQUESTED, "§4 L3")
    assert v.data["due_changed_to"] is None


def test_P1_request_does_not_shorten_a_private_loan():
    current = loan(
        date(2026, 4, 20),
        due=date(2026, 5, 20),
        guaranteed_until=None,
        borrower_id=OTHER,
        capacity=Capacity.PRIVATE,
    )
    v = assert_verdict(request(current_loan=current), Code.REQUESTED, "§4 L3")
    assert v.data["due_changed_to"] is None


# --- verdict labels ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "label"),
    [
        ("E1", "§1 E1"),
        ("M3", "§2 M3"),
        ("T2", "§3 T2"),
        ("L2", "§4 L2"),
        ("S3", "§5 S3"),
        ("C2", "§6 C2"),
        ("I2", "§7 I2"),
        ("K1", "§8 K1"),
        ("P1", "§9 P1"),
        ("B2", "B2"),
        ("U1", "U1"),
    ],
)
def test_verdict_rule_label_names_the_paragraph(rule_id, label):
    assert rule_label(rule_id) == label


def test_verdict_ok_codes_are_outcomes_not_refusals():
    assert Code.LOANED in OK_CODES and Code.REQUESTED in OK_CODES
    for refusal in (Code.CARD_UNKNOWN, Code.SUSPENDED, Code.RENEWAL_LIMIT, Code.ON_LOAN):
        assert refusal not in OK_CODES
