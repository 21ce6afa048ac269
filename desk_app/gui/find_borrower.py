"""Find a borrower at the desk by typing (issue 15): a name fragment, a card
number, an institute; the results follow the typing, and Enter takes the
highlighted borrower to the desk.

The focus stays in the search field the whole time: Up and Down (and Page
Up/Down, Home/End with Ctrl) move the highlight in the list, Enter takes it
(or the only, or the first, borrower found), Esc closes. A card scanned
into the field is searched at once and taken when it finds its borrower.

Thin: ``services.search.find_borrowers`` finds (role checked there), on the
dialog's worker, latest answer only (``gui.live_search``). The list shows
the card's display form, never a CPR number (B3); the "nothing found"
message repeats the typing masked (``barcodes.echo``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.barcodes import echo
from desk_app.domain.search_results import BorrowerHit
from desk_app.domain.verdict import Verdict
from desk_app.gui.borrower_panel import category_name
from desk_app.gui.live_search import DEBOUNCE_MS, LiveQuery
from desk_app.gui.scan_field import TAKES_TYPING
from desk_app.i18n import Text, render
from desk_app.services import search
from desk_app.services.context import Actor, DeskContext

RESULT_LIMIT = 50  # rows asked for; as many back: "type more to narrow it"
MIN_CHARS = 2  # fewer letters than this find too many to be any use
SHOWN_SEARCH = 40  # characters of the typing a message repeats
BORROWER_ROLE = Qt.ItemDataRole.UserRole
WARNING_RED = "#b3261e"
MESSAGE_STYLE = "color: #3c4a57; font-size: 11pt;"
ERROR_STYLE = f"color: {WARNING_RED}; font-size: 11pt; font-weight: 600;"

# the keys that move the highlight while the focus stays in the field
_MOVES = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def shown_text(value: object, language: str) -> str:
    """A service's value as the dialog shows it: a Text rendered in the
    desk's language, anything else as it is."""
    if isinstance(value, Text):
        return render(value, language)
    return "" if value is None else str(value)


def typed_back(text: str) -> str:
    """What a message may repeat of the typing: one line, clipped, a
    CPR-like number masked (B3)."""
    return echo(" ".join(text.split()), SHOWN_SEARCH)


