"""Issue 13 point 19: English left in the Danish desk. Qt's own file dialog
said "Look in:" (Qt's Danish catalogue has only the label without its
mnemonic), and the supervisor window was titled "Supervision: Main desk".
("Main desk" is the desk's name from the settings, shown as configured.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

from desk_app.domain.roles import Role
from desk_app.gui.supervisor_window import SupervisorWindow
from desk_app.gui.translations import (
    QT_SUPPLEMENTS,
    QtGapTranslator,
    install_translations,
    remove_translations,
)
from desk_app.services.context import Actor
from desk_app.settings import DeskSettings
from tests.gui.conftest import STAFF

QT_DANISH = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_da.qm"
needs_qt_danish = pytest.mark.skipif(
    not QT_DANISH.is_file(), reason="this PySide6 ships no qtbase_da.qm"
)


@pytest.fixture
def danish(qapp, tmp_path):  # type: ignore[no-untyped-def]
    installed = install_translations(qapp, "da", tmp_path / "translations")
    yield installed
    remove_translations(qapp, installed)


@needs_qt_danish
def test_h13_p19_qt_file_dialog_speaks_danish(qtbot, danish):
    dialog = QFileDialog(None, "Gem")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "Kig i:"
    assert labels["fileTypeLabel"] == "Filer af &type:"  # the mnemonic kept where it can be
    assert labels["fileNameLabel"] == "&Filnavn:"
    buttons = {b.text() for b in dialog.findChildren(QAbstractButton) if b.text()}
    assert "Annuller" in buttons and "Cancel" not in buttons


@needs_qt_danish
def test_h13_p19_qt_words_missing_from_its_catalogue_are_supplied(danish):
    assert isinstance(danish[0], QtGapTranslator), "installed first: asked last"
    for (context, source), danish_text in QT_SUPPLEMENTS["da"].items():
        assert QCoreApplication.translate(context, source) == danish_text
    # what no catalogue knows stays as written, and "&&" is no mnemonic
    assert QCoreApplication.translate("Nowhere", "Look &in:") == "Look &in:"
    assert QCoreApplication.translate("Nowhere", "Plain") == "Plain"


def test_h13_p19_english_desk_installs_nothing(qapp, tmp_path):
    assert install_translations(qapp, "en", tmp_path) == []
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "&Look in:"


def test_h13_p19_the_supervisor_window_title_is_danish(qtbot, gui_ctx, danish):
    """Fails until the lead merges "Supervision: {desk}" -> "Tilsyn: {desk}"
    into desk_app_da.ts (helpers do not edit the catalogue)."""
    window = SupervisorWindow(
        gui_ctx,
        Actor(STAFF[Role.SUPERVISOR], "Main desk"),
        Role.SUPERVISOR,
        DeskSettings(language="da", sounds=False),
    )
    qtbot.addWidget(window)
    assert window.windowTitle() == "Tilsyn: Main desk"
