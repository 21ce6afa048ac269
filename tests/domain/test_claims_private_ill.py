"""§6 C2/C4 and the charter's U2 (claims and damage), §9 P1 (private late fees),
§7 I3 (where a received ILL item goes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from desk_app.domain.claims import ClaimAmounts, claim_amounts, damage_charge, refund_on_return
from desk_app.domain.ill import HandOver, ill_hand_over
from desk_app.domain.policy import Delivery
from desk_app.domain.private import late_fee

# --- C2 -----------------------------------------------------------------------


def test_C2_claim_is_the_item_price_plus_collection_fee(policy):
    amounts = claim_amounts(
        policy, item_price=Decimal(650), material_type="book", entered_amount=None
    )
    assert amounts == ClaimAmounts(Decimal(650), Decimal(100))
    assert amounts.total == Decimal(750)


@pytest.mark.parametrize(
    ("material", "price"),
    [("book", 500), ("journal", 400), ("map", 600), ("score", 450), ("av", 300)],
)
def test_C2_default_price_by_material_type(policy, material, price):
    amounts = claim_amounts(policy, item_price=None, material_type=material, entered_amount=None)
    assert amounts.amount == Decimal(price)
    assert amounts.fee == Decimal(100)


@pytest.mark.parametrize("material", [None, "", "microfilm"])
def test_C2_default_replacement_price_when_type_unknown(policy, material):
    amounts = claim_amounts(policy, item_price=None, material_type=material, entered_amount=None)
    assert amounts.amount == Decimal(500)
    assert amounts.total == Decimal(600)


def test_C2_ill_amount_entered_by_staff_overrides_price(policy):
    amounts = claim_amounts(
        policy, item_price=Decimal(650), material_type="book", entered_amount=Decimal("1234.50")
    )
    assert amounts == ClaimAmounts(Decimal("1234.50"), Decimal(100))


def test_C2_item_price_zero_is_a_price(policy):
    amounts = claim_amounts(policy, item_price=Decimal(0), material_type="map", entered_amount=None)
    assert amounts.amount == Decimal(0)


def test_C2_amounts_come_from_the_policy(policy):
    custom = replace(
        policy,
        fees=replace(
            policy.fees,
            collection_fee=Decimal(75),
            default_replacement_price=Decimal(800),
            replacement_price_by_material={},
        ),
    )
    amounts = claim_amounts(custom, item_price=None, material_type="book", entered_amount=None)
    assert amounts == ClaimAmounts(Decimal(800), Decimal(75))


# --- C4 -----------------------------------------------------------------------


def test_C4_billed_claim_is_refunded_minus_collection_fee():
    amounts = ClaimAmounts(Decimal(650), Decimal(100))
    assert refund_on_return(amounts, billed=True) == Decimal(650)


def test_C4_billed_ill_claim_refund():
    amounts = ClaimAmounts(Decimal("1234.50"), Decimal(100))
    assert refund_on_return(amounts, billed=True) == Decimal("1234.50")


def test_C4_unbilled_claim_is_cancelled_in_full_nothing_to_refund():
    assert refund_on_return(ClaimAmounts(Decimal(650), Decimal(100)), billed=False) is None


# --- U2 -----------------------------------------------------------------------


def test_U2_damage_charge_by_price_list(policy):
    assert damage_charge(policy) == Decimal(150)


def test_U2_damage_charge_comes_from_the_policy(policy):
    custom = replace(policy, fees=replace(policy.fees, damage_charge=Decimal("99.50")))
    assert damage_charge(custom) == Decimal("99.50")


# --- P1 -----------------------------------------------------------------------

DUE = date(2026, 5, 31)


@pytest.mark.parametrize(
    ("days_late", "fee"),
    [(-10, 0), (-1, 0), (0, 0), (1, 20), (6, 20), (7, 20), (8, 40), (14, 40), (15, 60), (70, 200)],
)
def test_P1_late_fee_per_started_week(policy, days_late, fee):
    assert late_fee(DUE, DUE + timedelta(days=days_late), policy) == Decimal(fee)


def test_P1_late_fee_rate_comes_from_the_policy(policy):
    custom = replace(
        policy, private=replace(policy.private, late_fee_per_started_week=Decimal("12.5"))
    )
    assert late_fee(DUE, DUE + timedelta(days=8), custom) == Decimal(25)


# --- I3 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [
        (Delivery.COURIER, HandOver.COURIER),
        (Delivery.SELF_PICKUP, HandOver.SELF_PICKUP),
        (Delivery.INTERNAL_COURIER, HandOver.INTERNAL_COURIER),
    ],
)
def test_I3_ill_item_goes_to_the_institute_like_any_loan(delivery, expected):
    assert ill_hand_over(delivery, reading_room_only=False) is expected


@pytest.mark.parametrize("delivery", list(Delivery))
def test_I3_reading_room_only_ill_item_goes_to_the_reading_room(delivery):
    assert ill_hand_over(delivery, reading_room_only=True) is HandOver.READING_ROOM
