"""The newcomer's examples: checkouts to type at the desk, each showing one
rule, with the outcome the desk will give.

They are listed in an order in which each gives the outcome stated (the
refusals change nothing), and name library cards only, never a CPR number
(B3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk_app.demo.loans import OPEN
from desk_app.demo.people import BorrowerPlan
from desk_app.domain.facts import CardStatus, Category, Step
from desk_app.domain.verdict import Code

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan


@dataclass(frozen=True)
class DemoExample:
    """A checkout a newcomer can type, and the outcome the desk will give."""

    what: str
    card: str  # a library card number, never a CPR number (B3)
    item: str
    expect: Code


def examples(plan: DemoPlan) -> tuple[DemoExample, ...]:
    """The showcase items with the reserved researcher's card, then the
    borrowers the desk refuses, each with an item that is free to lend."""
    assert plan.newcomer is not None
    good = plan.newcomer.library_card().display
    show = {name: item.barcode for name, item in plan.showcase.items()}
    spare = show["try2"]
    found: list[DemoExample] = [
        DemoExample("a researcher borrows a book (L1, L2)", good, show["try1"], Code.LOANED),
        DemoExample(
            f"reading-room book printed {plan.showcase['m2'].printed_year}: "
            "use at the institute only (M2)",
            good,
            show["m2"],
            Code.LOANED,
        ),
        DemoExample(
            "a title with <, & and æøå (look at the slip)", good, show["special"], Code.LOANED
        ),
        DemoExample(
            f"reading-room book printed {plan.showcase['m3_digital'].printed_year}: "
            "refused, a digital copy offered (M3)",
            good,
            show["m3_digital"],
            Code.NOT_LOANABLE_READING_ROOM,
        ),
        DemoExample(
            f"reading-room book printed {plan.showcase['m3_ill'].printed_year}: "
            "refused, ILL offered (M3)",
            good,
            show["m3_ill"],
            Code.NOT_LOANABLE_READING_ROOM,
        ),
        DemoExample(
            f"reading-room book owned by {plan.showcase['m3_other_owner'].owner}, not "
            f"{plan.policy.material.kub_owner}: refused (M3)",
            good,
            show["m3_other_owner"],
            Code.NOT_LOANABLE_READING_ROOM,
        ),
        DemoExample(
            "needs a reading-room ID card (M4)", good, show["m4"], Code.NOT_LOANABLE_ID_CARD
        ),
    ]
    on_loan = next(
        (
            loan.item
            for loan in plan.loans
            if loan.state is OPEN and loan.step is None and not loan.item.is_ill
        ),
        None,
    )
    if on_loan is not None:
        found.append(
            DemoExample("on loan to another borrower", good, on_loan.barcode, Code.ON_LOAN)
        )
    if plan.shelf_queues:
        found.append(
            DemoExample(
                "on the shelf, requested by others first (L3)",
                good,
                plan.shelf_queues[0].barcode,
                Code.RESERVED_FOR_OTHER,
            )
        )
    today = plan.today

    def first_card(test: Callable[[BorrowerPlan], bool]) -> str | None:
        for borrower in plan.borrowers:
            if not borrower.reserved and test(borrower):
                return borrower.library_card().display
        return None

    causes = {  # S2: holders of an unsettled SUSPENSION case
        loan.borrower
        for loan in plan.loans
        if loan.state is OPEN and loan.step is Step.SUSPENSION and loan.settled_on is None
    }
    suspended = first_card(
        lambda b: b in causes and b.eligible and b.library_card().valid_on(today)
    )
    cards = (
        ("suspended after the 3rd reminder (S2, S3)", suspended, Code.SUSPENDED),
        (
            "a student: not in the scheme (E1)",
            first_card(
                lambda b: b.category is Category.STUDENT and b.library_card().valid_on(today)
            ),
            Code.NOT_ELIGIBLE,
        ),
        (
            "an emeritus without an own office (E1)",
            first_card(
                lambda b: (
                    b.category is Category.EMERITUS
                    and not b.own_office
                    and b.library_card().valid_on(today)
                )
            ),
            Code.NOT_ELIGIBLE,
        ),
        (
            "an expired card (U1)",
            first_card(
                lambda b: (
                    (b.library_card().expires or today) < today
                    and b.library_card().status is CardStatus.ACTIVE
                )
            ),
            Code.CARD_INVALID,
        ),
        (
            "a card reported lost (U1)",
            first_card(lambda b: any(c.status is CardStatus.LOST for c in b.cards)),
            Code.CARD_INVALID,
        ),
    )
    for what, card, code in cards:
        if card is not None:
            found.append(DemoExample(what, card, spare, code))
    return tuple(found)
