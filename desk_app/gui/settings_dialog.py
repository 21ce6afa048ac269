"""The settings dialog: database, desk name, language, scanner, sounds, printer.

It edits a :class:`DeskSettings` value; the caller saves it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from desk_app.gui.forms import load_form
from desk_app.settings import LANGUAGES, MANIFEST_PAGE_SIZES, PAGE_SIZES, DeskSettings


def available_printers() -> list[str]:
    """The system's printers; importing QtPrintSupport only here keeps the
    desk's start quick."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return [p.printerName() for p in QPrinterInfo.availablePrinters()]


class SettingsDialog(QDialog):
    def __init__(self, settings: DeskSettings, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Desk settings"))
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
        )

    def accept(self) -> None:
        if not self.form.deskNameField.text().strip():
            self.form.message.setText(self.tr("The desk needs a name (it is on every loan)."))
            self.form.message.setStyleSheet("color: #b3261e;")
            return
        super().accept()
