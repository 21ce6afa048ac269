"""Printing the PDF documents of ``printing/``: silently to the configured
printer, else (no printer set, and asked for by hand) through the print
dialog; and always "save as PDF".

The documents are made once, as PDF, by reportlab; the printer gets the
same pages, rasterised by Qt's PDF module at the printer's own resolution
(capped at 300 dpi: a 1200 dpi A4 page would be half a gigabyte). So what
is previewed, saved and printed is one document, and the bars of a
barcode land on whole printer dots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QSize
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

MAX_DPI = 300


@dataclass(frozen=True)
class PrintResult:
    done: bool
    message: str  # for the status bar: where it went, or why not


def pdf_document(pdf: bytes) -> QPdfDocument:
    """A loaded Qt PDF document; the buffer is parented to it so it lives as
    long as the document does."""
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise ValueError("the document could not be read as PDF")
    return document


def page_images(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page rasterised at ``dpi`` (for previews and printers)."""
    document = pdf_document(pdf)
    images = []
    for index in range(document.pageCount()):
        points = document.pagePointSize(index)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        images.append(document.render(index, size))
    return images


def paint_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Paint every page of ``pdf`` on ``printer``, one printer page per PDF
    page, edge to edge (the documents keep their own margins). Returns the
    number of pages."""
    document = pdf_document(pdf)
    count = document.pageCount()
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(first, QPageSize.Unit.Point, "document"),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer did not accept the job")
    try:
        for index in range(count):
            if index:
                points = document.pagePointSize(index)
                printer.setPageSize(QPageSize(points, QPageSize.Unit.Point, "document"))
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            painter.drawImage(painter.viewport(), document.render(index, size))
    finally:
        painter.end()
    return count


def _ask_printer(printer: QPrinter, parent: QWidget | None) -> bool:
    dialog = QPrintDialog(printer, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _ask_save_path(parent: QWidget | None, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("DocumentPrinter", "Save as PDF"),
        suggested,
        QCoreApplication.translate("DocumentPrinter", "PDF documents (*.pdf)"),
    )
    return path


class DocumentPrinter:
    """Where the desk's documents go. The dialogs are passed in so tests (and
    a kiosk) can answer them without a window ever blocking."""

    def __init__(
        self,
        printer_name: str,
        parent: QWidget | None = None,
        ask_printer: Callable[[QPrinter, QWidget | None], bool] = _ask_printer,
        ask_save_path: Callable[[QWidget | None, str], str] = _ask_save_path,
    ) -> None:
        self.printer_name = printer_name
        self.parent = parent
        self._ask_printer = ask_printer
        self._ask_save_path = ask_save_path

    def configured_printer(self) -> QPrinter | None:
        """The settings' printer, if it is installed here."""
        if not self.printer_name:
            return None
        info = QPrinterInfo.printerInfo(self.printer_name)
        if info.isNull():
            return None
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)

    def print_pdf(self, pdf: bytes, title: str, *, silent_only: bool = False) -> PrintResult:
        """Silently to the configured printer. Only when no printer is set,
        and unless ``silent_only`` (automatic slips never pop a dialog at
        every checkout), ask. A printer that is set but missing is a message
        for the status line, never a dialog: a dialog in the middle of a run
        of scans takes the next scan's keys (issue 13, point 1)."""
        printer = self.configured_printer()
        if printer is None:
            if self.printer_name:
                why = QCoreApplication.translate(
                    "DocumentPrinter", "Printer {0} is not installed here: {1} was not printed."
                )
                return PrintResult(False, why.format(self.printer_name, title))
            if silent_only:
                return PrintResult(
                    False,
                    QCoreApplication.translate(
                        "DocumentPrinter", "No printer is set in the settings: {0} was not printed."
                    ).format(title),
                )
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(title)
            if not self._ask_printer(printer, self.parent):
                return PrintResult(
                    False, QCoreApplication.translate("DocumentPrinter", "Printing cancelled.")
                )
        printer.setDocName(title)
        try:
            pages = paint_pdf(printer, pdf)
        except (OSError, ValueError) as error:
            return PrintResult(
                False,
                QCoreApplication.translate("DocumentPrinter", "{0} was not printed: {1}").format(
                    title, error
                ),
            )
        where = printer.printerName() or printer.outputFileName()
        return PrintResult(
            True,
            QCoreApplication.translate("DocumentPrinter", "{0} sent to {1} ({2} page(s)).").format(
                title, where, pages
            ),
        )

    def save_pdf(self, pdf: bytes, suggested_name: str) -> PrintResult:
        path = self._ask_save_path(self.parent, suggested_name)
        if not path:
            return PrintResult(False, QCoreApplication.translate("DocumentPrinter", "Not saved."))
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(pdf)
        except OSError as error:
            return PrintResult(
                False,
                QCoreApplication.translate("DocumentPrinter", "Could not save {0}: {1}").format(
                    path, error.strerror
                ),
            )
        return PrintResult(
            True, QCoreApplication.translate("DocumentPrinter", "Saved {0}.").format(path)
        )
