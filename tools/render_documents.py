"""Sample slips, a manifest and a letter as PNG images for docs/ (and PDFs to look at).

    .venv/bin/python tools/render_documents.py [--out docs] [--dpi 150]
        [--language da en] [--pdf]

Renders from realistic sample data: a transport slip with the M2 band on
A6 and on the 80 mm roll, a pickup slip, page 1 of a three-stop manifest on
A4, page 1 of a notice letter (a second reminder with a recall), page 1 of
a pick list (Q1) on A4, and a borrower receipt on the 80 mm roll. The
Danish images keep the names docs/ links to (``slip-pickup.png``); another
language's get its code added (``slip-pickup-en.png``). ``--pdf`` also writes
each whole document as PDF beside its image, e.g. to compare a change of
wording or layout page by page. The PDFs go through pypdfium2, the same
rasteriser the tests decode barcodes from.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pypdfium2

from desk_app.domain.barcodes import with_check_digit
from desk_app.domain.facts import Capacity
from desk_app.domain.ill import HandOver
from desk_app.domain.pick_list import PickEntry, in_shelf_order
from desk_app.printing.documents import (
    ManifestData,
    ManifestLine,
    ManifestStop,
    PageSize,
    SlipData,
    SlipKind,
)
from desk_app.printing.letter_data import LetterData, LetterLine
from desk_app.printing.letters import render_letter
from desk_app.printing.manifest import render_manifest
from desk_app.printing.pick_list import render_pick_list
from desk_app.printing.receipt import ReceiptData, ReceiptLoan, ReceiptRequest, render_receipt
from desk_app.printing.slips import render_slip

LOAN_DAY = date(2026, 11, 21)
PRINTED = datetime(2026, 11, 21, 10, 42)


def item(sequence: int) -> str:
    """A 14-digit item number (type digit 3) with a valid B2 check digit."""
    return with_check_digit(f"3000100{sequence:06d}")


def transport_slip() -> SlipData:
    return SlipData(
        kind=SlipKind.TRANSPORT,
        loan_id=123,
        borrower_name="Karen Høeg Jørgensen",
        institute_name="Niels Bohr Institutet",
        institute_address="Blegdamsvej 17, 2100 København Ø",
        route_code="NORTH",
        route_name="Nordruten (Nørre Campus)",
        stop=1,
        internal_courier=False,
        title="Kvantemekanikkens grundlag: en introduktion for fysikere & kemikere",
        author="Jens Peder Lindhard",
        call_number="530.12 Kva",
        item_barcode=item(4711),
        loan_date=LOAN_DAY,
        due=date(2027, 11, 21),
        guaranteed_until=date(2026, 12, 21),
        use_at_institute=True,
        is_ill=False,
        shelf_place=None,
        reading_room=None,
        desk="KUB Nørre Campus, udlånet",
        printed_at=PRINTED,
    )


def pickup_slip() -> SlipData:
    return replace(
        transport_slip(),
        kind=SlipKind.PICKUP,
        loan_id=124,
        borrower_name="Mikkel Ørsted Hansen",
        institute_name="Institut for Informationsstudier",
        institute_address="Karen Blixens Plads 8, 2300 København S",
        route_code=None,
        route_name=None,
        stop=None,
        title="Informationssøgning og vidensorganisation i digitale biblioteker",
        author="Birger Hjørland",
        call_number="020 Inf",
        item_barcode=item(5120),
        use_at_institute=False,
        shelf_place="H",
    )


def _line(n: int, title: str, call: str, who: str, **extra: object) -> ManifestLine:
    return ManifestLine(item(n), title, call, who, date(2027, 11, 21), **extra)  # type: ignore[arg-type]


def manifest() -> ManifestData:
    stops = (
        ManifestStop(
            1,
            "NBI",
            "Niels Bohr Institutet",
            "Blegdamsvej 17, 2100 København Ø",
            deliver=(
                _line(
                    4711,
                    transport_slip().title,
                    "530.12 Kva",
                    "Karen Høeg Jørgensen",
                    use_at_institute=True,
                ),
                _line(4712, "Statistisk fysik", "530.13 Sta", "Anders Kjær"),
                _line(4713, "Relativitetsteori for begyndere", "530.11 Rel", "Søren Ågård"),
            ),
            collect=(_line(3301, "Atomfysik", "539.7 Ato", "Lise Bøgh", reason="recall"),),
        ),
        ManifestStop(
            2,
            "BIO",
            "Biologisk Institut",
            "Ole Maaløes Vej 5, 2200 København N",
            deliver=(_line(4720, "Cellebiologi: en grundbog", "574.87 Cel", "Ida Mørch"),),
            collect=(
                _line(3310, "Økologi og evolution", "577 Øko", "Peter Lund", reason="announced"),
                _line(3311, "Genetik", "576.5 Gen", "Hanne Friis", reason="reminder"),
            ),
        ),
        ManifestStop(
            3,
            "KEM",
            "Kemisk Institut",
            "Universitetsparken 5, 2100 København Ø",
            deliver=(
                _line(
                    4730, "Organisk kemi: struktur, mekanisme og syntese", "547 Org", "Jonas Bæk"
                ),
                _line(4731, "Spektroskopi <NMR & IR> i praksis", "543.5 Spe", "Maria Åkesson"),
            ),
            collect=(),
        ),
    )
    return ManifestData(
        route_code="NORTH",
        route_name="Nordruten (Nørre Campus)",
        internal_courier=False,
        day=LOAN_DAY,
        stops=stops,
        desk="KUB Nørre Campus, udlånet",
        printed_at=datetime(2026, 11, 21, 8, 5),
    )


def reminder_letter() -> LetterData:
    """A second reminder for two books, with a third just recalled."""
    run = date(2027, 12, 20)
    return LetterData(
        borrower_name="Karen Høeg Jørgensen",
        institute_name="Niels Bohr Institutet",
        institute_address="Blegdamsvej 17, 2100 København Ø",
        email="karen@nbi.example.dk",
        run_date=run,
        lines=(
            LetterLine(
                "REMINDER_2",
                item(4711),
                transport_slip().title,
                "530.12 Kva",
                LOAN_DAY,
                date(2027, 11, 21),
                date(2027, 12, 27),
            ),
            LetterLine(
                "REMINDER_2",
                item(4712),
                "Statistisk fysik",
                "530.13 Sta",
                LOAN_DAY,
                date(2027, 11, 21),
                date(2027, 12, 27),
            ),
            LetterLine(
                "RECALL",
                item(4713),
                "Relativitetsteori for begyndere <&> en lang undertitel om rum, tid og "
                "gravitation i den moderne fysik",
                "530.11 Rel",
                date(2026, 12, 18),
                date(2027, 12, 18),
                date(2028, 1, 3),
            ),
        ),
        sender="Det Kgl. Bibliotek – Københavns Universitetsbibliotek",
        desk="KUB Nørre Campus, udlånet",
        printed_at=datetime(2027, 12, 20, 7, 30),
    )


INSTITUTES = {
    "NBI": ("Niels Bohr Institutet", HandOver.COURIER, "NORTH"),
    "KEM": ("Kemisk Institut", HandOver.COURIER, "NORTH"),
    "BIO": ("Biologisk Institut", HandOver.COURIER, "NORTH"),
    "INF": ("Institut for Informationsstudier", HandOver.SELF_PICKUP, None),
    "PLEN": ("Det Juridiske Fakultet", HandOver.INTERNAL_COURIER, "FREDERIKSBERG"),
    "NFI": ("Nordisk Forskningsinstitut", HandOver.COURIER, "SOUTH"),
    "SAXO": ("Saxo-Instituttet", HandOver.COURIER, "SOUTH"),
}


def _pick(
    call: str, title: str, author: str | None, n: int, who: str, code: str, waiting: int = 1
) -> PickEntry:
    name, hand_over, route = INSTITUTES[code]
    requested = datetime(2026, 11, 20, 15, 12)
    return PickEntry(
        item(n), call, title, author, None, n, who, code, name, hand_over, route, requested, waiting
    )


def pick_list() -> list[PickEntry]:
    """A morning's pick list: the stacks of a science library, every kind
    of hand-over, a queue or two, a title with markup characters."""
    return in_shelf_order(
        [
            _pick("530.12 Kva", "Kvantemekanikkens grundlag", "Jens Peder Lindhard", 4711,
                  "Karen Høeg Jørgensen", "NBI"),
            _pick("530.13 Sta", "Statistisk fysik", "Lev Landau", 4712, "Anders Kjær", "NBI", 2),
            _pick("020 Inf", "Informationssøgning og vidensorganisation", "Birger Hjørland",
                  5120, "Mikkel Ørsted Hansen", "INF"),
            _pick("543.5 Spe", "Spektroskopi <NMR & IR> i praksis", None, 4731, "Maria Åkesson",
                  "KEM"),
            _pick("574.87 Cel", "Cellebiologi: en grundbog", "Bruce Alberts", 4720, "Ida Mørch",
                  "BIO", 3),
            _pick("346.02 Aft", "Aftaleret: en lærebog om aftaleloven og dens grundsætninger",
                  "Mads Bryde Andersen", 6001, "Hanne Krogh", "PLEN"),
            _pick("839.81 Kie", "Samlede værker, bind 14", "Søren Kierkegaard", 6120,
                  "Peter Lund", "NFI"),
            _pick("913.489 Dan", "Danmarks oldtid", "Jørgen Jensen", 6230, "Lise Bøgh", "SAXO", 2),
            _pick("DK 92.4 Blixen", "Breve fra Afrika 1914-1931", "Karen Blixen", 6341,
                  "Søren Ågård", "NFI"),
            _pick("539.7 Ato", "Atomfysik", None, 3301, "Jonas Bæk", "NBI"),
        ]
    )  # fmt: skip


def receipt() -> ReceiptData:
    """Karen's receipt: two institute loans, a private one, two requests."""
    slip_title = transport_slip().title
    return ReceiptData(
        borrower_name="Karen Høeg Jørgensen",
        card=with_check_digit("2000100001234"),
        institute_code="NBI",
        institute_name="Niels Bohr Institutet",
        day=LOAN_DAY,
        loans=(
            ReceiptLoan(
                slip_title, item(4711), date(2027, 11, 21), Capacity.INSTITUTE, "530.12 Kva"
            ),
            ReceiptLoan("Statistisk fysik", item(4712), date(2027, 11, 21), Capacity.INSTITUTE),
            ReceiptLoan(
                "Politikens bog om svampe", item(7001), date(2026, 12, 19), Capacity.PRIVATE
            ),
        ),
        requests=(
            ReceiptRequest("Relativitetsteori for begyndere", item(4713), 2, 3),
            ReceiptRequest("Spektroskopi <NMR & IR> i praksis", item(4731), 1, 1),
        ),
        desk="KUB Nørre Campus, udlånet",
        printed_at=PRINTED,
    )


