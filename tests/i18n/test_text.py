"""``desk_app.i18n``: a Text renders its values per language, its plural and
its context from the catalogue, and falls back to English rather than fail.

Most tests read a small catalogue of their own (``catalogue`` below), so
they say what rendering does whatever the desk's Danish wording is; the
property test at the end reads the desk's real catalogue.
"""

from __future__ import annotations

import logging
import string
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from desk_app.i18n import (
    Text,
    format_amount,
    format_date,
    format_datetime,
    join,
    language_of,
    literal,
    render,
    tx,
    txc,
    txn,
    txnc,
)
from desk_app.i18n import catalogue as catalogue_module
from desk_app.i18n.catalogue import catalogue_path, translations

DAY = date(2026, 12, 16)
MOMENT = datetime(2026, 12, 16, 9, 5)

TEST_CATALOGUE = r"""
msgid ""
msgstr ""
"Language: da\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Loan until {due}."
msgstr "Udlånt til {due}."

msgid "Printed {moment}"
msgstr "Udskrevet {moment}"

msgid "Fee: {amount} DKK"
msgstr "Gebyr: {amount} kr."

msgid "{what}: {why}"
msgstr "{what}: {why}"

msgid "Refused"
msgstr "Afvist"

msgid "Item {item} is {state}."
msgstr "Eksemplar {item} er {state}."

msgid "{n} item"
msgid_plural "{n} items"
msgstr[0] "{n} eksemplar"
msgstr[1] "{n} eksemplarer"

msgid "Due"
msgstr "Afleveringsdato"

msgctxt "table column"
msgid "Due"
msgstr "Afl.dato"

msgctxt "shelf label"
msgid "{n} item"
msgid_plural "{n} items"
msgstr[0] "{n} stk."
msgstr[1] "{n} stk. i alt"
"""


