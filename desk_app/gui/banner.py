"""The verdict banner: large, coloured by tone, with icon, message and rule."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

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


def _tr(text: str) -> str:
    return QCoreApplication.translate("Banner", text)


def title_for(outcome: DeskOutcome) -> str:
    """A few words a librarian can read from across the desk."""
    v, data = outcome.verdict, outcome.verdict.data
    if data.get("misread"):
        return _tr("Misread: scan again")
    if data.get("need_card"):
        return _tr("Scan the card first")
    if v.code is Code.STATUS:
        if data.get("suspended"):
            return _tr("Suspended borrower")
        if not data.get("card_valid", True):
            return _tr("Card not valid")
        return data.get("name", "")
    if v.code is Code.LOANED and data.get("overridden"):
        return _tr("Loaned by override")
    titles = {
        Code.LOANED: _tr("Loaned"),
        Code.RETURNED: _tr("Returned"),
        Code.RENEWED: _tr("Renewed"),
        Code.ORDERED: _tr("Ordered"),
        Code.UNDONE: _tr("Checkout undone"),
        Code.CARD_UNKNOWN: _tr("Card unknown"),
        Code.CARD_INVALID: _tr("Card not valid"),
        Code.NOT_ELIGIBLE: _tr("Not eligible"),
        Code.SUSPENDED: _tr("Refused: suspended"),
        Code.ITEM_UNKNOWN: _tr("Item unknown"),
        Code.ON_LOAN: _tr("Already on loan"),
        Code.RESERVED_FOR_OTHER: _tr("Reserved for another borrower"),
        Code.NOT_LOANABLE_ID_CARD: _tr("Not for loan"),
        Code.NOT_LOANABLE_READING_ROOM: _tr("Reading room only"),
        Code.REQUESTED_BY_OTHER: _tr("Renewal refused: requested"),
        Code.RENEWAL_LIMIT: _tr("Renewal refused"),
        Code.ILL_NOT_RENEWABLE: _tr("Renewal refused: ILL"),
        Code.NOT_ON_LOAN: _tr("Not on loan"),
        Code.OVERRIDE_REFUSED: _tr("Override refused"),
        Code.UNDO_REFUSED: _tr("Cannot undo"),
    }
    return titles.get(v.code, _tr("Refused") if not v.ok else v.code.value)


class VerdictBanner:
    """Paints the banner part of the desk form."""

    def __init__(self, form: Form) -> None:
        self._form = form
        self.tone: Tone | None = None
        self.show_ready()

    def show_ready(self) -> None:
        self.tone = None
        self._paint(
            READY_COLOUR,
            "desk",
            _tr("Ready"),
            _tr("Scan the borrower's card, then the items."),
            "",
        )

    def show(self, outcome: DeskOutcome, language: str) -> None:
        self.tone = outcome.tone
        rule = outcome.verdict.rule
        self._paint(
            COLOURS[outcome.tone],
            ICONS[outcome.tone],
            title_for(outcome),
            outcome.verdict.message(language),
            _tr("Rule {rule}").format(rule=rule) if rule else "",
        )

    def show_message(self, tone: Tone, title: str, message: str) -> None:
        self.tone = tone
        self._paint(COLOURS[tone], ICONS[tone], title, message, "")

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
        form.banner.setStyleSheet(
            f"QFrame#banner {{ background: {colour}; border-radius: 10px; }}"
            "QFrame#banner QLabel { color: white; }"
            "QLabel#bannerTitle { font-size: 26pt; font-weight: 700; }"
            "QLabel#bannerMessage { font-size: 15pt; }"
            "QLabel#bannerRule { font-size: 12pt; font-weight: 600; }"
        )
        form.bannerIcon.setPixmap(icons.pixmap(icon, 64))
        form.bannerTitle.setText(title)
        form.bannerMessage.setText(message)
        form.bannerRule.setText(rule)
