"""Q1: the pick list, the items staff fetch from the stacks for waiting requests.

An item is on it while it is on the shelf (no open loan, not lost, not in
transit to a borrower) and has an active request; each entry is for the
item's first requester. The list is in shelf order so a page walks the
stacks once: call numbers compared as text, then the barcode.

This module holds the entry a pick list is made of and its order; the
service reads the rows (``services.requests.pick_list``), the replay prints
``{"item", "card"}`` of each, the window and the A4 list show the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desk_app.domain.ill import HandOver


@dataclass(frozen=True)
class PickEntry:
    """One item to fetch, for its first requester."""

    barcode: str
    call_number: str | None
    title: str
    author: str | None
    card: str | None  # the first requester's preferred card (what the replay prints)
    borrower_id: int
    borrower_name: str
    institute_code: str
    institute_name: str
    hand_over: HandOver  # where the book goes once lent (T1-T3)
    route: str | None  # courier route (T1, T3), None for self-pickup
    requested_at: datetime  # when the first requester placed the request
    waiting: int  # active requests on the item, the first requester's included


def shelf_key(call_number: str | None, barcode: str) -> tuple[str, str]:
    """Q1's shelf order: call number as text (an item without one after all
    that have one), then barcode."""
    return ("\uffff" if call_number is None else call_number, barcode)


def in_shelf_order(entries: list[PickEntry]) -> list[PickEntry]:
    return sorted(entries, key=lambda e: shelf_key(e.call_number, e.barcode))
