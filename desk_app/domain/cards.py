"""U1: a valid library card, for personal use only."""

from __future__ import annotations

from datetime import date

from desk_app.domain.facts import CardFacts, CardStatus
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


def card_unknown(read: str) -> Verdict:
    return verdict(
        Code.CARD_UNKNOWN,
        "B1",
        tx("Card {card} is not known here. Check the number or enrol the borrower.", card=read),
    )


def check_card_valid(card: CardFacts, day: date) -> Verdict | None:
    """U1: refuse a card that has expired, was reported lost, or was replaced
    by a newer card. None when the card is valid on ``day``."""
    if card.status is CardStatus.LOST:
        lost = (
            tx(
                "Card {card} was reported lost on {day}. Keep the card and ask for ID.",
                card=card.display,
                day=card.status_changed_on,
            )
            if card.status_changed_on
            else tx(
                "Card {card} was reported lost. Keep the card and ask for ID.", card=card.display
            )
        )
        return verdict(
            Code.CARD_INVALID,
            "U1",
            lost,
            reason_key="lost",
        )
    if card.status is CardStatus.REPLACED:
        return verdict(
            Code.CARD_INVALID,
            "U1",
            tx(
                "Card {card} has been replaced by a newer card. Ask for the new card.",
                card=card.display,
            ),
            reason_key="replaced",
        )
    if card.expires is not None and day > card.expires:
        return verdict(
            Code.CARD_INVALID,
            "U1",
            tx(
                "Card {card} expired on {day}. Renew the card first.",
                card=card.display,
                day=card.expires,
            ),
            reason_key="expired",
        )
    return None
