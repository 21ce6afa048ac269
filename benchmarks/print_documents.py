"""Time to render a transport slip and a 1,000-item courier manifest (§3 T4).

A slip is printed at every checkout while the borrower waits, so it must
take no more than 20 ms; the morning's manifests (1,000 items on 40 stops
for a big route) no more than 1 s each. Fonts are registered once before
timing, as they are once per desk process.

    .venv/bin/python benchmarks/print_documents.py [--runs 50] [--manifest-runs 10]

Each run's PDF is checked (a page count, the item barcode in the text) so
a fast no-op cannot pass.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime

import pypdf

from desk_app.domain.barcodes import with_check_digit
from desk_app.printing.documents import (
    ManifestData,
    ManifestLine,
    ManifestStop,
    PageSize,
    SlipData,
    SlipKind,
)
from desk_app.printing.fonts import ensure_fonts
from desk_app.printing.manifest import render_manifest
from desk_app.printing.slips import render_slip

SLIP_TARGET_MS = 20.0
MANIFEST_TARGET_MS = 1000.0
REASONS = ("recall", "reminder", "suspension", "announced")


def item(n: int) -> str:
    return with_check_digit(f"3000100{n:06d}")


def transport_slip(n: int) -> SlipData:
    """A realistic slip; ``n`` varies the loan so no two runs are the same."""
    return SlipData(
        kind=SlipKind.TRANSPORT,
        loan_id=1000 + n,
        borrower_name="Karen Høeg Jørgensen",
        institute_name="Niels Bohr Institutet",
        institute_address="Blegdamsvej 17, 2100 København Ø",
        route_code="NORTH",
        route_name="Nordruten",
        stop=1,
        internal_courier=False,
        title="Kvantemekanikkens grundlag: en introduktion for fysikere & kemikere",
        author="Jens Lindhard",
        call_number="530.12 Kva",
        item_barcode=item(n),
        loan_date=date(2026, 11, 21),
        due=date(2027, 11, 21),
        guaranteed_until=date(2026, 12, 21),
        use_at_institute=n % 5 == 0,
        is_ill=False,
        shelf_place=None,
        reading_room=None,
        desk="KUB Nørre Campus",
        printed_at=datetime(2026, 11, 21, 10, 42),
    )


def big_manifest(stops: int = 40, items: int = 1000) -> ManifestData:
    """``items`` spread over ``stops`` institutes, three in four delivered."""
    per_stop = items // stops
    built = []
    for s in range(stops):
        lines = [
            ManifestLine(
                item_barcode=item(s * per_stop + k),
                title=f"Bog {s * per_stop + k}: grundbog i fysik, kemi & biologi for begyndere",
                call_number=f"5{k:02d}.1 Fys",
                borrower_name=f"Låner Ørsted Nummer {s * per_stop + k}",
                due=date(2027, 11, 21),
                use_at_institute=k % 7 == 0,
                reason=None if k < per_stop * 3 // 4 else REASONS[k % 4],
            )
            for k in range(per_stop)
        ]
        cut = per_stop * 3 // 4
        built.append(
            ManifestStop(
                stop=s + 1,
                institute_code=f"I{s + 1:02d}",
                institute_name=f"Institut {s + 1} for Eksempelstudier",
                address=f"Universitetsparken {s + 1}, 2100 København Ø",
                deliver=tuple(lines[:cut]),
                collect=tuple(lines[cut:]),
            )
        )
    return ManifestData(
        route_code="NORTH",
        route_name="Nordruten",
        internal_courier=False,
        day=date(2026, 11, 21),
        stops=tuple(built),
        desk="KUB Nørre Campus",
        printed_at=datetime(2026, 11, 21, 7, 30),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(render: Callable[[int], bytes], runs: int) -> tuple[list[float], bytes]:
    times: list[float] = []
    pdf = b""
    for n in range(runs):
        started = time.perf_counter()
        pdf = render(n)
        times.append((time.perf_counter() - started) * 1000)
    return times, pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="slip renders per size")
    parser.add_argument("--manifest-runs", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    ensure_fonts()
    print(f"fonts registered in {(time.perf_counter() - started) * 1000:.0f} ms (once per process)")
    manifest = big_manifest()
    last_item = manifest.stops[-1].collect[-1].item_barcode
    cases: list[tuple[str, Callable[[int], bytes], int, float, str]] = [
        (
            "transport slip A6",
            lambda n: render_slip(transport_slip(n), PageSize.A6),
            args.runs,
            SLIP_TARGET_MS,
            item(args.runs - 1),
        ),
        (
            "transport slip 80 mm",
            lambda n: render_slip(transport_slip(n), PageSize.ROLL_80MM),
            args.runs,
            SLIP_TARGET_MS,
            item(args.runs - 1),
        ),
        (
            "manifest 1,000 items A4",
            lambda _n: render_manifest(manifest, PageSize.A4),
            args.manifest_runs,
            MANIFEST_TARGET_MS,
            last_item,
        ),
        (
            "manifest 1,000 items 80 mm",
            lambda _n: render_manifest(manifest, PageSize.ROLL_80MM),
            args.manifest_runs,
            MANIFEST_TARGET_MS,
            last_item,
        ),
    ]
    print(f"{manifest.deliver_count + manifest.collect_count} items on {len(manifest.stops)} stops")
    print(
        f"{'':28} {'runs':>5} {'median ms':>10} {'p95 ms':>8} {'target':>8} {'pages':>6} {'KB':>6}"
    )
    all_met = True
    for name, render, runs, target, last in cases:
        times, pdf = timed(render, runs)
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        assert last in reader.pages[-1].extract_text(), f"{name}: {last} is not on the last page"
        p95 = percentile(times, 0.95)
        met = p95 <= target
        all_met &= met
        print(
            f"{name:28} {runs:5d} {statistics.median(times):10.1f} {p95:8.1f}"
            f" {'<= ' + format(target, '.0f'):>8} {len(reader.pages):6d} {len(pdf) / 1024:6.0f}"
            f"  {'met' if met else 'NOT met'}"
        )
    verdict = "all met" if all_met else "NOT all met"
    print(
        f"targets (p95): slip <= {SLIP_TARGET_MS:.0f} ms, "
        f"manifest <= {MANIFEST_TARGET_MS:.0f} ms: {verdict}"
    )
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
