"""Issue 13 point 4 in the dispatch window: items scanned into the crate (keys
typed into the scan field) are still loaded after the window is closed and
opened again, at another desk, and after a restart of the desk."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from desk_app.domain.roles import Role
from desk_app.services.context import Actor
from desk_app.services.loading import LoadingList
from desk_app.services.staff import add_staff
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.gui.conftest import STAFF, scan
from tests.gui.test_dispatch_window import (
    _dispatch_window,
    _rows,
    _transit,
    courier,
)
from tests.helpers.databases import sqlite_file_url
from tests.helpers.people import item

FIXTURES = (courier,)  # the dispatch window's, found by name


def test_h13_p4_the_crate_survives_closing_the_window_another_desk_and_a_restart(
    qtbot, gui_ctx, courier, tmp_path, clock, policy
):
    clock.set(datetime(2026, 3, 2, 10, 5))
    window, _ = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    scan(qtbot, window, item(6))
    scan(qtbot, window, item(2), Qt.Key.Key_Tab)
    assert window.banner.title == "Loaded"
    assert _rows(window.form.loadedList) == [("1", item(6)), ("1", item(2))]
    window.close()

    # the same courier opens the window again: nothing to scan twice
    again, _ = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    form = again.form
    assert _rows(form.loadedList) == [("1", item(6)), ("1", item(2))]
    assert _rows(form.missingList) == [("2", item(1))]
    assert "Loaded 2 of 3" in form.countLabel.text()
    tip = form.loadedList.topLevelItem(0).toolTip(1)
    assert tip == f"Loaded by {STAFF[Role.COURIER]}, Main desk, 10:05:00"
    scan(qtbot, again, item(6))
    assert again.banner.title == "Already loaded"
    again.close()

    # a second courier at another desk sees the same crate and adds to it
    admin = Actor(STAFF[Role.ADMIN], "Main desk")
    add_staff(gui_ctx, "Karen Courier", Role.COURIER, "4444", by=admin)
    other, _ = _dispatch_window(qtbot, gui_ctx, Actor("Karen Courier", "Loading bay"), tmp_path)
    assert _rows(other.form.loadedList) == [("1", item(6)), ("1", item(2))]
    clock.set(datetime(2026, 3, 2, 10, 20))
    scan(qtbot, other, item(1))
    assert "Loaded 3 of 3" in other.form.countLabel.text()
    other.close()

    # a restart: a new connection to the same database reads the crate back
    restarted = open_desk(
        sqlite_file_url(tmp_path), cpr_key=TEST_CPR_KEY, policy=policy, clock=clock
    )
    try:
        window, questions = _dispatch_window(qtbot, restarted, courier, tmp_path)
        assert [row[1] for row in _rows(window.form.loadedList)] == [item(6), item(2), item(1)]
        assert window.form.missingList.topLevelItemCount() == 0
        assert window.form.loadedList.topLevelItem(2).toolTip(0) == (
            "Loaded by Karen Courier, Loading bay, 10:20:00"
        )
        qtbot.keyClick(window, Qt.Key.Key_F10)
        assert questions == [], "nothing is missing, so nothing to confirm"
        assert window.banner.title == "Dispatched"
        assert {_transit(restarted, b) for b in (item(1), item(2), item(6))} == {"in_transit"}
        window.close()
    finally:
        restarted.close()


def test_h13_p4_a_scan_after_another_desk_dispatched_shows_the_route_as_it_left(
    qtbot, gui_ctx, courier, tmp_path, clock
):
    window, _ = _dispatch_window(qtbot, gui_ctx, courier, tmp_path)
    scan(qtbot, window, item(6))
    # meanwhile, at another desk, the route leaves with what was loaded
    other = LoadingList(gui_ctx, courier, window.loading.manifest)  # type: ignore[union-attr]
    clock.set(datetime(2026, 3, 2, 11, 30))
    assert other.dispatch().data["loaded"] == 1
    scan(qtbot, window, item(2))
    assert window.banner.title == "Not possible"
    assert "Dispatched 11:30" in window.form.stateLabel.text()
    assert not window.scan_field.isEnabled()
    assert _transit(gui_ctx, item(2)) == "awaiting_dispatch"
    assert _rows(window.form.loadedList) == [("1", item(6))]
