"""The printed pick list (§4 Q1): A4, its rows in the order given (shelf
order), each with the call number, title, author, a scannable Code 128 of
the item, the requester, the institute, where the book goes and how many
wait; a tick box per row, "page x of y", and no row split over a page."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from babel.messages.pofile import read_po
from PIL import Image
from reportlab.lib.units import mm

from desk_app.domain.ill import HandOver
from desk_app.domain.pick_list import PickEntry, in_shelf_order
from desk_app.i18n import Text, format_datetime, render
from desk_app.i18n.catalogue import catalogue_path
from desk_app.printing import labels, pick_list
from desk_app.printing.pick_list import render_pick_list
from tests.printing.render import (
    NASTY_TITLE,
    decode,
    flat,
    item_number,
    page_count,
    page_texts,
    render_pages,
    text_of,
)

LANGUAGES = ("da", "en")
# The pick list is printed on A4 by an office laser (300 or 600 dpi). The
# 203 dpi of the thermal roll is no A4 printer's, and pdfium's whole-pixel
# A4 page at "203 dpi" is scaled by 203.07 across: two-dot bars then blur.
A4_DPIS = (300, 600)
MADE = datetime(2026, 11, 21, 10, 42)
DESK = "KUB Nørre Campus, udlånet"


def codes(image: Image.Image, dpi: int) -> list[str]:
    """The Code 128 values in the item column (from 320 to 450 points across,
    the column with a little white each side): zxing reads a column a fifth
    of the page's width five times as fast, and finds no fewer."""
    scale = dpi / 72
    return decode(image.crop((int(320 * scale), 0, int(450 * scale), image.height)))


