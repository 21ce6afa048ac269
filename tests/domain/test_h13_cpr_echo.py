"""Issue 13, points 10 and 13: a CPR number typed with an en dash, U+2010,
U+2212, two spaces, '_' or ':' is a health card (B1), and no message echoes a
ten-digit run that could be a CPR number (B3); a 100,000-character scan is no
barcode and makes no 100,000-character message.

"A ten-digit run" here: ten digits with nothing but spaces or punctuation
between them and no digit right before or after, found by brute force over
the digit groups (not by the regular expression the code uses).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.domain.barcodes import (
    CPR_SEPARATORS,
    Scan,
    ScanError,
    ScanKind,
    ScanProblem,
    classify,
    clip,
    echo,
    mask_if_cpr_like,
)
from desk_app.services.lookup import scan_error_verdict

CPR = "1010791009"


def ten_digit_runs(text: str) -> list[str]:
    """Every run of consecutive digit groups (joined only by characters that
    are neither letters nor digits) holding exactly ten digits."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", text)]
    runs = []
    for first in range(len(groups)):
        digits = 0
        for last in range(first, len(groups)):
            if last > first:
                between = text[groups[last - 1][1] : groups[last][0]]
                if any(ch.isalnum() for ch in between):
                    break
            digits += groups[last][1] - groups[last][0]
            if digits == 10:
                runs.append(text[groups[first][0] : groups[last][1]])
            if digits >= 10:
                break
    return runs


def messages(raw: str) -> list[str]:
    """Everything a desk or a replay shows of an unreadable scan ``raw``."""
    result = classify(raw)
    if not isinstance(result, ScanError):
        return []
    shown = [result.read]
    for expected in ("card", "item"):
        outcome = scan_error_verdict(result, expected)
        shown += [outcome.message_en, outcome.message_da]
    return shown


# --- point 10: every separator is a health card (B1) --------------------------

SEPARATORS = {
    "en dash": "\u2013",
    "hyphen U+2010": "\u2010",
    "minus U+2212": "\u2212",
    "two spaces": "  ",
    "underscore": "_",
    "colon": ":",
    "non-breaking space": "\u00a0",
    "non-breaking hyphen": "\u2011",
    "em dash": "\u2014",
    "figure dash": "\u2012",
    "fullwidth hyphen-minus": "\uff0d",
    "hyphen": "-",
    "one space": " ",
    "space dash space": " - ",
    "none": "",
    "tab": "\t",
}


@pytest.mark.parametrize("name", sorted(SEPARATORS))
def test_h13_p10_cpr_with_any_separator_is_a_health_card(name: str) -> None:
    raw = CPR[:6] + SEPARATORS[name] + CPR[6:]
    assert classify(raw) == Scan(ScanKind.HEALTH_CARD, CPR)
    assert classify(f"A{raw}B") == Scan(ScanKind.HEALTH_CARD, CPR), "Codabar letters"


def test_h13_p10_every_unicode_dash_is_a_cpr_separator() -> None:
    dashes = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Pd"]
    assert len(dashes) > 20
    missing = [f"U+{ord(d):04X}" for d in dashes if d not in CPR_SEPARATORS]
    assert not missing
    for dash in dashes:
        assert classify(CPR[:6] + dash + CPR[6:]) == Scan(ScanKind.HEALTH_CARD, CPR)


@pytest.mark.parametrize("raw", ["101079-1009-1", "1010791009 1", "101079    1009", "101079#1009"])
def test_h13_p10_not_every_ten_digits_are_a_health_card(raw: str) -> None:
    """More than three separators, or one that is no dash, space or '_:./+'."""
    result = classify(raw)
    assert isinstance(result, ScanError) and result.problem is ScanProblem.UNKNOWN_PATTERN
    assert CPR[6:] not in result.read


# --- point 10: no ten-digit run in any message ---------------------------------

UNREADABLE = [
    "101079\u20131009 x",  # the issue's example with something after it
    "x101079-1009",
    "10 10 79 10 09",
    "1010 7910 09",
    "1234 1010791009",  # masking the CPR must not leave 1234 101079 behind
    "320190\u20131235",  # day 32: no health card, but still masked
    "101079-1009 30010000000011",
    "ab1010791009cd",
    "\uff11\uff10\uff11\uff10\uff17\uff19\uff11\uff10\uff10\uff19",  # fullwidth digits
    "10\u00b710\u00b779\u00b71009",
    "101079\n1009 ok",
]


