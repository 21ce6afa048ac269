"""The desk in Danish: load the translation catalogues into the application.

English is the source language, so "en" installs nothing. For "da" the desk's
catalogue ``desk_app_da.qm`` is loaded, together with Qt's own ``qtbase_da``
(Danish standard dialog buttons) when Qt ships it. Qt's Danish catalogue is
older than some of Qt 6's own labels: the file dialog's "&Look in:" and
"Files of &type:" are in it only without their ``&`` (issue 13 point 19),
and a few print- and file-dialog words not at all. :class:`QtGapTranslator`,
asked after every other catalogue, finds those.

Only the ``.ts`` source lives in git (``resources/translations/``). A frozen
bundle ships the compiled ``.qm`` beside it; from a source checkout the
``.qm`` is built at start with ``lrelease`` into a cache folder, again
whenever the ``.ts`` is newer. Without ``lrelease`` the desk logs a warning
and runs in English: a missing translation never stops a desk.

The desk installs the language once, before its forms are loaded (QUiLoader
translates them as it builds them), so a new language in the settings takes
effect at the next start. ``remove_translations(app, old)`` undoes an install
(the tests use it to stay English).
Keep the returned translators referenced: Qt does not own them.

:func:`unfinished_messages` lists what a ``.ts`` still lacks
(``tools/check_translations.py``).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from desk_app.gui.icons import resource_path

if TYPE_CHECKING:  # the XML parser is for the tools, not for the desk's start
    import xml.etree.ElementTree as ET

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "da")
CATALOGUE = "desk_app"
QT_CATALOGUES = ("qtbase",)
LRELEASE_TIMEOUT = 60  # seconds

_log = logging.getLogger(__name__)


def install_translations(
    app: QCoreApplication, language: str, cache_dir: Path
) -> list[QTranslator]:
    """Install the translators for ``language`` into ``app``; returns them.

    Never raises for a missing or broken catalogue: it logs and installs
    what it can (nothing, at worst).
    """
    lang = normalise_language(language)
    if lang == SOURCE_LANGUAGE:
        return []
    loaded: list[QTranslator] = []
    qm = find_catalogue(lang, Path(cache_dir))
    if qm is None:
        _log.warning("no %s translation of the desk available; running in English", lang)
    else:
        translator = QTranslator(app)
        if translator.load(str(qm)):
            loaded.append(translator)
        else:
            _log.warning("cannot load the translation %s; running in English", qm)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_loaded: list[QTranslator] = []
    for catalogue in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(f"{catalogue}_{lang}", qt_folder):
            qt_loaded.append(translator)
        else:
            _log.info("Qt's %s_%s translation is not available in %s", catalogue, lang, qt_folder)
    # Qt asks the most recently installed translator first: the gap filler
    # goes in first, so it is asked only when every catalogue had no answer.
    gaps = QtGapTranslator(qt_loaded, QT_SUPPLEMENTS.get(lang, {}), app)
    installed = [gaps, *loaded, *qt_loaded]
    for translator in installed:
        app.installTranslator(translator)
    return installed


# Qt 6 labels that Qt's own catalogue does not translate at all (PySide6
# 6.11's qtbase_da), as (context, source) -> translation.
QT_SUPPLEMENTS: dict[str, dict[tuple[str, str], str]] = {
    "da": {
        ("QAbstractFileIconProvider", "Folder"): "Mappe",
        ("QAbstractFileIconProvider", "Drive"): "Drev",
        ("QPrintSettingsOutput", "Double Sided Printing"): "Dobbeltsidet udskrivning",
        ("QPrintSettingsOutput", "Off"): "Fra",
        ("QPrintSettingsOutput", "Long side binding"): "Indbinding langs den lange kant",
        ("QPrintSettingsOutput", "Short side binding"): "Indbinding langs den korte kant",
    },
}


class QtGapTranslator(QTranslator):
    """The last translator asked: Qt's own strings its catalogue lacks.

    Qt 6 added mnemonics to labels its Danish catalogue still has without
    them ("&Look in:" there is only "Look in:"), so the file dialog showed
    English among Danish. A source with ``&`` is looked up again without it
    in Qt's catalogues, and the mnemonic put back on the same letter when the
    translation has it; :data:`QT_SUPPLEMENTS` has the rest. Anything else
    has no answer here (None), so the source text stands, as without it.
    """

    def __init__(
        self,
        catalogues: Sequence[QTranslator],
        supplement: dict[tuple[str, str], str],
        parent: QCoreApplication | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalogues = list(catalogues)
        self._supplement = dict(supplement)

    def isEmpty(self) -> bool:  # Qt's name: never empty, so Qt asks it
        return False

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        extra = self._supplement.get((context, source_text))
        if extra is not None:
            return extra
        if "&" not in source_text:
            return None
        plain = source_text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        for catalogue in self._catalogues:
            found = catalogue.translate(context, plain, disambiguation, n)
            if found:
                return _with_mnemonic(found, source_text)
        return None


def _with_mnemonic(translation: str, source_text: str) -> str:
    """``translation`` with the ``&`` before the letter the source marks,
    if the translation has that letter (Filer af type: -> Filer af &type:)."""
    marked = source_text.replace("&&", "").find("&")
    if marked < 0 or marked + 1 >= len(source_text.replace("&&", "")):
        return translation
    letter = source_text.replace("&&", "")[marked + 1].casefold()
    escaped = translation.replace("&", "&&")  # a plain "&" in it is no mnemonic
    at = escaped.casefold().find(letter)
    return escaped if at < 0 else f"{escaped[:at]}&{escaped[at:]}"


def remove_translations(app: QCoreApplication, translators: Sequence[QTranslator]) -> None:
    """Take ``translators`` (from :func:`install_translations`) out of ``app``."""
    for translator in translators:
        app.removeTranslator(translator)


def normalise_language(language: str) -> str:
    """ "da", "da_DK", "da-DK" -> "da"; unknown languages fall back to English."""
    lang = language.strip().replace("-", "_").split("_")[0].lower() or SOURCE_LANGUAGE
    if lang not in LANGUAGES:
        _log.warning("no translation for language %r; running in English", language)
        return SOURCE_LANGUAGE
    return lang


def find_catalogue(language: str, cache_dir: Path) -> Path | None:
    """The ``.qm`` to load for ``language``: shipped, cached, or built now."""
    name = f"{CATALOGUE}_{language}"
    source = resource_path("translations", f"{name}.ts")
    shipped = resource_path("translations", f"{name}.qm")
    cached = cache_dir / f"{name}.qm"
    if shipped.is_file() and (
        getattr(sys, "frozen", False) or not source.is_file() or _is_fresh(shipped, source)
    ):
        return shipped
    if not source.is_file():
        return cached if cached.is_file() else None
    if cached.is_file() and _is_fresh(cached, source):
        return cached
    if build_qm(source, cached):
        return cached
    for stale in (shipped, cached):  # an older catalogue beats none
        if stale.is_file():
            _log.warning("using the out-of-date translation %s", stale)
            return stale
    return None


def build_qm(source: Path, target: Path) -> bool:
    """Compile ``source`` (.ts) into ``target`` (.qm) with lrelease."""
    command = find_qt_tool("lrelease")
    if command is None:
        _log.warning(
            "lrelease (pyside6-lrelease) not found: cannot build %s from %s; "
            "the desk runs untranslated",
            target.name,
            source,
        )
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.stem}.{os.getpid()}.qm.part")
        result = subprocess.run(
            [*command, str(source), "-qm", str(partial)],
            capture_output=True,
            text=True,
            timeout=LRELEASE_TIMEOUT,
            check=False,
        )
        if result.returncode != 0 or not partial.is_file():
            _log.warning(
                "lrelease failed on %s (exit %s): %s",
                source,
                result.returncode,
                (result.stderr or result.stdout).strip(),
            )
            partial.unlink(missing_ok=True)
            return False
        os.replace(partial, target)  # atomic: two desks starting together never see half a file
    except (OSError, subprocess.SubprocessError) as exc:
        _log.warning("cannot build %s: %s", target, exc)
        return False
    _log.info("built %s from %s", target, source)
    return True


def find_qt_tool(tool: str) -> list[str] | None:
    """A command line for Qt's ``lrelease`` or ``lupdate``, or None.

    In order: ``pyside6-<tool>`` next to the running Python (a venv's bin or
    Scripts folder), on PATH, the binary inside the PySide6 package (what the
    ``pyside6-<tool>`` wrapper runs), then Qt's plain ``<tool>`` on PATH.
    (``python -m PySide6.scripts.pyside_tool`` does not work: its ``main``
    derives the tool from ``argv[0]``.)
    """
    suffix = ".exe" if sys.platform == "win32" else ""
    candidates: list[Path | str | None] = []
    if not getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).parent / f"pyside6-{tool}{suffix}")
    candidates.append(shutil.which(f"pyside6-{tool}"))
    try:
        import PySide6

        candidates.append(Path(PySide6.__file__).parent / f"{tool}{suffix}")
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    candidates.append(shutil.which(tool))
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    return None


@dataclass(frozen=True)
class UnfinishedMessage:
    context: str
    source: str
    reason: str  # "unfinished" or "empty"


def unfinished_messages(ts_file: Path) -> list[UnfinishedMessage]:
    """Messages of a ``.ts`` whose translation is empty or marked unfinished.

    Obsolete and vanished messages (no longer in the source) are skipped.
    """
    import xml.etree.ElementTree as ET

    root = ET.parse(ts_file).getroot()
    found: list[UnfinishedMessage] = []
    for context in root.iter("context"):
        context_name = context.findtext("name", default="")
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source", default="")
            kind = translation.get("type", "") if translation is not None else ""
            if kind in ("obsolete", "vanished"):
                continue
            if translation is None:
                found.append(UnfinishedMessage(context_name, source, "empty"))
            elif kind == "unfinished":
                found.append(UnfinishedMessage(context_name, source, "unfinished"))
            elif not _translated(translation):
                found.append(UnfinishedMessage(context_name, source, "empty"))
    return found


def _translated(translation: ET.Element) -> bool:
    forms = translation.findall("numerusform")
    if forms:
        return all((form.text or "").strip() for form in forms)
    return bool((translation.text or "").strip())


def _is_fresh(built: Path, source: Path) -> bool:
    return built.stat().st_mtime >= source.stat().st_mtime
