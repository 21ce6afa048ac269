"""§2 M3: ordering an alternative for a reading-room item that may not be lent.

Only an alternative the rules offer for the item can be ordered: a home
item is simply lent (M1), M4 material offers none, and M3's alternatives
depend on the item (``material.reading_room_alternatives``).
"""

from __future__ import annotations

from datetime import date

from desk_app.domain.facts import ItemFacts, LoanRule
from desk_app.domain.material import Alternative, reading_room_alternatives
from desk_app.domain.policy import MaterialPolicy
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, literal, tx


def order_refusal(item: ItemFacts, wanted: Alternative, policy: MaterialPolicy) -> Verdict | None:
    """Why ``wanted`` cannot be ordered for ``item``, or None when M3 offers it."""
    if item.loan_rule is LoanRule.HOME:
        return verdict(
            Code.ALTERNATIVE_NOT_OFFERED,
            "M1",
            tx("Nothing to order instead: {title} may be lent.", title=item.title),
            alternatives=[],
        )
    if item.loan_rule is LoanRule.READING_ROOM_ID:
        return verdict(
            Code.ALTERNATIVE_NOT_OFFERED,
            "M4",
            tx("No alternatives for {title}: it needs a reading-room ID card.", title=item.title),
            alternatives=[],
        )
    offered = reading_room_alternatives(item, policy)
    if wanted in offered:
        return None
    return verdict(
        Code.ALTERNATIVE_NOT_OFFERED,
        "M3",
        tx(
            "{wanted} is not offered for {title}; it offers: {offered}.",
            wanted=wanted,
            title=item.title,
            offered=literal(", ".join(a.value for a in offered)),
        ),
        alternatives=[a.value for a in offered],
    )


def ordered_text(wanted: Alternative, title: str) -> Text:
    """What was ordered, as the verdict names it."""
    if wanted is Alternative.DIGITAL_COPY:
        return tx("a digital copy of {title}", title=title)
    if wanted is Alternative.ILL:
        return tx("another copy of {title} from another library (ILL)", title=title)
    return tx("{title} to Reading Room West in the Black Diamond", title=title)


def ordered(
    wanted: Alternative,
    title: str,
    *,
    order_id: int,
    borrower_id: int,
    placed_before: date | None,
) -> Verdict:
    """M3: the order is placed; or it was already (``placed_before``, the day
    the same open order was placed), and is not placed twice."""
    what = ordered_text(wanted, title)
    if placed_before is not None:
        text = tx("Already ordered: {what} (on {day}).", what=what, day=placed_before)
    else:
        text = tx("Ordered: {what}.", what=what)
    return verdict(
        Code.ORDERED,
        "M3",
        text,
        order_id=order_id,
        alternative=wanted.value,
        borrower_id=borrower_id,
        duplicate=placed_before is not None,
    )
