"""The shift log: this shift's scans and their outcomes, newest on top."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from desk_app.gui.formatting import format_time
from desk_app.services.desk import ShiftEntry, Tone

MAX_ROWS = 500  # shown; older scans scroll out of the table
TINTS = {
    Tone.ACCEPTED: "#e3f3e8",
    Tone.CAUTION: "#fcefd9",
    Tone.REFUSED: "#f9e0de",
    Tone.INFO: "#e3ecf5",
}


def action_name(action: str) -> str:
    names = {
        "card": QCoreApplication.translate("ShiftLog", "Card"),
        "check_out": QCoreApplication.translate("ShiftLog", "Check out"),
        "check_in": QCoreApplication.translate("ShiftLog", "Check in"),
        "renew": QCoreApplication.translate("ShiftLog", "Renew"),
        "override": QCoreApplication.translate("ShiftLog", "Override"),
        "undo": QCoreApplication.translate("ShiftLog", "Undo"),
        "order": QCoreApplication.translate("ShiftLog", "Order"),
        "misread": QCoreApplication.translate("ShiftLog", "Misread"),
        "route": QCoreApplication.translate("ShiftLog", "Lent on (Q3)"),
        "picked": QCoreApplication.translate("ShiftLog", "Picked (Q1)"),
        "request": QCoreApplication.translate("ShiftLog", "Request"),
        "cancel_request": QCoreApplication.translate("ShiftLog", "Cancel request"),
        "renew_all": QCoreApplication.translate("ShiftLog", "Renew all"),
    }
    return names.get(action, action)


class ShiftLogView:
    """Fills the form's table; the entries themselves live in the DeskSession."""

    def __init__(self, table: QTableWidget, language: str) -> None:
        self._table = table
        self._language = language
        # Fixed widths: sizing columns to their contents re-measures every row
        # on every scan, and a long shift has thousands.
        header = table.horizontalHeader()
        for column, width in enumerate((72, 90, 130, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(column, width)

    def add(self, entry: ShiftEntry, tone: Tone | None = None) -> None:
        """A row for ``entry``, tinted by ``tone`` (by default the entry's own)."""
        tone = entry.tone if tone is None else tone
        table = self._table
        if table.rowCount() >= MAX_ROWS:  # the whole shift stays in DeskSession.log
            table.removeRow(table.rowCount() - 1)
        table.insertRow(0)
        outcome = f"{entry.code} ({entry.rule}): {entry.message(self._language)}"
        cells = (
            format_time(entry.at),
            action_name(entry.action),
            entry.read,
            entry.borrower,
            outcome,
        )
        tint = QBrush(QColor(TINTS[tone]))
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setBackground(tint)
            item.setToolTip(outcome)
            table.setItem(0, column, item)

    def rows(self) -> list[list[str]]:
        table = self._table
        return [
            [_text(table.item(r, c)) for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]


def _text(cell: QTableWidgetItem | None) -> str:
    return cell.text() if cell is not None else ""
