"""Qt Designer forms, used by composition: a widget class owns its form.

The ``.ui`` files in ``ui/`` are loaded at run time with ``QUiLoader`` (no
generated code to keep in step). ``QUiLoader`` translates their strings with
the installed translators, under the form's class name as context, which is
also what ``pyside6-lupdate`` extracts from them.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QSplitter, QVBoxLayout, QWidget


def ui_path(name: str) -> Path:
    """The ``.ui`` file, also inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "desk_app" / "ui" / name
    return Path(str(resources.files("desk_app.ui") / name))


class Form:
    """The loaded form: its child widgets by object name (``form.scanPrompt``)."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget

    def __getattr__(self, name: str) -> Any:
        child = self.widget.findChild(QObject, name)
        if child is None:
            raise AttributeError(f"the form has no widget named {name!r}")
        setattr(self, name, child)
        return child


def load_form(name: str, host: QWidget) -> Form:
    """Load ``ui/<name>`` and lay it out as the whole content of ``host``."""
    path = ui_path(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot open the form {path}: {file.errorString()}")
    try:
        widget = QUiLoader().load(file, host)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"the form {path} could not be loaded")
    layout = host.layout() or QVBoxLayout(host)
    margin = 16 if isinstance(host, QDialog) else 0  # a dialog's form needs air
    layout.setContentsMargins(margin, margin, margin, margin)
    layout.addWidget(widget)
    return Form(widget)


def replace_slot(slot: QWidget, widget: QWidget) -> None:
    """Put a custom widget where the form has a placeholder ``QWidget``."""
    parent = slot.parentWidget()
    layout = parent.layout() if parent is not None else None
    if isinstance(parent, QSplitter):
        parent.replaceWidget(parent.indexOf(slot), widget)
    elif layout is None or layout.replaceWidget(slot, widget) is None:
        raise ValueError(f"no layout holds the slot {slot.objectName()!r}")
    slot.hide()
    slot.deleteLater()
