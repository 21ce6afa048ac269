"""The borrower panel's open loans as a Qt model.

A view asks a model only for the rows it shows, so a borrower with 500 loans
costs one reset per scan rather than 2,000 table items made, tinted and laid
out (issue 6: 9 s per scan at first, then 22 ms with a table widget). Each
row's texts are formatted once, when first shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desk_app.domain.facts import Step
from desk_app.gui.formatting import format_date

STEPS = tuple(step.value for step in Step)  # the §5 ladder, in order
# S2: the loan that suspends is red, reminders amber
STEP_TINTS = {"SUSPENSION": "#f6c9c5", "REMINDER_3": "#fbe3c4", "REMINDER_2": "#fcefd9"}

Index = QModelIndex | QPersistentModelIndex


def step_name(step: str | None) -> str:
    names = {
        None: QCoreApplication.translate("BorrowerPanel", "–"),
        "RECALL": QCoreApplication.translate("BorrowerPanel", "Recall"),
        "REMINDER_1": QCoreApplication.translate("BorrowerPanel", "1st reminder"),
        "REMINDER_2": QCoreApplication.translate("BorrowerPanel", "2nd reminder"),
        "REMINDER_3": QCoreApplication.translate("BorrowerPanel", "3rd reminder"),
        "SUSPENSION": QCoreApplication.translate("BorrowerPanel", "Suspension"),
    }
    return names.get(step, step or "–")


def headers() -> tuple[str, ...]:
    return (
        QCoreApplication.translate("BorrowerPanel", "Item"),
        QCoreApplication.translate("BorrowerPanel", "Due"),
        QCoreApplication.translate("BorrowerPanel", "Notice step"),
        QCoreApplication.translate("BorrowerPanel", "Title"),
    )


class LoansModel(QAbstractTableModel):
    """Rows are the STATUS verdict's ``loan_details``, in its order."""

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self._loans: list[dict[str, Any]] = []
        self._texts: dict[int, tuple[str, ...]] = {}
        self._headers = headers()

    def set_loans(self, loans: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._loans = list(loans)
        self._texts = {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._loans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(index.row())[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            loan = self._loans[index.row()]
            tint = STEP_TINTS.get(loan["step"]) if not loan.get("settled") else None
            return QBrush(QColor(tint)) if tint else None
        return None

    def texts(self, row: int) -> tuple[str, ...]:
        """Item, due date, notice step (with its deadline or agreed date), title."""
        found = self._texts.get(row)
        if found is None:
            found = self._texts[row] = self._format(self._loans[row])
        return found

    def _format(self, loan: dict[str, Any]) -> tuple[str, ...]:
        step = step_name(loan["step"])
        if loan["step"] and loan.get("deadline"):
            step += " " + QCoreApplication.translate("BorrowerPanel", "(by {date})").format(
                date=format_date(loan["deadline"], self.language)
            )
        if loan.get("settled"):
            step += " " + QCoreApplication.translate(
                "BorrowerPanel", "settled, agreed {date}"
            ).format(date=format_date(loan.get("agreed"), self.language))
        title = loan["title"]
        if loan.get("use_at_institute"):
            title = QCoreApplication.translate("BorrowerPanel", "[use at the institute] ") + title
        if loan.get("capacity") == "private":
            title = QCoreApplication.translate("BorrowerPanel", "[private] ") + title
        return (loan["item"], format_date(loan["due"], self.language), step, title)
