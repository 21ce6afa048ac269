"""Staff sign-in: scan a staff card or pick a name, then the PIN.

On a database without staff it asks for the first administrator instead, so a
new installation is never locked out.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desk_app.domain.roles import Role
from desk_app.gui import icons
from desk_app.gui.activation import bring_to_front
from desk_app.gui.forms import load_form
from desk_app.services import staff as staff_service
from desk_app.services.context import DeskContext
from desk_app.services.staff import SignInRefused, StaffMember

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, desk_name: str, language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk_name = desk_name
        self.language = language
        self.staff: StaffMember | None = None
        self.setWindowTitle(self.tr("Circulation desk: sign in"))
        self.setWindowIcon(icons.icon("desk"))
        form = self.form = load_form("sign_in.ui", self)
        form.heading.setStyleSheet("font-size: 18pt; font-weight: 700;")
        form.deskLabel.setText(self.tr("Desk: {desk}").format(desk=desk_name))
        form.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        form.buttons.accepted.connect(self.accept)
        form.buttons.rejected.connect(self.reject)
        form.cardField.returnPressed.connect(self.on_card)
        form.pinField.returnPressed.connect(self.accept)
        form.pinAgainField.returnPressed.connect(self.accept)
        self.first_run = not staff_service.has_staff(ctx)
        if self.first_run:
            self._set_up_first_run()
        else:
            form.nameBox.addItems(staff_service.staff_names(ctx))
            form.nameBox.setCurrentIndex(-1)
            form.nameBox.activated.connect(lambda _index: form.pinField.setFocus())
            form.pinAgainLabel.hide()
            form.pinAgainField.hide()
            form.cardField.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        """Take the keyboard focus when shown (issue 13 point 16): without a
        window manager (a kiosk PC, a bare Xvfb) no one else gives it, and the
        card scan and PIN would go nowhere."""
        super().showEvent(event)
        bring_to_front(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter belongs to the field it is typed in (a card scan ends with it);
        the dialog's default button would sign in twice, or before the PIN."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _set_up_first_run(self) -> None:
        form = self.form
        form.heading.setText(self.tr("Create the first administrator"))
        form.hint.setText(
            self.tr(
                "This database has no staff yet. Choose a name and a PIN of 4 to 8 "
                "digits for the administrator, who can then add the others."
            )
        )
        form.cardLabel.hide()
        form.cardField.hide()
        form.nameBox.setEditable(True)
        form.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        form.nameBox.setFocus()

    def on_card(self) -> None:
        raw = self.form.cardField.text()
        member = staff_service.staff_by_card(self.ctx, raw)
        if member is None:
            self._say(self.tr("This card is not a staff card: scan again or pick your name."))
            self.form.cardField.selectAll()
            return
        self.form.nameBox.setCurrentText(member.name)
        self._say("")
        self.form.pinField.setFocus(Qt.FocusReason.OtherFocusReason)

    def _say(self, message: str) -> None:
        self.form.message.setText(message)
        self.form.message.setStyleSheet("color: #b3261e; font-weight: 600;" if message else "")

    def accept(self) -> None:
        form = self.form
        name = form.nameBox.currentText().strip()
        pin = form.pinField.text()
        if not name:
            self._say(self.tr("Scan your staff card or pick your name."))
            return
        if self.first_run:
            if pin != form.pinAgainField.text():
                self._say(self.tr("The two PINs differ: type them again."))
                form.pinField.clear()
                form.pinAgainField.clear()
                form.pinField.setFocus()
                return
            try:
                staff_service.add_staff(self.ctx, name, Role.ADMIN, pin)
            except ValueError as problem:
                self._say(str(problem))
                return
        outcome = staff_service.sign_in(self.ctx, name=name, pin=pin, desk=self.desk_name)
        form.pinField.clear()
        form.pinAgainField.clear()
        if isinstance(outcome, SignInRefused):
            self._say(outcome.message(self.language))
            form.pinField.setFocus()
            return
        self.staff = outcome
        super().accept()
