"""The pick list window (§4 Q1): the items staff fetch from the stacks for
waiting requests, in shelf order, each for its first requester; printed on
A4 for the walk through the stacks, or saved as PDF.

Thin like the other windows: ``services.requests.pick_list`` reads the list
(role checked there), ``services.documents.pick_list_pdf`` draws it; both
run on the window's worker (``gui.operations``), so a long list never
freezes the desk. The PDF goes to the printer the way the desk's other A4
documents go (``gui.printer.DocumentPrinter``: the configured printer, else
the print dialog; "Save PDF…" always asks where).

A picked item is lent by scanning it at the desk (the request says who):
this window only lists and prints.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.ill import HandOver
from desk_app.domain.pick_list import PickEntry
from desk_app.domain.verdict import Verdict
from desk_app.gui import icons
from desk_app.gui.activation import bring_to_front
from desk_app.gui.formatting import format_date
from desk_app.gui.operations import Operation, Operations
from desk_app.gui.printer import DocumentPrinter
from desk_app.gui.shortcuts import window_shortcuts
from desk_app.gui.status_line import standing_line
from desk_app.i18n import Text, render
from desk_app.services import documents, requests
from desk_app.services.context import Actor, DeskContext

COLUMNS = 7  # call number, title, barcode, requester, institute, where it goes, waiting
ENTRY_ROLE = Qt.ItemDataRole.UserRole  # the row's barcode, on every cell


def _text(value: object, language: str) -> str:
    if isinstance(value, Text):
        return render(value, language)
    return "" if value is None else str(value)


class PickListWindow(QMainWindow):
    sig_loaded = Signal(int)  # the list is shown: how many items (tests)
    sig_printed = Signal(bool)  # a print or save is over: done or not (tests)

    def __init__(
        self,
        ctx: DeskContext,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        printer: DocumentPrinter | None = None,
        language: str | None = None,
    ) -> None:
        """``printer``: the desk's (by default the parent window's
        ``printer``, else one asking with the print dialog); ``language``:
        the desk's, by default the parent window's."""
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.ctx = ctx
        self.actor = actor
        self.language: str = language or str(getattr(parent, "language", "en"))
        if printer is None:
            found = getattr(parent, "printer", None)
            printer = found if isinstance(found, DocumentPrinter) else DocumentPrinter("", self)
        self.printer = printer
        self.entries: list[PickEntry] = []
        self.loaded = False
        self.last_message: tuple[bool, str] | None = None  # the last message: done, text
        self.setObjectName("pickListWindow")
        self.setWindowIcon(icons.icon("desk"))
        self.resize(1200, 720)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 16, 16, 8)
        self.heading = QLabel(body)
        self.heading.setObjectName("pickListHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 700;")
        layout.addWidget(self.heading)
        hint = QLabel(
            self.tr(
                "In shelf order, each for its first requester. Scan a fetched item at the "
                "desk: it is lent to the requester and its slip prints."
            ),
            body,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #3c4a57; font-size: 11pt;")
        layout.addWidget(hint)

        self.table = QTableWidget(0, COLUMNS, body)
        self.table.setObjectName("pickListTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Call number"),
                self.tr("Title"),
                self.tr("Barcode"),
                self.tr("Requester"),
                self.tr("Institute"),
                self.tr("Where it goes"),
                self.tr("Waiting"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((160, 290, 150, 180, 90, 130)):
            self.table.setColumnWidth(column, width)
        self.table.setStyleSheet("font-size: 11pt;")
        self.empty = QLabel(self.tr("Nothing to fetch"), body)
        self.empty.setObjectName("pickListEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("font-size: 18pt; color: #3c4a57;")
        self.stack = QStackedWidget(body)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

        row = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"), body)
        self.print_button = QPushButton(self.tr("Print (Ctrl+P)"), body)
        self.save_button = QPushButton(self.tr("Save PDF…"), body)
        close = QPushButton(self.tr("Close"), body)
        self.refresh_button.setObjectName("refreshButton")
        self.print_button.setObjectName("printButton")
        self.save_button.setObjectName("saveButton")
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.setCentralWidget(body)

        self._status = QLabel(self)
        standing_line(self.statusBar(), self._status, 1)
        self.ops = Operations(self, ctx, failed=self._not_done, refused=self._refused)
        self.ops.sig_started.connect(lambda _what: self._update_buttons())
        self.ops.sig_finished.connect(lambda _ok: self._update_buttons())
        self.actions_by_name: dict[str, QAction] = window_shortcuts(
            self,
            (
                ("refresh", "F5", self.refresh),
                ("print", "Ctrl+P", self.print_list),
                ("save", "Ctrl+S", self.save_list),
                ("close", "Esc", self.close),
            ),
        )
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button.clicked.connect(self.print_list)
        self.save_button.clicked.connect(self.save_list)
        close.clicked.connect(self.close)
        self._paint()
        self.refresh()

    # -- the list -----------------------------------------------------------------------

    def refresh(self) -> None:
        """F5: read the list again (on the worker)."""
        actor = self.actor
        reading = Operation(
            self.ops,
            self.tr("Reading the pick list"),
            lambda work: requests.pick_list(work.ctx, actor),
        )
        if not reading.success(self._show).run_in_background():
            self._say(False, self.tr("Busy: try again in a moment."))

    def _show(self, entries: list[PickEntry]) -> None:
        self.entries = list(entries)
        self.loaded = True
        self._paint()
        self._status.setText(
            self.tr("Read at {time}.").format(time=self.ctx.now().strftime("%H:%M"))
        )
        self.sig_loaded.emit(len(self.entries))

    def _paint(self) -> None:
        entries = self.entries
        count = len(entries)
        if not self.loaded:
            title = self.tr("Pick list")
        elif count:
            title = self.tr("Pick list: {count} item(s) to fetch").format(count=count)
        else:
            title = self.tr("Pick list: nothing to fetch")
        self.setWindowTitle(title)
        self.heading.setText(title)
        table = self.table
        table.setUpdatesEnabled(False)
        table.clearContents()
        table.setRowCount(count)
        for row, entry in enumerate(entries):
            for column, (text, tip) in enumerate(self._cells(entry)):
                cell = QTableWidgetItem(text)
                cell.setData(ENTRY_ROLE, entry.barcode)
                if tip:
                    cell.setToolTip(tip)
                if column == 0:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                table.setItem(row, column, cell)
        table.setUpdatesEnabled(True)
        self.stack.setCurrentWidget(self.table if count or not self.loaded else self.empty)
        self._update_buttons()

    def _cells(self, entry: PickEntry) -> list[tuple[str, str]]:
        institute = _text(entry.institute_name, self.language)
        since = format_date(entry.requested_at.date(), self.language)
        waiting = self.tr("{count} since {date}").format(count=entry.waiting, date=since)
        title = entry.title if not entry.author else f"{entry.title} ({entry.author})"
        return [
            (entry.call_number or "–", ""),
            (title, title),
            (entry.barcode, ""),
            (entry.borrower_name, entry.card or ""),
            (entry.institute_code, institute),  # the name in the tip: the code fits
            (self.where_it_goes(entry), ""),
            (waiting, ""),
        ]

    def where_it_goes(self, entry: PickEntry) -> str:
        """Where the book goes once lent (T1-T3)."""
        if entry.hand_over is HandOver.SELF_PICKUP:
            return self.tr("Pickup shelf")
        if entry.hand_over is HandOver.READING_ROOM:
            return self.tr("Reading room")
        if entry.hand_over is HandOver.INTERNAL_COURIER:
            return self.tr("Internal courier")
        if entry.route:
            return self.tr("Route {route}").format(route=entry.route)
        return self.tr("Courier")

    def rows(self) -> list[list[str]]:
        """The table as shown (tests, screenshots)."""
        table = self.table
        rows = []
        for r in range(table.rowCount()):
            cells = (table.item(r, c) for c in range(table.columnCount()))
            rows.append([cell.text() if cell is not None else "" for cell in cells])
        return rows

    def _update_buttons(self) -> None:
        idle = not self.ops.busy
        has = bool(self.entries)
        self.refresh_button.setEnabled(idle)
        for name, button in (("print", self.print_button), ("save", self.save_button)):
            button.setEnabled(idle and has)
            self.actions_by_name[name].setEnabled(idle and has)

    # -- printing ------------------------------------------------------------------------

    def print_list(self) -> None:
        """Ctrl+P: the A4 list to the desk's printer."""
        self._document(save=False)

    def save_list(self) -> None:
        """The A4 list as a PDF file."""
        self._document(save=True)

    def _document(self, *, save: bool) -> None:
        if not self.entries or self.ops.busy:
            return
        actor, language = self.actor, self.language
        Operation(
            self.ops,
            self.tr("Making the pick list"),
            lambda work: documents.pick_list_pdf(work.ctx, actor, language),
        ).success(lambda made: self._made(made, save=save)).run_in_background()

    def _made(self, made: Any, *, save: bool) -> None:
        pdf: bytes | None = made if isinstance(made, bytes) else getattr(made, "pdf", None)
        if not pdf:
            self._say(False, self.tr("The pick list could not be made; see the log."))
            self.sig_printed.emit(False)
            return
        day = self.ctx.today().isoformat()
        if save:
            result = self.printer.save_pdf(pdf, f"pick-list-{day}.pdf")
        else:
            result = self.printer.print_pdf(pdf, self.tr("Pick list {day}").format(day=day))
        bring_to_front(self)  # the print dialog does not always give the activation back
        self._say(result.done, result.message)
        self.sig_printed.emit(result.done)

    # -- messages and failures ---------------------------------------------------------

    def _say(self, ok: bool, text: str) -> None:
        self.last_message = (ok, text)
        self.statusBar().showMessage(text, 15_000)

    def _refused(self, refusal: Verdict) -> None:
        self._say(False, refusal.message(self.language))

    def _not_done(self, _problem: Exception, _what: str) -> None:
        self._say(False, self.tr("Not done: the database did not answer. Try again in a moment."))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
