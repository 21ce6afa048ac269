"""A scan, classified once (B1-B4): a typed value that flows from the desk to the look-ups.

The scanner's string is read here once, at the edge (``DeskSession.scan``),
into one of five kinds: a library card, a health card (a CPR number, B3), an
item barcode, a transport slip's own code (T4), or a misread (B2, B4). What
comes after (the checkout, the borrower look-up, the item's title for the
banner) takes the typed value and never parses the string again; callers that
still hold a string (the replay, the console) go through :func:`scanned`.

Built on ``barcodes`` (cleaning, check digits, CPR shapes), which stays the
one place that knows what the characters mean. Also here: what the desk says
about a scan it cannot use (a misread, or a card where an item was wanted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from desk_app.domain.barcodes import (
    Scan,
    ScanError,
    ScanKind,
    ScanProblem,
    classify,
    clean_scan,
    cpr_lookup_key,
    echo,
    mask_cpr,
)
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx

# T4: a transport slip's own barcode is its loan number, "L" and 8 digits.
SLIP_PREFIX = "L"
_SLIP_RE = re.compile(rf"^{SLIP_PREFIX}([0-9]{{8}})$")

Expected = Literal["card", "item"]


@dataclass(frozen=True)
class LibraryCard:
    """B1: a 14-digit library card number (check digit verified, B2)."""

    number: str

    @property
    def shown(self) -> str:
        return self.number


@dataclass(frozen=True)
class HealthCard:
    """B1: the Danish health insurance card; ``cpr`` is the bare ten digits.

    B3: never shown, logged or stored as it is: ``shown`` is masked, the
    repr hides it, and the look-up uses its keyed hash.
    """

    cpr: str = field(repr=False)

    @property
    def shown(self) -> str:
        return mask_cpr(self.cpr)


@dataclass(frozen=True)
class ItemBarcode:
    """B1: a 14-digit item barcode (check digit verified, B2)."""

    barcode: str

    @property
    def shown(self) -> str:
        return self.barcode


@dataclass(frozen=True)
class SlipCode:
    """T4: a transport slip's own code, naming its loan."""

    loan_id: int

    @property
    def shown(self) -> str:
        return slip_code(self.loan_id)


@dataclass(frozen=True)
class Misread:
    """B2/B4: nothing to look up: empty, a wrong check digit, or no known shape."""

    error: ScanError

    @property
    def shown(self) -> str:
        return self.error.read

    @property
    def rule(self) -> str:
        return self.error.rule


CardScan = LibraryCard | HealthCard
Scanned = LibraryCard | HealthCard | ItemBarcode | SlipCode | Misread


def card_lookup(card: CardScan, cpr_key: bytes) -> str:
    """The ``cards.lookup`` value: the number, or the CPR's keyed hash (B3)."""
    if isinstance(card, HealthCard):
        return cpr_lookup_key(card.cpr, cpr_key)
    return card.number


def slip_code(loan_id: int) -> str:
    """T4: the code a slip prints for its loan, its own barcode value.

    Letters A-Z and digits only, because other characters change with the
    scanner's keyboard layout (pitfalls.md); "L" cannot be a Codabar start
    letter (B4 strips A-D), so the desk can tell it from a card or an item.
    """
    return f"{SLIP_PREFIX}{loan_id:08d}"


def slip_loan_id(text: str) -> int | None:
    """The loan of a slip's code (case as scanned), or None if it is none."""
    found = _SLIP_RE.match(text.strip().upper())
    return int(found.group(1)) if found else None


def read_scan(raw: str, prefix: str = "", suffix: str = "") -> Scanned:
    """What the scanner read (B4 cleaning, B1 shapes, B2 check digits), once."""
    return _typed(classify(raw, prefix, suffix), raw, prefix, suffix)


def scanned(value: Scanned | str) -> Scanned:
    """A typed scan as it is, or a string read now (the replay, the console)."""
    return read_scan(value) if isinstance(value, str) else value


def from_barcodes(found: Scan | ScanError) -> Scanned:
    """The typed value of what ``barcodes.classify`` found (no slip codes)."""
    if isinstance(found, ScanError):
        return Misread(found)
    if found.kind is ScanKind.LIBRARY_CARD:
        return LibraryCard(found.value)
    if found.kind is ScanKind.HEALTH_CARD:
        return HealthCard(found.value)
    return ItemBarcode(found.value)


def _typed(found: Scan | ScanError, raw: str, prefix: str, suffix: str) -> Scanned:
    if isinstance(found, ScanError) and found.problem is ScanProblem.UNKNOWN_PATTERN:
        loan_id = slip_loan_id(clean_scan(raw, prefix, suffix))
        if loan_id is not None:
            return SlipCode(loan_id)
    return from_barcodes(found)


# -- what the desk says about a scan it cannot use (B2, B4) ------------------


def scan_error_verdict(error: ScanError, expected: Expected | str) -> Verdict:
    """B2/B4: a misread or unreadable scan is looked up nowhere. What was read
    is echoed clipped and CPR-masked (B3), whoever made the error."""
    code = Code.CARD_UNKNOWN if expected == "card" else Code.ITEM_UNKNOWN
    read = echo(error.read)
    if error.problem is ScanProblem.MISREAD:
        return verdict(
            code,
            error.rule,
            tx("Misread: {read} has a wrong check digit. Scan again.", read=read),
            misread=True,
        )
    if error.problem is ScanProblem.EMPTY:
        return verdict(code, error.rule, tx("Nothing was read. Scan again."))
    if expected == "card":
        text = tx("'{read}' is not a card. Scan again.", read=read)
    else:
        text = tx("'{read}' is not an item barcode. Scan again.", read=read)
    return verdict(code, error.rule, text, misread=True)


def misread_verdict(misread: Misread, expected: Expected) -> Verdict:
    return scan_error_verdict(misread.error, expected)


def wrong_kind_verdict(found: Scanned, expected: Expected) -> Verdict:
    """B4: a scan of the wrong kind (a card where an item was wanted, an item
    or a slip where a card was), said as for a scan of no known shape."""
    if isinstance(found, Misread):
        return misread_verdict(found, expected)
    return scan_error_verdict(ScanError(ScanProblem.UNKNOWN_PATTERN, found.shown), expected)


def expected_of_misread(misread: Misread) -> Expected:
    """What a misread at the desk most likely was: a 14-digit number with a
    wrong check digit says by its first digit (B1); anything else an item."""
    if misread.error.problem is ScanProblem.MISREAD and misread.error.read.startswith("2"):
        return "card"
    return "item"
