"""Issue 13 point 19: the route line was cut on slips ("Frederiksberg Campus
(KUB Frederiksberg i…") and the date in the 80 mm manifest's page head
("Rute FREDERIKSBERG · 21.11…"). Long names now wrap, then shrink; the day
is always whole. Checked in the text a PDF reader extracts (pypdf) and in
the ink on the paper (pypdfium2)."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from desk_app.i18n import format_date, format_datetime
from desk_app.printing.documents import MANIFEST_SIZES, SLIP_SIZES, PageSize
from desk_app.printing.layout import ELLIPSIS, fit_lines, style, wrap
from desk_app.printing.manifest import render_manifest
from desk_app.printing.slips import render_slip
from tests.printing.render import (
    LOAN_DAY,
    dark_columns,
    decode,
    flat,
    manifest,
    page_texts,
    render_pages,
    slip,
    stop,
    text_of,
)

LANGUAGES = ("da", "en")
# the policy's own internal route (resources/policy.toml)
LONG_NAME = "Frederiksberg Campus (KUB Frederiksberg internal courier)"
LONG_CODE = "FREDERIKSBERG"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SLIP_SIZES)
def test_h13_p19_a_slip_prints_the_whole_route_name(size, language):
    data = slip(route_code=LONG_CODE, route_name=LONG_NAME, internal_courier=True, stop=12)
    pdf = render_slip(data, size, language)
    text = flat(text_of(pdf))
    assert LONG_NAME in text and ELLIPSIS not in text
    assert LONG_CODE in text
    (image,) = render_pages(pdf, 203)
    edge = round(3 * mm * 203 / 72)
    assert not dark_columns(image, image.width - edge, image.width), "ink off the label"
    assert decode(image) == sorted([data.item_barcode, data.slip_code])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_h13_p19_a_manifest_prints_the_whole_route_name_and_day_on_every_page(size, language):
    stops = [stop(n, 12, 4, first=20 * n) for n in range(1, 6)]  # more than a page
    data = manifest(stops, route_code=LONG_CODE, route_name=LONG_NAME, internal_courier=True)
    pdf = render_manifest(data, size, language)
    pages = page_texts(pdf)
    day = format_date(LOAN_DAY, language, style="print")
    assert LONG_NAME in flat(pages[0])
    assert len(pages) > 1  # the roll too: it is cut into printable lengths
    for number, page in enumerate(pages, start=1):
        head = flat(page)[:120]
        assert f"{LONG_CODE} · {day}" in head, (number, head)
        assert ELLIPSIS not in head
    assert format_datetime(data.printed_at, language, style="print") in flat(text_of(pdf))


@pytest.mark.parametrize("language", LANGUAGES)
def test_h13_p19_the_80mm_page_head_keeps_the_day_even_for_the_longest_route_code(language):
    """A route code as long as the manifest's barcode allows: the type
    shrinks and, past that, the code is shortened; the day never is."""
    code = "NORTHWESTERNINTERNAL"
    data = manifest([stop(1, 2, 1)], route_code=code, route_name=LONG_NAME * 2)
    pdf = render_manifest(data, PageSize.ROLL_80MM, language)
    head = flat(page_texts(pdf)[0])[:100]
    day = format_date(LOAN_DAY, language, style="print")
    assert f"{code} · {day}" in head or f"{ELLIPSIS} · {day}" in head, head
    (image,) = render_pages(pdf, 203, [0])
    edge = round(3 * mm * 203 / 72)
    assert not dark_columns(image, image.width - edge, image.width), "ink off the roll"
    assert not dark_columns(image, 0, edge)


def test_h13_p19_a_long_desk_name_shortens_before_the_time_of_printing():
    data = manifest([stop(1, 1, 0)], desk="KUB Nørre Campus, udlånsskranken i stueetagen " * 3)
    for size in MANIFEST_SIZES:
        text = flat(text_of(render_manifest(data, size, "da")))
        assert format_datetime(data.printed_at, "da", style="print") in text
        assert (
            data.manifest_code
            in text.split(format_datetime(data.printed_at, "da", style="print"))[-1]
        )


def test_h13_p19_fit_lines_wraps_then_shrinks_and_cuts_only_past_the_smallest_size():
    font = style("Helvetica", 10).font
    width = 100.0
    short, lines = fit_lines("Nordruten", font, 10, width, 2, 7)
    assert (short.size, lines) == (10, ["Nordruten"])
    two, lines = fit_lines(LONG_NAME, font, 10, 200, 2, 7)
    assert two.size == 10 and " ".join(lines) == LONG_NAME and len(lines) == 2
    smaller, lines = fit_lines(LONG_NAME, font, 10, 120, 2, 7)
    assert 7 <= smaller.size < 10 and " ".join(lines) == LONG_NAME and len(lines) == 2
    assert len(wrap(LONG_NAME, style(font, smaller.size + 0.5), 120)) > 2, "the largest that fits"
    tiny, lines = fit_lines(LONG_NAME * 4, font, 10, width, 2, 7)
    assert tiny.size == 7 and len(lines) == 2 and lines[-1].endswith(ELLIPSIS)
