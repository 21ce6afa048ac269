"""The one field the scanner types into (B4).

A keyboard-wedge scanner types the code and then Enter or Tab; Tab must end
the scan instead of moving the focus away, or the next scan is lost. What
was typed is handed on raw: cleaning (prefix, suffix, Codabar letters) is the
domain's job.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

_ENDS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class ScanField(QLineEdit):
    sig_scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanField")
        self.setMaxLength(64)
        self.setClearButtonEnabled(False)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.8)
        self.setFont(font)
        self.setMinimumHeight(48)

    def event(self, event: QEvent) -> bool:
        # Tab never reaches keyPressEvent: the focus chain takes it first.
        is_key = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if is_key and event.key() in _ENDS:
            self._finish()
            return True
        return super().event(event)

    def _finish(self) -> None:
        text = self.text()
        self.clear()
        if text.strip():
            self.sig_scanned.emit(text)


class FocusKeeper(QObject):
    """Brings the focus back to the scan field whenever something in the
    window took it (a click on a table, a button, a closed dialog), so the
    next scan is never lost."""

    def __init__(self, window: QWidget, field: QLineEdit) -> None:
        super().__init__(window)
        self._window = window
        self._field = field

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is self._field or not self._window.isActiveWindow():
            return
        if new is None or self._window.isAncestorOf(new):
            self.restore()

    def restore(self) -> None:
        if self._field.isVisible():
            self._field.setFocus(Qt.FocusReason.OtherFocusReason)