class Shelf(Enum):
    OPEN = "open stacks"


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The desk reads ``tmp_path/da.po`` (compiled afresh) for this test only."""
    (tmp_path / "da.po").write_text(TEST_CATALOGUE.lstrip(), "utf-8")
    monkeypatch.setattr(catalogue_module, "LOCALE_DIR", tmp_path)
    translations.cache_clear()
    yield tmp_path
    translations.cache_clear()  # the next test compiles the real catalogue again


# --- values -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Loan until 2026-12-16."), ("da", "Udlånt til 16.12.2026.")]
)
def test_a_date_value_is_rendered_in_the_message_style_of_the_language(
    catalogue, language, expected
):
    assert render(tx("Loan until {due}.", due=DAY), language) == expected


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("en", "message", "2026-12-16"),
        ("en", "print", "16 Dec 2026"),
        ("da", "message", "16.12.2026"),
        ("da", "print", "16.12.2026"),
    ],
)
def test_a_date_has_two_styles(language, style, expected):
    assert format_date(DAY, language, style=style) == expected


def test_an_english_printed_date_says_the_english_month_whatever_the_process_locale(
    monkeypatch,
):
    monkeypatch.setenv("LC_ALL", "da_DK.UTF-8")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert format_date(date(2026, 9, 1), "en", style="print") == "1 Sep 2026"
    assert format_date(date(2026, 5, 1), "en", style="print") == "1 May 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Printed 2026-12-16 09:05"), ("da", "Udskrevet 16.12.2026 09:05")],
)
def test_a_datetime_value_is_the_date_and_the_time(catalogue, language, expected):
    assert render(tx("Printed {moment}", moment=MOMENT), language) == expected
    assert format_datetime(MOMENT, language, style="print").endswith(" 09:05")


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("en", Decimal("1234.5"), "Fee: 1,234.50 DKK"),
        ("da", Decimal("1234.5"), "Gebyr: 1.234,50 kr."),
        ("en", Decimal("0"), "Fee: 0.00 DKK"),
        ("da", Decimal("-25"), "Gebyr: -25,00 kr."),
    ],
)
def test_a_decimal_value_is_an_amount_with_the_separators_of_the_language(
    catalogue, language, amount, expected
):
    assert render(tx("Fee: {amount} DKK", amount=amount), language) == expected


def test_an_amount_is_rounded_to_two_decimals():
    assert format_amount(Decimal("10.005"), "en") == "10.00"  # banker's rounding, as Babel
    assert format_amount(3, "da") == "3,00"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Refused: Loan until 2026-12-16."), ("da", "Afvist: Udlånt til 16.12.2026.")],
)
def test_a_nested_text_is_rendered_in_the_same_language(catalogue, language, expected):
    text = tx("{what}: {why}", what=tx("Refused"), why=tx("Loan until {due}.", due=DAY))
    assert render(text, language) == expected


def test_an_enum_value_is_rendered_by_its_value_and_other_values_as_they_are(catalogue):
    text = tx("Item {item} is {state}.", item=30001000047111, state=Shelf.OPEN)
    assert render(text, "en") == "Item 30001000047111 is open stacks."
    assert render(text, "da") == "Eksemplar 30001000047111 er open stacks."


# --- plurals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("en", 0, "0 items"),
        ("en", 1, "1 item"),
        ("en", 3, "3 items"),
        ("da", 0, "0 eksemplarer"),
        ("da", 1, "1 eksemplar"),
        ("da", 3, "3 eksemplarer"),
    ],
)
def test_a_plural_takes_the_form_for_n(catalogue, language, n, expected):
    assert render(txn("{n} item", "{n} items", n=n), language) == expected


# --- join, literal, str -------------------------------------------------------


def test_join_and_plus_put_the_parts_together_in_each_language(catalogue):
    sentence = join([tx("Refused"), txn("{n} item", "{n} items", n=2)], separator=" · ")
    assert render(sentence, "en") == "Refused · 2 items"
    assert render(sentence, "da") == "Afvist · 2 eksemplarer"
    added = tx("Refused") + literal(" (KUB-1)")
    assert render(added, "da") == "Afvist (KUB-1)"
    assert render(join([]), "da") == ""


def test_a_literal_is_the_same_in_every_language_unless_given(catalogue):
    assert render(literal("KUB-1"), "da") == render(literal("KUB-1"), "en") == "KUB-1"
    bus = literal("bus", da="bybus")
    assert (render(bus, "en"), render(bus, "da"), render(bus, "fr")) == ("bus", "bybus", "bus")
    assert render(tx("{what}: {why}", what=literal("Refused"), why="x"), "da") == "Refused: x"


def test_str_of_a_text_is_english_and_a_plain_string_renders_as_itself(catalogue):
    assert str(tx("Loan until {due}.", due=DAY)) == "Loan until 2026-12-16."
    assert render("already a sentence", "da") == "already a sentence"
    assert tx("Refused") == tx("Refused") and tx("Refused") != txc("x", "Refused")


# --- languages and catalogues -------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "", "xx_YY", "english"])
def test_an_unknown_language_falls_back_to_english(catalogue, language):
    assert render(tx("Loan until {due}.", due=DAY), language) == "Loan until 2026-12-16."
    assert language_of(language) == "en"


@pytest.mark.parametrize("code", ["da", "DA", "da_DK", "da-DK", " da "])
def test_the_spellings_of_a_known_language(catalogue, code):
    assert language_of(code) == "da"
    assert render(tx("Refused"), code) == "Afvist"


def test_an_id_without_a_translation_renders_english(catalogue):
    assert render(tx("Not in the catalogue {x}", x=1), "da") == "Not in the catalogue 1"


def test_a_missing_catalogue_is_logged_and_the_desk_speaks_english(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(catalogue_module, "LOCALE_DIR", tmp_path / "nowhere")
    translations.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="desk_app.i18n.catalogue"):
            shown = render(txn("{n} item", "{n} items", n=1), "da")
        assert shown == "1 item"
        assert render(txc("table column", "Due"), "da") == "Due"
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1  # once per process, not once per message
        assert "da" in warnings[0].getMessage() and "nowhere" in warnings[0].getMessage()
    finally:
        translations.cache_clear()


def test_an_unreadable_catalogue_is_logged_and_the_desk_speaks_english(
    tmp_path, monkeypatch, caplog
):
    (tmp_path / "da.po").write_bytes(b'msgid "Refused"\nmsgstr "Afvist \xff"\n')  # not UTF-8
    monkeypatch.setattr(catalogue_module, "LOCALE_DIR", tmp_path)
    translations.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="desk_app.i18n.catalogue"):
            assert render(tx("Refused"), "da") == "Refused"
        assert any("using English" in r.getMessage() for r in caplog.records)
    finally:
        translations.cache_clear()


# --- context ------------------------------------------------------------------


def test_a_context_has_its_own_translation_beside_the_same_id_without(catalogue):
    assert render(tx("Due"), "da") == "Afleveringsdato"
    assert render(txc("table column", "Due"), "da") == "Afl.dato"
    assert render(txc("table column", "Due"), "en") == render(tx("Due"), "en") == "Due"


def test_a_context_without_a_translation_is_english_not_its_twin(catalogue):
    """gettext never borrows the translation of the id without context: a
    narrow column must not get the slip's long word."""
    assert render(txc("a new place", "Due"), "da") == "Due"


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [("en", 1, "1 item"), ("en", 4, "4 items"), ("da", 1, "1 stk."), ("da", 4, "4 stk. i alt")],
)
def test_a_plural_in_a_context(catalogue, language, n, expected):
    assert render(txnc("shelf label", "{n} item", "{n} items", n=n), language) == expected


