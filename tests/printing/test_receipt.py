"""The borrower receipt (issue 15) on the 80 mm roll and as e-mail text:
the borrower, their library card and institute, the date, every open loan
(title, item, due date, capacity) and request (title, place in the queue),
the totals; Danish and English; no CPR number ever (B3)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pypdf
import pytest
from babel.messages.pofile import read_po
from reportlab.lib.units import mm

from desk_app.domain.facts import Capacity
from desk_app.i18n import render
from desk_app.i18n.catalogue import catalogue_path
from desk_app.printing import receipt_data
from desk_app.printing.receipt import (
    ReceiptData,
    ReceiptLoan,
    ReceiptRequest,
    receipt_mail_body,
    receipt_plain_text,
    receipt_subject,
    render_receipt,
)
from tests.printing.render import NASTY_TITLE, decode, flat, item_number, render_pages, text_of

LANGUAGES = ("da", "en")


def receipt(**changes: object) -> ReceiptData:
    base = ReceiptData(
        borrower_name="Karen Høeg Jørgensen",
        card="20000000000017",
        institute_code="NBI",
        institute_name="Niels Bohr Institutet",
        day=date(2026, 11, 21),
        loans=(
            ReceiptLoan(
                "Kvantemekanikkens grundlag",
                item_number(4711),
                date(2027, 11, 22),
                Capacity.INSTITUTE,
                "530.12 Kva",
            ),
            ReceiptLoan("Bog <&> æøå", item_number(4712), date(2026, 12, 5), Capacity.PRIVATE),
        ),
        requests=(
            ReceiptRequest("Relativitetsteori for begyndere", item_number(4714), 2, 3),
            ReceiptRequest("Atomfysik", item_number(4715), 1, 1),
        ),
        desk="KUB Nørre Campus",
        printed_at=datetime(2026, 11, 21, 10, 42),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _pages(pdf: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not after position {at} in {text!r}"
        at = found + len(part)


EXPECTED = {
    "da": [
        "LÅNEKVITTERING",
        "21.11.2026",
        "Karen Høeg Jørgensen",
        "Kort: 20000000000017",
        "Niels Bohr Institutet (NBI)",
        "2 LÅN",
        "Kvantemekanikkens grundlag",
        item_number(4711),
        "Afl.dato 22.11.2027",
        "Institutlån · 530.12 Kva",
        "Bog <&> æøå",
        item_number(4712),
        "Afl.dato 05.12.2026",
        "Privatlån",
        "2 RESERVERINGER",
        "Relativitetsteori for begyndere",
        f"{item_number(4714)} · Nummer 2 af 3 i køen",
        "Atomfysik",
        f"{item_number(4715)} · Nummer 1 af 1 i køen",
        "I alt: 2 lån · 2 reserveringer",
        "Skranke: KUB Nørre Campus",
        "Udskrevet 21.11.2026 10:42",
    ],
    "en": [
        "LOAN RECEIPT",
        "21 Nov 2026",
        "Karen Høeg Jørgensen",
        "Card: 20000000000017",
        "Niels Bohr Institutet (NBI)",
        "2 LOANS",
        "Kvantemekanikkens grundlag",
        item_number(4711),
        "Due 22 Nov 2027",
        "Institute loan · 530.12 Kva",
        "Bog <&> æøå",
        "Due 5 Dec 2026",
        "Private loan",
        "2 REQUESTS",
        "Relativitetsteori for begyndere",
        f"{item_number(4714)} · Number 2 of 3 in the queue",
        "Atomfysik",
        "Total: 2 loans · 2 requests",
        "Desk: KUB Nørre Campus",
        "Printed 21 Nov 2026 10:42",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_says_everything_in_order_on_one_roll_page(language):
    pdf = render_receipt(receipt(), language)
    (page,) = _pages(pdf)
    assert round(float(page.mediabox.width) / mm) == 80
    assert 60 < float(page.mediabox.height) / mm < 200  # cut where the content ends
    _in_order(flat(text_of(pdf)), EXPECTED[language])
    assert decode(render_pages(pdf, 203)[0]) == []  # a receipt has nothing to scan


PLAIN = {
    "da": [
        "Lånekvittering",
        "21.11.2026",
        "Karen Høeg Jørgensen",
        "Kort: 20000000000017",
        "Niels Bohr Institutet (NBI)",
        "2 lån",
        "* Kvantemekanikkens grundlag",
        f"Eksemplar: {item_number(4711)} · 530.12 Kva · Afleveringsdato: 22.11.2027 · Institutlån",
        "* Bog <&> æøå",
        f"Eksemplar: {item_number(4712)} · Afleveringsdato: 05.12.2026 · Privatlån",
        "2 reserveringer",
        "* Relativitetsteori for begyndere",
        f"Eksemplar: {item_number(4714)} · Nummer 2 af 3 i køen",
        "* Atomfysik",
        f"Eksemplar: {item_number(4715)} · Nummer 1 af 1 i køen",
        "I alt: 2 lån · 2 reserveringer",
        "Skranke: KUB Nørre Campus · Udskrevet 21.11.2026 10:42",
    ],
    "en": [
        "Loan receipt",
        "21 Nov 2026",
        "Karen Høeg Jørgensen",
        "Card: 20000000000017",
        "Niels Bohr Institutet (NBI)",
        "2 loans",
        "* Kvantemekanikkens grundlag",
        f"Item: {item_number(4711)} · 530.12 Kva · Due: 22 Nov 2027 · Institute loan",
        "* Bog <&> æøå",
        f"Item: {item_number(4712)} · Due: 5 Dec 2026 · Private loan",
        "2 requests",
        "* Relativitetsteori for begyndere",
        f"Item: {item_number(4714)} · Number 2 of 3 in the queue",
        "* Atomfysik",
        f"Item: {item_number(4715)} · Number 1 of 1 in the queue",
        "Total: 2 loans · 2 requests",
        "Desk: KUB Nørre Campus · Printed 21 Nov 2026 10:42",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_e_mail_text_says_the_same_line_by_line(language):
    lines = [line.strip() for line in receipt_plain_text(receipt(), language).splitlines()]
    wanted = PLAIN[language]
    assert [line for line in lines if line and set(line) != {"-"}] == wanted


def test_the_e_mail_greets_the_borrower_and_has_a_subject():
    body = receipt_mail_body(receipt(), "da", "KB")
    assert body.startswith("Kære Karen Høeg Jørgensen,\n")
    assert receipt_plain_text(receipt(), "da") in body and body.rstrip().endswith("KB")
    assert receipt_subject(receipt(), "da") == "Lånekvittering 21.11.2026"
    assert receipt_subject(receipt(), "en") == "Loan receipt 21 Nov 2026"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_loans_and_no_requests_say_so(language):
    data = receipt(loans=(), requests=(), card=None)
    text = flat(text_of(render_receipt(data, language)))
    plain = receipt_plain_text(data, language)
    for words in (
        render(receipt_data.NO_LOANS, language),
        render(receipt_data.NO_REQUESTS, language),
        render(receipt_data.total(0, 0), language),
    ):
        assert words in text and words in plain
    card_word = render(receipt_data.CARD, language)
    assert f"{card_word}:" not in text and f"{card_word}:" not in plain


@pytest.mark.parametrize(
    "cpr", ["010190-1235", "0101901235", "010190-XXXX", "Kort 010190-xxxx", "2101901235"]
)
def test_B3_a_receipt_cannot_carry_a_cpr_number_not_even_masked(cpr):
    with pytest.raises(ValueError, match="B3"):
        receipt(card=cpr)
    receipt(card="20000000000017")  # a 14-digit library card is no CPR number


def test_B3_nothing_cpr_shaped_reaches_paper_or_mail():
    data = receipt(card=None)
    pdf = render_receipt(data, "da")
    for text in (flat(text_of(pdf)), receipt_mail_body(data, "da")):
        assert "010190" not in text and "XXXX" not in text


def test_nasty_titles_print_as_they_are_and_stay_on_the_roll():
    loans = tuple(
        ReceiptLoan(NASTY_TITLE, item_number(n), date(2027, 1, n + 1), Capacity.INSTITUTE)
        for n in range(3)
    )
    data = receipt(borrower_name="Zoë <Ærø> & Co " * 6, loans=loans)
    pdf = render_receipt(data, "da")
    text = flat(text_of(pdf))
    assert "Bog <&> om Łódź" in text and "Zoë <Ærø> & Co" in text
    image = render_pages(pdf, 203)[0]
    white = image.crop((0, 0, int(3.5 * 203 / 25.4), image.height)).getextrema()[0]
    assert white > 200  # the left margin stays white: nothing ran off the paper
    assert NASTY_TITLE in receipt_plain_text(data, "da")


def test_a_very_long_receipt_is_cut_into_pages_a_printer_takes():
    loans = tuple(
        ReceiptLoan(f"Bog {n}", item_number(n), date(2027, 1, 1), Capacity.INSTITUTE)
        for n in range(400)
    )
    pdf = render_receipt(receipt(loans=loans), "en")
    pages = _pages(pdf)
    assert len(pages) > 1
    assert all(float(page.mediabox.height) / mm <= 1000.5 for page in pages)
    text = flat(text_of(pdf))
    assert all(item_number(n) in text for n in range(400))
    assert "Total: 400 loans · 2 requests" in text


def test_every_word_of_the_receipt_is_in_the_danish_catalogue():
    with catalogue_path("da").open("rb") as source:
        catalogue = read_po(source, locale="da")
    texts = [
        receipt_data.RECEIPT,
        receipt_data.CARD,
        receipt_data.NO_LOANS,
        receipt_data.NO_REQUESTS,
        *receipt_data.CAPACITIES.values(),
        receipt_data.loan_count(2),
        receipt_data.request_count(2),
        receipt_data.place_in_queue(1, 2),
        receipt_data.total(1, 1),
        receipt_data.subject("d"),
    ]
    for text in texts:
        found = catalogue.get(text.message_id, context=text.context)
        assert found is not None, text.message_id
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        assert all(strings), text.message_id
