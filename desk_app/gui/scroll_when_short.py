"""A panel that scrolls only when its room is shorter than its minimum.

A layout squeezed below its minimum paints its rows over each other (seen
at the desk window with a suspended borrower, a long refusal and the refusal
list, issue 13). ``QScrollArea`` with ``widgetResizable`` avoids that but
shows a scroll bar as soon as the panel's *preferred* height does not fit,
which is nearly always: the panel's tables would rather be taller. This one
gives the panel all the room there is, and never less than its minimum.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class ScrollWhenShort(QScrollArea):
    def __init__(self, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(panel)
        panel.installEventFilter(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()  # a badge or a longer text changed the panel's minimum
        return False

    def _fit(self) -> None:
        panel = self.widget()
        if panel is None:
            return
        room = self.viewport().size()
        panel.resize(room.width(), max(room.height(), panel.minimumSizeHint().height()))
