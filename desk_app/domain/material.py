"""§2 What may be lent: M1 to M4."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desk_app.domain.facts import Capacity, ItemFacts, LoanRule
from desk_app.domain.policy import MaterialPolicy
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, tx


class Alternative(StrEnum):
    """M3: what a borrower can do instead of borrowing a reading-room item."""

    DIGITAL_COPY = "DIGITAL_COPY"
    ILL = "ILL"
    READING_ROOM_WEST = "READING_ROOM_WEST"


_ALTERNATIVE_TEXT: dict[Alternative, Text] = {
    Alternative.DIGITAL_COPY: tx("order a digital copy"),
    Alternative.ILL: tx("borrow another copy from another library (ILL)"),
    Alternative.READING_ROOM_WEST: tx("order it to Reading Room West in the Black Diamond"),
}


@dataclass(frozen=True)
class Lendable:
    """The item may be lent; ``use_at_institute`` marks an M2 loan."""

    rule: str
    use_at_institute: bool


def check_lendable(
    item: ItemFacts, capacity: Capacity, day: date, policy: MaterialPolicy
) -> Lendable | Verdict:
    """M1 to M4. The M2 exception is a right of the scheme, so a private-capacity
    loan of reading-room material falls under M3."""
    if item.loan_rule is LoanRule.HOME:
        return Lendable("M1", use_at_institute=False)  # M1
    if item.loan_rule is LoanRule.READING_ROOM_ID:
        return verdict(  # M4
            Code.NOT_LOANABLE_ID_CARD,
            "M4",
            tx(
                "Not for loan: this material needs a reading-room ID card, which needs "
                "registration as a private borrower."
            ),
        )
    if capacity is Capacity.INSTITUTE and reading_room_lendable(item, day, policy):
        return Lendable("M2", use_at_institute=True)
    alternatives = reading_room_alternatives(item, policy)
    instead = join((_ALTERNATIVE_TEXT[a] for a in alternatives), "; ")
    return verdict(  # M3
        Code.NOT_LOANABLE_READING_ROOM,
        "M3",
        tx("Reading-room material, not for loan. Instead: {alternatives}.", alternatives=instead),
        alternatives=[a.value for a in alternatives],
    )


def reading_room_lendable(item: ItemFacts, day: date, policy: MaterialPolicy) -> bool:
    """M2: KUB-owned reading-room items printed 1800 .. (current year - 100),
    both ends included, may be lent for use at the institute."""
    if item.owner != policy.kub_owner or item.printed_year is None:
        return False
    last_year = day.year - policy.reading_room_age_years
    return policy.reading_room_first_year <= item.printed_year <= last_year


def reading_room_alternatives(item: ItemFacts, policy: MaterialPolicy) -> list[Alternative]:
    """M3: digital copy for Danish legal-deposit books printed 1701..1916; ILL
    for books printed after 1900; Reading Room West always, as the fallback."""
    found: list[Alternative] = []
    year = item.printed_year
    first, last = policy.digital_copy_years
    if item.danish_legal_deposit and year is not None and first <= year <= last:
        found.append(Alternative.DIGITAL_COPY)
    if year is not None and year > policy.ill_printed_after:
        found.append(Alternative.ILL)
    found.append(Alternative.READING_ROOM_WEST)
    return found
