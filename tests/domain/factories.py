"""Small builders for the pure domain tests (no database, no clock)."""

from __future__ import annotations

from datetime import date

from desk_app.domain.facts import (
    BorrowerFacts,
    Capacity,
    CardFacts,
    CardStatus,
    Category,
    ItemFacts,
    LoanFacts,
    LoanRule,
    Step,
)
from desk_app.domain.policy import Delivery
from desk_app.domain.verdict import Code, Verdict

CARD_NO = "20010000000013"
ITEM_NO = "30010000000011"


def card(
    status: CardStatus = CardStatus.ACTIVE,
    expires: date | None = date(2030, 12, 31),
    changed: date | None = None,
    display: str = CARD_NO,
) -> CardFacts:
    return CardFacts(display=display, status=status, expires=expires, status_changed_on=changed)


def borrower(
    id: int = 1,
    category: Category = Category.RESEARCHER,
    own_office: bool = False,
    delivery: Delivery = Delivery.COURIER,
    causes: tuple[str, ...] = (),
) -> BorrowerFacts:
    return BorrowerFacts(
        id=id,
        name=f"Borrower {id}",
        category=category,
        own_office=own_office,
        delivery=delivery,
        suspension_causes=causes,
    )


def item(
    loan_rule: LoanRule = LoanRule.HOME,
    owner: str = "KUB",
    printed_year: int | None = 1990,
    legal_deposit: bool = False,
    barcode: str = ITEM_NO,
    is_ill: bool = False,
) -> ItemFacts:
    return ItemFacts(
        barcode=barcode,
        title="A book",
        loan_rule=loan_rule,
        owner=owner,
        printed_year=printed_year,
        danish_legal_deposit=legal_deposit,
        is_ill=is_ill,
    )


def loan(
    loan_date: date = date(2026, 1, 5),
    due: date = date(2027, 1, 5),
    guaranteed_until: date | None = date(2026, 2, 5),
    borrower_id: int = 1,
    capacity: Capacity = Capacity.INSTITUTE,
    is_ill: bool = False,
    step: Step | None = None,
    settled: bool = False,
) -> LoanFacts:
    return LoanFacts(
        borrower_id=borrower_id,
        capacity=capacity,
        loan_date=loan_date,
        due=due,
        guaranteed_until=guaranteed_until,
        is_ill=is_ill,
        step=step,
        settled=settled,
    )


def assert_verdict(v: object, code: Code, rule: str) -> Verdict:
    """The verdict has this outcome code and rule label, and speaks both languages."""
    assert isinstance(v, Verdict), v
    assert v.code is code, (v.code, v.message_en)
    assert v.rule == rule, (v.rule, v.message_en)
    assert v.message_en.strip(), "message_en is empty"
    assert v.message_da.strip(), "message_da is empty"
    assert v.message("en") == v.message_en
    assert v.message("da") == v.message_da
    return v
