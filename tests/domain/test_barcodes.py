"""Cards and barcodes: B1 (what a scan is), B2 (check digit), B3 (CPR privacy),
B4 (scanner input cleaning)."""

from __future__ import annotations

import pytest

from desk_app.domain.barcodes import (
    Scan,
    ScanError,
    ScanKind,
    ScanProblem,
    check_digit,
    classify,
    clean_scan,
    cpr_lookup_key,
    has_valid_check_digit,
    mask_cpr,
    mask_if_cpr_like,
    with_check_digit,
)

B2_EXAMPLES = ["20010000000013", "20010000000021", "30010000000011", "30010000000029"]

# Made up for tests. The first fails the old modulus-11 check (B3: still valid).
CPR_NO_MOD11 = "010190-1235"
CPR_MOD11 = "010190-1238"


def _mod11_ok(cpr: str) -> bool:
    digits = [int(c) for c in cpr.replace("-", "")]
    return sum(d * w for d, w in zip(digits, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0


def test_B3_test_numbers_are_what_they_claim():
    assert not _mod11_ok(CPR_NO_MOD11)
    assert _mod11_ok(CPR_MOD11)


# --- B2 -----------------------------------------------------------------------


@pytest.mark.parametrize("number", B2_EXAMPLES)
def test_B2_spec_examples_are_valid(number):
    assert has_valid_check_digit(number)
    assert check_digit(number[:13]) == int(number[13])
    assert with_check_digit(number[:13]) == number


@pytest.mark.parametrize("number", B2_EXAMPLES)
def test_B2_any_single_digit_change_is_invalid(number):
    for position in range(14):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            assert not has_valid_check_digit(changed), changed


def test_B2_check_digit_worked_example():
    # 2001000000001: odd positions 2,0,0,0,0,0,1 doubled -> 4+0+0+0+0+0+2 = 6,
    # even positions 0,1,0,0,0,0 -> 1; total 7; (10 - 7) % 10 = 3
    assert check_digit("2001000000001") == 3
    # a doubled 9 gives 18 - 9 = 9: 9 followed by twelve zeros -> total 9 -> check 1
    assert check_digit("9000000000000") == 1
    # 1 doubled = 2, plus 8 = 10: a multiple of 10 gives check digit 0, not 10
    assert check_digit("1800000000000") == 0


@pytest.mark.parametrize("bad", ["", "123", "20010000000013", "200100000000a", "2001 00000000"])
def test_B2_check_digit_needs_exactly_13_digits(bad):
    with pytest.raises(ValueError, match="13 digits"):
        check_digit(bad)


@pytest.mark.parametrize("bad", ["2001000000001", "200100000000133", "2001000000001x", ""])
def test_B2_has_valid_check_digit_needs_14_digits(bad):
    assert not has_valid_check_digit(bad)


@pytest.mark.parametrize("number", ["20010000000012", "30010000000010"])
def test_B2_wrong_check_digit_is_a_misread_not_a_lookup(number):
    result = classify(number)
    assert isinstance(result, ScanError)
    assert result.problem is ScanProblem.MISREAD
    assert result.rule == "B2"
    assert result.read == number


# --- B1 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("20010000000013", ScanKind.LIBRARY_CARD),
        ("20010000000021", ScanKind.LIBRARY_CARD),
        ("30010000000011", ScanKind.ITEM),
        ("30010000000029", ScanKind.ITEM),
    ],
)
def test_B1_type_digit_says_card_or_item(raw, kind):
    result = classify(raw)
    assert result == Scan(kind, raw)
    assert result.is_card is (kind is ScanKind.LIBRARY_CARD)


@pytest.mark.parametrize("raw", [CPR_MOD11, CPR_MOD11.replace("-", "")])
def test_B1_health_card_carries_cpr(raw):
    result = classify(raw)
    assert result == Scan(ScanKind.HEALTH_CARD, "0101901238")
    assert result.is_card


@pytest.mark.parametrize("first", "0145678")
def test_B1_fourteen_digits_with_other_type_digit_is_unknown(first):
    number = with_check_digit(first + "001000000001")
    result = classify(number)
    assert isinstance(result, ScanError)
    assert result.problem is ScanProblem.UNKNOWN_PATTERN
    assert result.rule == "B4"


# --- B3 -----------------------------------------------------------------------


def test_B3_cpr_failing_modulus_11_is_accepted():
    result = classify(CPR_NO_MOD11)
    assert result == Scan(ScanKind.HEALTH_CARD, "0101901235")


@pytest.mark.parametrize("cpr", ["010190-1235", "0101901235", "311299-0000"])
def test_B3_mask_shows_birth_date_only(cpr):
    masked = mask_cpr(cpr)
    assert masked == cpr.replace("-", "")[:6] + "-XXXX"
    assert cpr.replace("-", "")[6:] not in masked


def test_B3_mask_if_cpr_like_masks_cpr_inside_text_but_not_barcodes():
    assert mask_if_cpr_like("read 320190-1235 here") == "read 320190-XXXX here"
    assert mask_if_cpr_like("3201901235") == "320190-XXXX"
    assert mask_if_cpr_like("20010000000013") == "20010000000013"


