"""U1: what the desk says when a card is reported lost or replaced."""

from __future__ import annotations

from datetime import date

from desk_app.domain.card_states import CARD, CardAction
from desk_app.domain.cards import check_card_valid
from desk_app.domain.facts import CardFacts
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


def card_lost_refusal(card: CardFacts, action: CardAction, day: date) -> Verdict | None:
    """U1: why ``card`` cannot be reported lost (``REPORT_LOST``) or replaced
    (``REPLACE``) now, or None. A lost card may still be replaced; a card
    lost already is not lost again, and a replaced card is done with: the
    answer is the card's own refusal (reported lost, or replaced)."""
    if CARD.can(card.status, action):
        return None
    return check_card_valid(card, day)


def card_taken(display: str) -> Verdict:
    """U1: the new card offered is already someone's (or an old card)."""
    return verdict(
        Code.CARD_INVALID,
        "U1",
        tx("Card {card} is already issued; use a new card.", card=display),
    )


def card_replaced(old: str, new: str | None) -> Verdict:
    """U1: the old card stops working at once; ``new`` is the card that
    replaces it, None when the card was only reported lost."""
    if new is None:
        text = tx("Card {card} reported lost; it no longer works.", card=old)
    else:
        text = tx("Card {old} replaced by {new}; the old card no longer works.", old=old, new=new)
    return verdict(Code.CARD_REPLACED, "U1", text, new_card=new)
