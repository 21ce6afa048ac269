"""A small cast of borrowers and items for services tests (valid B2 numbers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desk_app.domain.barcodes import with_check_digit
from desk_app.services.context import DeskContext
from desk_app.services.enrolment import (
    BorrowerRecord,
    InstituteRecord,
    ItemRecord,
    declare,
    policy_institutes,
)
from tests.helpers.staffing import seeder


def card(n: int) -> str:
    """Library card number n (type 2, institution 0001)."""
    return with_check_digit(f"20001{n:08d}")


def item(n: int) -> str:
    """Item barcode n (type 3, institution 0001)."""
    return with_check_digit(f"30001{n:08d}")


# A health-card (CPR) number made up for tests; fails modulus-11 on purpose (B3).
TEST_CPR = "010190-1235"

ANNE, BO, CECILIE, EMERITUS_NO_OFFICE, STUDENT, EXPIRED, PLEN_USER, INF_USER = (
    card(n) for n in range(1, 9)
)


def seed_cast(ctx: DeskContext) -> None:
    """Declare the policy's institutes, eight borrowers and a few items."""
    far = date(2031, 12, 31)
    borrowers = [
        BorrowerRecord(ANNE, "Anne Jensen", "researcher", "DIKU", card_expires=far),
        BorrowerRecord(BO, "Bo Nielsen", "phd_student", "DIKU", card_expires=far),
        BorrowerRecord(CECILIE, "Cecilie Hansen", "teacher", "NFI", card_expires=far),
        BorrowerRecord(EMERITUS_NO_OFFICE, "Erik Andersen", "emeritus", "NFI", card_expires=far),
        BorrowerRecord(STUDENT, "Frida Larsen", "student", "DIKU", card_expires=far),
        BorrowerRecord(
            EXPIRED, "Karl Mortensen", "researcher", "DIKU", card_expires=date(2025, 12, 31)
        ),
        BorrowerRecord(PLEN_USER, "Hanne Krogh", "researcher", "PLEN", card_expires=far),
        BorrowerRecord(INF_USER, "Gustav Holm", "researcher", "INF", card_expires=far),
        BorrowerRecord(TEST_CPR, "Ida Health", "teacher", "SAXO", card_expires=far),
    ]
    items = [
        ItemRecord(item(1), "Concrete Mathematics", printed_year=1994, price=Decimal(650)),
        ItemRecord(item(2), "The Art of Computer Programming", printed_year=1997),
        ItemRecord(item(3), "Danmarks Riges Historie", loan_rule="reading_room", printed_year=1905),
        ItemRecord(
            item(4),
            "Holbergs Comoedier",
            loan_rule="reading_room",
            printed_year=1731,
            danish_legal_deposit=True,
        ),
        ItemRecord(item(5), "Manuscript facsimile", loan_rule="reading_room_id", printed_year=1950),
        ItemRecord(item(6), "Structure and Interpretation", printed_year=1996),
    ]
    declare(ctx, seeder(ctx), policy_institutes(ctx.policy), borrowers, items)


__all__ = ["InstituteRecord", "card", "item", "seed_cast"]
