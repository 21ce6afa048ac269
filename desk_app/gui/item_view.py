"""Find an item and see where it is (issue 15): by barcode, title words or
call number; the highlighted item's status (on the shelf, on loan and until
when, in transit, on the pickup shelf, requested by how many, lost, on the
pick list) and, for a supervisor, its loan history. For the borrower at the
desk: place a request on it (L3-L4: the place in the queue and, for an item
on loan, the moved due date are shown), cancel theirs (Q2); and reprint the
slip of its open loan (T4).

Thin: ``services.search`` finds and tells the status (it decides whether
the history may be seen: none comes back for a desk login, and the panel is
hidden), ``services.requests`` places and cancels; every call runs on the
dialog's workers (``gui.live_search``, ``gui.operations``). The dialog
places and cancels itself and says so with ``sig_requests_changed``
(the borrower panel reads the requests again); ``sig_request_place`` and
``sig_request_cancel`` follow a request placed or cancelled, with its
barcode. The desk prints the slip on ``sig_reprint_slip``.

A scanner typing a barcode and Enter into the search field goes straight
to the item; a scan the desk's dialog guard keeps from the dialog comes in
through :meth:`ItemDialog.take_scan`, the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.borrower_requests import BorrowerRequest
from desk_app.domain.loan_states import LoanState
from desk_app.domain.scan import ItemBarcode, read_scan
from desk_app.domain.search_results import Availability, ItemHit, ItemStatus, PastLoan
from desk_app.domain.verdict import Verdict
from desk_app.gui.find_borrower import (
    ERROR_STYLE,
    MESSAGE_STYLE,
    WARNING_RED,
    SearchField,
    move_highlight,
    shown_text,
    typed_back,
)
from desk_app.gui.formatting import format_date
from desk_app.gui.live_search import DEBOUNCE_MS, LiveQuery
from desk_app.gui.operations import Operation, Operations
from desk_app.gui.scan_field import TAKES_TYPING
from desk_app.services import borrowers, requests, search
from desk_app.services.context import Actor, DeskContext

RESULT_LIMIT = 50
MIN_CHARS = 2
BARCODE_ROLE = Qt.ItemDataRole.UserRole
OUTCOME_COLOURS = {True: "#1b7f3b", False: WARNING_RED}
# where the item is, coloured as the desk's banner colours its verdicts
AVAILABILITY_COLOURS = {
    Availability.ON_SHELF: "#1b7f3b",
    Availability.PICK_LIST: "#b26a00",
    Availability.ON_LOAN: "#28527a",
    Availability.IN_TRANSIT: "#28527a",
    Availability.PICKUP: "#28527a",
    Availability.LOST: WARNING_RED,
}
_MOVES = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class AtDesk:
    """The borrower at the desk, as the dialog needs them: the name for the
    button, and their active requests (the cancel button, the position)."""

    borrower_id: int
    name: str
    requests: tuple[BorrowerRequest, ...]

    def request_on(self, barcode: str) -> BorrowerRequest | None:
        return next((r for r in self.requests if r.barcode == barcode), None)


def _at_desk(ctx: DeskContext, actor: Actor, borrower_id: int) -> AtDesk:
    """On the worker: the borrower's name and requests."""
    status = borrowers.status_of(ctx, actor, borrower_id)
    name = str(status.data.get("name", "")) if status.ok else ""
    return AtDesk(borrower_id, name, tuple(requests.requests_of(ctx, actor, borrower_id)))


