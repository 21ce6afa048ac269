"""Check-out and request decisions: the order of checks in one place.

Checkout: card known -> card valid (U1) -> category eligible (§1, institute
capacity only) -> not suspended (§5) -> item known -> item not on loan -> loan
rule (§2) -> request queue (§4 L3). A request: card known -> valid -> eligible ->
not suspended -> item known. The first refusal stops the checks.

A supervisor may override a refusal (issue 3): the checks in ``OVERRIDABLE``
are then waived and named in the verdict, so the audit trail shows which rules
were set aside. An unknown or invalid card, an unknown item and an item
already on loan can never be overridden: there is no one, nothing, or no free
copy to lend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desk_app.domain.cards import card_unknown, check_card_valid
from desk_app.domain.eligibility import check_eligible
from desk_app.domain.facts import BorrowerFacts, Capacity, CardFacts, ItemFacts, LoanFacts
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_period import (
    due_after_request,
    institute_loan_terms,
    private_loan_terms,
)
from desk_app.domain.material import Lendable, check_lendable
from desk_app.domain.policy import Policy
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, literal, tx

OVERRIDABLE = frozenset(
    {
        Code.NOT_ELIGIBLE,
        Code.SUSPENDED,
        Code.NOT_LOANABLE_ID_CARD,
        Code.NOT_LOANABLE_READING_ROOM,
        Code.RESERVED_FOR_OTHER,
    }
)


# What a borrower refusal names as refused ("Loan refused: the borrower is
# suspended ..."): the desk's own actions, and those of the services that run
# the borrower checks too (ILL receipt, M3 orders).
ACTION_LOAN = tx("Loan")
ACTION_REQUEST = tx("Request")
ACTION_ILL_LOAN = tx("ILL loan")
ACTION_ORDER = tx("Order")


def overridable(outcome: Verdict) -> bool:
    """May a supervisor lend despite this refusal?"""
    return outcome.code in OVERRIDABLE


def item_unknown(read: str) -> Verdict:
    return verdict(
        Code.ITEM_UNKNOWN,
        "B1",
        tx(
            "Item {item} is not in the catalogue. Check the barcode or catalogue the item.",
            item=read,
        ),
    )


def suspended_verdict(causes: Sequence[str], action: Text) -> Verdict:
    """S3: ``action`` (``ACTION_LOAN``, ...) refused for a suspended borrower,
    naming the items that cause it."""
    return verdict(
        Code.SUSPENDED,
        "S3",
        tx(
            "{action} refused: the borrower is suspended (after the 3rd reminder) for "
            "item(s) {items}. Returning them, or contact about the case, lifts it.",
            action=action,
            items=", ".join(causes),
        ),
        causes=list(causes),
    )


def check_borrower(
    card: CardFacts | None,
    borrower: BorrowerFacts | None,
    capacity: Capacity,
    day: date,
    read: str,
    action: Text,
    unknown_card: Verdict | None = None,
    waived: list[Verdict] | None = None,
) -> Verdict | None:
    """The borrower half of the checks, shared by checkout, request and ILL.
    ``unknown_card`` replaces the plain CARD_UNKNOWN (e.g. for a misread, B2).
    With ``waived`` (an override), overridable refusals are collected there
    instead of returned. ``action`` is what a suspension refuses (``ACTION_LOAN``, ...)."""
    if card is None or borrower is None:
        return unknown_card or card_unknown(read)
    invalid = check_card_valid(card, day)  # U1
    if invalid:
        return invalid
    refusals: list[Verdict] = []
    if capacity is Capacity.INSTITUTE:
        not_eligible = check_eligible(borrower.category, borrower.own_office)  # E1
        if not_eligible:
            refusals.append(not_eligible)
    if borrower.suspended:  # S3
        refusals.append(suspended_verdict(borrower.suspension_causes, action))
    if waived is None or not refusals:
        return refusals[0] if refusals else None
    waived.extend(refusals)
    return None


def decide_checkout(
    *,
    card: CardFacts | None,
    borrower: BorrowerFacts | None,
    item: ItemFacts | None,
    holder_id: int | None,
    queue: Sequence[int],
    capacity: Capacity,
    day: date,
    policy: Policy,
    read_card: str = "",
    read_item: str = "",
    unknown_card: Verdict | None = None,
    unknown_item: Verdict | None = None,
    override: bool = False,
) -> Verdict:
    """Decide a checkout. ``holder_id`` is the borrower holding the item now
    (None when on the shelf); ``queue`` the requesting borrowers, first first.

    A LOANED verdict carries due, guaranteed_until, delivery, use_at_institute,
    and whether the loan fulfils the borrower's request and starts requested;
    after an override, ``overridden``: the codes of the refusals set aside.
    """
    waived: list[Verdict] | None = [] if override else None
    refusal = check_borrower(
        card, borrower, capacity, day, read_card, ACTION_LOAN, unknown_card, waived
    )
    if refusal:
        return refusal
    assert borrower is not None
    if item is None:
        return unknown_item or item_unknown(read_item)
    if holder_id is not None:
        mine = holder_id == borrower.id
        return verdict(
            Code.ON_LOAN,
            "C1",
            tx("This borrower already has the item on loan (renew instead?).")
            if mine
            else tx("The item is on loan to another borrower: check it in first."),
        )
    lendable = check_lendable(item, capacity, day, policy.material)  # §2
    if not isinstance(lendable, Lendable):
        if waived is None:
            return lendable
        waived.append(lendable)
        lendable = Lendable("M1", use_at_institute=False)
    if queue and queue[0] != borrower.id:  # L3
        reserved = verdict(
            Code.RESERVED_FOR_OTHER,
            "L3",
            tx(
                "Reserved for another borrower (queue of {count}); "
                "only the first in the queue may borrow it now.",
                count=len(queue),
            ),
            queue_length=len(queue),
        )
        if waived is None:
            return reserved
        waived.append(reserved)
    fulfils_request = bool(queue) and queue[0] == borrower.id
    others_waiting = len(queue) > (1 if fulfils_request else 0)
    if capacity is Capacity.PRIVATE:
        terms = private_loan_terms(day, policy)  # P1
        hand_over = HandOver.SELF_PICKUP  # the private borrower is at the desk
    else:
        terms = institute_loan_terms(day, others_waiting, policy)  # L1-L3
        hand_over = HandOver(borrower.delivery.value)  # T1-T3
    rule = "M2" if lendable.use_at_institute else terms.rule
    parts = [tx("Loan until {due}", due=terms.due)]
    if terms.guaranteed_until and capacity is Capacity.INSTITUTE:
        if others_waiting:
            parts.append(
                tx(
                    "; guaranteed only {period} (to {until}): another borrower is waiting",
                    period=policy.loan.guaranteed_if_requested.describe(),
                    until=terms.guaranteed_until,
                )
            )
            rule = "L2"
        else:
            parts.append(tx(", guaranteed until {until}", until=terms.guaranteed_until))
    if lendable.use_at_institute:
        parts.append(tx(". USE AT THE INSTITUTE ONLY"))
    message = join([*parts, literal(".")])
    if waived:
        rule = waived[0].rule
        message = tx(
            "Override of {rules}: {loan}",
            rules=", ".join(w.rule for w in waived),
            loan=message,
        )
    return verdict(
        Code.LOANED,
        rule,
        message,
        due=terms.due,
        guaranteed_until=terms.guaranteed_until,
        delivery=hand_over.value,
        use_at_institute=lendable.use_at_institute,
        fulfils_request=fulfils_request,
        requested_at_once=terms.requested_at_once,
        **({"overridden": [w.code.value for w in waived]} if waived else {}),
    )


def decide_request(
    *,
    card: CardFacts | None,
    borrower: BorrowerFacts | None,
    item: ItemFacts | None,
    current_loan: LoanFacts | None,
    queue: Sequence[int],
    day: date,
    read_card: str = "",
    read_item: str = "",
    unknown_card: Verdict | None = None,
    unknown_item: Verdict | None = None,
) -> Verdict:
    """L3/L4: place a request. A REQUESTED verdict carries the position and the
    shortened due date of the current loan (``due_changed_to``, or None)."""
    refusal = check_borrower(
        card,
        borrower,
        Capacity.INSTITUTE,
        day,
        read_card,
        ACTION_REQUEST,
        unknown_card,
    )
    if refusal:
        return refusal
    assert borrower is not None
    if item is None:
        return unknown_item or item_unknown(read_item)
    if current_loan is not None and current_loan.borrower_id == borrower.id:
        return verdict(
            Code.ON_LOAN,
            "L3",
            tx("The borrower already has this item on loan."),
        )
    if borrower.id in queue:
        position = list(queue).index(borrower.id) + 1
        return verdict(
            Code.REQUESTED,
            "L3",
            tx("Already requested: number {position} in the queue.", position=position),
            position=position,
            due_changed_to=None,
            duplicate=True,
        )
    position = len(queue) + 1
    due_changed_to = None
    if current_loan is not None and current_loan.capacity is Capacity.INSTITUTE:
        new_due = due_after_request(current_loan.due, current_loan.guaranteed_until, day)  # L4
        if new_due < current_loan.due:
            due_changed_to = new_due
    parts = [tx("Requested: number {position} in the queue.", position=position)]
    if due_changed_to:
        parts.append(tx("The current loan is now due {due}.", due=due_changed_to))
    return verdict(
        Code.REQUESTED,
        "L4" if due_changed_to else "L3",
        join(parts, " "),
        position=position,
        due_changed_to=due_changed_to,
        duplicate=False,
    )
