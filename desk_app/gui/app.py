"""Start the desk window. (The scan-driven desk itself is issue 3; this
placeholder shows which database and policy the desk would work on.)"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from desk_app.config import AppConfig
from desk_app.domain.policy import Policy
from desk_app.services.context import DeskContext
from desk_app.services.overview import overview


def tr(text: str) -> str:
    return QCoreApplication.translate("DeskWindow", text)


class DeskWindow(QMainWindow):
    """Placeholder main window: the database and what it holds."""

    def __init__(self, ctx: DeskContext, database_label: str) -> None:
        super().__init__()
        self.setWindowTitle(tr("Circulation desk: institute loan scheme"))
        self.resize(720, 360)
        counts = overview(ctx)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        title = QLabel(tr("Circulation desk"), body)
        title.setStyleSheet("font-size: 28px; font-weight: 600;")
        self.summary = QLabel(
            tr("Database: {db}\nBorrowers: {b}   Items: {i}   Open loans: {l}").format(
                db=database_label, b=counts.borrowers, i=counts.items, l=counts.open_loans
            ),
            body,
        )
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(
            tr(
                "The scan-driven desk comes next. Meanwhile: desk-app replay FILE, "
                "desk-app notices, desk-app demo."
            ),
            body,
        )
        hint.setWordWrap(True)
        for widget in (title, self.summary, hint):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setCentralWidget(body)


def run_gui(config: AppConfig, policy: Policy) -> int:
    from desk_app.wiring import database_label, open_desk

    app = QApplication.instance() or QApplication(sys.argv)
    ctx = open_desk(config.database_url, cpr_key=config.cpr_key, policy=policy)
    window = DeskWindow(ctx, database_label(config.database_url))
    window.show()
    return app.exec()
