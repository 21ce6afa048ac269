"""The borrower panel: who is at the desk, and what they may do (S2, U1, E3).

It renders a STATUS verdict from :mod:`desk_app.services.borrowers`; the card
number in it is already masked for a health card (B3).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from desk_app.domain.verdict import Verdict
from desk_app.gui.formatting import format_date
from desk_app.gui.forms import load_form

# S2: the loan that suspends is red, reminders amber
STEPS = ("RECALL", "REMINDER_1", "REMINDER_2", "REMINDER_3", "SUSPENSION")
STEP_TINTS = {"SUSPENSION": "#f6c9c5", "REMINDER_3": "#fbe3c4", "REMINDER_2": "#fcefd9"}
BADGE_STYLE = (
    "QLabel#suspensionBadge { background: #b3261e; color: white; font-weight: 700;"
    " border-radius: 6px; padding: 6px 10px; }"
)


def category_name(code: str) -> str:
    names = {
        "researcher": QCoreApplication.translate("BorrowerPanel", "Researcher"),
        "phd_student": QCoreApplication.translate("BorrowerPanel", "PhD student"),
        "teacher": QCoreApplication.translate("BorrowerPanel", "Teacher"),
        "emeritus": QCoreApplication.translate("BorrowerPanel", "Emeritus"),
        "student": QCoreApplication.translate("BorrowerPanel", "Student"),
        "external": QCoreApplication.translate("BorrowerPanel", "External"),
    }
    return names.get(code, code)


def delivery_name(code: str) -> str:
    names = {
        "courier": QCoreApplication.translate("BorrowerPanel", "Courier to the institute"),
        "internal_courier": QCoreApplication.translate("BorrowerPanel", "Internal courier"),
        "self_pickup": QCoreApplication.translate("BorrowerPanel", "Picks up at the desk"),
    }
    return names.get(code, code)


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


class BorrowerPanel(QWidget):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.form = load_form("borrower_panel.ui", self)
        self.form.suspensionBadge.setStyleSheet(BADGE_STYLE)
        self.form.nameValue.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self._size_columns()
        self.show_borrower(None)

    def _size_columns(self) -> None:
        """Item, due date and step get widths for their longest texts, once.
        Sizing to the contents on every fill costs ~10 ms for 500 loans, and a
        column in ResizeToContents mode measures every row again on each
        ``setItem``: 500 loans took 9 s (issue 6)."""
        table = self.form.loansTable
        metrics = table.fontMetrics()
        day = format_date(date(2026, 12, 31), self.language)
        by = QCoreApplication.translate("BorrowerPanel", "(by {date})").format(date=day)
        settled = QCoreApplication.translate("BorrowerPanel", "settled, agreed {date}")
        samples: tuple[tuple[str, ...], ...] = (
            ("38299000000014", "ILL-000000000000"),
            (day,),
            (
                *(f"{step_name(s)} {by}" for s in STEPS),
                f"{step_name('SUSPENSION')} {settled.format(date=day)}",
            ),
        )
        for column, texts in enumerate(samples):
            width = max(metrics.horizontalAdvance(text) for text in texts)
            table.setColumnWidth(column, width + 3 * metrics.averageCharWidth())

    def show_borrower(self, status: Verdict | None) -> None:
        form = self.form
        if status is None:
            form.nameValue.setText(
                QCoreApplication.translate(
                    "BorrowerPanel", "No borrower: scan a library card or health card."
                )
            )
            form.suspensionBadge.hide()
            for label in (
                form.categoryValue,
                form.instituteValue,
                form.deliveryValue,
                form.cardValue,
                form.eResourcesValue,
                form.requestsValue,
            ):
                label.setText("–")
            form.loansTable.setRowCount(0)
            return
        data = status.data
        form.nameValue.setText(data["name"])
        self._badge(data)
        form.categoryValue.setText(category_name(data["category"]))
        form.instituteValue.setText(f"{data['institute_name']} ({data['institute']})")
        form.deliveryValue.setText(delivery_name(data["delivery"]))
        if data["card_valid"]:
            form.cardValue.setText(
                QCoreApplication.translate("BorrowerPanel", "{card}, valid").format(
                    card=data["card"]
                )
            )
            form.cardValue.setStyleSheet("")
        else:
            form.cardValue.setText(
                QCoreApplication.translate("BorrowerPanel", "{card}: NOT VALID. {problem}").format(
                    card=data["card"], problem=data.get("card_problem") or ""
                )
            )
            form.cardValue.setStyleSheet("color: #b3261e; font-weight: 700;")
        form.eResourcesValue.setText(
            QCoreApplication.translate("BorrowerPanel", "Yes: may use the e-resources")
            if data["e_resources"]
            else QCoreApplication.translate("BorrowerPanel", "No access to e-resources")
        )
        self._loans(data["loan_details"])
        requests = data.get("requests") or []
        form.requestsValue.setText(
            ", ".join(requests) if requests else QCoreApplication.translate("BorrowerPanel", "None")
        )

    def _badge(self, data: dict[str, Any]) -> None:
        badge = self.form.suspensionBadge
        if not data["suspended"]:
            badge.hide()
            badge.setText("")
            return
        badge.setText(
            QCoreApplication.translate(
                "BorrowerPanel", "SUSPENDED (S2) because of: {items}"
            ).format(items=", ".join(data["causes"]))
        )
        badge.show()

    def _loans(self, loans: list[dict[str, Any]]) -> None:
        table = self.form.loansTable
        table.setUpdatesEnabled(False)
        try:
            table.setRowCount(len(loans))
            for row, loan in enumerate(loans):
                self._loan_row(table, row, loan)
        finally:
            table.setUpdatesEnabled(True)

    def _loan_row(self, table: QTableWidget, row: int, loan: dict[str, Any]) -> None:
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
        cells = (loan["item"], format_date(loan["due"], self.language), step, title)
        tint = STEP_TINTS.get(loan["step"]) if not loan.get("settled") else None
        for column, text in enumerate(cells):
            cell = QTableWidgetItem(text)
            if tint:
                cell.setBackground(QBrush(QColor(tint)))
            table.setItem(row, column, cell)

    # for tests and the screenshots
    def loan_rows(self) -> list[list[str]]:
        table = self.form.loansTable
        return [
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]
