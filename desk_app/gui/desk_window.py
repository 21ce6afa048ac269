"""The desk window: one scan field, the verdict banner, the borrower panel and
the shift log. It forwards scans to :class:`DeskSession` and paints what comes
back; every rule lives below it.

The order cycle (issue 15): Ctrl+F, or letters typed into the scan field,
finds a borrower and takes them to the desk; Ctrl+I finds an item (its
status, requests for the borrower at the desk, a slip reprinted); Ctrl+K
shows the pick list; Ctrl+R renews all of the borrower's loans; Ctrl+T
prints their receipt on the roll, Ctrl+E e-mails it. A returned or picked
book lent on to its requester prints its slip as any checkout does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from desk_app.domain.material import Alternative
from desk_app.domain.roles import Action, Permission, Role, can, may
from desk_app.domain.scan import HealthCard, ItemBarcode, LibraryCard, read_scan
from desk_app.domain.verdict import Code, Verdict
from desk_app.gui import icons
from desk_app.gui.activation import bring_to_front
from desk_app.gui.banner import VerdictBanner, item_line, refusal_line, title_for
from desk_app.gui.borrower_panel import BorrowerPanel
from desk_app.gui.formatting import format_time, role_name
from desk_app.gui.forms import load_form, replace_slot
from desk_app.gui.operations import Operation, Operations, Work
from desk_app.gui.override_dialog import OverrideDialog
from desk_app.gui.scan_field import DialogScans, FocusKeeper, ScanField
from desk_app.gui.scroll_when_short import ScrollWhenShort
from desk_app.gui.shift_log import ShiftLogView
from desk_app.gui.sounds import Sounds
from desk_app.gui.status_line import standing_line
from desk_app.services.circulation import Authoriser
from desk_app.services.desk import DeskOutcome, DeskSession, Mode, Tone
from desk_app.services.desk import renew_all as renew_loans
from desk_app.settings import DeskSettings

if TYPE_CHECKING:  # printing, PDF, the other windows and the settings load at first use
    from desk_app.gui.dispatch_window import DispatchWindow
    from desk_app.gui.pick_list_window import PickListWindow
    from desk_app.gui.printer import DocumentPrinter
    from desk_app.gui.supervisor_window import SupervisorWindow
    from desk_app.services.documents import LettersPdf, SlipPdf

MODE_COLOURS = {Mode.CHECK_OUT: "#1f5fa8", Mode.CHECK_IN: "#2e7d32", Mode.RENEW: "#6a3d9a"}
SOUND_FOR_TONE = {
    Tone.ACCEPTED: "accepted",
    Tone.CAUTION: "warning",
    Tone.REFUSED: "refused",
    Tone.INFO: None,
}


class DeskWindow(QMainWindow):
    sig_sign_out = Signal()
    sig_outcome = Signal(object)  # DeskOutcome, after it is painted
    sig_first_painted = Signal()  # once, when the window is on screen: ready to scan

    def __init__(
        self,
        session: DeskSession,
        role: Role,
        settings: DeskSettings,
        sounds: Sounds,
        database_label: str,
        save_settings: Callable[[DeskSettings], None] | None = None,
        printer: DocumentPrinter | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.role = Role(role)
        self.settings = settings
        self.sounds = sounds
        self.language = settings.language
        self._save_settings = save_settings
        self._printer = printer
        self.dispatch_window: DispatchWindow | None = None
        self.supervisor_window: SupervisorWindow | None = None
        self.pick_list_window: PickListWindow | None = None
        self._logged_rows = len(session.log)  # shift-log entries already in the table
        self._painted = False
        self.setWindowTitle(self.tr("Circulation desk: {desk}").format(desk=settings.desk_name))
        self.setWindowIcon(icons.icon("desk"))
        self.resize(1280, 800)

        body = QWidget(self)
        self.form = load_form("desk_window.ui", body)
        self.setCentralWidget(body)
        form = self.form
        self.scan_field = ScanField(self, names=True)  # letters typed: find a borrower
        replace_slot(form.scanFieldSlot, self.scan_field)
        self.scan_field.setPlaceholderText(
            self.tr("Scan a card or an item, or type and press Enter")
        )
        self.borrower_panel = BorrowerPanel(self.language, self)
        # Short of height (a suspension badge, a long refusal, the refusal
        # list, a small screen) the panel scrolls; a layout squeezed below its
        # minimum paints its rows over each other.
        replace_slot(form.borrowerSlot, ScrollWhenShort(self.borrower_panel, self))
        form.splitter.setSizes([640, 640])  # room for the titles of the loans (issue 13, point 19)
        self.banner = VerdictBanner(form)
        self.shift_log = ShiftLogView(form.shiftLog, self.language)
        self._alternative_buttons: list[QPushButton] = []
        self._refusals_shown: list[str] = []
        form.refusalStrip.setStyleSheet(
            "QFrame#refusalStrip { background: #f9e0de; border: 2px solid #b3261e; }"
            "QLabel#refusalHeading { color: #b3261e; font-size: 13pt; font-weight: 700; }"
            "QListWidget#refusalList { font-size: 12pt; background: white; }"
        )
        # its own height, always: when room is short the borrower panel scrolls
        form.refusalStrip.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        form.refusalStrip.hide()
        # Scans made while a dialog is open wait for it to close (issue 13,
        # point 1); scans made while an operation runs wait for it to end.
        self._dialog_scans = DialogScans(
            self, self.scan_field.maxLength(), self._scan_now, self._scan_kept
        )
        self._dialog = self._dialog_scans.dialog
        # every service call of this window, quick or long (issue 14)
        self.ops = Operations(
            self,
            session.ctx,
            failed=self._not_done,
            refused=self._refused,
            scans=self._dialog_scans,
            focus=self._restore_focus,
        )
        form.modeLabel.setStyleSheet("font-size: 30pt; font-weight: 800;")
        form.scanPrompt.setStyleSheet("font-size: 16pt;")

        self._make_actions()
        self._status = QLabel(self)
        standing_line(self.statusBar(), self._status)  # a message covers it, never overprints
        self._status.setText(
            self.tr("Signed in: {staff} ({role})  ·  Desk: {desk}  ·  Database: {db}").format(
                staff=session.actor.staff,
                role=role_name(self.role),
                desk=settings.desk_name,
                db=database_label,
            )
        )

        self.scan_field.sig_scanned.connect(self.on_scanned)
        self.scan_field.sig_name_typed.connect(self.find_borrower)
        form.dismissRefusalsButton.clicked.connect(self.dismiss_refusals)
        form.checkOutButton.clicked.connect(lambda: self.set_mode(Mode.CHECK_OUT))
        form.checkInButton.clicked.connect(lambda: self.set_mode(Mode.CHECK_IN))
        form.renewButton.clicked.connect(lambda: self.set_mode(Mode.RENEW))
        form.newBorrowerButton.clicked.connect(self.next_borrower)
        form.overrideButton.clicked.connect(self.override)
        form.undoButton.clicked.connect(self.undo)

        self._focus = FocusKeeper(self, self.scan_field)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus.on_focus_changed)
        self._undo_timer = QTimer(self)
        self._undo_timer.setInterval(1000)
        self._undo_timer.timeout.connect(self._refresh_actions)
        self._undo_timer.start()

        allowed = self.allowed_modes()
        self.set_mode(Mode.CHECK_OUT if Mode.CHECK_OUT in allowed else Mode.CHECK_IN)
        self._refresh_actions()

    # -- actions, in one place ------------------------------------------------

    def _make_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Desk"))
        self.actions_by_name: dict[str, QAction] = {}

        def add(name: str, text: str, key: str, slot: Callable[[], object]) -> QAction:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.addAction(action)
            self.actions_by_name[name] = action
            return action

        add("check_out", self.tr("Check out"), "F2", lambda: self.set_mode(Mode.CHECK_OUT))
        add("check_in", self.tr("Check in"), "F3", lambda: self.set_mode(Mode.CHECK_IN))
        add("renew", self.tr("Renew"), "F4", lambda: self.set_mode(Mode.RENEW))
        add("next_borrower", self.tr("Next borrower"), "Esc", self.next_borrower)
        add(
            "dismiss_refusals",
            self.tr("Clear the list of refused scans"),
            "F12",
            self.dismiss_refusals,
        )
        menu.addSeparator()
        add("override", self.tr("Supervisor override…"), "F8", self.override)
        add("undo", self.tr("Undo last checkout"), "F9", self.undo)
        menu.addSeparator()
        add("print_slip", self.tr("Print the last checkout's slip"), "Ctrl+P", self.print_slip)
        add(
            "save_slip",
            self.tr("Save the last checkout's slip as PDF…"),
            "Ctrl+Shift+P",
            self.save_slip,
        )
        letters = add(
            "print_letters",
            self.tr("Print today's notice letters for borrowers without e-mail…"),
            "Ctrl+L",
            self.print_letters,
        )
        letters.setEnabled(can(self.role, Permission.CIRCULATE))
        all_letters = add(
            "save_letters",
            self.tr("Save all of today's notice letters as PDF…"),
            "Ctrl+Shift+L",
            self.save_letters,
        )
        all_letters.setEnabled(can(self.role, Permission.CIRCULATE))
        menu.addSeparator()
        # the order cycle (issue 15): also on the toolbar, for the mouse
        cycle = [
            add(
                "find_borrower", self.tr("Find a borrower…"), "Ctrl+F", lambda: self.find_borrower()
            ),
            add("find_item", self.tr("Find an item…"), "Ctrl+I", lambda: self.find_item()),
            add("pick_list", self.tr("Pick list…"), "Ctrl+K", self.open_pick_list),
            add("renew_all", self.tr("Renew all loans"), "Ctrl+R", self.renew_all),
            add("receipt", self.tr("Print the borrower's receipt"), "Ctrl+T", self.print_receipt),
            add(
                "email_receipt",
                self.tr("E-mail the borrower's receipt"),
                "Ctrl+E",
                self.email_receipt,
            ),
        ]
        self.actions_by_name["find_borrower"].setEnabled(may(self.role, Action.SEARCH_BORROWERS))
        self.actions_by_name["find_item"].setEnabled(can(self.role, Permission.CIRCULATE))
        self.actions_by_name["pick_list"].setEnabled(may(self.role, Action.PICK_LIST))
        self.actions_by_name["renew_all"].setEnabled(may(self.role, Action.RENEW))
        for name in ("receipt", "email_receipt"):
            self.actions_by_name[name].setEnabled(may(self.role, Action.PRINT_RECEIPT))
        toolbar = QToolBar(self.tr("Order cycle"), self)
        toolbar.setObjectName("orderCycleBar")
        toolbar.setMovable(False)
        toolbar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in cycle:
            toolbar.addAction(action)
            action.setToolTip(f"{action.text()} ({action.shortcut().toString()})")
        for button in toolbar.findChildren(QWidget):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner keeps the focus
        self.addToolBar(toolbar)
        menu.addSeparator()
        dispatch = add("dispatch", self.tr("Courier dispatch…"), "F6", self.open_dispatch)
        dispatch.setEnabled(can(self.role, Permission.DISPATCH))
        supervision = add("supervision", self.tr("Supervision…"), "F7", self.open_supervision)
        supervision.setEnabled(can(self.role, Permission.CIRCULATE))  # looking; S5 needs more
        menu.addSeparator()
        settings = add("settings", self.tr("Settings…"), "Ctrl+,", self.open_settings)
        settings.setEnabled(can(self.role, Permission.SETTINGS))
        add("sign_out", self.tr("Sign out"), "Ctrl+Shift+Q", self.sig_sign_out.emit)
        add("quit", self.tr("Quit"), "Ctrl+Q", self.close)

    def allowed_modes(self) -> list[Mode]:
        if can(self.role, Permission.CIRCULATE):
            return [Mode.CHECK_OUT, Mode.CHECK_IN, Mode.RENEW]
        if can(self.role, Permission.CHECK_IN):
            return [Mode.CHECK_IN]
        return []

    # -- modes and borrower -------------------------------------------------

    def mode_title(self, mode: Mode) -> str:
        return {
            Mode.CHECK_OUT: self.tr("CHECK OUT"),
            Mode.CHECK_IN: self.tr("CHECK IN"),
            Mode.RENEW: self.tr("RENEW"),
        }[mode]

    def set_mode(self, mode: Mode) -> None:
        if mode not in self.allowed_modes():
            self.banner.show_message(
                Tone.REFUSED,
                self.tr("Not for this role"),
                self.tr("A {role} login may not {mode}.").format(
                    role=role_name(self.role), mode=self.mode_title(mode).lower()
                ),
            )
            self._restore_focus()
            return
        self.session.set_mode(mode)
        serving = self.session.serving
        if serving is not None:
            # the panel shows the one a checkout would lend to, not whose
            # book was returned last (issue 13, point 3)
            self.borrower_panel.show_borrower(serving, self.session.requests_shown(serving))
        form = self.form
        form.modeLabel.setText(self.mode_title(mode))
        form.modeLabel.setStyleSheet(
            f"font-size: 30pt; font-weight: 800; color: {MODE_COLOURS[mode]};"
        )
        for button, button_mode in (
            (form.checkOutButton, Mode.CHECK_OUT),
            (form.checkInButton, Mode.CHECK_IN),
            (form.renewButton, Mode.RENEW),
        ):
            button.setChecked(button_mode is mode)
            button.setEnabled(button_mode in self.allowed_modes())
        self._refresh_actions()
        self._restore_focus()

    def next_borrower(self) -> None:
        self.session.clear_borrower()
        self.borrower_panel.show_borrower(None)
        self.banner.show_ready()
        self._show_refusals()
        self._refresh_actions()
        self._restore_focus()

    def dismiss_refusals(self) -> None:
        """F12: the desk has seen the refused scans; the borrower stays."""
        self.session.dismiss_refusals()
        self._show_refusals()
        self._restore_focus()

    def _show_refusals(self) -> None:
        """The refused scans since this borrower stepped up stay listed under
        the banner (issue 13, point 18): in a fast run of scans the banner
        shows a refusal for a moment only, and a later green verdict must not
        hide that an earlier scan was not done."""
        lines = [
            f"{format_time(open_refusal.at)}  {refusal_line(open_refusal.outcome)}"
            for open_refusal in self.session.open_refusals
        ]
        if lines == self._refusals_shown:
            return
        self._refusals_shown = lines
        form = self.form
        listing = form.refusalList
        listing.clear()
        listing.addItems(list(reversed(lines)))  # newest on top, as in the log
        if lines:  # up to three rows tall, the rest scroll: the borrower panel keeps its room
            rows = min(len(lines), 3) * max(listing.sizeHintForRow(0), 1)
            listing.setFixedHeight(rows + 2 * listing.frameWidth() + 2)
        form.refusalHeading.setText(
            self.tr("Not done for this borrower ({count}): Esc for the next borrower").format(
                count=len(lines)
            )
        )
        form.refusalStrip.setVisible(bool(lines))

    # -- scans and their outcomes -----------------------------------------------

    def on_scanned(self, raw: str) -> None:
        """A scan typed into the field: done now, or in its turn after the
        operation that runs and the scans that wait."""
        if not self._dialog_scans.offer(raw):
            self._scan_now(raw)

    def _scan_now(self, raw: str) -> None:
        self._act(lambda: self.session.scan(raw))

    def _scan_kept(self, raw: str) -> None:
        """A scan made while a dialog was open: kept, and said so in the
        status line, to be scanned when the dialog closes."""
        self._status_message(
            self.tr("Scan {read} kept: it is scanned here when the dialog closes.").format(
                read=self.session.shown(raw)
            )
        )

    def _act(self, step: Callable[[], DeskOutcome]) -> DeskOutcome | None:
        """One desk action (a scan, a button), painted when it is done."""
        outcome = self.ops.call(step, None)
        if outcome is not None:
            self.show_outcome(outcome)
        return outcome

    def _not_done(self, _problem: Exception, what: str) -> None:
        """A failure below (the database gone away): the banner says so,
        never a traceback; the scan is not lost from the log."""
        self.banner.show_message(
            Tone.REFUSED,
            self.tr("Not done: the database did not answer"),
            self.tr(
                "Nothing was printed or saved. Try again in a moment; if this goes on, "
                "call the system administrator."
            )
            if what
            else self.tr(
                "Most likely nothing was saved. Scan again in a moment: the desk then "
                "says whether it was done. If this goes on, call the system administrator."
            ),
        )
        self.sounds.play("refused")
        self._restore_focus()

    def _refused(self, refusal: Verdict) -> None:
        """A service refused this login (audited there): shown as the refusal."""
        self.banner.show(DeskOutcome("refused", "", refusal, None), self.language)
        self.sounds.play("refused")
        self._restore_focus()

    def show_outcome(self, outcome: DeskOutcome) -> None:
        self.banner.show(outcome, self.language)
        self.borrower_panel.show_borrower(outcome.borrower, outcome.requests)
        # every line the action wrote: a routed return is two (Q3), renew all one per loan
        for entry in self.session.log[self._logged_rows :]:
            self.shift_log.add(entry)
        self._logged_rows = len(self.session.log)
        self._show_refusals()
        sound = SOUND_FOR_TONE[outcome.tone]
        if sound:
            self.sounds.play(sound)
        self._refresh_actions()
        self._restore_focus()
        if outcome.verdict.code is Code.LOANED and self.settings.print_slip_at_checkout:
            # drawn on the worker after the verdict is painted: the desk never waits for paper
            self._make_slip(outcome.verdict.data["loan_id"], save=False, automatic=True)
        self.sig_outcome.emit(outcome)

    # -- after a refusal ----------------------------------------------------------

    def _refresh_actions(self) -> None:
        form = self.form
        alone = can(self.role, Permission.OVERRIDE)
        # a desk login asks a supervisor to authorise it in the dialog (issue 13, point 17)
        may_override = alone or can(self.role, Permission.CIRCULATE)
        refusal = self.session.can_override()
        form.overrideButton.setVisible(refusal)
        form.overrideButton.setEnabled(refusal and may_override)
        form.overrideButton.setToolTip(
            ""
            if alone
            else self.tr("A supervisor authorises it here with staff card or name and PIN.")
        )
        self.actions_by_name["override"].setEnabled(refusal)
        undo = self.session.can_undo()
        form.undoButton.setEnabled(undo)
        self.actions_by_name["undo"].setEnabled(undo)
        self._show_alternatives(self.session.alternatives())
        form.actionsRow.setVisible(refusal or bool(self._alternative_buttons))

    def _show_alternatives(self, alternatives: list[Alternative]) -> None:
        shown = [b.property("alternative") for b in self._alternative_buttons]
        if shown == [a.value for a in alternatives]:
            return
        layout = self.form.actionsLayout
        for button in self._alternative_buttons:
            layout.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop; never show a stale order
            button.deleteLater()
        self._alternative_buttons = []
        for position, alternative in enumerate(alternatives):
            button = QPushButton(self.alternative_text(alternative), self.form.actionsRow)
            button.setObjectName(f"order_{alternative.value}")
            button.setProperty("alternative", alternative.value)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=alternative: self.order(a))
            layout.insertWidget(position, button)
            self._alternative_buttons.append(button)

    def alternative_text(self, alternative: Alternative) -> str:
        return {
            Alternative.DIGITAL_COPY: self.tr("Order a digital copy"),
            Alternative.ILL: self.tr("Order by ILL"),
            Alternative.READING_ROOM_WEST: self.tr("Order to Reading Room West"),
        }[alternative]

    def alternative_buttons(self) -> list[QPushButton]:
        return list(self._alternative_buttons)

    def order(self, alternative: Alternative) -> None:
        self._act(lambda: self.session.order(alternative))

    def override(self) -> None:
        """F8: lend despite the last refusal. A supervisor's login does it
        alone; at a desk login a supervisor authorises it in the dialog with
        staff card or name and PIN (issue 13, point 17), so the borrower, the
        refusal and the shift log stay where they are."""
        self._dialog_scans.run_queued()
        refused = self.session.refused()
        if refused is None or not self.session.can_override():
            self._restore_focus()
            return
        alone = can(self.role, Permission.OVERRIDE)
        supervisors = None if alone else self._supervisors()
        if supervisors is not None and (
            not can(self.role, Permission.CIRCULATE) or not supervisors
        ):
            self.banner.show_message(
                Tone.REFUSED,
                self.tr("Override refused"),
                self.tr("Only a supervisor may override a refusal, and none can be asked here."),
            )
            self.sounds.play("refused")
            self._restore_focus()
            return
        lines = [title_for(refused), item_line(refused), refused.verdict.message(self.language)]
        dialog = OverrideDialog(
            "\n".join(line for line in lines if line),
            self._submit_override,
            self,
            supervisors=supervisors,
            flush_keys=self._dialog_scans.guard.flush,
        )

        def take(raw: str) -> bool:
            """A staff card is the supervisor's; any other scan waits."""
            holder = None if alone else self._staff_card_holder(raw)
            if holder is not None:
                dialog.set_supervisor(holder)
                return True
            dialog.note_scan_kept(self.session.shown(raw))
            return False

        with self._dialog(take):
            dialog.exec()
        dialog.deleteLater()
        self._after_dialog()

    def _submit_override(self, reason: str, authoriser: Authoriser | None) -> str | None:
        """The dialog's answer: lend, and paint it; or why not, for the dialog."""
        outcome = self._act(lambda: self.session.override(reason, authoriser))
        if outcome is None:
            return self.tr("Not done: the database did not answer. Nothing was lent.")
        if outcome.verdict.code is Code.OVERRIDE_REFUSED:
            return outcome.verdict.message(self.language)
        return None

    def _supervisors(self) -> list[str]:
        # the desk stays up; the dialog then has no names
        return self.ops.call(self.session.supervisors, [], failed=_logged, refused=_logged)

    def _staff_card_holder(self, raw: str) -> str | None:
        # taken for a desk scan instead, which will say what it is
        return self.ops.call(
            lambda: self.session.staff_card_holder(raw), None, failed=_logged, refused=_logged
        )

    def undo(self) -> None:
        if self.session.can_undo():
            self._act(self.session.undo)
        self._restore_focus()

    # -- slips and dispatch ---------------------------------------------------------

    @property
    def printer(self) -> DocumentPrinter:
        if self._printer is None:
            from desk_app.gui.printer import DocumentPrinter

            self._printer = DocumentPrinter(self.settings.printer, self)
        return self._printer

    def print_slip(self) -> None:
        """Ctrl+P: the slip of this shift's last checkout (T4, T2, I3)."""
        self._last_slip(save=False)

    def save_slip(self) -> None:
        """Ctrl+Shift+P: the same slip as a PDF file (no printer at hand)."""
        self._last_slip(save=True)

    def _last_slip(self, save: bool) -> None:
        loan_id = self.session.last_loan_id
        if loan_id is None:
            self._status_message(self.tr("No checkout in this shift yet: no slip to print."))
            self._restore_focus()
            return
        self._make_slip(loan_id, save=save, automatic=False)

    def _make_slip(self, loan_id: int, *, save: bool, automatic: bool) -> None:
        """Draw a loan's slip on the worker, then print or save it. The slip
        printed at every checkout never pops a dialog, and a failure of it
        is a line in the status bar: the banner keeps the checkout's verdict."""
        from desk_app.services import documents

        actor, language = self.session.actor, self.language
        size = documents.PageSize(self.settings.page_size)

        def said(*_args: object) -> None:
            self._status_message(self.tr("The slip could not be made; see the log."))

        operation = Operation(
            self.ops,
            self.tr("Making the slip"),
            lambda work: documents.slip_pdf(work.ctx, actor, loan_id, size, language),
        ).success(lambda made: self._slip_made(made, save=save, automatic=automatic))
        if automatic:
            operation.failure(said).refusal(said)
        operation.run_in_background()

    def _slip_made(self, made: SlipPdf | None, *, save: bool, automatic: bool) -> None:
        if made is None:  # no such loan
            self._status_message(self.tr("The slip could not be made; see the log."))
            return
        item = made.slip.item_barcode
        title = self.tr("Slip {item}").format(item=item)
        if automatic:  # after the verdict is painted: the desk never waits for paper
            result = self.printer.print_pdf(made.pdf, title, silent_only=True)
        else:
            with self._dialog():  # the print or save dialog
                if save:
                    result = self.printer.save_pdf(made.pdf, f"slip-{item}.pdf")
                else:
                    result = self.printer.print_pdf(made.pdf, title)
            self._after_dialog()
        self._status_message(result.message)

    def reprint_slip(self, barcode: str) -> None:
        """The slip of the item's open loan, again (the item view asks for
        it): drawn on the worker, then to the slip printer."""
        from desk_app.services import documents

        actor, language = self.session.actor, self.language
        size = documents.PageSize(self.settings.page_size)

        def made(answer: SlipPdf | Verdict) -> None:
            if isinstance(answer, Verdict):
                self._status_message(answer.message(self.language))
                return
            self._slip_made(answer, save=False, automatic=False)

        Operation(
            self.ops,
            self.tr("Making the slip"),
            lambda work: documents.slip_pdf_for_item(work.ctx, actor, barcode, size, language),
        ).success(made).run_in_background()

    # -- the order cycle (issue 15) ----------------------------------------------------

    def _card_taker(self, take: Callable[[str], bool]) -> Callable[[str], bool]:
        """A dialog's claim on scans made while it is open: card scans only
        (an item scanned meanwhile waits for the desk)."""

        def claim(raw: str) -> bool:
            found = read_scan(raw, self.session.prefix, self.session.suffix)
            return isinstance(found, LibraryCard | HealthCard) and take(raw)

        return claim

    def _item_taker(self, take: Callable[[str], bool]) -> Callable[[str], bool]:
        def claim(raw: str) -> bool:
            found = read_scan(raw, self.session.prefix, self.session.suffix)
            return isinstance(found, ItemBarcode) and take(found.barcode)

        return claim

    def find_borrower(self, text: str = "") -> None:
        """Ctrl+F, or letters typed into the scan field: find a borrower by
        name, card or institute; Enter takes them to the desk, as if their
        card were scanned. A card scanned into the dialog is taken at once."""
        if not may(self.role, Action.SEARCH_BORROWERS):
            self._restore_focus()
            return
        from desk_app.gui.find_borrower import FindBorrowerDialog

        dialog = FindBorrowerDialog(self.session.ctx, self.session.actor, text, self)
        chosen: list[int] = []
        dialog.sig_borrower_chosen.connect(chosen.append)
        with self._dialog(self._card_taker(dialog.take_scan)):
            dialog.exec()
        dialog.deleteLater()
        self._after_dialog()
        if chosen:
            self.take_borrower(chosen[-1])

    def take_borrower(self, borrower_id: int) -> None:
        """The borrower found to the desk: the same as a scan of their card."""
        self._act(lambda: self.session.take_borrower(borrower_id))

    def find_item(self, text: str = "") -> None:
        """Ctrl+I: find an item, see its status; for the borrower at the
        desk, request it or cancel their request (the desk logs what the
        dialog did and reads their panel again); reprint the slip of its loan."""
        if not can(self.role, Permission.CIRCULATE):
            self._restore_focus()
            return
        from desk_app.gui.item_view import ItemDialog

        dialog = ItemDialog(
            self.session.ctx,
            self.session.actor,
            self.session.serving_id,
            text,
            self,
        )
        said: list[Verdict] = []
        dialog.sig_outcome.connect(said.append)  # the dialog's own request or cancel
        dialog.sig_request_place.connect(lambda barcode: self._requested(barcode, said))
        dialog.sig_request_cancel.connect(lambda barcode: self._requested(barcode, said))
        dialog.sig_reprint_slip.connect(self.reprint_slip)
        with self._dialog(self._item_taker(dialog.take_scan)):
            dialog.exec()
        dialog.deleteLater()
        self._after_dialog()

    def _requested(self, barcode: str, said: list[Verdict]) -> None:
        """A request the item dialog placed or cancelled for the borrower at
        the desk: in the banner, the shift log and the panel."""
        if said:
            outcome = said[-1]
            self._act(lambda: self.session.note_request(barcode, outcome))

    def open_pick_list(self) -> None:
        """Ctrl+K (Q1): the items to fetch from the stacks, in shelf order."""
        if not may(self.role, Action.PICK_LIST):
            self._restore_focus()
            return
        if self.pick_list_window is None:
            from desk_app.gui.pick_list_window import PickListWindow

            self.pick_list_window = PickListWindow(self.session.ctx, self.session.actor, self)
        self.pick_list_window.show()
        bring_to_front(self.pick_list_window)

    def renew_all(self) -> None:
        """Ctrl+R (L5): every loan of the borrower at the desk, each refusal
        listed with its rule."""
        if not may(self.role, Action.RENEW):
            self._restore_focus()
            return
        borrower_id = self.session.serving_id
        if borrower_id is None:
            self._act(self.session.renew_all)  # the banner asks for the card
            return
        actor = self.session.actor

        def renewed(results: list[tuple[str, Verdict]]) -> None:
            self._act(lambda: self.session.renewed_all(borrower_id, results))

        Operation(
            self.ops,
            self.tr("Renewing the loans"),
            lambda work: renew_loans(work.ctx, actor, borrower_id),  # one per loan: may be many
        ).success(renewed).run_in_background()

    def print_receipt(self) -> None:
        """Ctrl+T: the receipt of the borrower at the desk (open loans, due
        dates, requests) on the 80 mm roll, to the slip printer."""
        from desk_app.services import documents

        borrower_id = self._receipt_borrower()
        if borrower_id is None:
            return
        actor, language = self.session.actor, self.language

        def made(answer: bytes | Verdict) -> None:
            if isinstance(answer, Verdict):
                self._refused(answer)
                return
            title = self.tr("Receipt")
            with self._dialog():
                result = self.printer.print_pdf(answer, title)
            self._after_dialog()
            self._status_message(result.message)

        Operation(
            self.ops,
            self.tr("Making the receipt"),
            lambda work: documents.receipt_pdf(work.ctx, actor, borrower_id, language),
        ).success(made).run_in_background()

    def email_receipt(self) -> None:
        """Ctrl+E: the same receipt by e-mail to the borrower's address, with
        the desk's mail settings; the banner says whether it went."""
        import os

        from desk_app.services import documents
        from desk_app.services.notice_mail import MailSettings

        borrower_id = self._receipt_borrower()
        if borrower_id is None:
            return
        actor, language, settings = self.session.actor, self.language, self.settings

        def send(work: Work) -> Verdict:  # on the worker: the keyring may be slow
            mail = MailSettings.from_settings(settings, os.environ)
            return documents.email_receipt(
                work.ctx,
                actor,
                borrower_id,
                language,
                mail=mail,
                sender_name=settings.library_name,
            )

        def sent(outcome: Verdict) -> None:
            self.banner.show(DeskOutcome("receipt", "", outcome, None), self.language)
            self.sounds.play("accepted" if outcome.ok else "refused")
            self._status_message(outcome.message(self.language))

        Operation(self.ops, self.tr("Sending the receipt"), send).success(sent).run_in_background()

    def _receipt_borrower(self) -> int | None:
        borrower_id = self.session.serving_id
        if borrower_id is None or not may(self.role, Action.PRINT_RECEIPT):
            self._status_message(self.tr("No borrower at the desk: scan a card first."))
            self._restore_focus()
            return None
        return borrower_id

    def print_letters(self) -> None:
        """Ctrl+L (S6): the letters of today's run that cannot go by e-mail
        (no address, or the mail server kept refusing it), as one print job."""
        self._day_letters(postal_only=True)

    def save_letters(self) -> None:
        """Ctrl+Shift+L: every letter of today's run in one PDF file."""
        self._day_letters(postal_only=False)

    def _day_letters(self, postal_only: bool) -> None:
        """The letters are drawn on the worker (a big day is hundreds of
        pages); the desk scans on meanwhile, and prints when they are made."""
        from desk_app.services import documents
        from desk_app.services.notice_letters import Signature

        if not can(self.role, Permission.CIRCULATE):
            self._restore_focus()
            return
        actor = self.session.actor
        day = self.session.ctx.today()
        signature = Signature(self.settings.library_name, self.settings.desk_name)
        language = self.settings.letter_language
        Operation(
            self.ops,
            self.tr("Making today's notice letters"),
            lambda work: documents.letters_pdf(
                work.ctx, actor, day, signature, language, postal_only=postal_only
            ),
        ).success(lambda made: self._letters_made(made, day, postal_only)).run_in_background()

    def _letters_made(self, made: LettersPdf, day: date, postal_only: bool) -> None:
        if made.pdf is None:
            self._status_message(
                self.tr("No letters to print today: every notice went by e-mail.")
                if postal_only
                else self.tr("Today's notices run made no letters.")
            )
            return
        with self._dialog():
            if postal_only:
                title = self.tr("Notice letters {day}").format(day=day.isoformat())
                result = self.printer.print_pdf(made.pdf, title)
            else:
                result = self.printer.save_pdf(made.pdf, f"notice-letters-{day.isoformat()}.pdf")
        self._status_message(
            self.tr("{count} letter(s): {result}").format(count=made.count, result=result.message)
        )
        self._after_dialog()

    def _status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def open_dispatch(self) -> None:
        if not can(self.role, Permission.DISPATCH):
            self._restore_focus()
            return
        if self.dispatch_window is None:
            from desk_app.gui.dispatch_window import DispatchWindow

            self.dispatch_window = DispatchWindow(
                self.session.ctx,
                self.session.actor,
                self.settings,
                self.sounds,
                self.printer,
                self,
            )
        self.dispatch_window.show()
        bring_to_front(self.dispatch_window)

    def open_supervision(self) -> None:
        """F7: the supervisor screen. Desk logins may look borrowers up there;
        only a role with ``Permission.SUPERVISE`` may settle a case (S5)."""
        if not can(self.role, Permission.CIRCULATE):
            self._restore_focus()
            return
        if self.supervisor_window is None:
            from desk_app.gui.supervisor_window import SupervisorWindow

            self.supervisor_window = SupervisorWindow(
                self.session.ctx, self.session.actor, self.role, self.settings, self
            )
        self.supervisor_window.show()
        bring_to_front(self.supervisor_window)

    # -- settings -------------------------------------------------------------------

    def open_settings(self) -> None:
        if not can(self.role, Permission.SETTINGS):
            self._restore_focus()
            return
        from desk_app.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        with self._dialog():
            accepted = dialog.exec()
        if accepted:
            self.settings = dialog.settings()
            self.session.prefix = self.settings.scanner_prefix
            self.session.suffix = self.settings.scanner_suffix
            self.sounds.set_enabled(self.settings.sounds)
            self.printer.printer_name = self.settings.printer
            if self._save_settings is not None:
                self._save_settings(self.settings)
        dialog.deleteLater()
        self._after_dialog()

    # -- focus ----------------------------------------------------------------------

    def _restore_focus(self) -> None:
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _after_dialog(self) -> None:
        """A closed dialog does not always hand the activation back (the
        offscreen and some X11 window managers leave no window active)."""
        bring_to_front(self)
        self._restore_focus()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # in the next turn of the event loop, when the whole window is painted
            QTimer.singleShot(0, self.sig_first_painted.emit)
            # once the desk is up: the find dialogs' code, so that letters
            # typed on while one opens do not come during an import
            QTimer.singleShot(PRELOAD_AFTER_MS, _preload_dialogs)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._restore_focus()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if self.isActiveWindow():
            self._restore_focus()


# After the first paint, when a cold start is over (benchmarks/cold_start.py
# measures to the first paint).
PRELOAD_AFTER_MS = 1500


def _preload_dialogs() -> None:
    """Import the find dialogs ahead of their first use. Found under Xvfb with
    openbox: the first name typed into the scan field lost two letters, typed
    while the dialog's modules were imported and its window took the focus
    (the window system sends keys to no window meanwhile); later names, with
    the code loaded, lost none."""
    import desk_app.gui.find_borrower
    import desk_app.gui.item_view
    import desk_app.gui.pick_list_window  # noqa: F401


def _logged(*_args: object) -> None:
    """A failure the desk goes on without: logged (by the operations), not shown."""
