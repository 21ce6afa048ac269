"""Look at a rendered PDF the way a scanner and a reader would.

Pages are rasterised with pypdfium2 at a thermal printer's 203 dpi and a
laser's 300 dpi and every barcode on them is decoded with zxing-cpp; text is
extracted with pypdf. Shared by the slip and manifest tests.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

import pypdf
import pypdfium2
import zxingcpp
from PIL import Image

from desk_app.domain.barcodes import with_check_digit
from desk_app.printing.documents import (
    ManifestData,
    ManifestLine,
    ManifestStop,
    SlipData,
    SlipKind,
)

DPIS = (203, 300)


def item_number(sequence: int) -> str:
    """A 14-digit item number with type digit 3 and a valid check digit."""
    return with_check_digit(f"3000100{sequence:06d}")


def render_pages(pdf: bytes, dpi: int, pages: Sequence[int] | None = None) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        wanted = range(len(document)) if pages is None else pages
        return [document[index].render(scale=dpi / 72).to_pil().convert("L") for index in wanted]
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def decode(image: Image.Image) -> list[str]:
    """Every Code 128 value on the image (any other symbology fails the test)."""
    found = zxingcpp.read_barcodes(image)
    assert all(r.format == zxingcpp.BarcodeFormat.Code128 for r in found), found
    return sorted(r.text for r in found)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def flat(text: str) -> str:
    """Extracted text with all whitespace as single spaces, so a test can
    look for a phrase that wrapped across lines."""
    return " ".join(text.split())


def dark_columns(image: Image.Image, left: int, right: int, threshold: int = 128) -> bool:
    """Whether any pixel darker than ``threshold`` lies in columns
    ``left`` .. ``right`` - 1 (a margin that must stay white)."""
    return _dark(image.crop((left, 0, right, image.height)), threshold)


def dark_rows(image: Image.Image, top: int, bottom: int, threshold: int = 128) -> bool:
    """The same for rows ``top`` .. ``bottom`` - 1."""
    return _dark(image.crop((0, top, image.width, bottom)), threshold)


def _dark(band: Image.Image, threshold: int) -> bool:
    low, _ = band.getextrema()
    return low < threshold


# --- sample documents ------------------------------------------------------------

LOAN_DAY = date(2026, 11, 21)

NASTY_TITLE = (
    "Bog <&> om Łódź, Győr og Малая Земля: æøå ÆØÅ "
    + "Ελληνική γλώσσα & <script>alert(1)</script> "
    + "en overordentlig lang titel med mange ord " * 6
)[:300]


def slip(kind: SlipKind = SlipKind.TRANSPORT, **changes: object) -> SlipData:
    base = SlipData(
        kind=SlipKind.TRANSPORT,
        loan_id=123,
        borrower_name="Karen Høeg Jørgensen",
        institute_name="Niels Bohr Institutet",
        institute_address="Blegdamsvej 17, 2100 København Ø",
        route_code="NORTH",
        route_name="Nordruten",
        stop=4,
        internal_courier=False,
        title="Kvantemekanikkens grundlag: en introduktion for fysikere & kemikere",
        author="Jens Lindhard",
        call_number="530.12 Kva",
        item_barcode=item_number(4711),
        loan_date=LOAN_DAY,
        due=date(2027, 11, 22),
        guaranteed_until=date(2026, 12, 21),
        use_at_institute=False,
        is_ill=False,
        shelf_place=None,
        reading_room=None,
        desk="KUB Nørre Campus",
        printed_at=datetime(2026, 11, 21, 10, 42),
    )
    if kind is SlipKind.PICKUP:
        base = replace(
            base,
            kind=kind,
            institute_name="Institut for Informationsstudier",
            institute_address="Karen Blixens Plads 8, 2300 København S",
            route_code=None,
            route_name=None,
            stop=None,
            shelf_place="J",
        )
    elif kind is SlipKind.READING_ROOM:
        base = replace(
            base,
            kind=kind,
            route_code=None,
            route_name=None,
            stop=None,
            is_ill=True,
            guaranteed_until=None,
            due=date(2026, 12, 19),
            reading_room="Læsesal Vest (Den Sorte Diamant)",
        )
    return replace(base, **changes)  # type: ignore[arg-type]


def line(sequence: int, **changes: object) -> ManifestLine:
    base = ManifestLine(
        item_barcode=item_number(sequence),
        title=f"Bog nummer {sequence}: om fysik, kemi & biologi",
        call_number=f"5{sequence % 100:02d} Fys",
        borrower_name=f"Låner Nummer{sequence}",
        due=date(2027, 11, 22),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def stop(number: int, deliver: int, collect: int, first: int = 0) -> ManifestStop:
    reasons = ("recall", "reminder", "suspension", "announced")
    return ManifestStop(
        stop=number,
        institute_code=f"I{number}",
        institute_name=f"Institut {number} for Eksempelstudier",
        address=f"Eksempelvej {number}, 2100 København Ø",
        deliver=tuple(line(first + n, use_at_institute=(n == 0)) for n in range(deliver)),
        collect=tuple(line(first + deliver + n, reason=reasons[n % 4]) for n in range(collect)),
    )


def manifest(stops: Sequence[ManifestStop] = (), **changes: object) -> ManifestData:
    base = ManifestData(
        route_code="NORTH",
        route_name="Nordruten",
        internal_courier=False,
        day=LOAN_DAY,
        stops=tuple(stops),
        desk="KUB Nørre Campus",
        printed_at=datetime(2026, 11, 21, 8, 5),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