def to_png(pdf: bytes, path: Path, dpi: int) -> None:
    page = pypdfium2.PdfDocument(pdf)[0]
    page.render(scale=dpi / 72).to_pil().convert("L").save(path, optimize=True)
    print(f"wrote {path}")


def documents(language: str) -> dict[str, bytes]:
    """The sample documents in ``language``, by file name without extension."""
    suffix = "" if language == "da" else f"-{language}"
    rendered = {
        "slip-transport-a6": render_slip(transport_slip(), PageSize.A6, language),
        "slip-transport-80mm": render_slip(transport_slip(), PageSize.ROLL_80MM, language),
        "slip-pickup": render_slip(pickup_slip(), PageSize.A6, language),
        "manifest-a4": render_manifest(manifest(), PageSize.A4, language),
        "letter-reminder": render_letter(reminder_letter(), language),
        "pick-list": render_pick_list(pick_list(), PRINTED, language, "KUB Nørre Campus, udlånet"),
        "receipt": render_receipt(receipt(), language),
    }
    return {name + suffix: pdf for name, pdf in rendered.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--language", nargs="+", default=["da"], help="da, en (default: da)")
    parser.add_argument("--pdf", action="store_true", help="write the PDFs too")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for language in args.language:
        for name, pdf in documents(language).items():
            to_png(pdf, args.out / f"{name}.png", args.dpi)
            if args.pdf:
                (args.out / f"{name}.pdf").write_bytes(pdf)
                print(f"wrote {args.out / name}.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
