"""The plain data every printed document is built from (§3 T1-T4, §7 I3).

Services fill these from the database; the renderers in this package turn
them into PDF bytes. Keeping the two apart means a slip can be tested,
benchmarked and previewed without a database, and the renderers cannot
reach for a CPR number (B3): none of these fields can hold one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from desk_app.domain.scan import slip_code


class SlipKind(StrEnum):
    """Which slip a loan needs, from where it is handed over."""

    TRANSPORT = "transport"  # T1/T3: courier or internal courier to the institute
    PICKUP = "pickup"  # T2: the borrower collects at the desk
    READING_ROOM = "reading_room"  # I3: a reading-room-only ILL item


class PageSize(StrEnum):
    """Paper the desk prints on (settings ``page_size`` / ``manifest_page_size``)."""

    A6 = "A6"  # 105 x 148 mm label/slip printer
    ROLL_80MM = "80mm"  # 80 mm thermal receipt roll; the length follows the content
    A4 = "A4"  # courier manifests on an office printer


SLIP_SIZES = (PageSize.A6, PageSize.ROLL_80MM)
MANIFEST_SIZES = (PageSize.A4, PageSize.ROLL_80MM)


@dataclass(frozen=True)
class SlipData:
    """One loan's slip. ``kind`` decides which fields are printed:

    - TRANSPORT: institute, address, route and stop (T1, T3);
    - PICKUP: the shelf place at the desk (T2);
    - READING_ROOM: the reading room the item waits in (I3).
    """

    kind: SlipKind
    loan_id: int
    borrower_name: str
    institute_name: str
    institute_address: str
    route_code: str | None  # None for PICKUP and READING_ROOM
    route_name: str | None
    stop: int | None
    internal_courier: bool  # T3: the internal courier's route
    title: str
    author: str | None
    call_number: str | None
    item_barcode: str
    loan_date: date
    due: date
    guaranteed_until: date | None
    use_at_institute: bool  # M2: "USE AT THE INSTITUTE ONLY"
    is_ill: bool
    shelf_place: str | None  # PICKUP only, e.g. "H" (pickup shelf by surname)
    reading_room: str | None  # READING_ROOM only
    desk: str
    printed_at: datetime

    @property
    def slip_code(self) -> str:
        return slip_code(self.loan_id)


@dataclass(frozen=True)
class ManifestLine:
    """One item on a courier manifest."""

    item_barcode: str
    title: str
    call_number: str | None
    borrower_name: str
    due: date
    use_at_institute: bool = False  # M2, on delivery lines
    reason: str | None = None  # collect lines: "recall", "reminder", "suspension", "announced"
    loan_id: int | None = None  # so a scanned slip code finds its line while loading


@dataclass(frozen=True)
class ManifestStop:
    """One institute on the route, in route order (T4)."""

    stop: int
    institute_code: str
    institute_name: str
    address: str
    deliver: tuple[ManifestLine, ...]
    collect: tuple[ManifestLine, ...]

    @property
    def count(self) -> int:
        return len(self.deliver) + len(self.collect)


@dataclass(frozen=True)
class ManifestData:
    """A route's manifest for one day. Stops with nothing to deliver or
    collect are left out; an empty manifest still prints (it says so), so
    the courier has a signed record of a day with nothing to carry."""

    route_code: str
    route_name: str
    internal_courier: bool  # T3: its own manifest for the internal courier
    day: date
    stops: tuple[ManifestStop, ...]
    desk: str
    printed_at: datetime
    dispatched_at: datetime | None = None  # set once the route has left
    delivered_at: datetime | None = None  # set once its delivery is confirmed

    @property
    def deliver_count(self) -> int:
        return sum(len(s.deliver) for s in self.stops)

    @property
    def collect_count(self) -> int:
        return sum(len(s.collect) for s in self.stops)

    @property
    def manifest_code(self) -> str:
        """The manifest's own barcode value: route and day, A-Z and digits
        only (other characters change with the scanner's keyboard layout)."""
        route = "".join(c for c in self.route_code.upper() if c.isascii() and c.isalnum())
        return f"M{route}{self.day:%Y%m%d}"
