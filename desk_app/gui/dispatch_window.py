"""The courier's dispatch window (T4): pick a route and a day, preview and
print its manifest, scan each item into the crate, mark the route dispatched,
and confirm the delivery when the courier is back.

Thin like the desk window: :class:`LoadingList` and ``services.transport``
decide, ``services.documents`` draws the manifest, this window paints. Every
service call goes through the window's ``Operations`` (issue 14), so a
database that went away is a message, never a traceback, and a role that
may not do something is told so (issue 13 point 9). Its dialogs are
guarded like the desk's (issue 13 point 1): a scan made while one is open is
kept and scanned into the crate when it closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desk_app.domain.barcodes import echo
from desk_app.domain.verdict import Code, Verdict
from desk_app.gui import icons
from desk_app.gui.activation import bring_to_front
from desk_app.gui.banner import VerdictBanner
from desk_app.gui.formatting import format_time
from desk_app.gui.forms import load_form, replace_slot
from desk_app.gui.operations import Operations
from desk_app.gui.printer import DocumentPrinter, pdf_document
from desk_app.gui.scan_field import DialogScans, ScanField
from desk_app.gui.shortcuts import window_shortcuts
from desk_app.gui.sounds import Sounds
from desk_app.gui.status_line import standing_line
from desk_app.services import documents, transport
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk import DeskOutcome, Tone
from desk_app.services.loading import Loaded, LoadingList
from desk_app.settings import DeskSettings

log = logging.getLogger(__name__)

SOUND_FOR_TONE = {
    Tone.ACCEPTED: "accepted",
    Tone.CAUTION: "warning",
    Tone.REFUSED: "refused",
    Tone.INFO: None,
}


def _confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes


def _ask_text(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


class DispatchWindow(QMainWindow):
    sig_outcome = Signal(object)  # DeskOutcome, after it is painted

    def __init__(
        self,
        ctx: DeskContext,
        actor: Actor,
        settings: DeskSettings,
        sounds: Sounds,
        printer: DocumentPrinter,
        parent: QWidget | None = None,
        confirm: Callable[[QWidget, str, str], bool] = _confirm,
        ask_text: Callable[[QWidget, str, str], str | None] = _ask_text,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.ctx = ctx
        self.actor = actor
        self.settings = settings
        self.language = settings.language
        self.sounds = sounds
        self.printer = printer
        self._confirm = confirm
        self._ask_text = ask_text
        self.loading: LoadingList | None = None
        self.pdf: bytes | None = None
        self._document: QPdfDocument | None = None
        self.setWindowTitle(self.tr("Courier dispatch: {desk}").format(desk=settings.desk_name))
        self.setWindowIcon(icons.icon("desk"))
        self.resize(1280, 820)

        body = QWidget(self)
        form = self.form = load_form("dispatch_window.ui", body)
        self.setCentralWidget(body)
        self.scan_field = ScanField(self)
        self.scan_field.setPlaceholderText(self.tr("Scan the item's barcode or its slip"))
        replace_slot(form.scanFieldSlot, self.scan_field)
        # Scans made while a dialog is open wait for it to close (issue 13, point 1):
        # scanned into the crate after it
        self._dialog_scans = DialogScans(
            self, self.scan_field.maxLength(), self._scan_kept_scan, self._scan_kept
        )
        self._dialog = self._dialog_scans.dialog
        self.ops = Operations(
            self,
            ctx,
            failed=self._not_done,
            refused=self._refused,
            scans=self._dialog_scans,
            focus=self._restore_focus,
        )
        self.preview = QPdfView(self)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        replace_slot(form.previewSlot, self.preview)
        form.splitter.setSizes([700, 540])
        self.banner = VerdictBanner(form)
        self.banner.show_message(
            Tone.INFO,
            self.tr("Pick the route and the day"),
            self.tr("Then scan each item as it goes into the crate."),
        )
        form.scanPrompt.setStyleSheet("font-size: 14pt;")
        form.countLabel.setStyleSheet("font-size: 16pt; font-weight: 700;")
        for tree in (form.missingList, form.loadedList):
            tree.setColumnWidth(0, 60)
            tree.setColumnWidth(1, 150)
        self._status = QLabel(self)
        standing_line(self.statusBar(), self._status, 1)  # a menu's status tip covers it

        for route in self.ops.call(lambda: transport.routes(ctx, actor), []):
            label = f"{route.code}  {route.name}"
            if route.internal_courier:
                label += self.tr("  (internal courier)")
            form.routeBox.addItem(label, route.code)
        form.dateEdit.setDate(_qdate(ctx.today()))
        self._make_actions()
        form.routeBox.currentIndexChanged.connect(lambda _=0: self.refresh())
        # typing a date changes it digit by digit: wait for a pause, and leave
        # the focus in the date box meanwhile
        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.setInterval(400)
        self._date_timer.timeout.connect(lambda: self.refresh(keep_focus=True))
        form.dateEdit.dateChanged.connect(lambda _=None: self._date_timer.start())
        form.refreshButton.clicked.connect(lambda: self.refresh())
        form.printButton.clicked.connect(self.print_manifest)
        form.saveButton.clicked.connect(self.save_manifest)
        form.dispatchButton.clicked.connect(self.dispatch)
        form.deliveredButton.clicked.connect(self.confirm_delivered)
        form.announceButton.clicked.connect(self.announce_return)
        form.closeButton.clicked.connect(self.close)
        self.scan_field.sig_scanned.connect(self.on_scanned)
        self.refresh()

    def _make_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = window_shortcuts(
            self,
            (
                ("refresh", "F5", lambda: self.refresh()),
                ("print", "Ctrl+P", self.print_manifest),
                ("save", "Ctrl+S", self.save_manifest),
                ("dispatch", "F10", self.dispatch),
                ("delivered", "F11", self.confirm_delivered),
                ("close", "Esc", self.close),
            ),
        )

    # -- the route and day --------------------------------------------------------

    @property
    def route(self) -> str | None:
        return self.form.routeBox.currentData()

    @property
    def day(self) -> date:
        return self.form.dateEdit.date().toPython()

    def select(self, route: str, day: date) -> None:
        """Pick a route and day (as the courier would in the two boxes)."""
        form = self.form
        form.routeBox.blockSignals(True)
        form.dateEdit.blockSignals(True)
        form.routeBox.setCurrentIndex(max(0, form.routeBox.findData(route)))
        form.dateEdit.setDate(_qdate(day))
        form.routeBox.blockSignals(False)
        form.dateEdit.blockSignals(False)
        self.refresh()

    def refresh(self, keep_focus: bool = False) -> None:
        """Fetch the manifest again, rebuild the preview and the lists. What
        was scanned into the crate is read back as stored, from every desk
        (issue 13 point 4): closing the window, a restart or a refresh never
        makes the courier scan the crate again."""
        route = self.route
        if route is None:
            return
        size = documents.PageSize(self.settings.manifest_page_size)
        result = self.ops.call(
            lambda: documents.manifest_pdf(
                self.ctx,
                self.actor,
                route,
                self.day,
                self.settings.desk_name,
                size,
                self.language,
            ),
            None,
        )
        if result is None:
            return
        if isinstance(result, Verdict):
            self._show(DeskOutcome("manifest", route, result, None))
            return
        manifest = result.manifest
        loading = self.ops.call(
            lambda: LoadingList(
                self.ctx,
                self.actor,
                manifest,
                self.settings.scanner_prefix,
                self.settings.scanner_suffix,
            ),
            None,
        )
        if loading is None:
            return
        self.loading = loading
        if result.pdf is None:
            log.error("manifest %s %s could not be drawn: %s", route, self.day, result.problem)
        self._preview(result.pdf)
        self._paint_lists()
        if not keep_focus:
            self._restore_focus()

    def _preview(self, pdf: bytes | None) -> None:
        document = None
        if pdf is not None:  # else the service could not draw it
            try:
                document = pdf_document(pdf)
            except (ValueError, OSError):
                log.exception("the manifest could not be shown")
        if document is None:
            self.pdf = None
            self._status.setText(self.tr("The manifest could not be drawn; see the log."))
            return
        self.pdf = pdf
        self.preview.setDocument(document)
        if self._document is not None:
            self._document.deleteLater()
        self._document = document

    def _paint_lists(self) -> None:
        loading = self.loading
        form = self.form
        if loading is None:
            return
        _fill(form.missingList, loading.missing)
        _fill(form.loadedList, loading.loaded)
        manifest = loading.manifest
        if loading.dispatched:
            form.countLabel.setText(
                self.tr("Left with {n} item(s)").format(n=manifest.deliver_count)
            )
        else:
            form.countLabel.setText(
                self.tr("Loaded {loaded} of {total}").format(
                    loaded=len(loading.loaded), total=loading.expected
                )
            )
        left, delivered = manifest.dispatched_at, manifest.delivered_at
        if delivered is not None:
            state = self.tr("Delivered {time}").format(time=format_time(delivered))
        elif left is not None:
            state = self.tr("Dispatched {time}, in transit").format(time=format_time(left))
        else:
            state = self.tr("Not dispatched")
        form.stateLabel.setText(
            self.tr("{state}  ·  {stops} stop(s), deliver {deliver}, collect {collect}").format(
                state=state,
                stops=len(manifest.stops),
                deliver=manifest.deliver_count,
                collect=manifest.collect_count,
            )
        )
        form.dispatchButton.setEnabled(left is None)
        form.deliveredButton.setEnabled(left is not None and delivered is None)
        self.actions_by_name["dispatch"].setEnabled(left is None)
        self.actions_by_name["delivered"].setEnabled(left is not None and delivered is None)
        self.scan_field.setEnabled(left is None)

    # -- loading --------------------------------------------------------------------

    def on_scanned(self, raw: str) -> None:
        """A scan typed into the field: into the crate now, or in its turn
        after what waits."""
        if not self._dialog_scans.offer(raw):
            self._load(raw)

    def _load(self, raw: str) -> None:
        loading = self.loading
        if loading is None:
            return
        outcome = self.ops.call(lambda: loading.scan(raw), None)
        if outcome is not None:
            self._show(DeskOutcome("load", echo(raw.strip()), outcome, None))
            if loading.left_meanwhile:
                self.refresh()  # another desk dispatched the route: show it as it left
            else:
                self._paint_lists()
        self._restore_focus()

    def dispatch(self) -> None:
        loading = self.loading
        if loading is None or loading.dispatched:
            return
        if self.ops.call(loading.reload, False) is False:  # what the other desks loaded too
            self._restore_focus()
            return
        self._paint_lists()
        missing = len(loading.missing)
        if missing:
            question = self.tr(
                "{missing} item(s) on the manifest were not scanned into the crate. "
                "They stay at the desk for the next run. Mark route {route} dispatched?"
            ).format(missing=missing, route=loading.route)
            with self._dialog():
                go = self._confirm(self, self.tr("Items not loaded"), question)
            self._after_dialog()
            if not go:
                return
            if self._dialog_scans.waiting:
                # found while the question was open: into the crate before it leaves
                self._dialog_scans.run_queued()
                loading = self.loading
                if loading is None or loading.dispatched:
                    return
        outcome = self.ops.call(loading.dispatch, None)
        if outcome is not None:
            self._show(DeskOutcome("dispatch", loading.route, outcome, None))
            if outcome.code is Code.DISPATCHED:
                self.refresh()
        self._restore_focus()

    def confirm_delivered(self) -> None:
        loading = self.loading
        if loading is None:
            return
        outcome = self.ops.call(
            lambda: transport.confirm_delivered(self.ctx, self.actor, loading.route, loading.day),
            None,
        )
        if outcome is not None:
            self._show(DeskOutcome("deliver", loading.route, outcome, None))
            self.refresh()
        self._restore_focus()

    def announce_return(self) -> None:
        with self._dialog(take=self._scan_into_text_dialog):
            barcode = self._ask_text(
                self,
                self.tr("Announce a return"),
                self.tr("Item barcode of the loan the institute wants collected:"),
            )
        self._after_dialog()
        if barcode:
            outcome = self.ops.call(
                lambda: transport.announce_return(self.ctx, self.actor, barcode), None
            )
            if outcome is not None:
                self._show(DeskOutcome("announce", echo(barcode.strip()), outcome, None))
                self.refresh()
        self._restore_focus()

    # -- printing -----------------------------------------------------------------------

    def _title(self) -> str:
        loading = self.loading
        assert loading is not None
        return self.tr("Manifest {route} {day}").format(
            route=loading.route, day=loading.day.isoformat()
        )

    def print_manifest(self) -> None:
        if self.pdf is not None and self.loading is not None:
            with self._dialog():  # the print dialog, when no printer is set
                result = self.printer.print_pdf(self.pdf, self._title())
            self._status.setText(result.message)
            self._after_dialog()
        self._restore_focus()

    def save_manifest(self) -> None:
        if self.pdf is not None and self.loading is not None:
            name = f"manifest-{self.loading.route}-{self.loading.day.isoformat()}.pdf"
            with self._dialog():
                result = self.printer.save_pdf(self.pdf, name)
            self._status.setText(result.message)
            self._after_dialog()
        self._restore_focus()

    # -- a scanner while a dialog is open (issue 13, point 1) ---------------------------

    def _scan_kept(self, raw: str) -> None:
        """A scan made while a dialog was open: kept, and said so."""
        self._status.setText(
            self.tr("Scan {read} kept: it is scanned here when the dialog closes.").format(
                read=echo(raw.strip())
            )
        )

    def _scan_kept_scan(self, raw: str) -> None:
        """Scan what was kept, as if typed into the scan field now; a route
        that takes no more items (it left meanwhile) refuses it visibly."""
        if self.loading is None or not self.scan_field.isEnabled():
            self.banner.show_message(
                Tone.REFUSED,
                self.tr("Scan not loaded"),
                self.tr(
                    "{read} was scanned while a dialog was open, and this route "
                    "takes no more items: it was not loaded."
                ).format(read=echo(raw.strip())),
            )
            self.sounds.play("refused")
        else:
            self._load(raw)

    def _scan_into_text_dialog(self, raw: str) -> bool:
        """The announce dialog asks for an item barcode: a scan fills its
        field (replacing what was there) and waits for OK, never presses it."""
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            return False
        dialog.setTextValue(raw.strip())
        return True

    def _after_dialog(self) -> None:
        """A closed dialog does not always hand the activation back (the
        print dialog belongs to the desk window; offscreen and some window
        managers leave no window active)."""
        bring_to_front(self)
        self._restore_focus()

    # -- painting and failures ----------------------------------------------------------

    def _show(self, outcome: DeskOutcome) -> None:
        self.banner.show(outcome, self.language)
        sound = SOUND_FOR_TONE[outcome.tone]
        if sound:
            self.sounds.play(sound)
        self.sig_outcome.emit(outcome)

    def _refused(self, refusal: Verdict) -> None:
        """A role that may not do it (issue 13 point 9) is told so, not that
        the database failed: the refusal is audited already."""
        self._show(DeskOutcome("refused", "", refusal, None))

    def _not_done(self, _problem: Exception, _what: str) -> None:
        """A database failure is a banner, never a traceback."""
        self.banner.show_message(
            Tone.REFUSED,
            self.tr("Not done: the database did not answer"),
            self.tr("Nothing was saved. Try again in a moment."),
        )
        self.sounds.play("refused")

    def _restore_focus(self) -> None:
        if self.scan_field.isEnabled():
            self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._restore_focus()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _fill(tree: QTreeWidget, entries: list[Loaded]) -> None:
    tree.setUpdatesEnabled(False)
    tree.clear()
    rows = []
    for entry in entries:
        row = QTreeWidgetItem([str(entry.stop.stop), entry.line.item_barcode, entry.line.title])
        if entry.staff and entry.at is not None:  # who put it in the crate, at any desk
            who = QCoreApplication.translate("DispatchWindow", "Loaded by {staff}, {desk}, {time}")
            tip = who.format(staff=entry.staff, desk=entry.desk, time=format_time(entry.at))
            for column in range(3):
                row.setToolTip(column, tip)
        rows.append(row)
    tree.addTopLevelItems(rows)
    tree.setUpdatesEnabled(True)
