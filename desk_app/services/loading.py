"""The courier's loading check (T4): scan each item into the crate, see what
is loaded and what is still missing, then mark the route dispatched.

Qt-free, like ``services.desk``: the dispatch window only forwards scans
and paints the two lists, and a test can load a whole route without a
widget. Scans change nothing in the database until :meth:`LoadingList.dispatch`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from desk_app.domain.barcodes import ScanError, ScanKind, classify, clean_scan, mask_cpr
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.printing.documents import ManifestData, ManifestLine, ManifestStop, loan_id_of
from desk_app.services import transport
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import scan_error_verdict


@dataclass(frozen=True)
class Loaded:
    line: ManifestLine
    stop: ManifestStop


@dataclass
class LoadingList:
    """One route's crate on one day, from its manifest's delivery lines."""

    ctx: DeskContext
    actor: Actor
    manifest: ManifestData
    prefix: str = ""
    suffix: str = ""
    _loaded: dict[str, Loaded] = field(default_factory=dict)  # item barcode -> line

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

    def scan(self, raw: str) -> Verdict:
        """An item barcode, or the slip's own code, scanned while loading."""
        loan_id = loan_id_of(clean_scan(raw, self.prefix, self.suffix))
        if loan_id is not None:
            barcode = self._by_loan.get(loan_id)
            if barcode is None:
                return self._stray(clean_scan(raw, self.prefix, self.suffix).upper())
            return self._load(barcode)
        scan = classify(raw, self.prefix, self.suffix)
        if isinstance(scan, ScanError):
            return scan_error_verdict(scan, "item")
        if scan.kind is not ScanKind.ITEM:
            shown = scan.value if scan.kind is ScanKind.LIBRARY_CARD else mask_cpr(scan.value)
            return verdict(
                Code.NOT_ON_MANIFEST,
                "T4",
                f"{shown} is a card, not an item: scan the book's barcode or its slip.",
                f"{shown} er et kort, ikke et eksemplar: scan bogens stregkode eller sedlen.",
            )
        if scan.value not in self._expected:
            return self._stray(scan.value)
        return self._load(scan.value)

    def _load(self, barcode: str) -> Verdict:
        entry = self._expected[barcode]
        where_en = f"stop {entry.stop.stop}, {entry.stop.institute_name}"
        where_da = f"stop {entry.stop.stop}, {entry.stop.institute_name}"
        if self.dispatched:
            return verdict(
                Code.DISPATCH_REFUSED,
                "T4",
                f"Route {self.route} has already left; {barcode} went with it.",
                f"Rute {self.route} er allerede kørt; {barcode} kom med.",
                reason_key="already_dispatched",
            )
        duplicate = barcode in self._loaded
        self._loaded[barcode] = entry
        left = self.expected - len(self._loaded)
        if duplicate:
            en, da = f"Already loaded: {barcode} ({where_en}).", f"Allerede læsset: {barcode}"
            da += f" ({where_da})."
        else:
            en = f"Loaded {barcode} for {where_en}; {left} to go."
            da = f"Læsset {barcode} til {where_da}; {left} tilbage."
        return verdict(
            Code.LOADED,
            "T4",
            en,
            da,
            item=barcode,
            stop=entry.stop.stop,
            institute=entry.stop.institute_code,
            duplicate=duplicate,
            left=left,
        )

    def _stray(self, shown: str) -> Verdict:
        return verdict(
            Code.NOT_ON_MANIFEST,
            "T4",
            f"{shown} is not on route {self.route}'s manifest for {self.day.isoformat()}: "
            "keep it out of the crate and check its slip.",
            f"{shown} er ikke på rute {self.route}s manifest {self.day:%d.%m.%Y}: "
            "læg den ikke i kassen, og se på sedlen.",
            item=shown,
        )

    def dispatch(self) -> Verdict:
        """Mark the route dispatched with what was loaded (T4)."""
        return transport.dispatch(self.ctx, self.actor, self.route, self.day, list(self._loaded))