def test_B3_unknown_cpr_like_scan_is_reported_masked():
    # day 32 is no date, so this is not a health card; the error must not leak it
    result = classify("320190-1235")
    assert isinstance(result, ScanError)
    assert result.problem is ScanProblem.UNKNOWN_PATTERN
    assert result.read == "320190-XXXX"
    assert "1235" not in result.read


@pytest.mark.parametrize("raw", ["000190-1235", "011390-1235", "010090-1235"])
def test_B3_cpr_with_impossible_day_or_month_is_not_a_health_card(raw):
    result = classify(raw)
    assert isinstance(result, ScanError)
    assert result.problem is ScanProblem.UNKNOWN_PATTERN


def test_B3_lookup_key_is_keyed_and_stable():
    key_a, key_b = b"key-a", b"key-b"
    with_hyphen = cpr_lookup_key(CPR_NO_MOD11, key_a)
    assert with_hyphen == cpr_lookup_key(CPR_NO_MOD11.replace("-", ""), key_a)
    assert with_hyphen != cpr_lookup_key(CPR_NO_MOD11, key_b)
    assert with_hyphen != cpr_lookup_key(CPR_MOD11, key_a)
    assert with_hyphen.startswith("cpr:")


@pytest.mark.parametrize("cpr", [CPR_NO_MOD11, CPR_MOD11, "311299-9999", "010101-0101"])
@pytest.mark.parametrize("key", [b"key-a", b"key-b", b"test-key-not-secret"])
def test_B3_lookup_key_never_contains_the_digits(cpr, key):
    digits = cpr.replace("-", "")
    hashed = cpr_lookup_key(cpr, key)
    assert digits not in hashed
    assert cpr not in hashed
    assert digits[:6] not in hashed


@pytest.mark.parametrize("bad", ["", "12345", "010190-123", "010190-12345", "01019O-1235"])
def test_B3_lookup_key_refuses_non_cpr(bad):
    with pytest.raises(ValueError):
        cpr_lookup_key(bad, b"key")


# --- B4 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  20010000000013 \r\n", "20010000000013"),
        ("\t20010000000013\n", "20010000000013"),
        ("\x0220010000000013\x03", "20010000000013"),
        ("A20010000000013B", "20010000000013"),
        ("c20010000000013d", "20010000000013"),
        ("D30010000000011A", "30010000000011"),
        (" A 30010000000011 B ", "30010000000011"),
        ("", ""),
        ("   \r\n", ""),
    ],
)
def test_B4_clean_scan_strips_whitespace_control_and_codabar(raw, expected):
    assert clean_scan(raw) == expected


def test_B4_clean_scan_strips_configured_prefix_and_suffix():
    assert clean_scan("]C120010000000013#", prefix="]C1", suffix="#") == "20010000000013"
    assert clean_scan("]C1A20010000000013B#\r\n", prefix="]C1", suffix="#") == "20010000000013"
    # without the configuration the prefix stays and the scan is not recognised
    assert isinstance(classify("]C120010000000013#"), ScanError)
    assert classify("]C120010000000013#", prefix="]C1", suffix="#") == Scan(
        ScanKind.LIBRARY_CARD, "20010000000013"
    )


def test_B4_clean_scan_keeps_a_lone_letter_that_is_not_a_pair():
    assert clean_scan("A20010000000013") == "A20010000000013"
    assert clean_scan("E20010000000013E") == "E20010000000013E"


@pytest.mark.parametrize(
    "raw", ["A20010000000013B", " 20010000000013\r\n", "\x1b20010000000013", "b20010000000013c"]
)
def test_B4_classify_cleans_before_lookup(raw):
    assert classify(raw) == Scan(ScanKind.LIBRARY_CARD, "20010000000013")


def test_B4_empty_scan():
    result = classify(" \r\n")
    assert result == ScanError(ScanProblem.EMPTY, "")
    assert result.rule == "B4"


@pytest.mark.parametrize("raw", ["hello", "2001000000001", "200100000000133", "ISBN 978"])
def test_B4_unknown_pattern_says_what_was_read(raw):
    result = classify(raw)
    assert isinstance(result, ScanError)
    assert result.problem is ScanProblem.UNKNOWN_PATTERN
    assert result.rule == "B4"
    assert result.read == raw.strip()


def test_B4_unknown_pattern_masks_a_ten_digit_run_in_what_was_read():
    # "0000-0000-13" could be a CPR number typed in groups (B3 before B4)
    result = classify("2001-0000-0000-13")
    assert isinstance(result, ScanError)
    assert result.read == "2001-XXXX-XXXX-XX"


@pytest.mark.parametrize("raw", ["2001000000001²", "3001000000001³"])
def test_B4_non_ascii_digit_scan_is_refused_not_a_crash(raw):
    result = classify(raw)
    assert isinstance(result, ScanError)
    assert result.problem is ScanProblem.UNKNOWN_PATTERN


def test_B3_unknown_pattern_never_echoes_a_cpr_typed_with_a_space():
    # day 32: no health card (010190 1235 is one since issue 13 point 10)
    result = classify("320190 1235")
    assert isinstance(result, ScanError)
    assert "1235" not in result.read
