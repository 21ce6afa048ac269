"""Notice letters (§5 S6): what the borrower reads, on every page."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from desk_app.i18n import format_date
from desk_app.printing.letter_data import LetterData, LetterLine
from desk_app.printing.letters import RULE_IDS, most_severe, render_letter, render_letters
from tests.printing.render import (
    NASTY_TITLE,
    dark_columns,
    flat,
    item_number,
    page_count,
    page_texts,
    render_pages,
    text_of,
)

RUN = date(2027, 12, 20)
STEPS = ("RECALL", "REMINDER_1", "REMINDER_2", "REMINDER_3", "SUSPENSION")


def letter_line(sequence: int, step: str = "RECALL", **changes: object) -> LetterLine:
    base = LetterLine(
        step=step,
        item_barcode=item_number(sequence),
        title=f"Bog nummer {sequence}: om fysik, kemi & biologi",
        call_number=f"5{sequence % 100:02d} Fys",
        loan_date=date(2026, 11, 21),
        due=date(2027, 11, 22),
        deadline=None if step == "SUSPENSION" else RUN + timedelta(days=7 + sequence % 9),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def letter(lines: tuple[LetterLine, ...] | None = None, **changes: object) -> LetterData:
    if lines is None:
        lines = tuple(letter_line(n, step) for n, step in enumerate(STEPS, start=1))
    base = LetterData(
        borrower_name="Karen Høeg Jørgensen",
        institute_name="Niels Bohr Institutet",
        institute_address="Blegdamsvej 17, 2100 København Ø",
        email="karen@nbi.example.dk",
        run_date=RUN,
        lines=lines,
        sender="Det Kgl. Bibliotek – Københavns Universitetsbibliotek",
        desk="KUB Nørre Campus",
        printed_at=datetime(2027, 12, 20, 7, 30),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", ["da", "en"])
def test_S6_letter_holds_recipient_items_deadlines_and_rules(language: str) -> None:
    data = letter()
    text = flat(text_of(render_letter(data, language)))
    for expected in (data.borrower_name, data.institute_name, data.institute_address):
        assert expected in text
    assert data.sender in text
    assert format_date(RUN, language, style="print") in text
    for line in data.lines:
        assert line.item_barcode in text
        assert line.title[:20] in text
        if line.deadline is not None:
            assert format_date(line.deadline, language, style="print") in text
    for rule_id in RULE_IDS.values():
        assert rule_id in text
    assert "S4" in text  # returning lifts the suspension
    assert "—" in text  # the suspension states no deadline
    assert data.email not in text  # the letter goes by internal mail


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("da", "intet gebyr"), ("en", "No fee is charged")],
)
def test_S1_letter_says_no_fee(language: str, phrase: str) -> None:
    text = flat(text_of(render_letter(letter(), language)))
    assert phrase in text
    assert "(S1)" in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("da", "kan ikke låne, forny eller bestille"),
        ("en", "may not borrow, renew or request until the items are returned (S3)"),
    ],
)
def test_S3_suspension_letter_says_what_is_barred(language: str, words: str) -> None:
    data = letter((letter_line(1, "SUSPENSION"),))
    text = flat(text_of(render_letter(data, language)))
    assert words in text
    assert "§5 S2/S3" in text


@pytest.mark.parametrize(
    ("steps", "subject_da", "subject_en"),
    [
        (("RECALL",), "Hjemkaldelse af lånte materialer", "Recall of borrowed items"),
        (("RECALL", "REMINDER_1"), "1. rykker", "First reminder"),
        (("REMINDER_1", "REMINDER_2", "RECALL"), "2. rykker", "Second reminder"),
        (("REMINDER_3", "REMINDER_1"), "3. og sidste rykker", "Third and final reminder"),
        (STEPS, "Du er suspenderet som låner", "Your borrowing rights are suspended"),
    ],
)
def test_S6_subject_follows_the_most_severe_step(
    steps: tuple[str, ...], subject_da: str, subject_en: str
) -> None:
    data = letter(tuple(letter_line(n, step) for n, step in enumerate(steps, start=1)))
    for language, subject in (("da", subject_da), ("en", subject_en)):
        first = page_texts(render_letter(data, language))[0]
        # the subject comes before any step heading
        after_greeting = flat(first).split("Kære" if language == "da" else "Dear")[0]
        assert subject in after_greeting


def test_S6_unknown_step_and_empty_letter_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        most_severe(letter((letter_line(1, "PAID"),)))
    with pytest.raises(ValueError, match="at least one"):
        render_letter(letter(()))


@pytest.mark.parametrize(("language", "word"), [("da", "Side"), ("en", "Page")])
def test_S6_long_letter_spans_pages_numbered(language: str, word: str) -> None:
    data = letter(tuple(letter_line(n, STEPS[n % 5]) for n in range(60)))
    pdf = render_letter(data, language)
    pages = page_count(pdf)
    assert pages >= 2
    texts = page_texts(pdf)
    of = "af" if language == "da" else "of"
    for number, text in enumerate(texts, start=1):
        assert f"{word} {number} {of} {pages}" in flat(text)
        assert data.borrower_name in flat(text)  # a dropped sheet finds its letter
    joined = flat("\n".join(texts))
    for line in data.lines:
        assert joined.count(line.item_barcode) == 1


def test_S6_batch_starts_each_letter_on_a_new_page() -> None:
    names = ("Anna Ågård", "Bo Østergaard", "Cecilie Łukasiewicz")
    letters = [
        letter(
            tuple(letter_line(100 * i + n, STEPS[n % 5]) for n in range(45 if i == 1 else 3)),
            borrower_name=name,
        )
        for i, name in enumerate(names)
    ]
    pdf = render_letters(letters)
    texts = [flat(t) for t in page_texts(pdf)]
    single = [page_count(render_letter(data)) for data in letters]
    assert single[1] >= 2
    assert len(texts) == sum(single)
    first_pages = [0, single[0], single[0] + single[1]]
    for start, count, name in zip(first_pages, single, names, strict=True):
        assert name in texts[start]
        assert "Side 1 af" in texts[start]
        assert ("Kære " + name) in texts[start]
        for offset in range(count):
            assert name in texts[start + offset]
            assert f"Side {offset + 1} af {count}" in texts[start + offset]


def test_S6_hostile_titles_wrap_and_margins_stay_white() -> None:
    titles = ("<&> " * 80, NASTY_TITLE, "æøå" * 100, "Ł" * 300)
    data = letter(
        tuple(letter_line(n, STEPS[n % 5], title=title) for n, title in enumerate(titles)),
        institute_address="Vej " * 60,
        borrower_name="Ł" * 120,
    )
    pdf = render_letter(data, "en")
    text = text_of(pdf)
    assert "<&> <&>" in text
    assert "Bog <&> om Łódź" in flat(text)
    assert "…" in text  # cut to two lines
    assert "<script>alert(1)</script>" not in text  # the long title was cut short
    for image in render_pages(pdf, 100):
        margin = round(19 * 100 / 25.4)  # just inside the 20 mm margins
        assert not dark_columns(image, 0, margin)
        assert not dark_columns(image, image.width - margin, image.width)


def test_S6_no_cpr_shaped_number_is_printed() -> None:
    data = letter(tuple(letter_line(n, STEPS[n % 5]) for n in range(30)))
    for language in ("da", "en"):
        text = text_of(render_letters([data, data], language))
        assert not re.search(r"(?<!\d)[0-3]\d[01]\d\d\d-?\d{4}(?!\d)", text)
