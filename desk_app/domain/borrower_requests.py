"""A borrower's requests as the desk shows them (§4 L3-L4, Q1): the borrower
panel's list and the receipt's.

The position is the borrower's place in the item's queue now (L3: by the
time placed, then the order placed in); it changes as requests before it
are lent or cancelled (Q2: the queue closes up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class BorrowerRequest:
    """One active request of a borrower."""

    request_id: int
    barcode: str
    title: str
    call_number: str | None
    position: int  # 1: next in line (L3)
    waiting: int  # active requests on the item, this one included
    placed_at: datetime
    on_loan: bool  # someone has the item now
    due: date | None  # the open loan's due date (L4 may have moved it), None when on the shelf
    on_pick_list: bool  # on the shelf and not lost: staff fetch it for the first requester (Q1)

    @property
    def is_next(self) -> bool:
        return self.position == 1
