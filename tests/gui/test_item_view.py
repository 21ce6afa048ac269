"""Find an item and see where it is (issue 15), driven key by key: title
words, a scanned barcode; the status, the history (a supervisor's only);
a request placed for the borrower at the desk and cancelled (L3-L4, Q2);
the slip reprinted (T4)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from desk_app.domain.request_states import RequestState
from desk_app.domain.roles import Role
from desk_app.gui.item_view import ItemDialog
from desk_app.services import circulation
from desk_app.services.context import Actor
from desk_app.store.models import Borrower, Item, Request
from tests.gui.conftest import STAFF
from tests.helpers.people import ANNE, BO, CECILIE, item


def actor(role: Role = Role.DESK) -> Actor:
    return Actor(STAFF[role], "Main desk")


def borrower_id(ctx, name: str) -> int:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return session.scalars(select(Borrower.id).where(Borrower.name == name)).one()


def active_requesters(ctx, barcode: str) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(
            session.scalars(
                select(Borrower.name)
                .join(Request, Request.borrower_id == Borrower.id)
                .join(Item, Item.id == Request.item_id)
                .where(Item.barcode == barcode, Request.state == RequestState.ACTIVE)
            )
        )


def _dialog(qtbot, ctx, role: Role = Role.DESK, borrower: int | None = None) -> ItemDialog:  # type: ignore[no-untyped-def]
    dialog = ItemDialog(ctx, actor(role), borrower, language="en", debounce_ms=None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    if borrower is not None:
        qtbot.waitUntil(lambda: dialog.at_desk is not None, timeout=5000)
    return dialog


def _type_and_pause(qtbot, dialog: ItemDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    """Typed at a person's pace; the pause shows the hits, then the
    highlighted item's status."""
    qtbot.keyClicks(dialog.field, text)
    with qtbot.waitSignal(dialog.sig_results_shown, timeout=5000):
        dialog.search.debounce.flush()
    with qtbot.waitSignal(dialog.sig_status_shown, timeout=5000):
        dialog.status_query.debounce.flush()


def _scan(qtbot, dialog: ItemDialog, barcode: str) -> None:  # type: ignore[no-untyped-def]
    """A scanner types the barcode and Enter: straight to the item."""
    with qtbot.waitSignal(dialog.sig_status_shown, timeout=5000) as shown:
        qtbot.keyClicks(dialog.field, barcode)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert shown.args == [barcode]


