"""§1 E1 (who may borrow), E3 (e-resources) and the charter's U1 (valid card)."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.domain.cards import card_unknown, check_card_valid
from desk_app.domain.eligibility import check_eligible, has_e_resources
from desk_app.domain.facts import CardStatus, Category
from desk_app.domain.verdict import Code
from tests.domain.factories import assert_verdict, card

# --- E1 -----------------------------------------------------------------------


@pytest.mark.parametrize("category", [Category.RESEARCHER, Category.PHD_STUDENT, Category.TEACHER])
@pytest.mark.parametrize("own_office", [True, False])
def test_E1_staff_categories_are_eligible(category, own_office):
    assert check_eligible(category, own_office) is None


def test_E1_emeritus_with_own_office_is_eligible():
    assert check_eligible(Category.EMERITUS, own_office=True) is None


def test_E1_emeritus_without_office_is_refused():
    v = assert_verdict(check_eligible(Category.EMERITUS, False), Code.NOT_ELIGIBLE, "§1 E1")
    assert "office" in v.message_en
    assert "kontor" in v.message_da


@pytest.mark.parametrize("category", [Category.STUDENT, Category.EXTERNAL])
@pytest.mark.parametrize("own_office", [True, False])
def test_E1_students_and_externals_are_refused(category, own_office):
    assert_verdict(check_eligible(category, own_office), Code.NOT_ELIGIBLE, "§1 E1")


def test_E1_every_category_has_a_decision():
    refused = {c for c in Category if check_eligible(c, own_office=False) is not None}
    assert refused == {Category.EMERITUS, Category.STUDENT, Category.EXTERNAL}


# --- E3 -----------------------------------------------------------------------


def test_E3_cpr_given_brings_e_resources():
    assert has_e_resources(declared=False, cpr_given=True) is True


def test_E3_no_cpr_no_declaration_no_e_resources():
    assert has_e_resources(declared=False, cpr_given=False) is False


def test_E3_declared_e_resources_are_kept():
    assert has_e_resources(declared=True, cpr_given=False) is True


# --- U1 -----------------------------------------------------------------------

DAY = date(2026, 5, 1)


def test_U1_active_card_before_expiry_is_valid():
    assert check_card_valid(card(expires=date(2026, 5, 2)), DAY) is None


def test_U1_card_is_valid_on_its_expiry_day():
    assert check_card_valid(card(expires=DAY), DAY) is None


def test_U1_card_without_expiry_is_valid():
    assert check_card_valid(card(expires=None), DAY) is None


def test_U1_expired_card_is_refused_with_reason():
    v = check_card_valid(card(expires=date(2026, 4, 30)), DAY)
    v = assert_verdict(v, Code.CARD_INVALID, "U1")
    assert v.data["reason_key"] == "expired"
    assert "2026-04-30" in v.message_en
    assert "30.04.2026" in v.message_da


def test_U1_lost_card_is_refused_with_reason():
    v = check_card_valid(card(status=CardStatus.LOST, changed=date(2026, 4, 2)), DAY)
    v = assert_verdict(v, Code.CARD_INVALID, "U1")
    assert v.data["reason_key"] == "lost"
    assert "lost" in v.message_en
    assert "2026-04-02" in v.message_en


def test_U1_replaced_card_is_refused_with_reason():
    v = check_card_valid(card(status=CardStatus.REPLACED), DAY)
    v = assert_verdict(v, Code.CARD_INVALID, "U1")
    assert v.data["reason_key"] == "replaced"
    assert "replaced" in v.message_en


@pytest.mark.parametrize("status", [CardStatus.LOST, CardStatus.REPLACED])
def test_U1_lost_or_replaced_is_refused_even_before_expiry(status):
    v = check_card_valid(card(status=status, expires=date(2099, 1, 1)), DAY)
    assert_verdict(v, Code.CARD_INVALID, "U1")


def test_U1_lost_is_the_reason_given_for_a_lost_expired_card():
    v = check_card_valid(card(status=CardStatus.LOST, expires=date(2020, 1, 1)), DAY)
    assert v is not None and v.data["reason_key"] == "lost"


def test_U1_messages_show_the_masked_display_only():
    v = check_card_valid(card(status=CardStatus.LOST, display="010190-XXXX"), DAY)
    assert v is not None
    assert "010190-XXXX" in v.message_en and "010190-XXXX" in v.message_da


def test_B1_unknown_card_verdict():
    v = assert_verdict(card_unknown("20010000000013"), Code.CARD_UNKNOWN, "B1")
    assert "20010000000013" in v.message_en
    assert "20010000000013" in v.message_da
