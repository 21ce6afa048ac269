"""The printed words come from the desk's one translation system (issue 14):
every word of ``labels`` has its Danish in the catalogue, the Danish
documents say what they said when printing had its own word lists, and an
unknown language still prints Danish."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from babel.messages.pofile import read_po

from desk_app.i18n import Text, render
from desk_app.i18n.catalogue import catalogue_path
from desk_app.printing import labels
from desk_app.printing.documents import MANIFEST_SIZES, SLIP_SIZES, SlipKind
from desk_app.printing.letter_data import LetterData, LetterLine
from desk_app.printing.letter_text import letter_plain_text, letter_subject
from desk_app.printing.letters import render_letter
from desk_app.printing.manifest import render_manifest
from desk_app.printing.slips import render_slip
from tests.printing.render import flat, item_number, manifest, slip, stop, text_of


def _messages(text: Text) -> list[Text]:
    """The catalogue messages in ``text`` (a join's parts, nested values)."""
    if text.fixed is not None:
        return []
    found = [] if not text.message_id else [text]
    for part in (*text.parts, *(v for v in text.values.values() if isinstance(v, Text))):
        found += _messages(part)
    return found


def _every_printed_text() -> list[Text]:
    texts: list[Text] = []
    for value in vars(labels).values():
        if isinstance(value, Text):
            texts.append(value)
        elif isinstance(value, dict):
            texts += [v for v in value.values() if isinstance(v, Text)]
    texts += [
        labels.desk_line("D"),
        labels.printed_line("M"),
        labels.page_of(1, 2),
        labels.continued("X"),
        labels.route("R"),
        labels.dispatched("M"),
        labels.stop_counts(1, 2),
        labels.totals(1, 2, 3),
        labels.greeting("N"),
        labels.item_count(2),
        labels.step_with_rule(labels.HEADINGS["RECALL"], "§5"),
        labels.closing_contact("D"),
    ]
    return [message for text in texts for message in _messages(text)]


def test_every_printed_word_has_its_danish_in_the_catalogue():
    with catalogue_path("da").open("rb") as source:
        catalogue = read_po(source, locale="da")
    texts = _every_printed_text()
    assert len(texts) > 60
    missing = []
    for text in texts:
        entry = catalogue.get(text.message_id, context=text.context)
        strings = entry.string if entry is not None else ""
        if not (all(strings) if isinstance(strings, tuple) else strings):
            missing.append((text.context, text.message_id))
    assert not missing


@pytest.mark.parametrize("size", SLIP_SIZES)
def test_T1_the_danish_slip_keeps_its_words(size):
    text = flat(text_of(render_slip(slip(use_at_institute=True, is_ill=True), size, "da")))
    for words in (
        "TRANSPORTSEDDEL",
        "INDLÅN",
        "RUTE",
        "STOP",
        "LEVERES TIL",
        "Låner",
        "Titel",
        "Forfatter",
        "Opstilling",
        "Udlånt 21.11.2026" if size == "A6" else "Udlånt",
        "Afleveringsdato",
        "Garanteret til",
        "EKSEMPLAR",
        "LÅNENUMMER",
        "Skranke: KUB Nørre Campus",
        "Udskrevet 21.11.2026 10:42",
    ):
        assert words in text, words


@pytest.mark.parametrize("size", SLIP_SIZES)
@pytest.mark.parametrize("language", ["da", "en"])
def test_M2_I3_the_warnings_are_one_message_printed_in_both_languages(size, language):
    data = slip(SlipKind.READING_ROOM, use_at_institute=True)
    text = flat(text_of(render_slip(data, size, language)))
    for warning in (
        labels.USE_AT_INSTITUTE_ONLY,
        labels.READING_ROOM_ONLY,
        labels.READING_ROOM_NOTE,
    ):
        own, other = render(warning, language), render(warning, "en" if language == "da" else "da")
        assert own != other
        assert f"{own} {other}" in text  # the slip's own language first
    assert "MÅ KUN BRUGES PÅ INSTITUTTET" in text and "KUN TIL LÆSESALEN" in text


@pytest.mark.parametrize("size", MANIFEST_SIZES)
def test_T4_the_danish_manifest_keeps_its_words(size):
    data = manifest([stop(1, 3, 1), stop(2, 1, 2, first=10), stop(3, 2, 0, first=20)])
    text = flat(text_of(render_manifest(data, size, "da")))
    for words in (
        "KURERLISTE",
        "Rute NORTH",
        "KURERLISTENS NUMMER",
        "I alt: 3 stop · 6 til aflevering · 3 til afhentning",
        "AFLEVER (3)",
        "AFHENT (1)",
        "KUN PÅ INSTITUTTET",
        "Hjemkaldelse",
        "Underskrift",
        "Tidspunkt",
        "Side 1 af",
        "Skranke: KUB Nørre Campus",
        "Udskrevet 21.11.2026 08:05",
    ):
        assert words in text, words
    if size == "A4":  # the columns and the counts beside each stop
        for words in ("Afl.dato", "Bemærkning", "Aflever 3 · Afhent 1"):
            assert words in text, words


def _letter() -> LetterData:
    line = LetterLine(
        "REMINDER_2",
        item_number(1),
        "Statistisk fysik",
        "530.13 Sta",
        date(2026, 11, 21),
        date(2027, 11, 21),
        date(2027, 12, 27),
    )
    return LetterData(
        borrower_name="Karen Høeg Jørgensen",
        institute_name="Niels Bohr Institutet",
        institute_address="Blegdamsvej 17",
        email=None,
        run_date=date(2027, 12, 20),
        lines=(line, replace(line, item_barcode=item_number(2), title="Atomfysik")),
        sender="KUB",
        desk="KUB Nørre Campus",
        printed_at=datetime(2027, 12, 20, 7, 30),
    )


def test_S6_the_danish_letter_and_its_email_keep_their_words():
    data = _letter()
    text = flat(text_of(render_letter(data, "da")))
    for words in (
        "INTERN POST",
        "2. rykker: hjemkaldte materialer skal afleveres",
        "Kære Karen Høeg Jørgensen",
        "Der opkræves intet gebyr for denne meddelelse (S1).",
        "2. rykker (§5 REMINDER_2) · 2 eksemplarer",
        "Udlånt",
        "Afl.dato",
        "Returfrist",
        "27.12.2027",
        "kontakt udlånet (KUB Nørre Campus)",
        "Med venlig hilsen",
        "Side 1 af 1",
    ):
        assert words in text, words
    assert letter_subject(data, "da") == "2. rykker: hjemkaldte materialer skal afleveres"
    plain = letter_plain_text(data, "da")
    assert plain.startswith("Kære Karen Høeg Jørgensen,\n")
    assert "2. rykker (regel §5 REMINDER_2)" in plain
    assert f"Eksemplar: {item_number(1)} · 530.13 Sta · Udlånt: 21.11.2026 · " in plain
    assert "Returfrist: 27.12.2027" in plain


def test_S6_one_item_is_counted_in_the_singular():
    data = _letter()
    one = replace(data, lines=data.lines[:1])
    assert "· 1 eksemplar" in flat(text_of(render_letter(one, "da")))
    assert "· 1 item" in flat(text_of(render_letter(one, "en")))
    assert "· 2 items" in flat(text_of(render_letter(data, "en")))


def test_an_unknown_language_prints_danish_where_i18n_would_say_english():
    assert labels.language_of("fr") == "da" and labels.language_of("") == "da"
    assert labels.language_of("en_GB") == "en" and labels.language_of("da-DK") == "da"
    data = slip(use_at_institute=True)
    assert render_slip(data, "A6", "fr") == render_slip(data, "A6", "da")
    assert render_manifest(manifest([stop(1, 1, 1)]), "A4", "xx") == render_manifest(
        manifest([stop(1, 1, 1)]), "A4", "da"
    )
    assert letter_subject(_letter(), "fr") == letter_subject(_letter(), "da")
