"""A scan classified once into a typed value (B1-B4, T4's slip code)."""

from __future__ import annotations

import pytest

from desk_app.domain.barcodes import ScanProblem, with_check_digit
from desk_app.domain.scan import (
    HealthCard,
    ItemBarcode,
    LibraryCard,
    Misread,
    SlipCode,
    card_lookup,
    expected_of_misread,
    read_scan,
    scanned,
    slip_code,
    wrong_kind_verdict,
)
from desk_app.domain.verdict import Code

CARD = with_check_digit("2000100000001")
ITEM = with_check_digit("3000100000001")


def test_B1_each_kind_of_scan_is_its_own_type():
    assert read_scan(CARD) == LibraryCard(CARD)
    assert read_scan(ITEM) == ItemBarcode(ITEM)
    assert read_scan("010190-1235") == HealthCard("0101901235")
    assert read_scan("L00000042") == SlipCode(42)
    assert read_scan("l00000042 ") == SlipCode(42)


def test_B4_the_scanner_prefix_and_codabar_letters_are_cleaned_once():
    assert read_scan(f"#A{ITEM}B\r", prefix="#") == ItemBarcode(ITEM)


def test_B2_a_wrong_check_digit_is_a_misread_that_says_what_it_was():
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    found = read_scan(wrong)
    assert isinstance(found, Misread) and found.error.problem is ScanProblem.MISREAD
    assert found.rule == "B2" and expected_of_misread(found) == "card"
    empty = read_scan("   ")
    assert isinstance(empty, Misread) and empty.rule == "B4"
    assert expected_of_misread(empty) == "item"


def test_B3_a_health_card_is_shown_masked_and_looked_up_by_its_keyed_hash():
    health = HealthCard("0101901235")
    assert health.shown == "010190-XXXX"
    assert "1235" not in repr(health)
    lookup = card_lookup(health, b"key")
    assert lookup.startswith("cpr:") and "0101901235" not in lookup
    assert card_lookup(LibraryCard(CARD), b"key") == CARD


def test_a_string_is_read_and_a_typed_scan_passes_as_it_is():
    typed = ItemBarcode(ITEM)
    assert scanned(typed) is typed
    assert scanned(ITEM) == typed


def test_T4_a_slip_code_round_trips():
    assert read_scan(slip_code(7)) == SlipCode(7)
    assert SlipCode(7).shown == "L00000007"


@pytest.mark.parametrize(
    ("found", "expected", "code", "words"),
    [
        (ItemBarcode(ITEM), "card", Code.CARD_UNKNOWN, f"'{ITEM}' is not a card. Scan again."),
        (
            HealthCard("0101901235"),
            "item",
            Code.ITEM_UNKNOWN,
            "'010190-XXXX' is not an item barcode. Scan again.",
        ),
        (SlipCode(3), "item", Code.ITEM_UNKNOWN, "'L00000003' is not an item barcode. Scan again."),
    ],
)
def test_B4_a_scan_of_the_wrong_kind_is_refused_with_it_masked(found, expected, code, words):
    refused = wrong_kind_verdict(found, expected)
    assert refused.code is code and refused.rule == "B4"
    assert refused.message_en == words
    assert refused.data["misread"] is True
    assert refused.message_da.endswith("Scan igen.")
