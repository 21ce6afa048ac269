"""Every message id in the code has its Danish translation (issue 14).

Runs the check of ``tools/update_catalogues.py --check`` read-only: the
``.po`` file as a desk loads it, against the ``tx("...")``/``txn(...)`` ids in
the code now. A failure names the id (and its context, for a ``txc``); add
the Danish to a JSON file and run ``tools/update_catalogues.py --add
FILE.json`` (never edit the ``.po`` by hand).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from desk_app.i18n.catalogue import LANGUAGES, SOURCE_LANGUAGE, catalogue_path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "update_catalogues.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_catalogues", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
def test_every_message_id_has_a_translation_with_its_placeholders(tool, language):
    catalogue = catalogue_path(language)
    before = catalogue.read_bytes()
    problems = tool.check_only(language)
    assert catalogue.read_bytes() == before, "the check must not rewrite the catalogue"
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_missing_translation_and_a_stray_placeholder(tool, tmp_path):
    """The check can fail: on a catalogue without one id, and one whose
    translation names a placeholder its id has not."""
    from babel.messages.catalog import Catalog

    singular = next((k.id for k in tool.extract() if isinstance(k.id, str) and not k.context), None)
    assert singular is not None, "the code has message ids"
    catalog = Catalog(locale="da")
    problems = tool.merge("da", catalog, {}, check=True, prune=True)[1]
    assert any(singular in p and "no translation" in p for p in problems)
    stray = {singular: "{not_in_the_id}"}
    problems = tool.merge("da", catalog, stray, check=True, prune=True)[1]
    assert any(singular in p and "not_in_the_id" in p for p in problems)


# --- messages in a context (msgctxt: ``txc``) ------------------------------------

COLUMN, DUE = "table column", "Due"  # printing.labels.DUE_COLUMN, beside labels.DUE


def test_the_tool_extracts_a_message_in_a_context_apart_from_its_twin(tool):
    used = tool.extract()
    assert tool.MessageKey(DUE, COLUMN) in used and tool.MessageKey(DUE) in used
    assert tool.MessageKey(DUE, COLUMN).key == f"{COLUMN}\x04{DUE}"


def test_a_context_needs_its_own_translation_and_the_check_names_it(tool):
    """The twin's translation does not count for it, and a stray placeholder
    in it is found like any other."""
    from babel.messages.catalog import Catalog

    problems = tool.merge("da", Catalog(locale="da"), {DUE: "Afleveringsdato"}, True, True)[1]
    missing = [p for p in problems if "no translation" in p and repr(DUE) in p]
    assert missing == [next(p for p in missing if f"(context {COLUMN!r})" in p)], (
        "only the context's is missing"
    )
    stray = {tool.pair_key(DUE, COLUMN): "Afl.dato {x}"}
    problems = tool.merge("da", Catalog(locale="da"), stray, True, True)[1]
    assert any(f"(context {COLUMN!r})" in p and "'x'" in p for p in problems)


def test_the_pairs_name_a_context_either_way(tool):
    flat = tool.pairs_of({"table column\u0004Due": "Afl.dato", "{n} item": ["a", "b"]})
    nested = tool.pairs_of({"table column": {"Due": "Afl.dato"}, "{n} item": ["a", "b"]})
    assert flat == nested == {f"{COLUMN}\x04{DUE}": "Afl.dato", "{n} item": ("a", "b")}


def test_the_tool_writes_a_context_keeps_it_and_drops_it_only_on_prune(tool, tmp_path, monkeypatch):
    """A round trip through the ``.po``: the msgctxt is written, read back as
    translated, kept as obsolete ``#~`` when no longer in the code (with its
    context), and gone after ``--prune``."""
    from babel.messages.pofile import read_po

    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path)
    path = tmp_path / "da.po"
    gone = "a context no longer in the code"
    pairs = tool.pairs_of({COLUMN: {DUE: "Afl.dato"}, gone: {DUE: "Gammel"}})
    tool.update("da", pairs, check=False, prune=False)
    with path.open("rb") as handle:
        written = read_po(handle, locale="da")
    assert written.get(DUE, context=COLUMN).string == "Afl.dato"
    assert written.get(DUE) is not None and not written.get(DUE).string
    assert [(m.id, m.context, m.string) for m in written.obsolete.values()] == [
        (DUE, gone, "Gammel")
    ]
    tool.update("da", {}, check=False, prune=False)  # a re-run keeps all of it
    with path.open("rb") as handle:
        again = read_po(handle, locale="da")
    assert again.get(DUE, context=COLUMN).string == "Afl.dato" and len(again.obsolete) == 1
    tool.update("da", {}, check=False, prune=True)
    with path.open("rb") as handle:
        pruned = read_po(handle, locale="da")
    assert not pruned.obsolete and pruned.get(DUE, context=COLUMN).string == "Afl.dato"


def test_a_plural_no_longer_in_the_code_is_kept_as_a_plural(tool, tmp_path, monkeypatch):
    """An obsolete plural keeps its plural id (a rewrite of the ``.po`` must
    not fail on it), and plural forms for an id the tool cannot place are
    reported rather than written."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path)
    path = tmp_path / "da.po"
    start = Catalog(locale="da")
    start.add(("{n} old thing", "{n} old things"), ("{n} gammel ting", "{n} gamle ting"))
    with path.open("wb") as handle:
        write_po(handle, start)
    assert tool.update("da", {}, check=False, prune=False) == []
    assert tool.update("da", {}, check=False, prune=False) == []  # and again, from #~
    with path.open("rb") as handle:
        kept = list(read_po(handle, locale="da").obsolete.values())
    assert [(m.id, m.string) for m in kept] == [
        (("{n} old thing", "{n} old things"), ("{n} gammel ting", "{n} gamle ting"))
    ]
    problems = tool.update("da", {"{n} stray": ("a", "b")}, check=False, prune=False)
    assert len(problems) == 1 and "'{n} stray'" in problems[0]
