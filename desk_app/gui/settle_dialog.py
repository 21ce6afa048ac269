"""The "settle by contact" dialog (§5 S5): a note and an agreed return date.

The dialog only collects the two values; the service decides whether the
settlement stands (a supervisor, a note, a date not already passed). OK stays
disabled while the note is empty, so the usual mistake never reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.gui.formatting import format_date


@dataclass(frozen=True)
class SettleQuestion:
    """What the supervisor is asked about: whose case, which loan, and when."""

    name: str
    item: str
    title: str
    contact_day: date
    default_agreed: date  # S5: contact day + 14 days (LP)


@dataclass(frozen=True)
class SettleAnswer:
    note: str
    agreed: date


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_format(language: str) -> str:
    """A QDateEdit display format matching ``formatting.format_date``."""
    return "dd.MM.yyyy" if language == "da" else "yyyy-MM-dd"


class SettleDialog(QDialog):
    def __init__(self, question: SettleQuestion, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settle by contact"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        about = QLabel(
            self.tr("{name} contacted the library about {item} “{title}”.").format(
                name=question.name, item=question.item, title=question.title
            ),
            self,
        )
        about.setWordWrap(True)
        layout.addWidget(about)
        form = QFormLayout()
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setPlaceholderText(self.tr("What did the borrower say? (required)"))
        self.note_edit.setTabChangesFocus(True)
        form.addRow(self.tr("Note"), self.note_edit)
        self.agreed_edit = QDateEdit(qdate(question.default_agreed), self)
        self.agreed_edit.setCalendarPopup(True)
        self.agreed_edit.setDisplayFormat(date_format(language))
        self.agreed_edit.setMinimumDate(qdate(question.contact_day))
        form.addRow(self.tr("Agreed return date"), self.agreed_edit)
        layout.addLayout(form)
        self.language = language
        self.hint = QLabel(self._hint(question.default_agreed), self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.agreed_edit.dateChanged.connect(
            lambda day: self.hint.setText(self._hint(day.toPython()))
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Settle"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.note_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.note_edit.setFocus()

    def _hint(self, agreed: date) -> str:
        return self.tr(
            "The case stops suspending the borrower now. If the item is still out "
            "after {date}, the next notices run suspends again (S5)."
        ).format(date=format_date(agreed, self.language))

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note_edit.toPlainText().strip()))

    def answer(self) -> SettleAnswer:
        agreed = self.agreed_edit.date().toPython()
        assert isinstance(agreed, date)
        return SettleAnswer(self.note_edit.toPlainText().strip(), agreed)


def ask_settle(parent: QWidget, question: SettleQuestion, language: str) -> SettleAnswer | None:
    """Open the dialog; the answer, or None if the supervisor cancelled."""
    dialog = SettleDialog(question, language, parent)
    try:
        return dialog.answer() if dialog.exec() else None
    finally:
        dialog.deleteLater()
