"""Window-wide keyboard shortcuts without menu entries (F5, F10, Esc ...),
for the secondary windows that are driven from the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def window_shortcuts(
    window: QWidget, table: Iterable[tuple[str, str, Callable[[], object]]]
) -> dict[str, QAction]:
    """One action per (name, key, slot), live while ``window`` is active;
    returned by name so a window can enable or disable them."""
    actions: dict[str, QAction] = {}
    for name, key, slot in table:
        action = QAction(window)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        window.addAction(action)
        actions[name] = action
    return actions
