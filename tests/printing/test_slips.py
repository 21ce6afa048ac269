"""Transport, pickup and reading-room slips (T1-T4, M2, I3, B3): every kind
renders on A6 and the 80 mm roll in Danish and English, its barcodes scan at
203 and 300 dpi, and the text a courier or librarian needs is on it."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pypdf
import pytest
from reportlab.lib.units import mm

from desk_app.i18n import format_date, format_datetime, render
from desk_app.printing import fonts, labels
from desk_app.printing.documents import SLIP_SIZES, PageSize, SlipData, SlipKind
from desk_app.printing.layout import ELLIPSIS, sheet, style, wrap
from desk_app.printing.slips import render_slip
from tests.printing.render import (
    DPIS,
    NASTY_TITLE,
    dark_columns,
    dark_rows,
    decode,
    flat,
    page_count,
    page_texts,
    render_pages,
    slip,
    text_of,
)

LANGUAGES = ("da", "en")

DOCUMENTS = {
    "transport": slip(),
    "transport-internal-courier": slip(internal_courier=True, route_code="KUBF", stop=2),
    "transport-m2": slip(use_at_institute=True),
    "pickup": slip(SlipKind.PICKUP),
    "reading-room": slip(SlipKind.READING_ROOM),
}


def _text(data: SlipData, size: PageSize, language: str) -> str:
    return flat(text_of(render_slip(data, size, language)))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_T4_every_slip_renders_one_page_whose_barcodes_scan(name, size, language):
    data = DOCUMENTS[name]
    pdf = render_slip(data, size, language)
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
    expected = sorted([data.item_barcode, data.slip_code])
    for dpi in DPIS:
        (image,) = render_pages(pdf, dpi)
        assert decode(image) == expected, f"{name} {size} {language} at {dpi} dpi"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
def test_T1_transport_slip_holds_what_courier_and_institute_need(size, language):
    data = DOCUMENTS["transport"]
    text = _text(data, size, language)
    for needed in (
        render(labels.TRANSPORT_SLIP, language).upper(),
        data.borrower_name,
        data.institute_name,
        data.institute_address,
        data.route_code,
        data.route_name,
        render(labels.STOP, language).upper(),
        data.title,
        data.author,
        data.call_number,
        data.item_barcode,
        data.slip_code,
        format_date(data.loan_date, language, style="print"),
        format_date(data.due, language, style="print"),
        format_date(data.guaranteed_until, language, style="print"),
        data.desk,
        format_datetime(data.printed_at, language, style="print"),
    ):
        assert needed in text, needed
    assert re.search(rf"{render(labels.STOP, language).upper()}\s+4\b", text)


def test_T1_dates_are_printed_the_way_each_language_reads_them():
    assert format_date(date(2026, 11, 21), "da", style="print") == "21.11.2026"
    assert format_date(date(2026, 11, 21), "en", style="print") == "21 Nov 2026"
    assert format_date(date(2027, 1, 5), "en", style="print") == "5 Jan 2027"
    assert labels.language_of("da_DK") == "da" and labels.language_of("EN") == "en"
    assert labels.language_of("fr") == "da"  # the desk's own language, not a failed slip


@pytest.mark.parametrize("language", LANGUAGES)
def test_T3_internal_courier_slip_says_internal_courier(language):
    internal = _text(DOCUMENTS["transport-internal-courier"], PageSize.A6, language)
    ordinary = _text(DOCUMENTS["transport"], PageSize.A6, language)
    marker = render(labels.INTERNAL_COURIER, language)
    assert marker in internal and "KUB Frederiksberg" in internal
    assert marker not in ordinary


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
@pytest.mark.parametrize("kind", list(SlipKind))
def test_M2_slip_says_use_at_institute_only_in_both_languages(kind, size, language):
    text = _text(slip(kind, use_at_institute=True), size, language)
    assert "USE AT THE INSTITUTE ONLY" in text
    assert "MÅ KUN BRUGES PÅ INSTITUTTET" in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["transport", "pickup", "reading-room"])
def test_M2_band_is_not_printed_on_an_ordinary_loan(name, language):
    text = _text(DOCUMENTS[name], PageSize.A6, language)
    assert "USE AT THE INSTITUTE ONLY" not in text
    assert "MÅ KUN BRUGES" not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
def test_T2_pickup_slip_shows_shelf_place(size, language):
    data = DOCUMENTS["pickup"]
    text = _text(data, size, language)
    assert render(labels.PICKUP_SLIP, language).upper() in text
    assert f"{render(labels.PICKUP_SHELF, language).upper()} {data.shelf_place}" in text
    for needed in (
        data.borrower_name,
        data.institute_name,
        data.title,
        data.call_number,
        data.item_barcode,
        format_date(data.due, language, style="print"),
        format_date(data.guaranteed_until, language, style="print"),
    ):
        assert needed in text, needed
    assert "NORTH" not in text  # no courier route for T2
    assert render(labels.TRANSPORT_SLIP, language).upper() not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
def test_I3_reading_room_slip(size, language):
    data = DOCUMENTS["reading-room"]
    text = _text(data, size, language)
    assert render(labels.READING_ROOM_SLIP, language).upper() in text
    assert data.reading_room in text
    assert "READING ROOM ONLY" in text and "KUN TIL LÆSESALEN" in text
    assert "May not leave the reading room." in text
    assert render(labels.ILL, language) in text  # reading-room-only items are ILL items (I3)
    for needed in (
        data.borrower_name,
        data.title,
        data.item_barcode,
        format_date(data.due, language, style="print"),
    ):
        assert needed in text, needed


@pytest.mark.parametrize("language", LANGUAGES)
def test_I3_ill_marker_only_on_ill_loans(language):
    ill_mark = render(labels.ILL, language)
    assert re.search(rf"\b{ill_mark}\b", _text(slip(is_ill=True), PageSize.A6, language))
    assert not re.search(rf"\b{ill_mark}\b", _text(slip(), PageSize.A6, language))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_B3_slips_print_nothing_like_a_cpr_number(name):
    for size in SLIP_SIZES:
        for language in LANGUAGES:
            text = text_of(render_slip(DOCUMENTS[name], size, language))
            assert not re.search(r"\b\d{6}-?\d{4}\b", text), text


def test_B3_slip_data_has_no_field_that_could_carry_a_cpr_number():
    fields = set(SlipData.__dataclass_fields__)
    assert not {name for name in fields if "cpr" in name or "card" in name}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
@pytest.mark.parametrize("kind", list(SlipKind))
def test_a_hostile_title_wraps_inside_the_page_and_barcodes_still_scan(kind, size, language):
    assert len(NASTY_TITLE) == 300
    data = slip(kind, title=NASTY_TITLE, use_at_institute=True, is_ill=True)
    pdf = render_slip(data, size, language)
    text = flat(text_of(pdf))
    assert "Bog <&> om Łódź, Győr og Малая Земля: æøå ÆØÅ" in text
    assert ELLIPSIS in text
    assert NASTY_TITLE[-40:] not in text  # cut to three lines, not printed in full
    dpi = 203
    (image,) = render_pages(pdf, dpi)
    margin = round((sheet(size).margin_x - 0.5 * mm) * dpi / 72)
    assert not dark_columns(image, 0, margin), "ink in the left margin"
    assert not dark_columns(image, image.width - margin, image.width), "ink in the right margin"
    assert dark_columns(image, margin, margin + round(3 * mm * dpi / 72)), "text starts here"
    assert decode(image) == sorted([data.item_barcode, data.slip_code])


def test_every_field_at_its_longest_still_fits_an_A6_slip():
    """Over-long data is capped field by field (and, past that, scaled):
    nothing may run off the label."""
    data = slip(
        title=NASTY_TITLE,
        use_at_institute=True,
        is_ill=True,
        internal_courier=True,
        institute_name="Institut for Naturfagenes Didaktik og Videnskabsteori " * 3,
        institute_address="Øster Voldgade 3, bygning 7, opgang B, lokale 3.117 " * 3,
        borrower_name="Maria-Magdalena Christiansdatter Østergaard-Løvenskiold " * 3,
        author="Hans Christian Ørsted " * 10,
        call_number="530.12 Kva 1234 bd. 17 " * 5,
        route_code="NORTHWESTERNINTERNAL",
        route_name="Nordvestruten " * 10,
        desk="KUB Nørre Campus, udlånsskranken " * 5,
    )
    pdf = render_slip(data, PageSize.A6)
    image = render_pages(pdf, 203)[0]
    edge = round(4 * mm * 203 / 72)
    assert not dark_columns(image, 0, edge)
    assert not dark_columns(image, image.width - edge, image.width)
    assert not dark_rows(image, image.height - edge, image.height), "ink in the bottom margin"
    assert not dark_rows(image, 0, edge), "ink in the top margin"
    assert dark_rows(image, edge, 2 * edge), "the check must look where there is ink"
    assert decode(image) == sorted([data.item_barcode, data.slip_code])


def test_the_roll_is_80_mm_wide_and_as_long_as_its_content():
    def media(data: SlipData) -> tuple[float, float]:
        box = pypdf.PdfReader(io.BytesIO(render_slip(data, PageSize.ROLL_80MM))).pages[0].mediabox
        return float(box.width), float(box.height)

    short_width, short = media(slip(title="Kort"))
    long_width, long = media(slip(title=NASTY_TITLE, use_at_institute=True))
    assert short_width == long_width == pytest.approx(80 * mm)
    assert 80 * mm < short < long < 250 * mm


def test_A6_is_105_by_148_mm():
    box = pypdf.PdfReader(io.BytesIO(render_slip(slip(), PageSize.A6))).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((105 * mm, 148 * mm))


def test_slips_are_not_printed_on_a4():
    with pytest.raises(ValueError, match="A6 or the 80 mm roll"):
        render_slip(slip(), PageSize.A4)


def test_letters_outside_latin_1_are_printed_in_the_embedded_dejavu_font():
    assert fonts.ensure_fonts() == ("DeskSans", "DeskSans-Bold")
    pdf = render_slip(slip(title="Малая Земля · Ελληνική · Łódź"), PageSize.A6)
    assert b"DejaVuSans" in pdf  # the subset's BaseFont names the embedded file
    assert "Малая Земля · Ελληνική · Łódź" in flat(page_texts(pdf)[0])


def test_a_word_wider_than_the_line_is_cut_not_run_off_the_paper():
    regular, _ = fonts.ensure_fonts()
    st = style(regular, 9)
    lines = wrap("ISBN " + "9" * 80 + " slut", st, 100)
    assert all(st.width(line) <= 100 for line in lines)
    assert "".join(lines).replace(" ", "") == "ISBN" + "9" * 80 + "slut"


def test_wrap_caps_the_lines_with_an_ellipsis():
    regular, _ = fonts.ensure_fonts()
    st = style(regular, 9)
    lines = wrap("ord " * 100, st, 100, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith(ELLIPSIS)
    assert all(st.width(line) <= 100 for line in lines)
    assert wrap("  Linje\n\tto  ", st, 100) == ["Linje to"]
    assert wrap(None, st, 100) == [] and wrap("", st, 100) == []


def test_a_slip_is_the_same_bytes_every_time():
    """Invariant output: a reprint is identical, and a test can compare."""
    data = replace(DOCUMENTS["transport-m2"])
    assert render_slip(data) == render_slip(data)


def test_missing_font_files_fall_back_to_helvetica(monkeypatch, tmp_path, caplog):
    """A broken install still prints (with boxes for letters outside Latin-1)."""
    monkeypatch.setattr(fonts.importlib.resources, "files", lambda _package: tmp_path)
    with caplog.at_level("WARNING"):
        assert fonts.ensure_fonts.__wrapped__() == fonts.FALLBACK
    assert "Helvetica" in caplog.text