def move_highlight(tree: QTreeWidget, key: int) -> None:
    """Up/Down/Page keys typed in a search field move the list's highlight."""
    count = tree.topLevelItemCount()
    if not count:
        return
    current = tree.currentItem()
    row = tree.indexOfTopLevelItem(current) if current is not None else -1
    page = max(1, tree.viewport().height() // max(1, tree.sizeHintForRow(0)) - 1)
    step = {
        Qt.Key.Key_Up: -1,
        Qt.Key.Key_Down: 1,
        Qt.Key.Key_PageUp: -page,
        Qt.Key.Key_PageDown: page,
    }[Qt.Key(key)]
    row = 0 if row < 0 else min(max(row + step, 0), count - 1)
    item = tree.topLevelItem(row)
    if item is not None:
        tree.setCurrentItem(item)
        tree.scrollToItem(item)


class SearchField(QLineEdit):
    """The search field of a find dialog: reads like the desk's scan field,
    a little smaller; and the typing goes on where it was when the focus
    comes (Qt selects the whole text when a dialog opens, and the next key
    would replace what the desk handed over): the cursor at the end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.4)
        self.setFont(font)
        self.setMinimumHeight(38)
        self.setMaxLength(100)
        self.setClearButtonEnabled(True)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.MouseFocusReason:
            self.deselect()
            self.setCursorPosition(len(self.text()))


class FindBorrowerDialog(QDialog):
    sig_borrower_chosen = Signal(int)  # the borrower's id, taken to the desk
    sig_results_shown = Signal(str)  # the text whose results the list now shows

    def __init__(
        self,
        ctx: DeskContext,
        actor: Actor,
        initial_text: str = "",
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        debounce_ms: int | None = DEBOUNCE_MS,
        limit: int = RESULT_LIMIT,
    ) -> None:
        """``language``: the desk's (for institute names); by default the
        parent window's. ``debounce_ms=None`` searches only on Enter or
        ``search.debounce.flush()`` (tests)."""
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.language: str = language or str(getattr(parent, "language", "en"))
        self.limit = limit
        self.hits: list[BorrowerHit] = []
        self.setProperty(TAKES_TYPING, True)  # typing on while it opens lands here
        self.shown_for: str | None = None  # the text the list shows results for
        self._take_when_found = False  # Enter came before the answer
        self.setObjectName("findBorrowerDialog")
        self.setWindowTitle(self.tr("Find a borrower"))
        self.setMinimumSize(820, 480)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        prompt = QLabel(self.tr("Name, card number or institute:"), self)
        prompt.setStyleSheet("font-size: 12pt;")
        layout.addWidget(prompt)
        self.field = SearchField(self)
        self.field.setObjectName("findBorrowerField")
        prompt.setBuddy(self.field)
        layout.addWidget(self.field)

        self.results = QTreeWidget(self)
        self.results.setObjectName("borrowerResults")
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the typing stays in the field
        self.results.setHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Card"),
                self.tr("Institute"),
                self.tr("Category"),
                self.tr("Note"),
            ]
        )
        header = self.results.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((230, 150, 210, 110)):
            self.results.setColumnWidth(column, width)
        self.results.setStyleSheet("font-size: 11pt;")
        layout.addWidget(self.results, 1)

        self.message = QLabel(self)
        self.message.setObjectName("findBorrowerMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(self)
        self.take_button = self.buttons.addButton(
            self.tr("Take to the desk"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.take_button.setObjectName("takeBorrowerButton")
        self.take_button.setAutoDefault(False)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        self.buttons.accepted.connect(self.take)
        self.buttons.rejected.connect(self.reject)
        for button in self.buttons.buttons():
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.buttons)

        self.search = LiveQuery(
            self,
            self.tr("Searching"),
            lambda work_ctx, text: search.find_borrowers(work_ctx, actor, text, limit),
            failed=self._not_done,
            refused=self._refused,
            delay_ms=debounce_ms,
        )
        self.search.sig_answer.connect(self._show)
        self.search.sig_failed.connect(lambda _text: self._after_failure())
        self.field.installEventFilter(self)
        self.field.textChanged.connect(self._typed)
        self.results.itemActivated.connect(lambda _item, _column: self.take())
        self.results.currentItemChanged.connect(lambda *_: self._update_take())
        self.field.setText(initial_text)
        self.field.setCursorPosition(len(initial_text))
        if not initial_text:
            self._typed("")
        self._update_take()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- typing -------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        self._take_when_found = False
        letters = "".join(text.split())
        if len(letters) < MIN_CHARS:
            self.search.forget()
            self._clear()
            self._say(
                self.tr(
                    "Type at least {n} letters of a name, a card number or an institute."
                ).format(n=MIN_CHARS)
                if letters
                else self.tr("Type a name, a card number or an institute.")
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
                self.take()
                return True
        return super().eventFilter(watched, event)

    def take_scan(self, raw: str) -> bool:
        """A scan the desk's guard kept from the dialog (a card): searched at
        once and taken when it finds its borrower. Always claimed."""
        self.field.setText(raw.strip())
        self.field.setCursorPosition(len(self.field.text()))
        self.take()
        return True

    # -- the answer ------------------------------------------------------------------

    def _show(self, text: str, found: object) -> None:
        hits: list[BorrowerHit] = list(found)  # type: ignore[call-overload]
        self.hits = hits
        self.shown_for = text
        tree = self.results
        tree.setUpdatesEnabled(False)
        tree.clear()
        rows = [self._row(hit) for hit in hits]
        tree.addTopLevelItems(rows)
        if rows:
            tree.setCurrentItem(rows[0])
        tree.setUpdatesEnabled(True)
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
            self._say(
                self.tr("{count} found. Up and Down to choose, Enter to take.").format(
                    count=len(hits)
                )
            )
        self._update_take()
        self.sig_results_shown.emit(text)
        if self._take_when_found:
            self._take_when_found = False
            self.take()

    def _row(self, hit: BorrowerHit) -> QTreeWidgetItem:
        marks = []
        if hit.suspended:
            marks.append(self.tr("Suspended"))
        if hit.card_expired:
            marks.append(self.tr("Card expired"))
        code = hit.institute_code
        name = shown_text(hit.institute_name, self.language)
        institute = f"{code} – {name}" if name and name != code else code  # the code fits
        row = QTreeWidgetItem(
            [
                hit.name,
                hit.card or "–",  # its display form: a health card masked (B3)
                institute,
                category_name(str(hit.category)),
                ("● " + ", ".join(marks)) if marks else "",
            ]
        )
        row.setData(0, BORROWER_ROLE, hit.borrower_id)
        row.setToolTip(2, institute)
        if marks:
            red = QBrush(QColor(WARNING_RED))
            row.setForeground(4, red)
            font = row.font(4)
            font.setBold(True)
            row.setFont(4, font)
            row.setToolTip(
                4,
                self.tr("Lending to this borrower will be refused until this is put right."),
            )
        return row

    def _clear(self) -> None:
        self.hits = []
        self.shown_for = None
        self.results.clear()
        self._update_take()

    # -- taking ---------------------------------------------------------------------------

    def chosen(self) -> int | None:
        """The highlighted borrower's id, or None."""
        item = self.results.currentItem()
        if item is None:
            return None
        value = item.data(0, BORROWER_ROLE)
        return None if value is None else int(value)

    def take(self) -> None:
        """Enter: the highlighted borrower to the desk. When the list is not
        yet for what the field says (Enter right after typing, a card
        scanned), search now and take the first found when it comes."""
        text = self.field.text()
        if len("".join(text.split())) < MIN_CHARS:
            return
        if self.shown_for != text or self.search.busy:
            self._take_when_found = True
            if self.search.wanted != text or self.search.debounce.pending:
                self.search.now(text)
            return
        borrower_id = self.chosen()
        if borrower_id is None:
            return
        self.sig_borrower_chosen.emit(borrower_id)
        self.accept()

    def _update_take(self) -> None:
        self.take_button.setEnabled(self.chosen() is not None)

    # -- messages and failures ------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else MESSAGE_STYLE)

    def _not_done(self, _problem: Exception, _what: str) -> None:
        self._say(self.tr("Not done: the database did not answer. Try again."), error=True)

    def _refused(self, refusal: Verdict) -> None:
        self._say(refusal.message(self.language), error=True)

    def _after_failure(self) -> None:
        self._take_when_found = False
        self._clear()
