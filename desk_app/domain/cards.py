"""U1: a valid library card, for personal use only."""

from __future__ import annotations

from datetime import date

from desk_app.domain.facts import CardFacts, CardStatus
from desk_app.domain.verdict import Code, Verdict, verdict


def card_unknown(read: str) -> Verdict:
    return verdict(
        Code.CARD_UNKNOWN,
        "B1",
        f"Card {read} is not known here. Check the number or enrol the borrower.",
        f"Kortet {read} kendes ikke. Tjek nummeret, eller indmeld låneren.",
    )


def check_card_valid(card: CardFacts, day: date) -> Verdict | None:
    """U1: refuse a card that has expired, was reported lost, or was replaced
    by a newer card. None when the card is valid on ``day``."""
    if card.status is CardStatus.LOST:
        since = f" on {card.status_changed_on.isoformat()}" if card.status_changed_on else ""
        return verdict(
            Code.CARD_INVALID,
            "U1",
            f"Card {card.display} was reported lost{since}. Keep the card and ask for ID.",
            f"Kortet {card.display} er meldt bortkommet. Behold kortet, og bed om legitimation.",
            reason_key="lost",
        )
    if card.status is CardStatus.REPLACED:
        return verdict(
            Code.CARD_INVALID,
            "U1",
            f"Card {card.display} has been replaced by a newer card. Ask for the new card.",
            f"Kortet {card.display} er erstattet af et nyere kort. Bed om det nye kort.",
            reason_key="replaced",
        )
    if card.expires is not None and day > card.expires:
        return verdict(
            Code.CARD_INVALID,
            "U1",
            f"Card {card.display} expired on {card.expires.isoformat()}. Renew the card first.",
            f"Kortet {card.display} udløb {card.expires:%d.%m.%Y}. Forny kortet først.",
            reason_key="expired",
        )
    return None
