"""The Danish catalogue: complete, consistent with the sources, and really shown.

``resources/translations/desk_app_da.ts`` must translate every message that
``pyside6-lupdate`` extracts from ``desk_app/gui/*.py`` and ``ui/*.ui``. A
developer who adds or changes a user-visible string gets a failing test here
until ``python tools/update_translations.py`` has been run and the new
messages are translated.
"""

from __future__ import annotations

import importlib.util
import re
import string
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from desk_app.gui.translations import (
    CATALOGUE,
    SOURCE_LANGUAGE,
    find_qt_tool,
    install_translations,
    remove_translations,
    unfinished_messages,
)
from tests.gui.conftest import scan
from tests.helpers.people import ANNE, item

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "translations" / f"{CATALOGUE}_da.ts"
FIX_HINT = "run tools/update_translations.py and translate"
# "F2  Check out", "Esc  Next borrower", "Ctrl+Q  Quit": the key stays as it is.
KEY_PREFIX = re.compile(r"^((?:Ctrl\+|Shift\+|Alt\+)*(?:F\d{1,2}|Esc|Del|Enter))\s+")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    kind: str  # the translation's type attribute: "", "unfinished", "vanished", ...
    translations: tuple[str, ...]  # one, or one per numerus form

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)

    def label(self) -> str:
        source = self.source.replace("\n", "\\n")
        return f"[{self.context or '(no context)'}] {source!r}"


def read_messages(ts_file: Path) -> list[Message]:
    """The live messages of a ``.ts`` (obsolete and vanished ones left out)."""
    found = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        context_name = context.findtext("name", default="")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else ""
            if kind in ("obsolete", "vanished"):
                continue
            if translation is None:
                texts: tuple[str, ...] = ()
            elif message.get("numerus") == "yes":
                texts = tuple(f.text or "" for f in translation.findall("numerusform"))
            else:
                texts = (translation.text or "",)
            found.append(
                Message(
                    context=context_name,
                    source=message.findtext("source", default=""),
                    comment=message.findtext("comment", default=""),
                    numerus=message.get("numerus") == "yes",
                    kind=kind,
                    translations=texts,
                )
            )
    return found


