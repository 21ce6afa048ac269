"""Cards and item barcodes: rules B1 to B4.

B1: library cards are 14 digits starting with 2 (type digit, 4-digit institution,
8-digit sequence, check digit); items are 14 digits starting with 3; the Danish
health insurance card carries a CPR number (DDMMYY-SSSS).
B2: the 14-digit check digit (a Luhn-style sum over the first 13 digits).
B3: a CPR number is personal data: kept only as a keyed hash, shown masked.
B4: scanner input is cleaned before it is looked up.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

CODABAR_START_STOP = "ABCD"
# What may stand between a CPR number's date and serial (B1): a hyphen as
# printed, but people and keyboard layouts also give every other dash (Unicode
# Pd), a minus sign, one or two spaces, '_', ':', '.', '/' or '+'. NBSP, tabs
# and other unprintable characters are gone after clean_scan already.
CPR_SEPARATORS = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a"
    "\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d"
    "\U00010ead\u2212\u207b\u208b\u2796\u2043 _:./+\uff3f\uff1a"
)
_CPR_RE = re.compile(rf"^([0-9]{{6}})(?:\s|[{re.escape(CPR_SEPARATORS)}]){{0,3}}([0-9]{{4}})$")
# A ten-digit run that could be a CPR number however it was typed: ten digits
# of any script with nothing but spaces or punctuation between them, and no
# digit right before or after (a 14-digit barcode is no such run). Letters end
# a run, so the X of a masked number does too.
_CPR_LIKE_RE = re.compile(r"(?<!\d)\d(?:[\W_]*\d){9}(?!\d)")
_SIX_FOUR_RE = re.compile(r"(\d{6})[\W_]*\d{4}")
# A scan is at most a 14-digit number with Codabar letters, a prefix and a
# suffix, or a CPR number with separators; anything longer is no barcode.
MAX_SCAN_CHARS = 40
# What a message echoes of something read or typed, at most (with an ellipsis).
ECHO_CHARS = 40


class ScanKind(StrEnum):
    LIBRARY_CARD = "library_card"
    HEALTH_CARD = "health_card"
    ITEM = "item"


class ScanProblem(StrEnum):
    EMPTY = "empty"
    MISREAD = "misread"  # B2: a 14-digit number whose check digit is wrong
    UNKNOWN_PATTERN = "unknown_pattern"  # B4


@dataclass(frozen=True)
class Scan:
    """A cleaned scan: what it is and its canonical value.

    For a health card the value is the CPR number without hyphen; callers must
    hash it (B3) before it goes anywhere.
    """

    kind: ScanKind
    value: str

    @property
    def is_card(self) -> bool:
        return self.kind in (ScanKind.LIBRARY_CARD, ScanKind.HEALTH_CARD)


@dataclass(frozen=True)
class ScanError:
    problem: ScanProblem
    read: str  # what was read, cleaned; masked if it looked like a CPR number

    @property
    def rule(self) -> str:
        return "B2" if self.problem is ScanProblem.MISREAD else "B4"


def check_digit(first13: str) -> int:
    """B2: double the digits in odd positions (1st, 3rd, ... 13th), subtracting
    9 from a product over 9, add the digits in even positions; the check digit
    is (10 - total mod 10) mod 10."""
    if len(first13) != 13 or not is_ascii_digits(first13):
        raise ValueError("B2 needs exactly 13 digits")
    total = 0
    for position, char in enumerate(first13, start=1):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def with_check_digit(first13: str) -> str:
    return first13 + str(check_digit(first13))


def is_ascii_digits(text: str) -> bool:
    """Only 0-9: ``str.isdigit`` also accepts superscripts and other scripts."""
    return text.isascii() and text.isdigit()


def has_valid_check_digit(number: str) -> bool:
    return (
        len(number) == 14
        and is_ascii_digits(number)
        and check_digit(number[:13]) == int(number[13])
    )


def clean_scan(raw: str, prefix: str = "", suffix: str = "") -> str:
    """B4: strip whitespace and control characters, the configured prefix and
    suffix, and Codabar start/stop letters (A-D, either case)."""
    text = "".join(ch for ch in raw if ch.isprintable()).strip()
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    text = text.strip()
    if (
        len(text) >= 2
        and text[0].upper() in CODABAR_START_STOP
        and text[-1].upper() in CODABAR_START_STOP
    ):
        text = text[1:-1].strip()
    return text


def classify(raw: str, prefix: str = "", suffix: str = "") -> Scan | ScanError:
    """Clean ``raw`` (B4) and say what it is (B1), checking digits (B2).

    A CPR number is never rejected for failing the old modulus-11 check (B3).
    """
    text = clean_scan(raw, prefix, suffix)
    if not text:
        return ScanError(ScanProblem.EMPTY, "")
    if len(text) > MAX_SCAN_CHARS:  # no barcode is this long: not looked up anywhere
        return ScanError(ScanProblem.UNKNOWN_PATTERN, echo(_printable(raw)))
    if len(text) == 14 and is_ascii_digits(text) and text[0] in "23":
        if not has_valid_check_digit(text):
            return ScanError(ScanProblem.MISREAD, text)
        kind = ScanKind.LIBRARY_CARD if text[0] == "2" else ScanKind.ITEM
        return Scan(kind, text)
    cpr = _CPR_RE.match(text)
    if cpr and _plausible_cpr_date(cpr.group(1)):
        return Scan(ScanKind.HEALTH_CARD, cpr.group(1) + cpr.group(2))
    # Say what was read (B4): the scan as it came, less control characters.
    return ScanError(ScanProblem.UNKNOWN_PATTERN, echo(_printable(raw)))


def _printable(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isprintable()).strip()


def _plausible_cpr_date(ddmmyy: str) -> bool:
    day, month = int(ddmmyy[:2]), int(ddmmyy[2:4])
    return 1 <= day <= 31 and 1 <= month <= 12


def mask_cpr(cpr: str) -> str:
    """B3: the only form a screen may show: ``DDMMYY-XXXX``."""
    digits = cpr.replace("-", "")
    return f"{digits[:6]}-XXXX"


def mask_if_cpr_like(text: str) -> str:
    """Mask every ten-digit run that could be a CPR number (B3), for messages.

    A run shaped like one (``DDMMYYSSSS``, or six and four digits with any
    separator) becomes ``DDMMYY-XXXX`` as :func:`mask_cpr` shows it; any other
    ten-digit run (``10 10 79 10 09``) loses all its digits. Masking can leave
    the first digits of a run next to earlier ones (``1234 1010791009``), so
    it repeats until no run is left.
    """
    while (run := _CPR_LIKE_RE.search(text)) is not None:
        found = run.group()
        shaped = _SIX_FOUR_RE.fullmatch(found)
        if shaped:
            masked = f"{shaped.group(1)}-XXXX"
        else:
            masked = "".join("X" if ch.isdigit() else ch for ch in found)
        text = text[: run.start()] + masked + text[run.end() :]
    return text


def clip(text: str, limit: int = ECHO_CHARS) -> str:
    """At most ``limit`` characters, the last an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """What any message may show of something read, typed or found in a file:
    clipped (a 100,000-character scan makes no 100,000-character banner),
    then CPR-masked (B3). Clipping first, so a cut cannot leave a run behind;
    again while masking (``DDMMYYSSSS`` gains a hyphen) made it too long: each
    round that lengthens it masks four digits, so this ends."""
    shown = mask_if_cpr_like(clip(text, limit))
    while len(shown) > limit:
        shown = mask_if_cpr_like(clip(shown, limit))
    return shown


def cpr_lookup_key(cpr: str, key: bytes) -> str:
    """B3: the keyed hash under which a health card is stored and looked up.

    HMAC-SHA256 with a secret kept outside the database, so a copy of the
    database alone cannot be searched for CPR numbers by brute force.
    """
    digits = cpr.replace("-", "")
    if not (len(digits) == 10 and digits.isdigit()):
        raise ValueError("a CPR number has 10 digits")
    return "cpr:" + hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()
