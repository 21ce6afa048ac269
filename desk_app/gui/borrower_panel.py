"""The borrower panel: who is at the desk, and what they may do (S2, U1, E3),
and their requests with their places in the queues (L3, Q1).

It renders a STATUS verdict from :mod:`desk_app.services.borrowers`; the card
number in it is already masked for a health card (B3). The requests come as
``services.requests.requests_of`` reads them (the desk session reads them
when the borrower has any).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from desk_app.domain.borrower_requests import BorrowerRequest
from desk_app.domain.verdict import Verdict
from desk_app.gui.formatting import format_date
from desk_app.gui.forms import load_form
from desk_app.gui.loans_model import STEPS, LoansModel, step_name

FIT_UP_TO = 50  # loans: more are shown in fixed-width columns (see _size_columns)
TITLE_COLUMN = 3  # the model's column; shown second, after the item
TITLE_CHARS = 28  # the title column gets at least this many average characters

BADGE_STYLE = (
    "QLabel#suspensionBadge { background: #b3261e; color: white; font-weight: 700;"
    " border-radius: 6px; padding: 6px 10px; }"
)


def category_name(code: str) -> str:
    names = {
        "researcher": QCoreApplication.translate("BorrowerPanel", "Researcher"),
        "phd_student": QCoreApplication.translate("BorrowerPanel", "PhD student"),
        "teacher": QCoreApplication.translate("BorrowerPanel", "Teacher"),
        "emeritus": QCoreApplication.translate("BorrowerPanel", "Emeritus"),
        "student": QCoreApplication.translate("BorrowerPanel", "Student"),
        "external": QCoreApplication.translate("BorrowerPanel", "External"),
    }
    return names.get(code, code)


def delivery_name(code: str) -> str:
    names = {
        "courier": QCoreApplication.translate("BorrowerPanel", "Courier to the institute"),
        "internal_courier": QCoreApplication.translate("BorrowerPanel", "Internal courier"),
        "self_pickup": QCoreApplication.translate("BorrowerPanel", "Picks up at the desk"),
    }
    return names.get(code, code)


class BorrowerPanel(QWidget):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.form = load_form("borrower_panel.ui", self)
        self.form.suspensionBadge.setStyleSheet(BADGE_STYLE)
        self.form.nameValue.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.loans = LoansModel(language, self)
        table = self.form.loansTable
        table.setModel(self.loans)
        # The title beside the item, with room to be read (issue 13, point 19):
        # as the last column it got what the dates and steps left, a few letters.
        # Only the view's order changes; the model's columns stay as they are.
        table.horizontalHeader().moveSection(TITLE_COLUMN, 1)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.show_borrower(None)

    def _size_columns(self) -> None:
        """Item, due date and step get widths for their longest possible
        texts (and headers), without measuring the rows: sizing to 500 loans'
        contents would format them all, which the model avoids (issue 6).
        Short lists are fitted to their contents instead."""
        table = self.form.loansTable
        metrics = table.fontMetrics()
        day = format_date(date(2026, 12, 31), self.language)
        by = QCoreApplication.translate("BorrowerPanel", "(by {date})").format(date=day)
        settled = QCoreApplication.translate("BorrowerPanel", "settled, agreed {date}")
        samples: tuple[tuple[str, ...], ...] = (
            ("38200000000000",),  # an item barcode: 14 digits
            (day,),
            (
                *(f"{step_name(s)} {by}" for s in STEPS),
                f"{step_name('SUSPENSION')} {settled.format(date=day)}",
            ),
        )
        widths = []
        for column, texts in enumerate(samples):
            texts = (*texts, str(self.loans.headerData(column, Qt.Orientation.Horizontal)))
            width = max(metrics.horizontalAdvance(text) for text in texts)
            widths.append(width + 3 * metrics.averageCharWidth())
            table.setColumnWidth(column, widths[-1])
        self._size_title(sum(widths), wanted=None)

    def _size_title(self, others: int, wanted: int | None) -> None:
        """The title column: as wide as its titles (``wanted``; None: all
        the room there is), within the room the other columns leave, but
        never narrower than TITLE_CHARS (the rest then scrolls sideways)."""
        table = self.form.loansTable
        room = table.viewport().width() - others
        least = TITLE_CHARS * table.fontMetrics().averageCharWidth()
        width = room if wanted is None else min(wanted, room)
        table.setColumnWidth(TITLE_COLUMN, max(width, least))

    def show_borrower(
        self, status: Verdict | None, requests: Sequence[BorrowerRequest] | None = None
    ) -> None:
        """The borrower of ``status`` (None: nobody); ``requests``: theirs
        with their places in the queues, when read (else the barcodes the
        status lists)."""
        form = self.form
        if status is None:
            form.nameValue.setText(
                QCoreApplication.translate(
                    "BorrowerPanel", "No borrower: scan a library card or health card."
                )
            )
            form.suspensionBadge.hide()
            for label in (
                form.categoryValue,
                form.instituteValue,
                form.deliveryValue,
                form.cardValue,
                form.eResourcesValue,
                form.requestsValue,
            ):
                label.setText("–")
            self.loans.set_loans([])
            return
        data = status.data
        form.nameValue.setText(data["name"])
        self._badge(data)
        form.categoryValue.setText(category_name(data["category"]))
        form.instituteValue.setText(f"{data['institute_name']} ({data['institute']})")
        form.deliveryValue.setText(delivery_name(data["delivery"]))
        if data["card_valid"]:
            form.cardValue.setText(
                QCoreApplication.translate("BorrowerPanel", "{card}, valid").format(
                    card=data["card"]
                )
            )
            form.cardValue.setStyleSheet("")
        else:
            form.cardValue.setText(
                QCoreApplication.translate("BorrowerPanel", "{card}: NOT VALID. {problem}").format(
                    card=data["card"], problem=data.get("card_problem") or ""
                )
            )
            form.cardValue.setStyleSheet("color: #b3261e; font-weight: 700;")
        form.eResourcesValue.setText(
            QCoreApplication.translate("BorrowerPanel", "Yes: may use the e-resources")
            if data["e_resources"]
            else QCoreApplication.translate("BorrowerPanel", "No access to e-resources")
        )
        self._loans(data["loan_details"])
        listed = data.get("requests") or []
        if not listed:
            form.requestsValue.setText(QCoreApplication.translate("BorrowerPanel", "None"))
        elif requests is not None:
            form.requestsValue.setText("\n".join(self.request_line(r) for r in requests))
        else:
            form.requestsValue.setText(", ".join(listed))
        form.requestsLabel.setText(
            QCoreApplication.translate("BorrowerPanel", "Requests ({count})").format(
                count=len(listed)
            )
            if listed
            else QCoreApplication.translate("BorrowerPanel", "Requests")
        )

    def request_line(self, request: BorrowerRequest) -> str:
        """ "Title (barcode): number 2 of 3, on loan until 02.04.2026"."""
        place = QCoreApplication.translate(
            "BorrowerPanel", "number {position} of {waiting}"
        ).format(position=request.position, waiting=request.waiting)
        if request.due is not None:
            where = QCoreApplication.translate("BorrowerPanel", "on loan until {date}").format(
                date=format_date(request.due, self.language)
            )
        elif request.on_pick_list:
            where = QCoreApplication.translate("BorrowerPanel", "on the shelf: on the pick list")
        else:
            where = QCoreApplication.translate("BorrowerPanel", "not on the shelf (lost)")
        return f"{request.title} ({request.barcode}): {place}, {where}"

    def _badge(self, data: dict[str, Any]) -> None:
        badge = self.form.suspensionBadge
        if not data["suspended"]:
            badge.hide()
            badge.setText("")
            return
        badge.setText(
            QCoreApplication.translate(
                "BorrowerPanel", "SUSPENDED (S2) because of: {items}"
            ).format(items=", ".join(data["causes"]))
        )
        badge.show()

    def _loans(self, loans: list[dict[str, Any]]) -> None:
        self.loans.set_loans(loans)
        table = self.form.loansTable
        if len(loans) <= FIT_UP_TO:
            for column in range(3):
                table.resizeColumnToContents(column)
            header = table.horizontalHeader()
            # the last column stretches: its own need, not its stretched width
            others = sum(
                max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(3)
            )
            table.resizeColumnToContents(TITLE_COLUMN)
            self._size_title(others, wanted=table.columnWidth(TITLE_COLUMN))
        else:
            self._size_columns()

    # for tests and the screenshots
    def loan_rows(self) -> list[list[str]]:
        return [list(self.loans.texts(row)) for row in range(self.loans.rowCount())]
