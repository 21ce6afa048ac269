"""Refresh ``resources/translations/desk_app_<lang>.ts`` from the sources.

    python tools/update_translations.py

Runs ``pyside6-lupdate`` over ``desk_app/gui/*.py`` and ``ui/*.ui``. Existing
translations are kept (lupdate merges), strings gone from the code are
dropped (``-no-obsolete``), and new ones arrive marked unfinished: translate
them in Qt Linguist (``pyside6-linguist``) or by hand, then check with
``python tools/check_translations.py``.

lupdate takes the context of ``self.tr("...")`` from the enclosing class and
of ``QCoreApplication.translate("Context", "...")`` from its first argument;
a module-level helper ``tr(text)`` wrapping ``translate`` is extracted with an
empty context and will not match at run time.
"""

from __future__ import annotations

import subprocess
import sys
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


def main() -> int:
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
        missing = unfinished_messages(ts_file)
        print(f"{ts_file.relative_to(ROOT)}: {len(missing)} message(s) to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
