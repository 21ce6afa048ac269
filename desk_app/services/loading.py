"""The courier's loading check (T4): scan each item into the crate, see what
is loaded and what is still missing, then mark the route dispatched.

Qt-free, like ``services.desk``: the dispatch window only forwards scans
and paints the two lists, and a test can load a whole route without a
widget.

Each item scanned into the crate is stored as it is scanned
(``transport.record_loading``, table ``loading_scans``; issue 13 point 4):
a closed window, a restart or another desk loading the same route starts
from what is stored, and :meth:`LoadingList.dispatch` sends what every desk
loaded. The loans themselves change only at the dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from desk_app.domain.loading import (
    CrateLine,
    LoadingOutcome,
    card_not_item,
    gone_with_route,
    loading_verdict,
    not_on_route,
)
from desk_app.domain.scan import (
    HealthCard,
    LibraryCard,
    Misread,
    SlipCode,
    misread_verdict,
    read_scan,
)
from desk_app.domain.verdict import Verdict
from desk_app.printing.documents import ManifestData, ManifestLine, ManifestStop
from desk_app.services import transport
from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor, DeskContext


@dataclass(frozen=True)
class Loaded:
    line: ManifestLine
    stop: ManifestStop
    # once in the crate: who scanned it in, at which desk, when (any desk's scan)
    staff: str | None = None
    desk: str | None = None
    at: datetime | None = None


@dataclass
class LoadingList:
    """One route's crate on one day, from its manifest's delivery lines and
    the loading scans stored for it (read when made, and by :meth:`reload`)."""

    ctx: DeskContext
    actor: Actor
    manifest: ManifestData
    prefix: str = ""
    suffix: str = ""
    _loaded: dict[str, Loaded] = field(default_factory=dict)  # item barcode -> line
    # another desk dispatched the route after this list was read: the window
    # reads the manifest again to show it as it left
    left_meanwhile: bool = False

    def __post_init__(self) -> None:
        self._expected = {
            line.item_barcode: Loaded(line, stop)
            for stop in self.manifest.stops
            for line in stop.deliver
        }
        self._by_loan = {
            entry.line.loan_id: barcode
            for barcode, entry in self._expected.items()
            if entry.line.loan_id is not None
        }
        self.reload()

    @property
    def route(self) -> str:
        return self.manifest.route_code

    @property
    def day(self) -> date:
        return self.manifest.day

    @property
    def dispatched(self) -> bool:
        return self.manifest.dispatched_at is not None

    @property
    def loaded(self) -> list[Loaded]:
        return list(self._loaded.values())

    @property
    def missing(self) -> list[Loaded]:
        """Still to load, in route order (the order the crate is packed)."""
        return [e for b, e in self._expected.items() if b not in self._loaded]

    @property
    def expected(self) -> int:
        return len(self._expected)

    def reload(self) -> None:
        """Read the crate back as stored: every desk's scans for the route and day."""
        self._take(transport.loading_scans(self.ctx, self.actor, self.route, self.day))

    def _take(self, scans: tuple[transport.LoadingScanRecord, ...]) -> None:
        loaded: dict[str, Loaded] = {}
        for record in scans:  # oldest first: the order the crate was packed
            barcode = self._by_loan.get(record.loan_id)
            if barcode is not None and barcode not in loaded:
                loaded[barcode] = replace(
                    self._expected[barcode], staff=record.staff, desk=record.desk, at=record.at
                )
        self._loaded = loaded

    def scan(self, raw: str) -> Verdict:
        """An item barcode, or the slip's own code, scanned while loading."""
        scan = read_scan(raw, self.prefix, self.suffix)
        if isinstance(scan, SlipCode):
            barcode = self._by_loan.get(scan.loan_id)
            return self._stray(scan.shown) if barcode is None else self._load(barcode)
        if isinstance(scan, Misread):
            return misread_verdict(scan, "item")
        if isinstance(scan, LibraryCard | HealthCard):
            return card_not_item(scan.shown)  # a health card masked (B3)
        if scan.barcode not in self._expected:
            return self._stray(scan.barcode)
        return self._load(scan.barcode)

    def _load(self, barcode: str) -> Verdict:
        entry = self._expected[barcode]
        if self.dispatched:
            return gone_with_route(self.route, barcode)
        loan_id = entry.line.loan_id
        if loan_id is None:  # a manifest line that names no loan cannot be stored
            return self._stray(barcode)
        outcome = LoadingOutcome.ALREADY_LOADED
        if barcode in self._loaded:
            self.reload()  # nothing to store; show what the other desks loaded meanwhile
        else:
            try:
                answer = transport.record_loading(
                    self.ctx, self.actor, self.route, self.day, loan_id
                )
            except NotPermitted as refused:  # audited; nothing stored
                return refused.verdict
            self._take(answer.scans)
            outcome = answer.outcome
            if outcome is LoadingOutcome.DISPATCHED:
                self.left_meanwhile = True
        loaded = self._loaded.get(barcode, entry)
        line = CrateLine(
            barcode, entry.stop.stop, entry.stop.institute_code, entry.stop.institute_name
        )
        left = self.expected - len(self._loaded)
        return loading_verdict(self.route, line, outcome, left, loaded.staff, loaded.desk)

    def _stray(self, shown: str) -> Verdict:
        return not_on_route(shown, self.route, self.day)

    def dispatch(self) -> Verdict:
        """Mark the route dispatched with what was loaded at any desk (T4)."""
        self.reload()
        return transport.dispatch(self.ctx, self.actor, self.route, self.day, list(self._loaded))
