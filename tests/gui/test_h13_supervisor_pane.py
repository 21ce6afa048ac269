"""Issue 13 point 2: the supervisor's detail pane always shows the highlighted
results row, on every path: a new search, a click, the arrow keys, a sort by
a heading, F5, and a borrower opened from the suspended list. Driven with
keys typed into the search field and clicks on the real widgets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select, update

from desk_app.gui.supervisor_window import SupervisorWindow
from desk_app.store.models import Borrower, Loan
from tests.gui.test_supervisor_window import (
    click_row,
    find,
    make_supervisor,
    suspended,
)

FIXTURES = (make_supervisor, suspended)  # the supervisor screen's, found by name


def active(qtbot, window: SupervisorWindow) -> SupervisorWindow:  # type: ignore[no-untyped-def]
    """Window shortcuts (F5) work in the active window only, as at the desk."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def highlighted_name(window: SupervisorWindow) -> str | None:
    """The name in the highlighted results row, as the supervisor sees it."""
    table = window.form.resultsTable
    rows = table.selectionModel().selectedRows()
    return table.item(rows[0].row(), 0).text() if rows else None


def assert_pane_is_the_highlighted_row(window: SupervisorWindow, name: str) -> None:
    assert highlighted_name(window) == name
    assert window.case is not None and window.case.name == name
    assert window.case.borrower_id == window.highlighted_borrower()
    assert window.form.nameLabel.text() == name


def assert_pane_is_empty(window: SupervisorWindow) -> None:
    assert window.case is None
    assert window.form.nameLabel.text() == "Find a borrower on the left."
    assert not window.form.badgeLabel.isVisibleTo(window)


def click_heading(qtbot, table, column: int) -> None:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_h13_p2_a_new_single_result_replaces_the_previous_borrower(qtbot, make_supervisor):
    """The reported case: Erik (not suspended) clicked, then a search whose
    single result (Bo, suspended) is highlighted: the pane said 'Not suspended'."""
    window = make_supervisor()
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    click_row(qtbot, window.form.resultsTable, 1)
    assert_pane_is_the_highlighted_row(window, "Erik Andersen")
    assert window.form.badgeLabel.text() == "Not suspended"

    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    assert_pane_is_the_highlighted_row(window, "Bo Nielsen")
    assert window.form.badgeLabel.text().startswith("SUSPENDED since 2026-02-11")
    # the same with the first row highlighted before (the row kept its place)
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    click_row(qtbot, window.form.resultsTable, 0)
    assert_pane_is_the_highlighted_row(window, "Cecilie Hansen")
    assert find(qtbot, window, "jensen") == ["Anne Jensen"]
    assert_pane_is_the_highlighted_row(window, "Anne Jensen")


def test_h13_p2_a_search_with_no_single_result_leaves_no_one_in_the_pane(qtbot, make_supervisor):
    window = make_supervisor()
    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    assert_pane_is_the_highlighted_row(window, "Bo Nielsen")
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    assert highlighted_name(window) is None
    assert_pane_is_empty(window)
    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    assert find(qtbot, window, "no such person") == []
    assert_pane_is_empty(window)


def test_h13_p2_arrow_keys_and_clicks_move_the_pane_with_the_highlight(qtbot, make_supervisor):
    window = make_supervisor()
    table = window.form.resultsTable
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    click_row(qtbot, table, 0)
    assert_pane_is_the_highlighted_row(window, "Cecilie Hansen")
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert_pane_is_the_highlighted_row(window, "Erik Andersen")
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert_pane_is_the_highlighted_row(window, "Cecilie Hansen")
    click_row(qtbot, table, 1)
    assert_pane_is_the_highlighted_row(window, "Erik Andersen")