def entry(sequence: int, **changes: object) -> PickEntry:
    base = PickEntry(
        barcode=item_number(sequence),
        call_number=f"{500 + sequence % 100}.{sequence:03d} Fys",
        title=f"Bog nummer {sequence}: om fysik, kemi & biologi",
        author="Jens Lindhard",
        card="20000000000017",
        borrower_id=sequence,
        borrower_name=f"Låner Nummer{sequence}",
        institute_code="NBI",
        institute_name="Niels Bohr Institutet",
        hand_over=HandOver.COURIER,
        route="NORTH",
        requested_at=datetime(2026, 11, 20, 9, 0),
        waiting=1,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


FOUR = [
    entry(1, call_number="530.12 Kva", title="Kvantemekanikkens grundlag", waiting=3),
    entry(
        2,
        call_number="539.7 Ato",
        title="Bog <&> æøå",
        author=None,
        hand_over=HandOver.SELF_PICKUP,
        route=None,
        institute_code="INF",
        institute_name="Institut for Informationsstudier",
    ),
    entry(3, call_number="574.87 Cel", hand_over=HandOver.INTERNAL_COURIER, route="KUBF"),
    entry(4, call_number=None, hand_over=HandOver.READING_ROOM, route=None),
]


def _say(text: Text, language: str) -> str:
    return render(text, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_q1_pick_list_holds_what_the_page_runner_needs_and_its_codes_scan(language):
    pdf = render_pick_list(FOUR, MADE, language, DESK)
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 1
    for dpi in A4_DPIS:
        (image,) = render_pages(pdf, dpi)
        assert codes(image, dpi) == sorted(e.barcode for e in FOUR), f"{language} at {dpi} dpi"
        if dpi == A4_DPIS[0]:
            assert decode(image) == codes(image, dpi)  # and nothing else on the page scans
    text = flat(text_of(pdf))
    for needed in (
        _say(pick_list.PICK_LIST, language).upper(),
        _say(pick_list.items_to_fetch(4), language),
        _say(labels.page_of(1, 1), language),
        format_datetime(MADE, language, style="print"),
        DESK,
        _say(labels.CALL_NUMBER, language).upper(),
        _say(pick_list.GOES_TO, language).upper(),
        "Kvantemekanikkens grundlag",
        "Bog <&> æøå",  # as it is: drawn as text, never parsed as markup
        "Jens Lindhard",
        "Niels Bohr Institutet (NBI)",
        "Institut for Informationsstudier (INF)",
        _say(labels.route("NORTH"), language),
        _say(labels.PICKUP_SHELF, language),
        _say(labels.INTERNAL_COURIER, language),
        _say(labels.READING_ROOM_SLIP, language),
        _say(pick_list.in_queue(3), language),
        f"({_say(pick_list.NO_CALL_NUMBER, language)})",
    ):
        assert needed in text, needed
    for row in FOUR:
        assert row.barcode in text and row.borrower_name in text


def test_q1_the_words_are_danish_and_english():
    da = flat(text_of(render_pick_list(FOUR, MADE, "da")))
    en = flat(text_of(render_pick_list(FOUR, MADE, "en")))
    for words in ("PLUKLISTE", "4 eksemplarer skal hentes", "i opstillingsorden", "Side 1 af 1"):
        assert words in da and words not in en
    for words in ("PICK LIST", "4 items to fetch", "in shelf order", "Page 1 of 1"):
        assert words in en and words not in da
    assert "SKAL TIL" in da and "Afhentningshylde" in da and "Rute NORTH" in da
    assert "21.11.2026 10:42" in da and "21 Nov 2026 10:42" in en
    single = flat(text_of(render_pick_list(FOUR[:1], MADE, "da")))
    assert "1 eksemplar skal hentes" in single


def test_q1_rows_are_printed_in_the_order_given():
    """The renderer keeps the service's shelf order (it never sorts)."""
    rows = in_shelf_order([entry(n, call_number=f"{n % 7}.{n} X") for n in range(30)])
    text = flat(text_of(render_pick_list(rows, MADE, "en")))
    positions = [text.index(row.barcode) for row in rows]
    assert positions == sorted(positions)
    reversed_rows = list(reversed(rows))
    text = flat(text_of(render_pick_list(reversed_rows, MADE, "en")))
    positions = [text.index(row.barcode) for row in reversed_rows]
    assert positions == sorted(positions)


def test_q1_the_call_number_is_the_biggest_text_in_a_row():
    import io

    import pypdf

    sizes: dict[str, float] = {}

    def seen(text, _cm, tm, _font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            sizes[text.strip()] = size * tm[3]

    page = pypdf.PdfReader(io.BytesIO(render_pick_list(FOUR[:1], MADE, "en"))).pages[0]
    page.extract_text(visitor_text=seen)
    call = sizes["530.12"]
    row = ["Kvantemekanikkens grundlag", "Jens Lindhard", "Låner Nummer1", item_number(1)]
    assert all(sizes[text] < call for text in row), sizes
    assert call >= 12


@pytest.mark.slow
def test_q1_two_hundred_rows_paginate_whole_with_every_code_scannable():
    rows = [entry(n) for n in range(200)]
    pdf = render_pick_list(rows, MADE, "da", DESK)
    pages = page_count(pdf)
    texts = [flat(t) for t in page_texts(pdf)]
    assert 10 <= pages <= 20
    for number, text in enumerate(texts, start=1):
        assert f"Side {number} af {pages}" in text
        assert "PLUKLISTE" in text if number == 1 else "PLUKLISTE" not in text
        assert "OPSTILLING" in text  # the column heads on every page
    seen: list[str] = []
    for number, (text, image) in enumerate(zip(texts, render_pages(pdf, 300), strict=True)):
        on_page = [row for row in rows if row.barcode in text]
        # a row is whole on one page: its barcode scans there, and its call
        # number, title and requester are printed on that same page
        assert codes(image, 300) == sorted(row.barcode for row in on_page), f"page {number + 1}"
        for row in on_page:
            assert row.borrower_name in text and row.call_number in text
            assert sum(row.barcode in other for other in texts) == 1
        seen += [row.barcode for row in on_page]
    assert seen == [row.barcode for row in rows]  # every row once, in order


def test_q1_rows_fill_each_page_before_the_next():
    rows = [entry(n) for n in range(60)]
    texts = [flat(t) for t in page_texts(render_pick_list(rows, MADE, "en"))]
    per_page = [sum(row.barcode in text for row in rows) for text in texts]
    assert sum(per_page) == 60 and len(per_page) >= 3
    # all rows are the same height: every page but the first and last holds as many
    assert len(set(per_page[1:-1])) <= 1 and per_page[-1] <= per_page[1]
    assert per_page[0] <= per_page[1]  # the first page has the title block too


@pytest.mark.parametrize("language", LANGUAGES)
def test_q1_an_empty_pick_list_says_so_on_one_page(language):
    pdf = render_pick_list([], MADE, language)
    assert page_count(pdf) == 1
    text = flat(text_of(pdf))
    assert _say(pick_list.NOTHING_TO_FETCH, language) in text
    assert _say(pick_list.items_to_fetch(0), language) in text
    assert decode(render_pages(pdf, 300)[0]) == []


def test_q1_nasty_titles_names_and_long_call_numbers_stay_in_their_cells():
    rows = [
        entry(
            1,
            title=NASTY_TITLE,
            author="<b>Ødegård</b> & Søn",
            borrower_name="Zoë <Ærø> & Co",
            call_number="DK 92.4 Kierkegaard, Søren Aabye: Samlede værker, bind 14 & 15",
            institute_name="Institut for Tværkulturelle og Regionale Studier & <Asien>",
        ),
        entry(2, title="", author="", call_number="   "),
    ]
    pdf = render_pick_list(rows, MADE, "da")
    text = flat(text_of(pdf))
    assert "Bog <&> om Łódź" in text and "Малая Земля" in text
    assert "<b>Ødegård</b> & Søn" in text and "Zoë <Ærø> & Co" in text
    assert "(ingen opstilling)" in text  # a blank call number is no call number
    assert codes(render_pages(pdf, 300)[0], 300) == sorted(r.barcode for r in rows)


def test_q1_a_barcode_too_long_to_scan_in_its_column_prints_as_text():
    long_code = "ILL-" + "X" * 16  # 20 characters: too narrow as bars in the column
    pdf = render_pick_list([entry(1, barcode=long_code), entry(2)], MADE, "en")
    assert long_code in flat(text_of(pdf))
    assert codes(render_pages(pdf, 300)[0], 300) == [item_number(2)]


def test_B3_the_requesters_card_is_never_printed():
    """The entry carries the requester's card for the replay; the list shows
    the name and institute only (a health card's mask included)."""
    rows = [entry(1, card="010190-XXXX"), entry(2, card="20000000000017")]
    pdf = render_pick_list(rows, MADE, "da")
    text = flat(text_of(pdf))
    assert "010190" not in text and "20000000000017" not in text
    assert b"010190" not in pdf


def test_q1_the_page_is_a4():
    import io

    import pypdf

    page = pypdf.PdfReader(io.BytesIO(render_pick_list(FOUR, MADE, "da"))).pages[0]
    assert round(float(page.mediabox.width) / mm) == 210
    assert round(float(page.mediabox.height) / mm) == 297


def test_q1_every_word_of_the_pick_list_is_in_the_danish_catalogue():
    with catalogue_path("da").open("rb") as source:
        catalogue = read_po(source, locale="da")
    texts = [
        pick_list.PICK_LIST,
        pick_list.SHELF_ORDER,
        pick_list.REQUESTED_BY,
        pick_list.GOES_TO,
        pick_list.NO_CALL_NUMBER,
        pick_list.NOTHING_TO_FETCH,
        pick_list.items_to_fetch(2),
        pick_list.in_queue(2),
    ]
    for text in texts:
        found = catalogue.get(text.message_id, context=text.context)
        assert found is not None and found.string, text.message_id
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        assert all(strings), text.message_id
