"""§3 Transport: which loans travel, and what the courier collects (T1-T4, I3).

The manifest itself is assembled by ``services.transport`` with set-based
queries; the decisions those queries encode live here, so a rule changes in
one place.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from desk_app.domain.facts import Step
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import TRANSIT, Transit, TransitAction
from desk_app.i18n import Text, literal

# T1, T3: the modes that put a loan on a route's manifest.
TRAVELS = frozenset({HandOver.COURIER, HandOver.INTERNAL_COURIER})


def transit_after_checkout(hand_over: HandOver | str) -> Transit | None:
    """T1/T3: a courier or internal-courier loan waits for dispatch. T2
    (self-pickup) and I3 (reading room) loans never travel: None."""
    return TRANSIT.start(TransitAction.SEND) if HandOver(hand_over) in TRAVELS else None


class CollectReason(StrEnum):
    """Why the courier collects an item at an institute (T4)."""

    RECALL = "recall"  # §5 RECALL sent: the item is due back
    REMINDER = "reminder"  # §5 REMINDER_1..3
    SUSPENSION = "suspension"  # §5 SUSPENSION (S2)
    ANNOUNCED = "announced"  # the institute announced a return


_REMINDERS = frozenset({Step.REMINDER_1, Step.REMINDER_2, Step.REMINDER_3})


def collect_reason(step: Step | str | None, return_announced: bool) -> CollectReason | None:
    """T4: an institute loan is collected when the §5 ladder has recalled it
    (any step from RECALL on) or when the institute has announced its return;
    the ladder's reason wins, since it is the one the courier must insist on."""
    if step == Step.SUSPENSION:
        return CollectReason.SUSPENSION
    if step in _REMINDERS:
        return CollectReason.REMINDER
    if step == Step.RECALL:
        return CollectReason.RECALL
    if return_announced:
        return CollectReason.ANNOUNCED
    return None


def institute_name(name: str, name_da: str | None) -> Text:
    """An institute's name in each language the desk speaks: its Danish name
    where the register has one (slips, manifests, letters and verdicts alike)."""
    return literal(name, da=name_da or name)


def pickup_shelf(borrower_name: str) -> str:
    """T2: the pickup shelf is sorted by the borrower's surname (the last
    word of the name), A-Z then Æ, Ø, Å as in Danish; accented letters go
    under their base letter (É under E), anything else under "#"."""
    words = borrower_name.split()
    if not words:
        return "#"
    first = words[-1][0].upper()
    if first in "ÆØÅ":
        return first
    base = unicodedata.normalize("NFKD", first)[0]
    return base if base.isascii() and base.isalpha() else "#"
