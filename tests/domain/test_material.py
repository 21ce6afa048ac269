"""§2 What may be lent: M1 to M4."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desk_app.domain.facts import Capacity, LoanRule
from desk_app.domain.material import (
    Alternative,
    Lendable,
    check_lendable,
    reading_room_alternatives,
    reading_room_lendable,
)
from desk_app.domain.verdict import Code
from tests.domain.factories import assert_verdict, item

DAY = date(2026, 5, 1)


@pytest.mark.parametrize("capacity", list(Capacity))
@pytest.mark.parametrize("year", [None, 1500, 1850, 2025])
def test_M1_home_items_may_be_lent(policy, capacity, year):
    result = check_lendable(item(LoanRule.HOME, printed_year=year), capacity, DAY, policy.material)
    assert result == Lendable("M1", use_at_institute=False)


@pytest.mark.parametrize("year", [1800, 1801, 1900, 1925, 1926])
def test_M2_kub_reading_room_items_1800_to_current_year_minus_100_may_be_lent(policy, year):
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=year)
    result = check_lendable(rr, Capacity.INSTITUTE, DAY, policy.material)
    assert result == Lendable("M2", use_at_institute=True)
    assert reading_room_lendable(rr, DAY, policy.material)


def test_M2_boundaries_for_day_2026_05_01(policy):
    def lendable(year: int) -> bool:
        rr = item(LoanRule.READING_ROOM, printed_year=year)
        return reading_room_lendable(rr, DAY, policy.material)

    assert lendable(1800)
    assert not lendable(1799)
    assert lendable(1926)
    assert not lendable(1927)


def test_M2_upper_bound_moves_with_the_current_year(policy):
    rr = item(LoanRule.READING_ROOM, printed_year=1927)
    assert not reading_room_lendable(rr, date(2026, 12, 31), policy.material)
    assert reading_room_lendable(rr, date(2027, 1, 1), policy.material)


@pytest.mark.parametrize("owner", ["KB", "SB", "kub", "", "DEPOSIT"])
def test_M2_only_kub_owned_items(policy, owner):
    rr = item(LoanRule.READING_ROOM, owner=owner, printed_year=1850)
    assert not reading_room_lendable(rr, DAY, policy.material)
    result = check_lendable(rr, Capacity.INSTITUTE, DAY, policy.material)
    assert_verdict(result, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")


def test_M2_unknown_printing_year_is_not_lendable(policy):
    rr = item(LoanRule.READING_ROOM, printed_year=None)
    assert not reading_room_lendable(rr, DAY, policy.material)


def test_M2_is_a_scheme_right_private_capacity_falls_under_M3(policy):
    rr = item(LoanRule.READING_ROOM, printed_year=1850)
    result = check_lendable(rr, Capacity.PRIVATE, DAY, policy.material)
    assert_verdict(result, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")


def test_M2_limits_come_from_the_policy(policy):
    material = replace(policy.material, reading_room_first_year=1850, reading_room_age_years=50)
    assert not reading_room_lendable(item(LoanRule.READING_ROOM, printed_year=1849), DAY, material)
    assert reading_room_lendable(item(LoanRule.READING_ROOM, printed_year=1976), DAY, material)
    assert not reading_room_lendable(item(LoanRule.READING_ROOM, printed_year=1977), DAY, material)


@pytest.mark.parametrize(
    ("year", "legal_deposit", "expected"),
    [
        (1700, True, ["READING_ROOM_WEST"]),
        (1701, True, ["DIGITAL_COPY", "READING_ROOM_WEST"]),
        (1799, True, ["DIGITAL_COPY", "READING_ROOM_WEST"]),
        (1799, False, ["READING_ROOM_WEST"]),
        (1900, True, ["DIGITAL_COPY", "READING_ROOM_WEST"]),
        (1900, False, ["READING_ROOM_WEST"]),
        (1901, False, ["ILL", "READING_ROOM_WEST"]),
        (1901, True, ["DIGITAL_COPY", "ILL", "READING_ROOM_WEST"]),
        (1916, True, ["DIGITAL_COPY", "ILL", "READING_ROOM_WEST"]),
        (1917, True, ["ILL", "READING_ROOM_WEST"]),
        (1990, False, ["ILL", "READING_ROOM_WEST"]),
        (None, True, ["READING_ROOM_WEST"]),
    ],
)
def test_M3_alternatives(policy, year, legal_deposit, expected):
    rr = item(LoanRule.READING_ROOM, owner="OTHER", printed_year=year, legal_deposit=legal_deposit)
    assert [a.value for a in reading_room_alternatives(rr, policy.material)] == expected
    v = check_lendable(rr, Capacity.INSTITUTE, DAY, policy.material)
    v = assert_verdict(v, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")
    assert v.data["alternatives"] == expected


def test_M3_kub_item_too_young_for_M2_is_refused_with_ill(policy):
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1990)
    v = check_lendable(rr, Capacity.INSTITUTE, DAY, policy.material)
    v = assert_verdict(v, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")
    assert v.data["alternatives"] == ["ILL", "READING_ROOM_WEST"]


def test_M3_kub_item_older_than_1800_is_refused(policy):
    rr = item(LoanRule.READING_ROOM, owner="KUB", printed_year=1750, legal_deposit=True)
    v = check_lendable(rr, Capacity.INSTITUTE, DAY, policy.material)
    v = assert_verdict(v, Code.NOT_LOANABLE_READING_ROOM, "§2 M3")
    assert v.data["alternatives"] == ["DIGITAL_COPY", "READING_ROOM_WEST"]


def test_M3_message_lists_the_alternatives_in_both_languages(policy):
    rr = item(LoanRule.READING_ROOM, owner="OTHER", printed_year=1910, legal_deposit=True)
    v = check_lendable(rr, Capacity.INSTITUTE, DAY, policy.material)
    assert "digital copy" in v.message_en and "Reading Room West" in v.message_en
    assert "ILL" in v.message_en
    assert "digital kopi" in v.message_da and "Læsesal Vest" in v.message_da
    assert "indlån" in v.message_da


def test_M3_reading_room_west_is_always_offered(policy):
    for year in (None, 1500, 1750, 1850, 1905, 1950, 2020):
        for deposit in (True, False):
            rr = item(LoanRule.READING_ROOM, printed_year=year, legal_deposit=deposit)
            assert Alternative.READING_ROOM_WEST in reading_room_alternatives(rr, policy.material)


@pytest.mark.parametrize("capacity", list(Capacity))
@pytest.mark.parametrize("year", [1850, 1990, None])
def test_M4_reading_room_id_items_are_refused_without_alternatives(policy, capacity, year):
    rr = item(LoanRule.READING_ROOM_ID, owner="KUB", printed_year=year, legal_deposit=True)
    v = check_lendable(rr, capacity, DAY, policy.material)
    v = assert_verdict(v, Code.NOT_LOANABLE_ID_CARD, "§2 M4")
    assert "alternatives" not in v.data
    assert "ID" in v.message_en
