"""The placeholder desk window opens and shows the database it works on."""

from __future__ import annotations

from desk_app.gui.app import DeskWindow
from desk_app.services.circulation import checkout
from tests.helpers.people import ANNE, item, seed_cast


def test_window_shows_counts_of_the_database(qtbot, ctx, actor):
    seed_cast(ctx)
    checkout(ctx, actor, ANNE, item(1))
    window = DeskWindow(ctx, "sqlite:///test")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    text = window.summary.text()
    assert "Borrowers: 9" in text and "Items: 6" in text and "Open loans: 1" in text
    assert not window.grab().isNull()