def format_fields(text: str) -> list[str]:
    """The ``str.format`` fields of ``text`` ("{name}" -> "name"), sorted;
    ValueError for a malformed format string (an unpaired brace)."""
    fields = []
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            fields.append(
                f"{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            )
    return sorted(fields)


def _update_tool() -> ModuleType:
    """``tools/update_translations.py``, for its list of source files."""
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "tools" / "update_translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    assert TS_FILE.is_file(), f"{TS_FILE} is missing: {FIX_HINT}"
    found = read_messages(TS_FILE)
    assert found, f"{TS_FILE} holds no messages: {FIX_HINT}"
    return found


# --- (a) complete ------------------------------------------------------------


def test_every_message_is_translated_and_finished():
    missing = unfinished_messages(TS_FILE)
    assert not missing, (
        f"{len(missing)} message(s) of {TS_FILE.name} not translated ({FIX_HINT}):\n"
        + "\n".join(f"  [{m.context or '(no context)'}] {m.reason}: {m.source!r}" for m in missing)
    )


def test_no_message_is_listed_twice(messages):
    keys = [m.key for m in messages]
    doubles = sorted({k for k in keys if keys.count(k) > 1})
    assert not doubles, f"messages listed twice in {TS_FILE.name}: {doubles}"


# --- (b) placeholders and layout kept -------------------------------------------


def test_placeholders_match_between_source_and_translation(messages):
    problems = []
    for message in messages:
        try:
            expected = format_fields(message.source)
        except ValueError as error:
            problems.append(f"{message.label()}: the source is not a format string ({error})")
            continue
        for text in message.translations:
            try:
                got = format_fields(text)
            except ValueError as error:
                problems.append(f"{message.label()} -> {text!r}: broken braces ({error})")
                continue
            if got != expected:
                problems.append(
                    f"{message.label()} -> {text!r}: placeholders {got}, expected {expected}"
                )
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_line_breaks_keys_accelerators_and_edge_spaces_are_kept(messages):
    """Line breaks, "F2  " key prefixes, "&" accelerators, an ellipsis that
    promises a dialog, and spaces at either end (joined to other text) stay
    as in the English."""
    problems = []
    for message in messages:
        source = message.source
        prefix = KEY_PREFIX.match(source)
        for text in message.translations:
            where = f"{message.label()} -> {text!r}"
            if text.count("\n") != source.count("\n"):
                problems.append(f"{where}: {source.count(chr(10))} line break(s) expected")
            if prefix and not text.startswith(prefix.group(0)):
                problems.append(f"{where}: should start with {prefix.group(0)!r}")
            if source.replace("&&", "").count("&") != text.replace("&&", "").count("&"):
                problems.append(f"{where}: the '&' accelerator is lost or added")
            if source.endswith("…") != text.endswith("…"):
                problems.append(f"{where}: the ending '…' should match the English")
            edges = (len(source) - len(source.lstrip()), len(source) - len(source.rstrip()))
            if edges != (len(text) - len(text.lstrip()), len(text) - len(text.rstrip())):
                problems.append(f"{where}: leading/trailing spaces differ from the English")
    assert not problems, "translations changed the layout:\n" + "\n".join(problems)


def test_the_catalogue_is_danish_from_english():
    root = ET.parse(TS_FILE).getroot()
    assert (root.get("language"), root.get("sourcelanguage")) == ("da", SOURCE_LANGUAGE)


# --- (c) up to date with the sources ----------------------------------------------


def test_every_string_in_the_sources_is_in_the_catalogue(tmp_path):
    lupdate = find_qt_tool("lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not available: cannot extract the sources' strings")
    fresh = tmp_path / f"{CATALOGUE}_da.ts"
    result = subprocess.run(
        [
            *lupdate,
            *_update_tool().sources(),
            "-ts",
            str(fresh),
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            "da",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and fresh.is_file(), (
        f"lupdate failed (exit {result.returncode}): {result.stderr or result.stdout}"
    )
    extracted = read_messages(fresh)
    assert extracted, "lupdate extracted no strings at all from the sources"
    committed = {m.key: m for m in read_messages(TS_FILE)}
    missing = [m for m in extracted if m.key not in committed]
    assert not missing, (
        f"{len(missing)} string(s) in the sources are not in {TS_FILE.name} ({FIX_HINT}):\n"
        + "\n".join(f"  {m.label()}" for m in missing)
    )
    plural = [m for m in extracted if m.numerus != committed[m.key].numerus]
    assert not plural, f"plural (numerus) forms changed ({FIX_HINT}): " + ", ".join(
        m.label() for m in plural
    )


# --- (d) a real desk window in Danish ---------------------------------------------


@pytest.fixture(autouse=True)
def _english_after_each_test(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Danish must never leak from one test into the next."""
    yield
    assert QCoreApplication.translate("Banner", "Loaned") == "Loaned", (
        "a Danish translator is still installed after the test"
    )


@pytest.fixture
def danish(qapp, tmp_path) -> Iterator[list[QTranslator]]:  # type: ignore[no-untyped-def]
    """Danish installed (the catalogue built from the .ts into ``tmp_path``),
    and taken out again after the test, so the other tests stay English."""
    if find_qt_tool("lrelease") is None:
        pytest.skip("pyside6-lrelease is not available: cannot build the Danish catalogue")
    installed = install_translations(qapp, "da", tmp_path / "translations")
    try:
        assert QCoreApplication.translate("Banner", "Loaned") == "Udlånt", (
            "the Danish catalogue did not load"
        )
        yield installed
    finally:
        remove_translations(qapp, installed)


def test_the_desk_window_speaks_danish(qtbot, danish, make_window):
    window = make_window(language="da")  # after ``danish``: the forms translate on load
    form = window.form
    assert form.modeLabel.text() == "UDLÅN"
    assert form.checkOutButton.text() == "F2  Udlån"
    assert form.checkInButton.text() == "F3  Aflevering"
    assert form.renewButton.text() == "F4  Fornyelse"
    assert form.shiftBox.title() == "Denne vagt"
    assert window.banner.title == "Klar"
    assert window.windowTitle() == "Udlånsskranke: Main desk"
    assert window.actions_by_name["settings"].text() == "Indstillinger…"
    assert window.borrower_panel.form.nameValue.text().startswith("Ingen låner")

    scan(qtbot, window, ANNE)
    assert window.banner.title == "Anne Jensen"
    assert window.borrower_panel.form.cardValue.text() == f"{ANNE}, gyldigt"

    scan(qtbot, window, item(1))
    assert window.banner.title == "Udlånt"
    assert window.banner.rule == "Regel §4 L1"
    assert "Udlånt til 02.03.2027" in window.banner.message
    assert window.shift_log.rows()[0][1:3] == ["Udlån", item(1)]

    window.next_borrower()
    assert window.banner.title == "Klar"


def test_an_english_desk_window_stays_english(make_window):
    """The same window without ``danish``: nothing left over from the test above."""
    window = make_window()
    assert window.form.modeLabel.text() == "CHECK OUT"
    assert window.form.checkInButton.text() == "F3  Check in"
    assert window.banner.title == "Ready"
