"""What a return says: check-in, found on the shelf, a lost item back (§5 S4, §6 C1, C4, §9 P1, U2),
and where a requested book goes next (§4 Q1, Q3; §3 T1-T3).

The service ends the loan through the loan table and reads what followed
(whether it lifted a suspension, who is waiting, the late fee); the words
and the rule the desk shows are decided here: C1 for a plain return, S4 when
it lifted the borrower's suspension, P1 when a private loan's late fee is
charged.

Q3: a returned item with a queue is never shelved: the desk lends it at
once to the first requester who may borrow it (two transactions, the return
and the checkout); Q1: a picked item (on the shelf, requested) scanned at
the checkout with no borrower at the desk is lent to its first requester.
:func:`lent_on` words the one banner for both steps, :func:`held_for_queue`
what to do when no one in the queue may borrow it now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from desk_app.domain.claim_states import CLAIM, ClaimAction, ClaimState, on_return
from desk_app.domain.claims import ClaimAmounts, refund_on_return
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import LoanAction
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, join, tx


def returned(
    title: str,
    *,
    reinstated: bool,
    next_card: str | None,
    late_fee: Decimal | None,
    damage_charge: Decimal | None,
    borrower_id: int,
) -> Verdict:
    """C1: the item is back. S4 when the return lifted the borrower's
    suspension (the rule the desk must see first); P1 when a late fee is
    charged for a private loan and no suspension was lifted."""
    parts = _return_parts(title, reinstated, late_fee)
    rule = "C1"
    if reinstated:
        rule = "S4"
    if next_card:  # Q3: the window lends it on at once; said for the console and a courier
        parts.insert(
            -1 if late_fee else len(parts),
            tx(
                "Requested: do not shelve it; lend it on at once to the first in "
                "the queue ({card}).",
                card=next_card,
            ),
        )
    if late_fee:
        rule = rule if reinstated else "P1"
    return verdict(
        Code.RETURNED,
        rule,
        join(parts, " "),
        reinstated=reinstated,
        next=next_card,
        late_fee=late_fee if late_fee else None,
        damage_charge=damage_charge,
        borrower_id=borrower_id,
    )


def _return_parts(title: str, reinstated: bool, late_fee: Decimal | None) -> list[Text]:
    parts: list[Text] = [tx("Returned: {title}.", title=title)]
    if reinstated:
        parts.append(tx("The borrower's suspension is lifted."))
    if late_fee:
        parts.append(tx("Late fee {fee} DKK (private loan).", fee=late_fee))
    return parts


def found_on_shelf(*, reinstated: bool, next_card: str | None, borrower_id: int) -> Verdict:
    """C1: staff found the item on the shelf: the loan ends, liability with it."""
    return verdict(
        Code.DISCHARGED,
        "C1",
        tx("Found on the shelf: the loan is ended and the borrower is no longer liable."),
        reinstated=reinstated,
        next=next_card,
        borrower_id=borrower_id,
    )


@dataclass(frozen=True)
class LostItemBack:
    """C4: what a lost item's return does to its claim, and what the desk says."""

    claim_state: ClaimState  # after the return
    refund: Decimal | None  # a billed claim's refund; None when cancelled
    verdict: Verdict


def lost_item_back(
    claim_state: ClaimState | str,
    amounts: ClaimAmounts,
    by: LoanAction,
    *,
    next_card: str | None,
    borrower_id: int,
) -> LostItemBack:
    """C4: a lost item comes back (checked in, or found on the shelf). A
    billed claim is refunded minus the collection fee; a claim not yet billed
    is cancelled in full."""
    action = on_return(claim_state)
    billed = action is ClaimAction.REFUND
    refund = refund_on_return(amounts, billed)
    if billed:
        text = tx(
            "Lost item back: the billed claim is refunded, {refund} DKK (less the fee).",
            refund=refund,
        )
    else:
        text = tx("Lost item back: the claim, not yet billed, is cancelled.")
    outcome = verdict(
        Code.RETURNED if by is LoanAction.RETURN else Code.DISCHARGED,
        "C4",
        text,
        reinstated=False,
        next=next_card,
        refund=refund,
        borrower_id=borrower_id,
    )
    return LostItemBack(CLAIM.step(claim_state, action), refund, outcome)


# -- Q1, Q3: a requested book goes on to its first requester --------------------------


@dataclass(frozen=True)
class Destination:
    """Where a loan's book goes from the desk (§3 T1-T3, §7 I3), as the
    banner says it: the slip printed with it says the same."""

    hand_over: HandOver
    institute: Text  # the borrower's institute, in each language
    route: str | None = None  # T1, T3: the route's code
    route_name: str | None = None
    stop: int | None = None  # T1: the institute's stop on the route
    shelf: str | None = None  # T2: the pickup shelf's letter (``transport.pickup_shelf``)
    reading_room: Text | None = None  # I3


