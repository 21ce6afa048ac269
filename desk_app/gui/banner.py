"""The verdict banner: large, coloured by tone, with icon, message and rule,
and for an item verdict the item it is about (issue 13, point 18)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from desk_app.domain.verdict import Code
from desk_app.gui import icons
from desk_app.gui.forms import Form
from desk_app.services.desk import DeskOutcome, Tone

COLOURS = {
    Tone.ACCEPTED: "#1b7f3b",
    Tone.CAUTION: "#b26a00",
    Tone.REFUSED: "#b3261e",
    Tone.INFO: "#28527a",
}
READY_COLOUR = "#3c4a57"
ICONS = {
    Tone.ACCEPTED: "accepted",
    Tone.CAUTION: "warning",
    Tone.REFUSED: "refused",
    Tone.INFO: "desk",
}


def title_for(outcome: DeskOutcome) -> str:
    """A few words a librarian can read from across the desk."""
    v, data = outcome.verdict, outcome.verdict.data
    if data.get("misread"):
        return QCoreApplication.translate("Banner", "Misread: scan again")
    if data.get("need_card"):
        return QCoreApplication.translate("Banner", "Scan the card first")
    if v.code is Code.STATUS:
        if data.get("suspended"):
            return QCoreApplication.translate("Banner", "Suspended borrower")
        if not data.get("card_valid", True):
            return QCoreApplication.translate("Banner", "Card not valid")
        return data.get("name", "")
    if v.code is Code.LOADED and data.get("duplicate"):
        return QCoreApplication.translate("Banner", "Already loaded")
    if v.code is Code.LOANED and data.get("overridden"):
        return QCoreApplication.translate("Banner", "Loaned by override")
    if v.code is Code.LOANED and data.get("routed") == "Q3":
        return QCoreApplication.translate("Banner", "Returned and lent on to {name}").format(
            name=data.get("lent_to", "")
        )
    if v.code is Code.LOANED and data.get("routed"):
        return QCoreApplication.translate("Banner", "Lent to {name} (request)").format(
            name=data.get("lent_to", "")
        )
    if data.get("held"):
        return QCoreApplication.translate("Banner", "Requested: keep it at the desk")
    if v.code is Code.RENEWED and data.get("refused"):
        return QCoreApplication.translate("Banner", "Renewed, some refused")
    titles = {
        Code.LOANED: QCoreApplication.translate("Banner", "Loaned"),
        Code.RETURNED: QCoreApplication.translate("Banner", "Returned"),
        Code.RENEWED: QCoreApplication.translate("Banner", "Renewed"),
        Code.REQUESTED: QCoreApplication.translate("Banner", "Requested"),
        Code.CANCELLED: QCoreApplication.translate("Banner", "Request cancelled"),
        Code.NO_REQUEST: QCoreApplication.translate("Banner", "No request to cancel"),
        Code.RECEIPT_SENT: QCoreApplication.translate("Banner", "Receipt e-mailed"),
        Code.RECEIPT_NOT_SENT: QCoreApplication.translate("Banner", "Receipt not e-mailed"),
        Code.ORDERED: QCoreApplication.translate("Banner", "Ordered"),
        Code.UNDONE: QCoreApplication.translate("Banner", "Checkout undone"),
        Code.CARD_UNKNOWN: QCoreApplication.translate("Banner", "Card unknown"),
        Code.CARD_INVALID: QCoreApplication.translate("Banner", "Card not valid"),
        Code.NOT_ELIGIBLE: QCoreApplication.translate("Banner", "Not eligible"),
        Code.SUSPENDED: QCoreApplication.translate("Banner", "Refused: suspended"),
        Code.ITEM_UNKNOWN: QCoreApplication.translate("Banner", "Item unknown"),
        Code.ON_LOAN: QCoreApplication.translate("Banner", "Already on loan"),
        Code.RESERVED_FOR_OTHER: QCoreApplication.translate(
            "Banner", "Reserved for another borrower"
        ),
        Code.NOT_LOANABLE_ID_CARD: QCoreApplication.translate("Banner", "Not for loan"),
        Code.NOT_LOANABLE_READING_ROOM: QCoreApplication.translate("Banner", "Reading room only"),
        Code.REQUESTED_BY_OTHER: QCoreApplication.translate("Banner", "Renewal refused: requested"),
        Code.RENEWAL_LIMIT: QCoreApplication.translate("Banner", "Renewal refused"),
        Code.ILL_NOT_RENEWABLE: QCoreApplication.translate("Banner", "Renewal refused: ILL"),
        Code.NOT_ON_LOAN: QCoreApplication.translate("Banner", "Not on loan"),
        Code.OVERRIDE_REFUSED: QCoreApplication.translate("Banner", "Override refused"),
        Code.UNDO_REFUSED: QCoreApplication.translate("Banner", "Cannot undo"),
        Code.LOADED: QCoreApplication.translate("Banner", "Loaded"),
        Code.NOT_ON_MANIFEST: QCoreApplication.translate("Banner", "Not on this manifest"),
        Code.DISPATCHED: QCoreApplication.translate("Banner", "Dispatched"),
        Code.DELIVERED: QCoreApplication.translate("Banner", "Delivered"),
        Code.DISPATCH_REFUSED: QCoreApplication.translate("Banner", "Not possible"),
        Code.RETURN_ANNOUNCED: QCoreApplication.translate("Banner", "Return announced"),
        Code.NOT_PERMITTED: QCoreApplication.translate("Banner", "Not permitted"),
    }
    return titles.get(
        v.code, QCoreApplication.translate("Banner", "Refused") if not v.ok else v.code.value
    )


def item_line(outcome: DeskOutcome) -> str:
    """The item a verdict is about, "title (barcode)"; for a misread, what
    was read; empty for a card or a button without an item."""
    if outcome.item is not None:
        return outcome.item.label()
    return outcome.read if outcome.action == "misread" else ""


def refusal_line(outcome: DeskOutcome) -> str:
    """One line of the list of refused scans: what, which item, which rule."""
    line = title_for(outcome)
    item = item_line(outcome)
    if item:
        line += f": {item}"
    if outcome.verdict.rule:
        line += f" ({outcome.verdict.rule})"
    return line


class VerdictBanner:
    """Paints the banner part of a form (the desk's and the dispatch window's;
    only the desk's has the ``bannerItem`` line)."""

    def __init__(self, form: Form) -> None:
        self._form = form
        self.tone: Tone | None = None
        self._item: QLabel | None = form.widget.findChild(QLabel, "bannerItem")
        # Style once; a verdict changes only the palette colour, because
        # re-applying a style sheet costs about a millisecond per scan.
        form.banner.setStyleSheet(
            "QFrame#banner QLabel { color: white; }"
            "QLabel#bannerTitle { font-size: 26pt; font-weight: 700; }"
            "QLabel#bannerItem { font-size: 18pt; font-weight: 600; }"
            "QLabel#bannerMessage { font-size: 15pt; }"
            "QLabel#bannerRule { font-size: 12pt; font-weight: 600; }"
        )
        form.banner.setAutoFillBackground(True)
        self.show_ready()

    def show_ready(self) -> None:
        self.tone = None
        self._paint(
            READY_COLOUR,
            "desk",
            QCoreApplication.translate("Banner", "Ready"),
            QCoreApplication.translate("Banner", "Scan the borrower's card, then the items."),
            "",
        )
        self._show_item("")

    def show(self, outcome: DeskOutcome, language: str) -> None:
        self.tone = outcome.tone
        rule = outcome.verdict.rule
        self._paint(
            COLOURS[outcome.tone],
            ICONS[outcome.tone],
            title_for(outcome),
            outcome.verdict.message(language),
            QCoreApplication.translate("Banner", "Rule {rule}").format(rule=rule) if rule else "",
        )
        self._show_item(item_line(outcome))

    def show_message(self, tone: Tone, title: str, message: str) -> None:
        self.tone = tone
        self._paint(COLOURS[tone], ICONS[tone], title, message, "")
        self._show_item("")

    @property
    def item(self) -> str:
        return self._item.text() if self._item is not None else ""

    def _show_item(self, text: str) -> None:
        if self._item is not None:
            self._item.setText(text)
            self._item.setVisible(bool(text))

    @property
    def title(self) -> str:
        return self._form.bannerTitle.text()

    @property
    def message(self) -> str:
        return self._form.bannerMessage.text()

    @property
    def rule(self) -> str:
        return self._form.bannerRule.text()

    def _paint(self, colour: str, icon: str, title: str, message: str, rule: str) -> None:
        form = self._form
        palette = form.banner.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(colour))
        form.banner.setPalette(palette)
        form.bannerIcon.setPixmap(icons.pixmap(icon, 64))
        form.bannerTitle.setText(title)
        form.bannerMessage.setText(message)
        form.bannerRule.setText(rule)
