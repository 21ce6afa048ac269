"""Ask a supervisor why a refusal is overridden: the reason is required and
goes into the audit trail with the loan."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desk_app.gui.forms import load_form


class OverrideDialog(QDialog):
    def __init__(self, refusal_title: str, refusal_message: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor override"))
        self.form = load_form("override_dialog.ui", self)
        self.form.refusal.setText(
            self.tr("Refused: {title}\n{message}").format(
                title=refusal_title, message=refusal_message
            )
        )
        self.form.buttons.accepted.connect(self.accept)
        self.form.buttons.rejected.connect(self.reject)
        self.form.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Lend anyway"))
        self.form.reasonField.setFocus()

    def reason(self) -> str:
        return self.form.reasonField.toPlainText().strip()

    def accept(self) -> None:
        if not self.reason():
            self.form.message.setText(self.tr("Give a reason: it is kept in the audit trail."))
            self.form.message.setStyleSheet("color: #b3261e;")
            self.form.reasonField.setFocus()
            return
        super().accept()