def destination_text(where: Destination, borrower_name: str) -> Text:
    """Where the book goes, in a sentence (T1: route and stop; T2: the pickup
    shelf; T3: the internal courier; I3: the reading room)."""
    if where.hand_over is HandOver.SELF_PICKUP:
        return tx(
            "It goes on pickup shelf {shelf} at the desk: {name} collects it.",
            shelf=where.shelf or "#",
            name=borrower_name,
        )
    if where.hand_over is HandOver.READING_ROOM:
        return tx("It goes to the reading room: {room}.", room=where.reading_room or "")
    if where.hand_over is HandOver.INTERNAL_COURIER:
        if where.route:
            return tx(
                "It goes with the internal courier (route {route}) to {institute}.",
                route=where.route,
                institute=where.institute,
            )
        return tx("It goes with the internal courier to {institute}.", institute=where.institute)
    if where.route and where.stop is not None:
        return tx(
            "It goes by courier: route {route} ({route_name}), stop {stop}, {institute}.",
            route=where.route,
            route_name=where.route_name or where.route,
            stop=where.stop,
            institute=where.institute,
        )
    if where.route:
        return tx(
            "It goes by courier: route {route} ({route_name}), {institute}.",
            route=where.route,
            route_name=where.route_name or where.route,
            institute=where.institute,
        )
    return tx("It goes by courier to {institute}.", institute=where.institute)


def _passed_over(passed: Sequence[tuple[str, Verdict]]) -> list[Text]:
    """Each requester the book could not go to, with the rule that refused."""
    return [
        tx(
            "Not lent to {name} ({rule}): {reason}",
            name=name,
            rule=refused.rule,
            reason=refused.text,
        )
        for name, refused in passed
    ]


def lent_on(
    *,
    title: str,
    returned: Verdict | None,
    loaned: Verdict,
    borrower_id: int,
    borrower_name: str,
    destination: Destination | None,
    passed: Sequence[tuple[str, Verdict]] = (),
) -> Verdict:
    """Q3 (after ``returned``) or Q1 (a picked item, ``returned`` None): the
    book is lent to a requester: the one banner for the return (if any), the
    requesters passed over and why, the loan (L2's 14 days when others still
    wait) and where the book goes. The loan's own rule is named beside Q3 or
    Q1 when it is L2 (a shortened guarantee) or M2 (use at the institute)."""
    parts: list[Text] = []
    if returned is not None:
        parts += _return_parts(
            title, bool(returned.data.get("reinstated")), returned.data.get("late_fee")
        )
    parts += _passed_over(passed)
    parts.append(tx("Lent to {name} (request): {loan}", name=borrower_name, loan=loaned.text))
    if destination is not None:
        parts.append(destination_text(destination, borrower_name))
    rule = "Q3" if returned is not None else "Q1"
    data = {
        **loaned.data,
        "routed": rule,
        "lent_to": borrower_name,
        "borrower_id": borrower_id,
        "passed_over": [refused.code.value for _, refused in passed],
    }
    if returned is not None:
        data["returned"] = dict(returned.data)
    outcome = verdict(Code.LOANED, rule, join(parts, " "), **data)
    if loaned.rule.endswith(("L2", "M2")):
        return Verdict(outcome.code, f"{outcome.rule}, {loaned.rule}", outcome.text, outcome.data)
    return outcome


def held_for_queue(
    *,
    title: str,
    returned: Verdict | None,
    passed: Sequence[tuple[str, Verdict]],
) -> Verdict:
    """Q3/Q1: no one in the queue may borrow the book now (each refusal named
    with its rule): it is kept at the desk, never shelved. After a return the
    verdict is the return's (RETURNED, it happened); for a picked item it is
    the first refusal's code, on Q1."""
    parts: list[Text] = []
    if returned is not None:
        parts += _return_parts(
            title, bool(returned.data.get("reinstated")), returned.data.get("late_fee")
        )
    parts += _passed_over(passed)
    parts.append(
        tx(
            "No one in the queue may borrow it now: keep it at the desk, not on the "
            "shelf, and lend it when one of them may."
        )
    )
    text = join(parts, " ")
    held = {"held": True, "passed_over": [refused.code.value for _, refused in passed]}
    if returned is not None:
        return verdict(Code.RETURNED, "Q3", text, **{**returned.data, **held})
    code = passed[0][1].code if passed else Code.RESERVED_FOR_OTHER
    return verdict(code, "Q1", text, **held)