@pytest.mark.parametrize("raw", UNREADABLE)
def test_h13_p10_unreadable_scan_messages_hold_no_ten_digit_run(raw: str) -> None:
    shown = messages(raw)
    assert shown, f"{raw!r} should not be readable"
    for text in shown:
        assert not ten_digit_runs(text), text
        assert CPR[6:] not in text and "1235" not in text


def test_h13_p10_the_issues_example_is_masked_in_the_form_b3_allows() -> None:
    outcome = scan_error_verdict(ScanError(ScanProblem.UNKNOWN_PATTERN, "101079\u20131009"), "item")
    assert outcome.message_en == "'101079-XXXX' is not an item barcode. Scan again."


def test_h13_p10_scan_error_verdict_masks_whatever_read_it_is_given() -> None:
    """A caller that builds a ScanError itself is masked and clipped too."""
    error = ScanError(ScanProblem.UNKNOWN_PATTERN, "x" * 500 + " 101079 1009")
    for expected in ("card", "item"):
        outcome = scan_error_verdict(error, expected)
        assert len(outcome.message_en) < 100 and not ten_digit_runs(outcome.message_en)


@pytest.mark.parametrize(
    "barcode", ["30010000000011", "20010000000013", "2001000000001", "300100000000111"]
)
def test_h13_p10_barcodes_are_not_masked(barcode: str) -> None:
    assert mask_if_cpr_like(barcode) == barcode
    assert echo(f"Item {barcode} is not on loan") == f"Item {barcode} is not on loan"


def test_h13_p10_masked_forms() -> None:
    assert mask_if_cpr_like("1010791009") == "101079-XXXX"
    assert mask_if_cpr_like("read 101079\u20131009 here") == "read 101079-XXXX here"
    assert mask_if_cpr_like("10 10 79 10 09") == "XX XX XX XX XX"
    assert mask_if_cpr_like("1234 1010791009") == "XXXX XXXXXX-XXXX"


_SEPARATOR = st.sampled_from(["", "-", "\u2013", "\u2212", " ", "  ", "_", ":", ".", "/", "\u00a0"])


@st.composite
def cpr_like(draw: st.DrawFn) -> str:
    """Ten digits, split anywhere, joined by separators."""
    digits = draw(st.text(alphabet="0123456789", min_size=10, max_size=10))
    cuts = sorted(draw(st.sets(st.integers(1, 9), max_size=4)))
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, 10], strict=True)]
    out = parts[0]
    for part in parts[1:]:
        out += draw(_SEPARATOR) + part
    return out


_AROUND = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=400, deadline=None)
@given(before=_AROUND, run=cpr_like(), after=_AROUND)
def test_h13_p10_property_any_text_with_a_cpr_like_run_echoes_none(
    before: str, run: str, after: str
) -> None:
    """For any string holding a CPR-like ten-digit run, what is echoed (the
    scan's read, both verdict messages, ``echo``) holds no ten-digit run."""
    raw = before + run + after
    for text in [echo(raw), *messages(raw)]:
        assert not ten_digit_runs(text), (raw, text)


@settings(max_examples=400, deadline=None)
@given(raw=st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_h13_p10_property_echo_never_shows_a_run_and_stays_short(raw: str) -> None:
    shown = echo(raw)
    assert not ten_digit_runs(shown)
    assert len(shown) <= 40
    assert echo(shown) == shown, "echoing twice changes nothing"


# --- point 13: over-long scans ---------------------------------------------------


def test_h13_p13_a_100000_character_scan_is_no_barcode_and_a_short_message() -> None:
    raw = "3" * 100_000
    result = classify(raw)
    assert result == ScanError(ScanProblem.UNKNOWN_PATTERN, clip(raw))
    assert len(result.read) == 40 and result.read.endswith("\u2026")
    outcome = scan_error_verdict(result, "item")
    assert len(outcome.message_en) < 80 and len(outcome.message_da) < 80


def test_h13_p13_a_long_scan_starting_with_a_cpr_echoes_it_masked() -> None:
    result = classify(CPR + " " + "y" * 100_000)
    assert isinstance(result, ScanError)
    assert result.read.startswith("101079-XXXX") and len(result.read) == 40


def test_h13_p13_echo_stays_within_its_limit_though_masking_adds_hyphens() -> None:
    shown = echo("1010791009 " * 10)
    assert len(shown) <= 40 and not ten_digit_runs(shown)