def test_the_desks_catalogue_tells_the_printed_twins_apart():
    """The two ids printing needs in a context (``printing.labels``)."""
    assert render(txc("table column", "Due"), "da") == "Afl.dato"
    assert render(tx("Due"), "da") == "Afleveringsdato"
    short = txc("manifest note", "USE AT THE INSTITUTE ONLY")
    assert render(short, "da") == "KUN PÅ INSTITUTTET"
    assert render(tx("USE AT THE INSTITUTE ONLY"), "da") == "MÅ KUN BRUGES PÅ INSTITUTTET"


# --- every message of the desk's catalogue --------------------------------------


def _messages() -> list[tuple[str, str | None, str | None, list[str]]]:
    """(id, plural id, context, the id's placeholder names) of every live
    message in the desk's Danish catalogue."""
    with catalogue_path("da").open("rb") as source:
        po = read_po(source, locale="da")
    found = []
    for message in po:
        if not message.id:
            continue
        singular, plural = message.id if isinstance(message.id, tuple) else (message.id, None)
        names: list[str] = []
        for msgid in (singular, plural or ""):
            for _literal, field, _spec, _conversion in string.Formatter().parse(msgid):
                if field is not None:
                    assert field.isidentifier(), f"{singular!r}: a named placeholder, not {field!r}"
                    names.append(field)
        found.append((singular, plural, message.context, sorted(set(names))))
    return found


MESSAGES = _messages()
WORDS = st.text(alphabet=string.ascii_letters + "æøåÆØÅ -.", max_size=12)
VALUES = st.one_of(
    WORDS,
    st.integers(min_value=-(10**6), max_value=10**9),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
    st.sampled_from(list(Shelf)),
    WORDS.map(literal),
)


def test_the_desks_catalogue_has_messages():
    assert len(MESSAGES) > 100
    assert any(context for _id, _plural, context, _names in MESSAGES)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # the failure names the id: no shrinking
)
@given(data=st.data())
def test_every_message_of_the_catalogue_renders_with_its_placeholders_filled(data):
    """Whatever values the code passes for an id's placeholders, the Danish
    and the English render: no translation names a placeholder its id has
    not (a KeyError at the desk), none is left unfilled."""
    for singular, plural, context, names in MESSAGES:
        values = {name: data.draw(VALUES, label=name) for name in names if name != "n"}
        if "n" in names or plural is not None:
            values["n"] = data.draw(st.integers(min_value=0, max_value=10**6), label="n")
        text = Text(singular, values, plural=plural, context=context)
        for language in ("da", "en"):
            where = f"{language}: {singular!r} (context {context!r})"
            try:
                shown = render(text, language)
            except (KeyError, IndexError, ValueError) as problem:
                raise AssertionError(f"{where} does not render: {problem!r}") from problem
            for name in names:
                assert "{" + name + "}" not in shown, f"{where}: {{{name}}} left unfilled"