def test_h13_p2_sorting_by_a_heading_keeps_the_pane_on_the_highlighted_row(qtbot, make_supervisor):
    window = make_supervisor()
    table = window.form.resultsTable
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    click_row(qtbot, table, 1)  # Erik
    click_heading(qtbot, table, 0)
    click_heading(qtbot, table, 0)  # by name, Z-A: Erik moves to the top
    assert [table.item(r, 0).text() for r in range(2)] == ["Erik Andersen", "Cecilie Hansen"]
    assert_pane_is_the_highlighted_row(window, "Erik Andersen")
    # the rows know their borrower, not their place
    click_row(qtbot, table, 1)
    assert_pane_is_the_highlighted_row(window, "Cecilie Hansen")
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert_pane_is_the_highlighted_row(window, "Erik Andersen")
    # a new search keeps the chosen order and still shows the highlighted row
    assert find(qtbot, window, "nordic") == ["Erik Andersen", "Cecilie Hansen"]
    assert_pane_is_empty(window)
    click_row(qtbot, table, 1)
    assert_pane_is_the_highlighted_row(window, "Cecilie Hansen")


def test_h13_p2_f5_repaints_the_highlighted_borrower_afresh(qtbot, make_supervisor, suspended):
    window = active(qtbot, make_supervisor())
    table = window.form.resultsTable
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    click_heading(qtbot, table, 0)
    click_heading(qtbot, table, 0)
    click_row(qtbot, table, 1)  # Cecilie, second once sorted Z-A
    qtbot.keyClick(table, Qt.Key.Key_F5)
    assert [table.item(r, 0).text() for r in range(2)] == ["Erik Andersen", "Cecilie Hansen"]
    assert_pane_is_the_highlighted_row(window, "Cecilie Hansen")

    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    assert window.form.badgeLabel.text().startswith("SUSPENDED")
    with suspended.sessions.begin() as session:  # another desk settles Bo's cases
        bo = session.scalars(select(Borrower.id).where(Borrower.name == "Bo Nielsen")).one()
        session.execute(
            update(Loan)
            .where(Loan.borrower_id == bo, Loan.state == "open")
            .values(settled=True, settled_on=date(2026, 2, 12), agreed_date=date(2026, 3, 1))
        )
    qtbot.keyClick(window.form.searchField, Qt.Key.Key_F5)
    assert_pane_is_the_highlighted_row(window, "Bo Nielsen")
    assert window.form.badgeLabel.text().startswith("Settled by contact")


def test_h13_p2_a_borrower_opened_from_the_suspended_list_is_never_paired_with_another_row(
    qtbot, make_supervisor
):
    window = active(qtbot, make_supervisor())
    table = window.form.resultsTable
    assert find(qtbot, window, "nordic") == ["Cecilie Hansen", "Erik Andersen"]
    click_row(qtbot, table, 1)
    window.form.tabs.setCurrentIndex(1)
    suspended_table = window.form.suspendedTable
    row = [r[0] for r in window.suspended_rows()].index("Ida Health")
    rect = suspended_table.visualRect(suspended_table.model().index(row, 0))
    qtbot.mouseClick(suspended_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(suspended_table, Qt.Key.Key_Return)
    assert window.form.tabs.currentIndex() == 0
    assert window.form.nameLabel.text() == "Ida Health"
    assert highlighted_name(window) is None, "Erik's row must not stay highlighted"
    qtbot.keyClick(window.form.searchField, Qt.Key.Key_F5)
    assert window.form.nameLabel.text() == "Ida Health" and highlighted_name(window) is None
    # one that is among the results gets their row highlighted
    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    several = find(qtbot, window, "diku")  # the institute: Bo among others
    assert "Bo Nielsen" in several and len(several) > 1, several
    window.form.tabs.setCurrentIndex(1)
    row = [r[0] for r in window.suspended_rows()].index("Bo Nielsen")
    rect = suspended_table.visualRect(suspended_table.model().index(row, 0))
    qtbot.mouseClick(suspended_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(suspended_table, Qt.Key.Key_Return)
    assert_pane_is_the_highlighted_row(window, "Bo Nielsen")


def test_h13_p2_a_search_message_never_repeats_a_cpr_number_or_a_pasted_page(
    qtbot, make_supervisor
):
    window = make_supervisor()
    assert find(qtbot, window, "311299-1234") == []  # a health card of no one
    label = window.form.resultsLabel.text()
    assert "1234" not in label and "311299-XXXX" in label
    assert_pane_is_empty(window)
    window.form.searchField.setText("x" * 5000)  # pasted, not typed: too slow by keys
    qtbot.keyClick(window.form.searchField, Qt.Key.Key_Return)
    assert len(window.form.resultsLabel.text()) < 200
    assert_pane_is_empty(window)
