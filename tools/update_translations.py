"""Refresh ``resources/translations/desk_app_<lang>.ts`` from the sources.

    python tools/update_translations.py [--add PAIRS.json ...]

Runs ``pyside6-lupdate`` over ``desk_app/gui/*.py`` and ``ui/*.ui``. Existing
translations are kept (lupdate merges), strings gone from the code are
dropped (``-no-obsolete``), and new ones arrive marked unfinished: translate
them in Qt Linguist (``pyside6-linguist``) or by hand, then check with
``python tools/check_translations.py``. ``--add`` fills translations from JSON
files of ``{"Context": {"English source": "Danish"}}`` (a list of forms for a
plural), for work done in several places at once: each writes its own file,
one run merges them.

lupdate takes the context of ``self.tr("...")`` from the enclosing class and
of ``QCoreApplication.translate("Context", "...")`` from its first argument;
a module-level helper ``tr(text)`` wrapping ``translate`` is extracted with an
empty context and will not match at run time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk_app.gui.translations import (  # noqa: E402
    CATALOGUE,
    LANGUAGES,
    SOURCE_LANGUAGE,
    find_qt_tool,
    unfinished_messages,
)

TRANSLATIONS = ROOT / "resources" / "translations"


def sources() -> list[str]:
    files = sorted(ROOT.glob("desk_app/gui/*.py")) + sorted(ROOT.glob("ui/*.ui"))
    return [str(path.relative_to(ROOT)) for path in files]


def add_pairs(ts_file: Path, pair_files: list[Path]) -> int:
    """Fill the translations of ``ts_file`` named in ``pair_files``; returns
    how many were filled. Finished translations are overwritten only when the
    JSON says otherwise (a correction)."""
    pairs: dict[tuple[str, str], str | list[str]] = {}
    for pair_file in pair_files:
        for context, messages in json.loads(pair_file.read_text(encoding="utf-8")).items():
            for source, target in messages.items():
                pairs[(context, source)] = target
    text = ts_file.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    filled = 0
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            wanted = pairs.get((name, message.findtext("source", "")))
            translation = message.find("translation")
            if wanted is None or translation is None:
                continue
            if isinstance(wanted, list):
                for form in list(translation):
                    translation.remove(form)
                for value in wanted:
                    ET.SubElement(translation, "numerusform").text = value
                translation.text = None
            else:
                translation.text = wanted
            translation.attrib.pop("type", None)
            filled += 1
    body = ET.tostring(root, encoding="unicode")
    ts_file.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=Path, nargs="*", default=[], help="JSON files of pairs")
    args = parser.parse_args(argv)
    lupdate = find_qt_tool("lupdate")
    if lupdate is None:
        print("pyside6-lupdate not found: install PySide6 into this Python", file=sys.stderr)
        return 1
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        ts_file = TRANSLATIONS / f"{CATALOGUE}_{language}.ts"
        command = [
            *lupdate,
            *sources(),
            "-ts",
            str(ts_file.relative_to(ROOT)),
            "-no-obsolete",
            "-locations",
            "relative",
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            language,
        ]
        result = subprocess.run(command, cwd=ROOT, check=False)
        if result.returncode != 0:
            return result.returncode
        if args.add:
            print(f"{ts_file.relative_to(ROOT)}: {add_pairs(ts_file, args.add)} filled")
            # lupdate writes the file back in its own layout
            result = subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
            if result.returncode != 0:
                return result.returncode
        missing = unfinished_messages(ts_file)
        print(f"{ts_file.relative_to(ROOT)}: {len(missing)} message(s) to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
