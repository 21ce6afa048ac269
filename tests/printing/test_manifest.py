"""Courier manifests (T3, T4): stops in route order with what to deliver and
collect, counts, a signature line per stop, page numbers, and only the
manifest's own barcode, which scans at 203 and 300 dpi."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from reportlab.lib.units import mm

from desk_app.i18n import format_date, render
from desk_app.printing import labels
from desk_app.printing.documents import MANIFEST_SIZES, ManifestData, ManifestStop, PageSize
from desk_app.printing.manifest import render_manifest
from desk_app.printing.slips import render_slip
from tests.printing.render import (
    DPIS,
    NASTY_TITLE,
    dark_columns,
    decode,
    flat,
    line,
    manifest,
    page_count,
    page_texts,
    render_pages,
    slip,
    stop,
    text_of,
)

LANGUAGES = ("da", "en")

THREE_STOPS = manifest([stop(1, 3, 1), stop(2, 1, 2, first=10), stop(3, 2, 0, first=20)])

DOCUMENTS = {
    "three-stops": THREE_STOPS,
    "empty": manifest(),
    "internal-courier": manifest(
        [stop(1, 2, 2)], route_code="KUBF", route_name="Internt bud", internal_courier=True
    ),
}


def _big() -> ManifestData:
    """120 items on 7 stops, one of them (stop 5) longer than an A4 page."""
    sizes = [(5, 2), (20, 5), (3, 0), (0, 4), (40, 10), (8, 3), (12, 8)]
    stops, first = [], 0
    for number, (deliver, collect) in enumerate(sizes, start=1):
        stops.append(stop(number, deliver, collect, first))
        first += deliver + collect
    return manifest(stops)


BIG = _big()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_T4_every_manifest_renders_and_only_its_own_code_scans(name, size, language):
    data = DOCUMENTS[name]
    pdf = render_manifest(data, size, language)
    assert pdf.startswith(b"%PDF")
    for dpi in DPIS:
        first, *rest = render_pages(pdf, dpi)
        assert decode(first) == [data.manifest_code], f"{name} {size} {language} {dpi} dpi"
        assert all(decode(page) == [] for page in rest)
    text = flat(text_of(pdf))
    assert data.route_code in text and data.route_name in text
    assert format_date(data.day, language, style="print") in text
    assert render(labels.MANIFEST, language).upper() in text


def test_T4_manifest_code_is_route_and_day():
    assert THREE_STOPS.manifest_code == "MNORTH20261121"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_T4_manifest_lists_stops_in_route_order(size, language):
    """Route order is the order given, not the stop numbers' or names'."""
    order = [stop(7, 1, 0, first=0), stop(2, 1, 1, first=10), stop(5, 0, 1, first=20)]
    order = [
        ManifestStop(s.stop, s.institute_code, name, s.address, s.deliver, s.collect)
        for s, name in zip(
            order, ["Zoologisk Museum", "Afdeling Alfa", "Matematisk Institut"], strict=True
        )
    ]
    text = flat(text_of(render_manifest(manifest(order), size, language)))
    positions = [text.index(name) for name in ("Zoologisk", "Afdeling Alfa", "Matematisk")]
    assert positions == sorted(positions)
    word = render(labels.STOP, language).upper()
    assert [int(n) for n in re.findall(rf"{word} (\d+) ", text)] == [7, 2, 5]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_T4_each_stop_shows_its_items_counts_and_a_signature_line(size, language):
    text = flat(text_of(render_manifest(THREE_STOPS, size, language)))
    for s in THREE_STOPS.stops:
        assert s.institute_name in text and s.address in text
        counts = render(labels.stop_counts(len(s.deliver), len(s.collect)), language)
        assert counts in text
        for item in (*s.deliver, *s.collect):
            assert item.item_barcode in text
            assert item.borrower_name in text
            assert item.call_number in text
        if s.deliver:
            assert f"{render(labels.DELIVER, language).upper()} ({len(s.deliver)})" in text
        if s.collect:
            assert f"{render(labels.COLLECT, language).upper()} ({len(s.collect)})" in text
    assert text.count(render(labels.SIGNATURE, language)) == len(THREE_STOPS.stops)
    assert text.count(render(labels.TIME, language)) >= len(THREE_STOPS.stops)
    totals = render(labels.totals(3, 6, 3), language)
    assert totals in text
    assert format_date(line(0).due, language, style="print") in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_M2_deliver_lines_are_marked_use_at_institute_only(size, language):
    mark = render(labels.USE_AT_INSTITUTE_SHORT, language)
    text = flat(text_of(render_manifest(THREE_STOPS, size, language)))
    m2 = sum(1 for s in THREE_STOPS.stops for item in s.deliver if item.use_at_institute)
    assert m2 == 3 and text.count(mark) == m2


@pytest.mark.parametrize("language", LANGUAGES)
def test_T4_collect_lines_say_why_in_words(language):
    reasons = ("recall", "reminder", "suspension", "announced")
    data = manifest([stop(1, 0, 4)])
    text = flat(text_of(render_manifest(data, PageSize.A4, language)))
    for code in reasons:
        assert render(labels.reason(code), language) in text
    assert render(labels.reason("recall"), "da") == "Hjemkaldelse"
    assert render(labels.reason("lost-in-van"), "en") == "lost-in-van"  # unknown: as it is


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_T4_an_empty_day_still_prints_one_page_to_sign(size, language):
    data = DOCUMENTS["empty"]
    pdf = render_manifest(data, size, language)
    text = flat(text_of(pdf))
    assert page_count(pdf) == 1
    assert render(labels.NOTHING, language) in text
    assert render(labels.SIGNATURE, language) in text
    assert render(labels.totals(0, 0, 0), language) in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_T3_internal_courier_manifest_is_marked(size, language):
    marker = render(labels.INTERNAL_COURIER, language)
    assert marker in flat(text_of(render_manifest(DOCUMENTS["internal-courier"], size, language)))
    assert marker not in flat(text_of(render_manifest(THREE_STOPS, size, language)))


def _pages_of(texts: list[str], value: str) -> set[int]:
    return {number for number, text in enumerate(texts, start=1) if value in text}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_T4_a_long_manifest_pages_stops_whole_and_numbers_every_page(size, language):
    pdf = render_manifest(BIG, size, language)
    texts = [flat(text) for text in page_texts(pdf)]
    pages = len(texts)
    assert pages >= 3
    for number, text in enumerate(texts, start=1):
        assert render(labels.page_of(number, pages), language) in text
        assert BIG.route_code in text and format_date(BIG.day, language, style="print") in text
    one_page = 560 if size is PageSize.A4 else 2000  # items that surely fit one page
    for s in BIG.stops:
        barcodes = [item.item_barcode for item in (*s.deliver, *s.collect)]
        where = set().union(*(_pages_of(texts, code) for code in barcodes))
        first_page = min(_pages_of(texts, barcodes[0]))
        header_pages = _pages_of(texts, s.institute_name)
        # the header never sits alone at the foot of a page: its first item follows it
        assert min(header_pages) == first_page, f"stop {s.stop} header orphaned"
        if s.count * 22 < one_page:
            assert len(where) == 1, f"stop {s.stop} split although it fits a page"
        if len(where) > 1:  # a stop longer than a page goes on under "(continued)"
            name = f"{s.institute_name} ({s.institute_code})"
            continued = render(labels.continued(name), language)
            assert _pages_of(texts, continued) == where - {first_page}
    everything = " ".join(texts)
    for s in BIG.stops:
        for item in (*s.deliver, *s.collect):
            assert everything.count(item.item_barcode) == 1


def test_T4_a_long_manifest_scans_only_on_page_one():
    pdf = render_manifest(BIG, PageSize.A4, "da")
    first, *rest = render_pages(pdf, 203)
    assert decode(first) == [BIG.manifest_code]
    assert rest and all(decode(page) == [] for page in rest)


def test_T4_a_1000_item_manifest_on_the_roll_is_cut_into_printable_lengths():
    data = manifest([stop(n, 19, 6, first=n * 25) for n in range(1, 41)])
    pdf = render_manifest(data, PageSize.ROLL_80MM, "da")
    boxes = [page.mediabox for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(boxes) > 1
    assert all(float(box.width) == pytest.approx(80 * mm) for box in boxes)
    assert all(float(box.height) <= 1010 * mm for box in boxes)
    assert flat(text_of(pdf)).count(render(labels.SIGNATURE, "da")) == 40


@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_a_hostile_title_stays_inside_the_manifest_columns(size):
    nasty = ManifestStop(
        1,
        "NBI<&>",
        "Institut <&> Łódź " * 8,
        "Адрес & <vej> " * 10,
        tuple(line(n, title=NASTY_TITLE, borrower_name="Ægir Øster-Åberg " * 5) for n in (1, 2)),
        (line(3, title=NASTY_TITLE, call_number="530.12 Kva " * 8, reason="recall"),),
    )
    pdf = render_manifest(manifest([nasty]), size, "da")
    text = flat(text_of(pdf))
    assert "Bog <&> om Łódź" in text and "…" in text
    dpi = 203
    image = render_pages(pdf, dpi)[0]
    margin = round((14 if size is PageSize.A4 else 3.5) * mm * dpi / 72)
    assert not dark_columns(image, 0, margin)
    assert not dark_columns(image, image.width - margin, image.width)
    assert decode(image) == ["MNORTH20261121"]


def test_B3_manifests_print_nothing_like_a_cpr_number():
    for data in (*DOCUMENTS.values(), BIG):
        for size in MANIFEST_SIZES:
            text = text_of(render_manifest(data, size, "da"))
            assert not re.search(r"\b\d{6}-?\d{4}\b", text)


def test_manifests_are_not_printed_on_a6():
    with pytest.raises(ValueError, match="A4 or the 80 mm roll"):
        render_manifest(THREE_STOPS, PageSize.A6)


def test_a_slip_and_a_manifest_share_one_font_registration():
    """Rendering in any order works: the fonts are registered once, lazily."""
    assert render_manifest(THREE_STOPS) and render_slip(slip())


def test_T4_a_stop_header_is_never_orphaned_at_a_page_foot():
    """Whatever room the stop before leaves, a stop longer than a page starts
    where its header, its first heading and its first line all fit, and
    ends with its last item and the signature line on one page."""
    moved = 0
    for before in range(20, 48):  # stop 1 ends from mid-page to the foot of page 1
        first = ManifestStop(
            1,
            "A",
            "Institut Alfa",
            "Alfavej 1",
            tuple(line(n, title="Bog") for n in range(before)),
            (),
        )
        long = ManifestStop(
            2,
            "B",
            "Institut Beta",
            "Betavej 2",
            tuple(line(100 + n, title="Bog") for n in range(70)),
            (),
        )
        pdf = render_manifest(manifest([first, long]), PageSize.A4, "en")
        texts = [flat(text) for text in page_texts(pdf)]
        header = min(_pages_of(texts, "Institut Beta (B)"))
        moved += header == 2
        assert header in _pages_of(texts, long.deliver[0].item_barcode), before
        assert header in _pages_of(texts, "DELIVER (70)"), before
        # nor does a signature line stand alone, away from the items it signs for
        last_item = max(_pages_of(texts, long.deliver[-1].item_barcode))
        assert last_item == max(_pages_of(texts, "Signature")), before
    assert moved, "the sweep must reach the foot of the page"