class ItemDialog(QDialog):
    sig_request_place = Signal(str)  # barcode: a request was placed on it for the borrower
    sig_request_cancel = Signal(str)  # barcode: the borrower's request on it was cancelled
    sig_reprint_slip = Signal(str)  # barcode: print the slip of its open loan (the desk prints)
    sig_requests_changed = Signal(int)  # borrower id: their requests changed (the panel)
    sig_results_shown = Signal(str)  # the text whose hits the list shows (tests)
    sig_status_shown = Signal(str)  # the barcode whose status the panel shows (tests)
    sig_outcome = Signal(object)  # the Verdict of a request placed or cancelled (tests)

    def __init__(
        self,
        ctx: DeskContext,
        actor: Actor,
        borrower_id: int | None = None,
        initial_text: str = "",
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        debounce_ms: int | None = DEBOUNCE_MS,
        limit: int = RESULT_LIMIT,
    ) -> None:
        """``borrower_id``: the borrower at the desk, or None; ``language``:
        the desk's, by default the parent window's; ``debounce_ms=None``:
        search only on Enter or ``search.debounce.flush()`` (tests)."""
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.borrower_id = borrower_id
        self.language: str = language or str(getattr(parent, "language", "en"))
        self.limit = limit
        self.hits: list[ItemHit] = []
        self.setProperty(TAKES_TYPING, True)  # typing on while it opens lands here
        self.shown_for: str | None = None
        self.status: ItemStatus | None = None  # the status shown
        self.at_desk: AtDesk | None = None
        self._pick: str | None = None  # a barcode scanned or typed: highlight it when found
        self.setObjectName("itemDialog")
        self.setWindowTitle(self.tr("Find an item"))
        self.setMinimumSize(1000, 600)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        prompt = QLabel(self.tr("Barcode, title words or call number:"), self)
        prompt.setStyleSheet("font-size: 12pt;")
        layout.addWidget(prompt)
        self.field = SearchField(self)
        self.field.setObjectName("findItemField")
        prompt.setBuddy(self.field)
        layout.addWidget(self.field)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.results = QTreeWidget(left)
        self.results.setObjectName("itemResults")
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setHeaderLabels(
            [self.tr("Title"), self.tr("Call number"), self.tr("Barcode"), self.tr("Where")]
        )
        header = self.results.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 100, 140)):
            self.results.setColumnWidth(column, width)
        self.results.setStyleSheet("font-size: 11pt;")
        left_layout.addWidget(self.results, 1)
        self.message = QLabel(left)
        self.message.setObjectName("findItemMessage")
        self.message.setWordWrap(True)
        left_layout.addWidget(self.message)
        splitter.addWidget(left)

        right = QFrame(splitter)
        right.setObjectName("itemStatusPane")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        self.title_label = QLabel(right)
        self.title_label.setObjectName("itemTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: 700;")
        self.details_label = QLabel(right)
        self.details_label.setObjectName("itemDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setStyleSheet("color: #3c4a57; font-size: 11pt;")
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(right)
        self.status_label.setObjectName("itemStatus")
        self.status_label.setWordWrap(True)
        self.queue_label = QLabel(right)
        self.queue_label.setObjectName("itemQueue")
        self.queue_label.setWordWrap(True)
        self.queue_label.setStyleSheet("font-size: 12pt;")
        for widget in (self.title_label, self.details_label, self.status_label, self.queue_label):
            right_layout.addWidget(widget)

        buttons = QHBoxLayout()
        self.request_button = QPushButton(right)
        self.request_button.setObjectName("requestButton")
        self.cancel_button = QPushButton(self.tr("Cancel request"), right)
        self.cancel_button.setObjectName("cancelRequestButton")
        self.reprint_button = QPushButton(self.tr("Reprint slip"), right)
        self.reprint_button.setObjectName("reprintSlipButton")
        for button in (self.request_button, self.cancel_button, self.reprint_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner keeps the field
            buttons.addWidget(button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        self.outcome_label = QLabel(right)
        self.outcome_label.setObjectName("itemOutcome")
        self.outcome_label.setWordWrap(True)
        right_layout.addWidget(self.outcome_label)

        self.history_box = QGroupBox(self.tr("Loan history (supervisors only)"), right)
        self.history_box.setObjectName("itemHistory")
        history_layout = QVBoxLayout(self.history_box)
        self.history = QTreeWidget(self.history_box)
        self.history.setRootIsDecorated(False)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setHeaderLabels(
            [self.tr("Lent"), self.tr("Ended"), self.tr("Borrower"), self.tr("How it ended")]
        )
        for column, width in enumerate((95, 95, 190)):
            self.history.setColumnWidth(column, width)
        history_layout.addWidget(self.history)
        right_layout.addWidget(self.history_box, 1)
        right_layout.addStretch(0)
        splitter.addWidget(right)
        splitter.setSizes([520, 560])
        layout.addWidget(splitter, 1)

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for closing in box.buttons():
            closing.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if isinstance(closing, QPushButton):
                closing.setAutoDefault(False)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

        failed, refused = self._not_done, self._refused
        self.search = LiveQuery(
            self,
            self.tr("Searching"),
            lambda work_ctx, text: search.find_items(work_ctx, actor, text, limit),
            failed=failed,
            refused=refused,
            delay_ms=debounce_ms,
        )
        self.search.sig_answer.connect(self._show_hits)
        self.search.sig_failed.connect(lambda _text: self._clear_hits())
        # the status follows the highlight, as the hits follow the typing
        self.status_query = LiveQuery(
            self,
            self.tr("Reading the item"),
            lambda work_ctx, barcode: search.item_status(work_ctx, actor, barcode),
            failed=failed,
            refused=refused,
            delay_ms=debounce_ms,
        )
        self.status_query.sig_answer.connect(self._show_status)
        self.ops = Operations(self, ctx, failed=failed, refused=refused)  # place, cancel
        self.ops.sig_finished.connect(lambda _ok: self._update_buttons())

        self.field.installEventFilter(self)
        self.field.textChanged.connect(self._typed)
        self.results.currentItemChanged.connect(lambda *_: self._highlight_changed())
        self.request_button.clicked.connect(self.place_request)
        self.cancel_button.clicked.connect(self.cancel_request)
        self.reprint_button.clicked.connect(self.reprint_slip)

        self.show_status(None)
        self._read_borrower()
        self.field.setText(initial_text)
        self.field.setCursorPosition(len(initial_text))
        if not initial_text:
            self._typed("")
        elif isinstance(read_scan(initial_text), ItemBarcode):
            self.find_now()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- typing and scanning -----------------------------------------------------------

    def _typed(self, text: str) -> None:
        self._pick = None
        letters = "".join(text.split())
        if len(letters) < MIN_CHARS:
            self.search.forget()
            self._clear_hits()
            self._say(
                self.tr("Type at least {n} letters of a title, a call number or a barcode.").format(
                    n=MIN_CHARS
                )
                if letters
                else self.tr("Scan or type a barcode, or type title words or a call number.")
            )
            return
        self.search.want(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in _MOVES:
                move_highlight(self.results, event.key())
                return True
            if event.key() in _ENTER:
                self.find_now()
                return True
        return super().eventFilter(watched, event)

    def find_now(self) -> None:
        """Enter (a scanner's, or a person's): search what the field says at
        once; a barcode goes straight to its item."""
        text = self.field.text()
        if len("".join(text.split())) < MIN_CHARS:
            return
        scan = read_scan(text)
        self._pick = scan.barcode if isinstance(scan, ItemBarcode) else None
        if self.shown_for == text and not self.search.busy:
            self._pick_found()
            self.status_query.debounce.flush()
            return
        self.search.now(text)

    def take_scan(self, raw: str) -> bool:
        """A scan the desk's guard kept from the dialog: into the field, and
        straight to the item. Always claimed."""
        self.field.setText(raw.strip())
        self.field.setCursorPosition(len(self.field.text()))
        self.find_now()
        return True

    # -- the hits ------------------------------------------------------------------------

    def _show_hits(self, text: str, found: object) -> None:
        hits: list[ItemHit] = list(found)  # type: ignore[call-overload]
        self.hits = hits
        self.shown_for = text
        tree = self.results
        tree.blockSignals(True)
        tree.clear()
        rows = []
        for hit in hits:
            where = self.where_short(hit.availability)
            row = QTreeWidgetItem([hit.title, hit.call_number or "–", hit.barcode, where])
            row.setData(0, BARCODE_ROLE, hit.barcode)
            row.setToolTip(0, f"{hit.title}\n{hit.author}" if hit.author else hit.title)
            row.setToolTip(3, shown_text(hit.summary, self.language))
            row.setForeground(3, QBrush(QColor(AVAILABILITY_COLOURS[hit.availability])))
            rows.append(row)
        tree.addTopLevelItems(rows)
        tree.blockSignals(False)
        if not hits:
            self._say(
                self.tr("Nothing found for “{text}”.").format(text=typed_back(text)), error=True
            )
        elif len(hits) >= self.limit:
            self._say(
                self.tr("The first {count} found: type more to narrow the search.").format(
                    count=len(hits)
                )
            )
        else:
            self._say(self.tr("{count} found. Up and Down to choose.").format(count=len(hits)))
        self.sig_results_shown.emit(text)
        if rows:
            picked = self._pick_found()
            if not picked:
                tree.setCurrentItem(rows[0])
        else:
            self.show_status(None)

    def where_short(self, where: Availability) -> str:
        """Where an item is, in a word or two for the list (the sentence is
        its tooltip, and the status pane's)."""
        return {
            Availability.ON_SHELF: self.tr("On the shelf"),
            Availability.PICK_LIST: self.tr("Pick list"),
            Availability.ON_LOAN: self.tr("On loan"),
            Availability.IN_TRANSIT: self.tr("In transit"),
            Availability.PICKUP: self.tr("Pickup shelf"),
            Availability.LOST: self.tr("Lost"),
        }[where]

    def _pick_found(self) -> bool:
        """Highlight the item a barcode named, and read its status at once."""
        barcode = self._pick
        if barcode is None:
            return False
        for index in range(self.results.topLevelItemCount()):
            row = self.results.topLevelItem(index)
            if row is not None and row.data(0, BARCODE_ROLE) == barcode:
                self.results.setCurrentItem(row)
                self.status_query.now(barcode)
                return True
        return False

    def _clear_hits(self) -> None:
        self.hits = []
        self.shown_for = None
        self.results.clear()
        self.show_status(None)

    def highlighted(self) -> str | None:
        """The highlighted hit's barcode, or None."""
        row = self.results.currentItem()
        return None if row is None else str(row.data(0, BARCODE_ROLE))

    def _highlight_changed(self) -> None:
        barcode = self.highlighted()
        if barcode is None:
            self.status_query.forget()
            self.show_status(None)
            return
        if self.status is not None and self.status_barcode == barcode:
            return
        self.outcome_label.clear()
        self.status_query.want(barcode)

    # -- the status -----------------------------------------------------------------------

    @property
    def status_barcode(self) -> str | None:
        return None if self.status is None else self.status.barcode

    def _show_status(self, barcode: str, status: object) -> None:
        if barcode != self.highlighted():
            return  # the highlight moved on: its own status is on its way
        if not isinstance(status, ItemStatus):  # gone meanwhile: None, or a verdict why
            self.show_status(None)
            if isinstance(status, Verdict):
                self.show_outcome(status.message(self.language), status.ok)
            return
        self.show_status(status)
        self.sig_status_shown.emit(barcode)

    def show_status(self, status: ItemStatus | None) -> None:
        """Paint the item's status (None: no item highlighted)."""
        self.status = status
        for widget in (self.details_label, self.status_label, self.queue_label):
            widget.setVisible(status is not None)
        if status is None:
            self.title_label.setText(self.tr("Find the item on the left."))
            for label in (self.details_label, self.status_label, self.queue_label):
                label.clear()
            self.history.clear()
            self.history_box.hide()
            self._update_buttons()
            return
        self.title_label.setText(status.title)
        details = [self.tr("Barcode {barcode}").format(barcode=status.barcode)]
        if status.call_number:
            details.insert(
                0, self.tr("Call number {call_number}").format(call_number=status.call_number)
            )
        if status.author:
            details.insert(0, status.author)
        self.details_label.setText("  ·  ".join(details))
        self.status_label.setText(shown_text(status.summary, self.language))
        self.status_label.setStyleSheet(
            "font-size: 14pt; font-weight: 600;"
            f" color: {AVAILABILITY_COLOURS[status.availability]};"
        )
        self.queue_label.setText(self.queue_text(status))
        self._paint_history(status.history)
        self._update_buttons()

    def queue_text(self, status: ItemStatus) -> str:
        """Who has it (a supervisor sees the name), who is next, and where
        the borrower at the desk stands in the queue."""
        lines = []
        loan = status.loan
        if loan is not None:
            institute = shown_text(loan.institute_name, self.language)
            if loan.borrower_name:
                lines.append(
                    self.tr("Lent to {name}, {institute}, on {day}.").format(
                        name=loan.borrower_name,
                        institute=institute,
                        day=format_date(loan.loan_date, self.language),
                    )
                )
            else:
                lines.append(
                    self.tr("Lent to a borrower at {institute} on {day}.").format(
                        institute=institute, day=format_date(loan.loan_date, self.language)
                    )
                )
        if status.first_requester:
            lines.append(self.tr("Next in the queue: {name}.").format(name=status.first_requester))
        at_desk = self.at_desk
        mine = at_desk.request_on(status.barcode) if at_desk is not None else None
        if at_desk is not None and mine is not None:
            lines.append(
                self.tr("{name} is number {position} of {count} in the queue.").format(
                    name=at_desk.name, position=mine.position, count=mine.waiting
                )
            )
        return "\n".join(lines)

    def how_it_ended(self, past: PastLoan) -> str:
        said = {
            LoanState.RETURNED: self.tr("returned"),
            LoanState.LOST: self.tr("declared lost"),
            LoanState.DISCHARGED: self.tr("found on the shelf"),
            LoanState.CANCELLED: self.tr("checkout undone"),
            LoanState.OPEN: self.tr("on loan"),
        }
        return said.get(LoanState(past.state), str(past.state))

    def _paint_history(self, history: tuple[PastLoan, ...] | None) -> None:
        """A supervisor's: the service gives none (None) to anyone else, and
        the panel is hidden."""
        self.history.clear()
        self.history_box.setVisible(history is not None)
        if history is None:
            return
        if not history:
            none = QTreeWidgetItem([self.tr("No earlier loans.")])
            self.history.addTopLevelItem(none)
            none.setFirstColumnSpanned(True)
            return
        self.history.addTopLevelItems(
            [
                QTreeWidgetItem(
                    [
                        self._date(past.loaned_at),
                        self._date(past.ended_at),
                        past.borrower_name,
                        self.how_it_ended(past),
                    ]
                )
                for past in history
            ]
        )

    def _date(self, value: date | datetime | None) -> str:
        return format_date(value, self.language) if value else ""

    # -- the borrower at the desk ---------------------------------------------------------

    def _read_borrower(self) -> None:
        borrower_id = self.borrower_id
        if borrower_id is None:
            self.at_desk = None
            self._update_buttons()
            return
        actor = self.actor
        Operation(
            self.ops,
            self.tr("Reading the borrower"),
            lambda work: _at_desk(work.ctx, actor, borrower_id),
        ).success(self._borrower_read).run_in_background()

    def _borrower_read(self, at_desk: AtDesk) -> None:
        self.at_desk = at_desk
        if self.status is not None:
            self.queue_label.setText(self.queue_text(self.status))
        self._update_buttons()

    def _update_buttons(self) -> None:
        status = self.status
        idle = not self.ops.busy
        at_desk = self.at_desk
        button = self.request_button
        if self.borrower_id is None:
            button.setText(self.tr("Request (no borrower at the desk)"))
            button.setToolTip(self.tr("Scan the borrower's card at the desk first."))
        else:
            name = at_desk.name if at_desk is not None and at_desk.name else "…"
            button.setText(self.tr("Request for {name}").format(name=name))
            button.setToolTip("")
        mine = at_desk.request_on(status.barcode) if at_desk and status is not None else None
        button.setEnabled(idle and status is not None and at_desk is not None and mine is None)
        self.cancel_button.setEnabled(idle and mine is not None)
        self.reprint_button.setEnabled(status is not None and self.has_open_loan(status))

    @staticmethod
    def has_open_loan(status: ItemStatus) -> bool:
        return status.reprint_loan_id is not None

    # -- requests and slips ------------------------------------------------------------------

    def place_request(self) -> None:
        """A request on the shown item for the borrower at the desk (L3-L4)."""
        status, borrower_id = self.status, self.borrower_id
        if status is None or borrower_id is None or self.ops.busy:
            return
        barcode, actor = status.barcode, self.actor
        Operation(
            self.ops,
            self.tr("Placing the request"),
            lambda work: requests.place_request(work.ctx, actor, borrower_id, barcode),
        ).success(lambda outcome: self._changed(outcome, barcode, placed=True)).run_in_background()

    def cancel_request(self) -> None:
        """Q2: the borrower at the desk cancels their request on the item."""
        status, borrower_id = self.status, self.borrower_id
        if status is None or borrower_id is None or self.ops.busy:
            return
        barcode, actor = status.barcode, self.actor
        Operation(
            self.ops,
            self.tr("Cancelling the request"),
            lambda work: requests.cancel_request(work.ctx, actor, barcode, borrower_id=borrower_id),
        ).success(lambda outcome: self._changed(outcome, barcode, placed=False)).run_in_background()

    def _changed(self, outcome: Verdict, barcode: str, *, placed: bool) -> None:
        self.show_outcome(outcome.message(self.language), outcome.ok)
        self.sig_outcome.emit(outcome)
        if outcome.ok and self.borrower_id is not None:
            self.sig_requests_changed.emit(self.borrower_id)
            (self.sig_request_place if placed else self.sig_request_cancel).emit(barcode)
        self._read_borrower()  # their requests, and the queue, afresh
        if self.highlighted() == barcode:
            self.status_query.now(barcode)

    def reprint_slip(self) -> None:
        status = self.status
        if status is not None and self.has_open_loan(status):
            self.sig_reprint_slip.emit(status.barcode)
            self.show_outcome(
                self.tr("The slip of {item} goes to the desk's printer.").format(
                    item=status.barcode
                ),
                True,
            )

    def show_outcome(self, text: str, ok: bool) -> None:
        """What became of an action on the item (also for the desk to say)."""
        self.outcome_label.setText(text)
        self.outcome_label.setStyleSheet(
            f"color: {OUTCOME_COLOURS[ok]}; font-size: 12pt; font-weight: 600;"
        )

    # -- messages and failures -----------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else MESSAGE_STYLE)

    def _not_done(self, _problem: Exception, _what: str) -> None:
        self.show_outcome(self.tr("Not done: the database did not answer. Try again."), False)

    def _refused(self, refusal: Verdict) -> None:
        self.show_outcome(refusal.message(self.language), False)
