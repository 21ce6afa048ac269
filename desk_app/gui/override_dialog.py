"""Ask why a refusal is overridden, and, at a desk login, which supervisor
authorises it: the reason is required and goes into the audit trail with the
loan.

A desk login need not sign out for a supervisor (issue 13, point 17): the
supervisor scans their staff card or picks their name, and types their PIN,
here; the service checks the PIN and the role. The dialog stays open after a
refused PIN, with the reason kept, so it can be typed again.

A scanner never types into this dialog: the desk's ``DialogScanGuard`` takes
a scan away from it; a staff card is shown here (:meth:`set_supervisor`),
anything else is scanned at the desk afterwards (:meth:`note_scan_kept`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desk_app.domain.barcodes import ScanError, classify
from desk_app.gui.forms import load_form
from desk_app.services.circulation import Authoriser

# Lend with this reason (and authoriser): None when done, else why not.
Submit = Callable[[str, Authoriser | None], str | None]

ERROR_STYLE = "color: #b3261e; font-weight: 600;"


class OverrideDialog(QDialog):
    def __init__(
        self,
        refusal: str,
        submit: Submit,
        parent: QWidget | None,
        *,
        supervisors: list[str] | None = None,
        flush_keys: Callable[[], None] | None = None,
    ) -> None:
        """``refusal`` is the refusal as the banner said it (title, item,
        message); ``supervisors`` the names who may authorise, or None when
        the signed-in login may override by itself; ``flush_keys`` delivers
        typing the scan guard still holds before a field is read."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor override"))
        self.form = load_form("override_dialog.ui", self)
        self._submit = submit
        self._flush_keys = flush_keys
        self._supervisors = list(supervisors or [])
        self.in_place = supervisors is not None
        form = self.form
        form.refusal.setText(refusal)
        form.refusal.setStyleSheet("font-weight: 600;")
        form.buttons.accepted.connect(self.accept)
        form.buttons.rejected.connect(self.reject)
        form.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Lend anyway"))
        if self.in_place:
            form.supervisorBox.addItems(self._supervisors)
            form.supervisorBox.setCurrentIndex(-1)
            form.supervisorBox.activated.connect(lambda _index: form.pinField.setFocus())
            form.supervisorBox.setFocus()
        else:
            form.supervisorGroup.hide()
            form.reasonField.setFocus()

    # -- what the scan guard hands over ----------------------------------------

    def set_supervisor(self, name: str) -> None:
        """A staff card was scanned: its holder, if they may authorise."""
        if name not in self._supervisors:
            self._note(
                self.tr(
                    "{name} may not authorise an override: a supervisor's card is needed."
                ).format(name=name),
                error=True,
            )
            return
        self.form.supervisorBox.setCurrentText(name)
        self._note(self.tr("Staff card: {name}. Now the PIN.").format(name=name))
        self.form.pinField.setFocus(Qt.FocusReason.OtherFocusReason)

    def note_scan_kept(self, shown: str) -> None:
        """A scan that is no staff card: not typed here, scanned at the desk
        when this dialog closes."""
        self._note(
            self.tr(
                "Scan {read} was not typed here: it is scanned at the desk when this closes."
            ).format(read=shown)
        )

    def _note(self, text: str, error: bool = False) -> None:
        self.form.scanNote.setText(text)
        self.form.scanNote.setStyleSheet(ERROR_STYLE if error else "font-style: italic;")

    # -- the answer --------------------------------------------------------------

    def reason(self) -> str:
        return self.form.reasonField.toPlainText().strip()

    def _say(self, message: str) -> None:
        self.form.message.setText(message)
        self.form.message.setStyleSheet(ERROR_STYLE if message else "")

    def accept(self) -> None:
        if self._flush_keys is not None:
            self._flush_keys()  # typing still held back belongs in the fields first
        form = self.form
        reason = self.reason()
        if not reason:
            self._say(self.tr("Give a reason: it is kept in the audit trail."))
            form.reasonField.setFocus()
            return
        if not isinstance(classify(reason), ScanError):
            self._say(self.tr("A barcode is no reason: say in words why the refusal is set aside."))
            form.reasonField.clear()
            form.reasonField.setFocus()
            return
        authoriser = None
        if self.in_place:
            name = form.supervisorBox.currentText().strip()
            if not name:
                self._say(self.tr("Scan the supervisor's staff card or pick the name."))
                form.supervisorBox.setFocus()
                return
            pin = form.pinField.text()
            if not pin:
                self._say(self.tr("The supervisor types the PIN."))
                form.pinField.setFocus()
                return
            authoriser = Authoriser(name, pin)
            form.pinField.clear()
        problem = self._submit(reason, authoriser)
        if problem:
            self._say(problem)
            (form.pinField if self.in_place else form.reasonField).setFocus()
            return
        super().accept()