def test_item_found_by_title_words_shows_its_status(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    _type_and_pause(qtbot, dialog, "art comp")
    first = dialog.results.topLevelItem(0)
    assert first.text(2) == item(2)
    assert first.text(0) == "The Art of Computer Programming"
    assert dialog.status_barcode == item(2)
    assert dialog.title_label.text() == "The Art of Computer Programming"
    assert dialog.status_label.text() == "On the shelf."
    assert dialog.field.hasFocus()
    # no borrower at the desk: nobody to request it for; nothing to reprint
    assert not dialog.request_button.isEnabled()
    assert "no borrower" in dialog.request_button.text()
    assert not dialog.cancel_button.isEnabled()
    assert not dialog.reprint_button.isEnabled()


def test_nothing_found_and_too_short_are_said(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    qtbot.keyClicks(dialog.field, "q")
    assert "at least 2 letters" in dialog.message.text()
    qtbot.keyClicks(dialog.field, "wxyzzy")
    with qtbot.waitSignal(dialog.sig_results_shown, timeout=5000):
        dialog.search.debounce.flush()
    assert dialog.results.topLevelItemCount() == 0
    assert dialog.message.text() == "Nothing found for “qwxyzzy”."
    assert dialog.status is None


def test_a_scanned_barcode_goes_straight_to_the_item_and_reprint_emits(qtbot, gui_ctx):
    assert circulation.checkout(gui_ctx, actor(), CECILIE, item(6)).ok
    dialog = _dialog(qtbot, gui_ctx)
    _scan(qtbot, dialog, item(6))
    assert dialog.highlighted() == item(6)
    # Cecilie's institute is on a courier route (T3): lent, waiting for the courier
    assert dialog.status_label.text() == "Lent, due 2027-03-02: waiting for the courier."
    assert dialog.reprint_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_reprint_slip, timeout=2000) as reprint:
        qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    assert reprint.args == [item(6)]
    assert item(6) in dialog.outcome_label.text()


def test_a_scan_kept_by_the_desk_guard_goes_to_the_item(qtbot, gui_ctx):
    dialog = _dialog(qtbot, gui_ctx)
    with qtbot.waitSignal(dialog.sig_status_shown, timeout=5000):
        assert dialog.take_scan(item(1))
    assert dialog.status_barcode == item(1)
    assert dialog.field.text() == item(1)


def test_history_is_hidden_for_the_desk_and_shown_for_a_supervisor(qtbot, gui_ctx):
    desk = actor()
    assert circulation.checkout(gui_ctx, desk, ANNE, item(1)).ok
    assert circulation.checkin(gui_ctx, desk, item(1)).ok
    assert circulation.checkout(gui_ctx, desk, BO, item(1)).ok
    at_desk = _dialog(qtbot, gui_ctx, Role.DESK)
    _scan(qtbot, at_desk, item(1))
    assert at_desk.history_box.isHidden()
    assert "Bo Nielsen" not in at_desk.queue_label.text()  # who has it: a supervisor's
    supervisor = _dialog(qtbot, gui_ctx, Role.SUPERVISOR)
    _scan(qtbot, supervisor, item(1))
    assert supervisor.history_box.isVisible()
    rows = [
        [supervisor.history.topLevelItem(r).text(c) for c in range(4)]
        for r in range(supervisor.history.topLevelItemCount())
    ]
    assert rows == [["2026-03-02", "2026-03-02", "Anne Jensen", "returned"]]
    assert "Lent to Bo Nielsen" in supervisor.queue_label.text()


def test_l4_request_placed_for_the_borrower_at_the_desk_then_q2_cancelled(qtbot, gui_ctx):
    assert circulation.checkout(gui_ctx, actor(), CECILIE, item(2)).ok
    anne = borrower_id(gui_ctx, "Anne Jensen")
    dialog = _dialog(qtbot, gui_ctx, borrower=anne)
    placed: list[str] = []
    cancelled: list[str] = []
    changed: list[int] = []
    dialog.sig_request_place.connect(placed.append)
    dialog.sig_request_cancel.connect(cancelled.append)
    dialog.sig_requests_changed.connect(changed.append)
    _scan(qtbot, dialog, item(2))
    assert dialog.request_button.text() == "Request for Anne Jensen"
    assert dialog.request_button.isEnabled()
    assert not dialog.cancel_button.isEnabled()

    with qtbot.waitSignal(dialog.sig_outcome, timeout=5000) as outcome:
        qtbot.mouseClick(dialog.request_button, Qt.MouseButton.LeftButton)
    verdict = outcome.args[0]
    assert verdict.ok and verdict.data["position"] == 1
    moved = verdict.data["due_changed_to"]
    assert moved is not None  # L4: Cecilie's loan is due sooner now
    said = dialog.outcome_label.text()
    assert said == verdict.message("en")
    assert moved.isoformat() in said or moved.strftime("%-d") in said
    assert placed == [item(2)] and changed == [anne]
    assert active_requesters(gui_ctx, item(2)) == ["Anne Jensen"]
    # the status and the borrower's requests are read again
    qtbot.waitUntil(dialog.cancel_button.isEnabled, timeout=5000)
    qtbot.waitUntil(lambda: "Requested by 1" in dialog.status_label.text(), timeout=5000)
    assert "Anne Jensen is number 1 of 1" in dialog.queue_label.text()
    assert not dialog.request_button.isEnabled()  # one request each

    with qtbot.waitSignal(dialog.sig_outcome, timeout=5000) as outcome:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert outcome.args[0].ok
    assert "Request cancelled" in dialog.outcome_label.text()
    assert cancelled == [item(2)] and changed == [anne, anne]
    assert active_requesters(gui_ctx, item(2)) == []
    qtbot.waitUntil(dialog.request_button.isEnabled, timeout=5000)
    assert not dialog.cancel_button.isEnabled()


def test_a_refused_request_is_said_and_signals_nothing(qtbot, gui_ctx):
    """Karl's card has expired: the request is refused with its reason."""
    karl = borrower_id(gui_ctx, "Karl Mortensen")
    dialog = _dialog(qtbot, gui_ctx, borrower=karl)
    changed: list[int] = []
    dialog.sig_requests_changed.connect(changed.append)
    _scan(qtbot, dialog, item(2))
    with qtbot.waitSignal(dialog.sig_outcome, timeout=5000) as outcome:
        qtbot.mouseClick(dialog.request_button, Qt.MouseButton.LeftButton)
    assert not outcome.args[0].ok
    assert dialog.outcome_label.text() == outcome.args[0].message("en")
    assert changed == []
    assert active_requesters(gui_ctx, item(2)) == []
