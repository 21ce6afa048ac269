"""The supervisor screen (issue 5): find a borrower, see their suspension at a
glance with each loan's notices, settle a case by contact (S5), read the
audit trail, ask what happens if nothing comes back; and list everyone who is
suspended, sortable, exportable to CSV.

Thin like the other windows: ``services.supervision_queries`` answers,
``services.supervision`` settles and decides who may; this window paints.
A desk login may look, not settle: the button is disabled and says why, and
the service refuses anyway should a settle get through; a refusal of the
services (issue 13 point 9) is shown as one, never as a database failure.
Its dialogs (settle, export) are guarded like the desk's (issue 13 point 1):
a scan made while one is open is searched for when it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QTableWidgetItem,
    QTreeWidgetItem,
    QWidget,
)

from desk_app.domain.barcodes import echo
from desk_app.domain.ladder import agreed_date
from desk_app.domain.mail_states import MailState
from desk_app.domain.roles import Permission, Role, can
from desk_app.domain.verdict import Verdict
from desk_app.gui import icons
from desk_app.gui.activation import bring_to_front
from desk_app.gui.formatting import format_date
from desk_app.gui.forms import load_form
from desk_app.gui.loans_model import STEP_TINTS, step_name
from desk_app.gui.operations import Operations
from desk_app.gui.scan_field import DialogScans
from desk_app.gui.settle_dialog import (
    SettleAnswer,
    SettleQuestion,
    ask_settle,
    date_format,
    qdate,
)
from desk_app.gui.shortcuts import window_shortcuts
from desk_app.gui.supervisor_text import (
    BADGE_COLOURS,
    action_name,
    badge_text,
    detail_text,
    projection_text,
    when,
)
from desk_app.i18n import render
from desk_app.services import supervision
from desk_app.services import supervision_queries as queries
from desk_app.services.context import Actor, DeskContext
from desk_app.services.notice_mail import LETTER_AFTER
from desk_app.settings import DeskSettings

WHAT_IF_DAYS = 90  # the what-if looks this far ahead until the supervisor picks a date
MESSAGE_COLOURS = {True: "#1b7f3b", False: "#b3261e"}
SORT_ROLE = Qt.ItemDataRole.UserRole
# The borrower of a results row, kept on the row itself: the table may be
# sorted by a click on a heading, so a row number says nothing about who.
BORROWER_ROLE = Qt.ItemDataRole.UserRole + 2

AskSettle = Callable[[QWidget, SettleQuestion, str], SettleAnswer | None]
AskSavePath = Callable[[QWidget, str], str | None]


SHOWN_SEARCH = 60  # characters of the search text a message repeats


def _shown(text: str) -> str:
    """The search text as a message may repeat it: no CPR number (B3; a
    health card that matches no one), and not a pasted page."""
    return echo(" ".join(text.split()), SHOWN_SEARCH)


def _ask_save_path(parent: QWidget, suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("SupervisorWindow", "Export the suspended borrowers"),
        suggested,
        "CSV (*.csv)",
    )
    return path or None


class SupervisorWindow(QMainWindow):
    sig_outcome = Signal(object)  # the Verdict of a settle, after it is painted
    sig_borrower_shown = Signal(int)  # borrower id, after their case is painted

    def __init__(
        self,
        ctx: DeskContext,
        actor: Actor,
        role: Role,
        settings: DeskSettings,
        parent: QWidget | None = None,
        ask_settle: AskSettle = ask_settle,
        ask_save_path: AskSavePath = _ask_save_path,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.ctx = ctx
        self.actor = actor
        self.role = Role(role)
        self.language = settings.language
        self._ask_settle = ask_settle
        self._ask_save_path = ask_save_path
        self.may_settle = can(self.role, Permission.SUPERVISE)
        self.case: queries.BorrowerCase | None = None
        self.hits: tuple[queries.BorrowerHit, ...] = ()
        self.setWindowTitle(self.tr("Supervision: {desk}").format(desk=settings.desk_name))
        self.setWindowIcon(icons.icon("desk"))
        self.resize(1280, 820)

        body = QWidget(self)
        form = self.form = load_form("supervisor_window.ui", body)
        self.setCentralWidget(body)
        # Scans made while a dialog is open wait for it to close (issue 13, point 1),
        # then are searched for: a barcode never becomes the audited note of a settlement
        self._dialog_scans = DialogScans(
            self, form.searchField.maxLength(), self._search_kept_scan, self._scan_kept
        )
        self._dialog = self._dialog_scans.dialog
        # every service call of this window (issue 14)
        self.ops = Operations(
            self, ctx, failed=self._not_done, refused=self._refused, scans=self._dialog_scans
        )
        form.splitter.setSizes([430, 850])
        form.caseSplitter.setSizes([470, 230])
        form.nameLabel.setStyleSheet("font-size: 18pt; font-weight: 700;")
        form.badgeLabel.setMinimumHeight(44)
        results = form.resultsTable.horizontalHeader()
        results.setStretchLastSection(False)
        results.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        results.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        row_height = form.resultsTable.fontMetrics().height() + 10
        form.resultsTable.verticalHeader().setDefaultSectionSize(row_height)
        # sortable by a click on a heading; shown in the search's order until then
        results.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        form.resultsTable.setSortingEnabled(True)
        for column, width in enumerate((145, 135, 125, 95)):
            form.loansTree.setColumnWidth(column, width)
        for column, width in enumerate((120, 120, 85, 120, 95, 55, 120)):
            form.auditTree.setColumnWidth(column, width)
        form.whatIfDate.setDisplayFormat(date_format(self.language))
        form.whatIfDate.setMinimumDate(qdate(ctx.today()))
        form.whatIfDate.setDate(qdate(ctx.today() + timedelta(days=WHAT_IF_DAYS)))

        self.suspended_model = QStandardItemModel(0, 6, self)
        self.suspended_model.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Card"),
                self.tr("Institute"),
                self.tr("Suspended since"),
                self.tr("Loans"),
                self.tr("Oldest due"),
            ]
        )
        self.suspended_proxy = QSortFilterProxyModel(self)
        self.suspended_proxy.setSourceModel(self.suspended_model)
        self.suspended_proxy.setSortRole(SORT_ROLE)
        table = form.suspendedTable
        table.setModel(self.suspended_proxy)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((240, 140, 400, 130, 70)):
            table.setColumnWidth(column, width)
        table.verticalHeader().setDefaultSectionSize(row_height)
        table.sortByColumn(3, Qt.SortOrder.AscendingOrder)

        self._make_actions()
        form.searchField.returnPressed.connect(lambda: self.search())
        form.searchButton.clicked.connect(lambda _checked=False: self.search())
        form.resultsTable.itemSelectionChanged.connect(self._on_result_selected)
        form.loansTree.itemSelectionChanged.connect(self._update_settle)
        form.settleButton.clicked.connect(self.settle)
        form.whatIfDate.dateChanged.connect(lambda _=None: self._paint_what_if())
        form.exportButton.clicked.connect(self.export_csv)
        form.refreshButton.clicked.connect(self.refresh)
        form.closeButton.clicked.connect(self.close)
        table.activated.connect(self._on_suspended_activated)  # double-click or Enter
        self.show_borrower(None)
        self.load_suspended()

    def _make_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = window_shortcuts(
            self,
            (
                ("find", "Ctrl+F", self.focus_search),
                ("refresh", "F5", self.refresh),
                ("close", "Esc", self.close),
            ),
        )

    # -- finding a borrower -----------------------------------------------------------

    def focus_search(self) -> None:
        self.form.tabs.setCurrentIndex(0)
        self.form.searchField.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.form.searchField.selectAll()

    def search(self, keep: int | None = None) -> None:
        """Search again and repaint the results; then the pane shows the
        highlighted row: ``keep`` (a refresh) if it is still found, else a
        single result, else nobody. Issue 13 point 2: the table used to
        highlight a row while its signals were blocked, so the pane kept
        the previous borrower; now the pane is painted from the highlight
        explicitly, whatever the selection model did meanwhile."""
        text = self.form.searchField.text()
        found = self.ops.call(lambda: queries.search_borrowers(self.ctx, self.actor, text), None)
        if found is None:
            self._clear_results()
            self.show_borrower(None)
            return
        self.hits = found.hits
        table = self.form.resultsTable
        table.blockSignals(True)
        self._clear_results()
        table.setSortingEnabled(False)  # rows would move while they are filled
        table.setRowCount(len(found.hits))
        for row, hit in enumerate(found.hits):
            status = ""
            if hit.suspended:
                status = self.tr("SUSPENDED")
            elif hit.settled:
                status = self.tr("settled")
            cells = (hit.name, hit.card or "–", hit.institute, status)
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setData(BORROWER_ROLE, hit.borrower_id)
                if hit.suspended:
                    cell.setBackground(QBrush(QColor(STEP_TINTS["SUSPENSION"])))
                table.setItem(row, column, cell)
        table.setSortingEnabled(True)  # the heading the supervisor clicked still sorts
        ids = [hit.borrower_id for hit in found.hits]
        if keep is not None and keep not in ids:
            table.blockSignals(False)
            self.open_borrower(keep)  # shown from the suspended list: not in the results
        else:
            if keep is None and len(ids) == 1:
                keep = ids[0]
            if keep is not None:
                self._highlight(keep)
            table.blockSignals(False)
            self._show_highlighted()
        if not found.hits:
            self.form.resultsLabel.setText(
                self.tr("No borrower matches “{text}”.").format(text=_shown(text))
                if text.strip()
                else ""
            )
        elif found.more:
            self.form.resultsLabel.setText(
                self.tr("The first {count} matches: type more to narrow the search.").format(
                    count=len(found.hits)
                )
            )
        else:
            self.form.resultsLabel.setText(
                self.tr("{count} match(es)").format(count=len(found.hits))
            )
        if found.trimmed:
            self.form.resultsLabel.setText(
                self.form.resultsLabel.text()
                + " "
                + self.tr("Only the first words of the search were used.")
            )

    def _clear_results(self) -> None:
        """No row, no highlight, no current cell: removing the highlighted
        row would otherwise move the highlight onto a neighbour silently."""
        table = self.form.resultsTable
        table.clearSelection()
        table.setCurrentItem(None)
        table.setRowCount(0)

    def _row_of(self, borrower_id: int) -> int | None:
        table = self.form.resultsTable
        for row in range(table.rowCount()):
            cell = table.item(row, 0)
            if cell is not None and cell.data(BORROWER_ROLE) == borrower_id:
                return row
        return None

    def _highlight(self, borrower_id: int) -> None:
        row = self._row_of(borrower_id)
        if row is not None:
            self.form.resultsTable.selectRow(row)

    def highlighted_borrower(self) -> int | None:
        """The borrower of the highlighted results row, or None."""
        table = self.form.resultsTable
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = table.item(rows[0].row(), 0)
        return None if cell is None else cell.data(BORROWER_ROLE)

    def _show_highlighted(self) -> None:
        """The one way the results drive the pane: it shows the highlighted row."""
        borrower_id = self.highlighted_borrower()
        if borrower_id is None:
            self.show_borrower(None)
        else:
            self.open_borrower(borrower_id)

    def _on_result_selected(self) -> None:
        self._show_highlighted()

    def open_borrower(self, borrower_id: int) -> None:
        """Show this borrower's cases (from the results or the suspended list).
        If they cannot be read, the pane is emptied: never someone else's."""
        case = self.ops.call(lambda: queries.borrower_case(self.ctx, self.actor, borrower_id), None)
        self.show_borrower(case)

    # -- one borrower ---------------------------------------------------------------

    def show_borrower(self, case: queries.BorrowerCase | None) -> None:
        self.case = case
        form = self.form
        for widget in (form.badgeLabel, form.loansPane, form.auditPane, form.detailsLabel):
            widget.setVisible(case is not None)
        if case is None:
            form.nameLabel.setText(self.tr("Find a borrower on the left."))
            form.loansTree.clear()
            form.auditTree.clear()
            self._update_settle()
            return
        form.nameLabel.setText(case.name)
        form.detailsLabel.setText(
            self.tr(
                "Card {card}  ·  {institute_name} ({institute})  ·  {count} open loan(s)"
            ).format(
                card=case.card or "–",
                institute_name=render(case.institute_name, self.language),
                institute=case.institute,
                count=len(case.loans),
            )
        )
        form.badgeLabel.setText(badge_text(case, self.language))
        form.badgeLabel.setStyleSheet(
            f"background: {BADGE_COLOURS[case.badge]}; color: white; font-size: 15pt;"
            " font-weight: 700; border-radius: 6px; padding: 6px 12px;"
        )
        self._paint_loans(case)
        self._paint_audit(case.borrower_id)
        self._paint_what_if()
        self._update_settle()
        self.sig_borrower_shown.emit(case.borrower_id)

    def _delivery(self, notice: queries.NoticeLine) -> str:
        """How the notice reached the borrower (S6), in the note column."""
        if notice.delivery is MailState.SENT and notice.delivered_at is not None:
            return self.tr("e-mailed {date}").format(
                date=format_date(notice.delivered_at.date(), self.language)
            )
        said = {
            MailState.PENDING: self.tr("e-mail waiting for the mail server"),
            MailState.SENDING: self.tr("e-mail being sent"),
            MailState.FAILED: self.tr("address refused: sent as a printed letter"),
            MailState.POSTAL: self.tr("printed letter (no e-mail address)"),
            # the mail outbox's fallbacks (issue 13 point 12)
            MailState.UNCERTAIN: self.tr(
                "connection lost while e-mailing: sent as a printed letter"
            ),
            MailState.EXPIRED: self.tr(
                "e-mail not sent within {hours} hours: sent as a printed letter"
            ).format(hours=round(LETTER_AFTER.total_seconds() / 3600)),
            MailState.SUPERSEDED: self.tr("replaced by a newer notice: not sent"),
        }
        return said.get(MailState(notice.delivery), "") if notice.delivery else ""

    def _paint_loans(self, case: queries.BorrowerCase) -> None:
        tree = self.form.loansTree
        tree.clear()
        first_case: QTreeWidgetItem | None = None
        for loan in case.loans:
            step = step_name(loan.step) if loan.step else self.tr("on loan")
            if loan.capacity == "private":
                step = self.tr("private loan")
            top = QTreeWidgetItem(
                [
                    loan.item,
                    step,
                    self.tr("due {date}").format(date=format_date(loan.due, self.language)),
                    format_date(loan.deadline, self.language) if loan.deadline else "",
                    loan.title,
                ]
            )
            top.setData(0, SORT_ROLE, loan.item)
            tint = STEP_TINTS.get(loan.step or "") if not loan.settled else None
            for notice in loan.notices:
                top.addChild(
                    QTreeWidgetItem(
                        [
                            "",
                            step_name(notice.step),
                            format_date(notice.sent_on, self.language),
                            format_date(notice.deadline, self.language) if notice.deadline else "",
                            self._delivery(notice),
                        ]
                    )
                )
            if loan.settled:
                top.addChild(
                    QTreeWidgetItem(
                        [
                            "",
                            self.tr("Settled by contact"),
                            format_date(loan.settled_on, self.language),
                            format_date(loan.agreed, self.language),
                            loan.note or "",
                        ]
                    )
                )
                top.setText(1, self.tr("{step}, settled").format(step=step))
                top.setText(3, format_date(loan.agreed, self.language))
            for column in range(tree.columnCount()):
                if tint:
                    top.setBackground(column, QBrush(QColor(tint)))
            tree.addTopLevelItem(top)
            top.setExpanded(True)
            if first_case is None and loan.step == "SUSPENSION":
                first_case = top
        if first_case is not None:
            tree.setCurrentItem(first_case)

    def _paint_audit(self, borrower_id: int) -> None:
        trail = self.ops.call(lambda: queries.audit_trail(self.ctx, self.actor, borrower_id), [])
        tree = self.form.auditTree
        tree.clear()
        tree.addTopLevelItems(
            [
                QTreeWidgetItem(
                    [
                        when(line.at, self.language),
                        line.staff,
                        line.desk,
                        action_name(line.action),
                        line.code,
                        line.rule or "",
                        line.item or "",
                        detail_text(line.detail),
                    ]
                )
                for line in trail
            ]
        )

    def _paint_what_if(self) -> None:
        case = self.case
        if case is None:
            self.form.whatIfText.setText("")
            return
        until = self.form.whatIfDate.date().toPython()
        projection = self.ops.call(
            lambda: queries.what_if(self.ctx, self.actor, case.borrower_id, until), None
        )
        if projection is not None:
            self.form.whatIfText.setText(projection_text(projection, self.language))

    def set_what_if_date(self, day: date) -> None:
        self.form.whatIfDate.setDate(qdate(day))

    # -- settling (S5) ------------------------------------------------------------------

    def selected_loan(self) -> queries.CaseLoan | None:
        """The loan chosen in the tree (a notice row stands for its loan)."""
        case = self.case
        item = self.form.loansTree.currentItem()
        if case is None or item is None:
            return None
        while item.parent() is not None:
            item = item.parent()
        barcode = item.text(0)
        return next((loan for loan in case.loans if loan.item == barcode), None)

    def _update_settle(self) -> None:
        loan = self.selected_loan()
        is_case = loan is not None and loan.step == "SUSPENSION"
        button = self.form.settleButton
        button.setEnabled(self.may_settle and is_case)
        if not self.may_settle:
            why = self.tr("Only a supervisor may settle a case by contact (S5).")
        elif self.case is not None and not is_case:
            why = self.tr("Select the suspension case the borrower called about.")
        else:
            why = ""
        button.setToolTip(why)
        self.form.settleHint.setText(why)

    def settle(self) -> None:
        """Ask for the note and agreed date, then let the service decide."""
        case, loan = self.case, self.selected_loan()
        if case is None or loan is None:
            self._message(False, self.tr("Select the suspension case the borrower called about."))
            return
        today = self.ctx.today()
        question = SettleQuestion(
            name=case.name,
            item=loan.item,
            title=loan.title,
            contact_day=today,
            default_agreed=agreed_date(today, self.ctx.policy.ladder),
        )
        with self._dialog():
            answer = self._ask_settle(self, question, self.language)
        self._after_dialog()
        if answer is None:
            return
        outcome: Verdict | None = self.ops.call(
            lambda: supervision.settle_for_borrower(
                self.ctx, self.actor, case.borrower_id, loan.item, answer.note, answer.agreed
            ),
            None,
        )
        if outcome is None:
            return
        self._message(outcome.ok, outcome.message(self.language))
        if outcome.ok:
            self.refresh()
        self.sig_outcome.emit(outcome)

    # -- all suspended ----------------------------------------------------------------

    def load_suspended(self) -> None:
        rows = self.ops.call(lambda: queries.suspended_borrowers(self.ctx, self.actor), None)
        if rows is None:
            return
        model = self.suspended_model
        model.removeRows(0, model.rowCount())
        for row in rows:
            institute_name = render(row.institute_name, self.language)
            cells = (
                (row.name, row.name.casefold()),
                (row.card or "–", row.card or ""),
                (f"{institute_name} ({row.institute})", institute_name.casefold()),
                (format_date(row.since, self.language), row.since.isoformat() if row.since else ""),
                (str(row.causes), row.causes),
                (format_date(row.oldest_due, self.language), row.oldest_due.isoformat()),
            )
            items = []
            for text, key in cells:
                item = QStandardItem(text)
                item.setData(key, SORT_ROLE)
                item.setData(row.borrower_id, SORT_ROLE + 1)
                items.append(item)
            model.appendRow(items)
        self.form.suspendedCount.setText(
            self.tr("{count} suspended borrower(s) today (S2)").format(count=len(rows))
        )

    def suspended_rows(self) -> list[list[str]]:
        """The table as shown, in its current sort order (tests, screenshots)."""
        proxy = self.suspended_proxy
        return [
            [proxy.index(r, c).data() for c in range(proxy.columnCount())]
            for r in range(proxy.rowCount())
        ]

    def _on_suspended_activated(self, index: QModelIndex) -> None:
        borrower_id = index.data(SORT_ROLE + 1)
        if borrower_id is None:
            return
        self.form.tabs.setCurrentIndex(0)
        table = self.form.resultsTable
        table.blockSignals(True)
        table.clearSelection()  # no results row may stand for someone else
        table.setCurrentItem(None)
        if self._row_of(int(borrower_id)) is not None:
            self._highlight(int(borrower_id))
        table.blockSignals(False)
        self.open_borrower(int(borrower_id))

    def export_csv(self) -> None:
        suggested = f"suspended-{self.ctx.today().isoformat()}.csv"
        with self._dialog():
            path = self._ask_save_path(self, suggested)
        self._after_dialog()
        if not path:
            return
        count = self.ops.call(
            lambda: queries.export_suspended_csv(self.ctx, self.actor, Path(path), self.language),
            None,
        )
        if count is not None:
            self._message(
                True,
                self.tr("Exported {count} suspended borrower(s) to {path}.").format(
                    count=count, path=path
                ),
            )

    # -- refreshing, messages, failures ------------------------------------------------------

    def refresh(self) -> None:
        """F5: search again, and show the borrower and the list afresh."""
        chosen = self.case.borrower_id if self.case else None
        if self.form.searchField.text().strip():
            self.search(keep=chosen)  # the same borrower, highlighted and painted afresh
        elif chosen is not None:
            self.open_borrower(chosen)
        self.load_suspended()

    def _message(self, ok: bool, text: str) -> None:
        label = self.form.messageLabel
        label.setText(text)
        label.setStyleSheet(f"color: {MESSAGE_COLOURS[ok]}; font-size: 12pt; font-weight: 600;")

    # -- a scanner while a dialog is open (issue 13, point 1) ---------------------------

    def _scan_kept(self, raw: str) -> None:
        """A scan made while a dialog was open: kept, and said so."""
        self._message(
            True,
            self.tr("Scan {read} kept: it is searched for when the dialog closes.").format(
                read=echo(raw.strip())
            ),
        )

    def _search_kept_scan(self, raw: str) -> None:
        """Search for what was kept, as if scanned into the search field now."""
        self.form.tabs.setCurrentIndex(0)
        self.form.searchField.setText(raw.strip())
        self.search()

    def _after_dialog(self) -> None:
        """A closed dialog does not always hand the activation back (offscreen
        and some window managers leave no window active)."""
        if not self.isActiveWindow():
            bring_to_front(self)

    def _refused(self, refusal: Verdict) -> None:
        """A role that may not do it (issue 13 point 9) is told so, not that
        the database failed: the refusal is audited already."""
        self._message(False, refusal.message(self.language))

    def _not_done(self, _problem: Exception, _what: str) -> None:
        """A database failure is a message, never a traceback."""
        self._message(False, self.tr("Not done: the database did not answer. Nothing was saved."))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.form.searchField.setFocus(Qt.FocusReason.OtherFocusReason)
