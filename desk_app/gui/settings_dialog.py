"""The settings dialog: database, desk name, language, scanner, sounds,
printer; and on its second tab how notices are signed and e-mailed (§5 S6).

It edits a :class:`DeskSettings` value; the caller saves it."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desk_app.credentials import Credentials, SystemCredentials, smtp_account
from desk_app.gui.forms import load_form
from desk_app.services.notice_mail import MailServer, MailSettings, connect_smtp
from desk_app.settings import (
    LANGUAGES,
    MANIFEST_PAGE_SIZES,
    PAGE_SIZES,
    SMTP_SECURITY,
    DeskSettings,
)

MailConnect = Callable[[MailSettings], MailServer]


def available_printers() -> list[str]:
    """The system's printers; importing QtPrintSupport only here keeps the
    desk's start quick."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return [p.printerName() for p in QPrinterInfo.availablePrinters()]


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: DeskSettings,
        parent: QWidget | None,
        connect: MailConnect = connect_smtp,
        credentials: Credentials | None = None,
    ) -> None:
        super().__init__(parent)
        self._connect = connect
        # the SMTP password's home (issue 13 point 11); the caller saves into it
        self._credentials = credentials if credentials is not None else SystemCredentials()
        self._password_store = self._credentials.available()
        self.setWindowTitle(self.tr("Desk settings"))
        self.setMinimumWidth(640)  # room for the library's full name and a URL
        self._original = settings
        form = self.form = load_form("settings_dialog.ui", self)
        form.databaseField.setText(settings.database_url)
        form.deskNameField.setText(settings.desk_name)
        names = {"da": self.tr("Dansk"), "en": self.tr("English")}
        for code in LANGUAGES:
            form.languageBox.addItem(names[code], code)
        form.languageBox.setCurrentIndex(LANGUAGES.index(settings.language))
        form.prefixField.setText(settings.scanner_prefix)
        form.suffixField.setText(settings.scanner_suffix)
        form.soundsBox.setChecked(settings.sounds)
        form.printerBox.addItem(self.tr("Ask each time (print dialog)"), "")
        printers = available_printers()
        if settings.printer and settings.printer not in printers:
            printers.append(settings.printer)
        for name in printers:
            form.printerBox.addItem(name, name)
        form.printerBox.setCurrentIndex(max(0, form.printerBox.findData(settings.printer)))
        sizes = {"A6": self.tr("A6 label"), "80mm": self.tr("80 mm receipt roll")}
        for code in PAGE_SIZES:
            form.pageSizeBox.addItem(sizes[code], code)
        form.pageSizeBox.setCurrentIndex(PAGE_SIZES.index(settings.page_size))
        manifest_sizes = {"A4": self.tr("A4 sheet"), "80mm": self.tr("80 mm receipt roll")}
        for code in MANIFEST_PAGE_SIZES:
            form.manifestSizeBox.addItem(manifest_sizes[code], code)
        form.manifestSizeBox.setCurrentIndex(MANIFEST_PAGE_SIZES.index(settings.manifest_page_size))
        form.slipBox.setChecked(settings.print_slip_at_checkout)
        self._fill_mail(settings, names)
        form.buttons.accepted.connect(self.accept)
        form.buttons.rejected.connect(self.reject)

    def settings(self) -> DeskSettings:
        form = self.form
        return self._original.with_changes(
            database_url=form.databaseField.text().strip(),
            desk_name=form.deskNameField.text().strip() or self._original.desk_name,
            language=form.languageBox.currentData(),
            scanner_prefix=form.prefixField.text(),
            scanner_suffix=form.suffixField.text(),
            sounds=form.soundsBox.isChecked(),
            printer=form.printerBox.currentData() or "",
            page_size=form.pageSizeBox.currentData(),
            manifest_page_size=form.manifestSizeBox.currentData(),
            print_slip_at_checkout=form.slipBox.isChecked(),
            library_name=form.libraryField.text().strip() or self._original.library_name,
            letter_language=form.letterLanguageBox.currentData(),
            smtp_host=form.smtpHostField.text().strip(),
            smtp_port=form.smtpPortBox.value(),
            smtp_security=form.smtpSecurityBox.currentData(),
            smtp_user=form.smtpUserField.text().strip(),
            # typed: to the credential store on saving; empty: the stored one stays
            smtp_password=(
                form.smtpPasswordField.text()
                if self._password_store
                else self._original.smtp_password  # an old file's, for this run only
            ),
            mail_from=form.mailFromField.text().strip(),
        )

    def _fill_mail(self, settings: DeskSettings, names: dict[str, str]) -> None:
        form = self.form
        form.libraryField.setText(settings.library_name)
        form.libraryField.setCursorPosition(0)  # the name's start, not its end
        for code in LANGUAGES:
            form.letterLanguageBox.addItem(names[code], code)
        form.letterLanguageBox.setCurrentIndex(LANGUAGES.index(settings.letter_language))
        form.smtpHostField.setText(settings.smtp_host)
        form.smtpPortBox.setValue(settings.smtp_port)
        security = {
            "starttls": self.tr("STARTTLS (usually port 587)"),
            "tls": self.tr("TLS from the start (usually port 465)"),
            "none": self.tr("None (only on a trusted network)"),
        }
        for code in SMTP_SECURITY:
            form.smtpSecurityBox.addItem(security[code], code)
        form.smtpSecurityBox.setCurrentIndex(SMTP_SECURITY.index(settings.smtp_security))
        form.smtpUserField.setText(settings.smtp_user)
        self._fill_password(settings)
        form.mailFromField.setText(settings.mail_from)
        form.mailTestButton.clicked.connect(self.test_mail)

    def _fill_password(self, settings: DeskSettings) -> None:
        """The password is never shown and never in the settings file: the
        field takes a new one for the credential store. Without a store (a
        headless or CI machine) the field is off and the note says to use
        DESK_APP_SMTP_PASSWORD instead."""
        form = self.form
        form.smtpPasswordField.setText(settings.smtp_password if self._password_store else "")
        if not self._password_store:
            form.smtpPasswordField.setEnabled(False)
            form.smtpPasswordField.setPlaceholderText(
                self.tr("No credential store on this computer: use DESK_APP_SMTP_PASSWORD")
            )
            form.mailNote.setText(
                self.tr(
                    "This computer has no system credential store (keyring), so the desk "
                    "cannot keep the mail server's password: set the environment variable "
                    "DESK_APP_SMTP_PASSWORD for the desk instead. Each run e-mails one "
                    "message per borrower; what cannot be sent waits for the next run."
                )
            )
            return
        stored = bool(settings.smtp_user.strip()) and bool(
            self._credentials.lookup(smtp_account(settings))
        )
        form.smtpPasswordField.setPlaceholderText(
            self.tr("Stored: type a new one to change it")
            if stored
            else self.tr("Kept in the system's credential store")
        )
        form.mailNote.setText(
            self.tr(
                "The password is kept in the system's credential store, never in the "
                "settings file; without one there, the environment variable "
                "DESK_APP_SMTP_PASSWORD is used. Each run e-mails one message per "
                "borrower; what cannot be sent waits for the next run."
            )
        )

    def test_mail(self) -> bool:
        """Connect, log in and leave, with the settings as typed: a wrong
        port or password shows here, not in tomorrow's run."""
        mail = MailSettings.from_settings(self.settings(), os.environ, self._credentials)
        if not mail.configured:
            self._say(self.tr("Fill in the mail server and the sender address first."), False)
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            server = self._connect(mail)
            server.quit()
        except (OSError, smtplib.SMTPException) as problem:
            self._say(
                self.tr("The mail server {server} did not accept the connection: {problem}").format(
                    server=f"{mail.host}:{mail.port}", problem=problem
                ),
                False,
            )
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._say(
            self.tr("Connected to {server}: the settings work.").format(
                server=f"{mail.host}:{mail.port}"
            ),
            True,
        )
        return True

    def _say(self, text: str, good: bool) -> None:
        self.form.message.setText(text)
        self.form.message.setStyleSheet("color: #1b5e20;" if good else "color: #b3261e;")

    def accept(self) -> None:
        if not self.form.deskNameField.text().strip():
            self.form.tabs.setCurrentIndex(0)
            self._say(self.tr("The desk needs a name (it is on every loan)."), False)
            return
        sender = self.form.mailFromField.text().strip()
        if self.form.smtpHostField.text().strip() and "@" not in sender:
            self.form.tabs.setCurrentIndex(1)
            self._say(self.tr("E-mail needs a sender address, such as udlaan@kb.dk."), False)
            return
        super().accept()
