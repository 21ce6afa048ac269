"""Every message id in the code has its Danish translation (issue 14).

Runs the check of ``tools/update_catalogues.py --check`` read-only: the
``.po`` file as a desk loads it, against the ``tx("...")``/``txn(...)`` ids in
the code now. A failure names the id; add the Danish to a JSON file and run
``tools/update_catalogues.py --add FILE.json`` (never edit the ``.po`` by hand).
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

    singular = next((k for k in tool.extract() if isinstance(k, str)), None)
    assert singular is not None, "the code has message ids"
    catalog = Catalog(locale="da")
    problems = tool.merge("da", catalog, {}, check=True, prune=True)[1]
    assert any(singular in p and "no translation" in p for p in problems)
    stray = {singular: "{not_in_the_id}"}
    problems = tool.merge("da", catalog, stray, check=True, prune=True)[1]
    assert any(singular in p and "not_in_the_id" in p for p in problems)
