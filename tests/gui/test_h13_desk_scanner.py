"""Issue 13 at the desk window: a scanner while a dialog is open (point 1),
a supervisor authorising an override in place (17), refusals that name their
item and stay in view (18), and the desk's leftovers of point 19.

A wedge scanner types 1-10 ms per key; the key events here carry such
timestamps (and a person's, 150 ms apart), so no test waits for time. The
dialogs are the real ones: Qt's own print dialog and the override dialog.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from itertools import pairwise

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QWidget,
)
from sqlalchemy import select, update

from desk_app.domain.roles import Role
from desk_app.gui.override_dialog import OverrideDialog
from desk_app.gui.printer import DocumentPrinter
from desk_app.services import circulation
from desk_app.services.context import Actor
from desk_app.services.desk import Mode, Tone
from desk_app.services.notices import run_notices
from desk_app.store.models import AuditEntry, Loan, Staff
from tests.gui.conftest import PINS, STAFF, scan
from tests.helpers.people import ANNE, BO, STUDENT, card, item

SCANNER_MS = 5  # a wedge scanner: 1-10 ms per key
PERSON_MS = 150  # a quick typist
SUPERVISOR_CARD = card(50)
_clock = [1_000_000]  # event timestamps, in ms: they only ever go forward


def _keys(text: str, gap: int, end: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Type ``text`` (then ``end``) into whatever has the focus, as key events
    stamped ``gap`` ms apart: a scanner's burst or a person's typing. A capital
    letter comes with Shift pressed and released around it, as from a
    keyboard (a scanner's Codabar A-D too)."""
    for ch in text:
        if ch.isupper():
            _send(QEvent.Type.KeyPress, Qt.Key.Key_Shift, "", Qt.KeyboardModifier.ShiftModifier)
            _key(Qt.Key(ord(ch)), ch, gap, Qt.KeyboardModifier.ShiftModifier)
            _send(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, "", Qt.KeyboardModifier.NoModifier)
        else:
            _key(Qt.Key(ord(ch.upper())), ch, gap)
    if end is not None:
        _key(end, "\r" if end == Qt.Key.Key_Return else "\t", gap)


def _key(
    key: Qt.Key, text: str, gap: int, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    _clock[0] += gap
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        _send(kind, key, text, mods)


def _send(kind: QEvent.Type, key: Qt.Key, text: str, mods: Qt.KeyboardModifier) -> None:
    target = QApplication.focusWidget() or QApplication.activeModalWidget()
    assert target is not None
    event = QKeyEvent(kind, key, mods, text)
    event.setTimestamp(_clock[0])
    QApplication.sendEvent(target, event)


def _in_dialog(qtbot, act: Callable[[QDialog], None]) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Run ``act`` on the next modal dialog. A failure, or a dialog still open
    5 s later (a leaked Enter may open more), closes every dialog, so the
    test fails instead of hanging."""
    errors: list[BaseException] = []

    def close_all() -> None:
        for _ in range(10):
            modal = QApplication.activeModalWidget()
            if modal is None:
                return
            errors.append(AssertionError(f"{type(modal).__name__} left open"))
            modal.reject() if isinstance(modal, QDialog) else modal.close()

    tries = [500]  # the dialog may open after an operation on the worker: 10 ms apart

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None and tries[0] > 0:
            tries[0] -= 1
            QTimer.singleShot(10, run)
            return
        try:
            assert isinstance(dialog, QDialog), dialog
            safety = QTimer(dialog)  # goes with the dialog
            safety.setSingleShot(True)
            safety.timeout.connect(close_all)
            safety.start(5000)
            # a scanner's keys go to the active window: the dialog, once it is up
            qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
            act(dialog)
        except BaseException as error:  # reported by the test, after the dialog
            errors.append(error)
            close_all()

    QTimer.singleShot(0, run)
    return errors


def _state(dialog: QWidget) -> list[object]:
    """What typing could change in a dialog: texts, choices, numbers."""
    seen: list[object] = []
    for field in dialog.findChildren(QLineEdit):
        seen.append(("line", field.objectName(), field.text()))
    for box in dialog.findChildren(QComboBox):
        seen.append(("combo", box.objectName(), box.currentIndex(), box.currentText()))
    for spin in dialog.findChildren(QAbstractSpinBox):
        seen.append(("spin", spin.objectName(), spin.text()))
    return seen


def _loans(ctx) -> list[Loan]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(Loan).order_by(Loan.id)))


def _audit(ctx, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list(session.scalars(query))


# -- point 1: a scan while a dialog is open -------------------------------------------


def test_h13_p1_scan_into_the_print_dialog_is_kept_and_scanned_after(qtbot, make_window, gui_ctx):
    window = make_window(printer=None)  # no printer set: Ctrl+P asks with Qt's print dialog
    assert isinstance(window.printer, DocumentPrinter) and window.printer.printer_name == ""
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    seen: dict[str, object] = {}

    def burst(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintDialog)
        before = _state(dialog)
        seen["focus"] = type(QApplication.focusWidget()).__name__
        _keys(item(6), SCANNER_MS)  # the next item's digits, and its Enter
        seen["still open"] = dialog.isVisible() and dialog.result() == 0
        seen["unchanged"] = _state(dialog) == before
        seen["status"] = window.statusBar().currentMessage()
        seen["nothing yet"] = len(_loans(gui_ctx)) == 1
        dialog.reject()

    errors = _in_dialog(qtbot, burst)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):  # drawn on the worker
        window.actions_by_name["print_slip"].trigger()
    assert not errors, errors
    assert seen["still open"], "the scan's Enter pressed Print"
    assert seen["unchanged"], f"the scan typed into the print dialog ({seen['focus']})"
    assert seen["nothing yet"]  # nothing is done behind an open dialog
    assert item(6) in str(seen["status"]) and "kept" in str(seen["status"])
    # after the dialog, the scan is done at the desk, as if typed there
    qtbot.waitUntil(lambda: len(_loans(gui_ctx)) == 2, timeout=3000)
    assert [loan.item.barcode for loan in _loans_with_items(gui_ctx)] == [item(1), item(6)]
    assert window.banner.title == "Loaned" and item(6) in window.banner.item
    assert "Structure and Interpretation" in window.banner.item
    assert window.statusBar().currentMessage() == "Printing cancelled."
    assert window.scan_field.text() == ""


def test_h13_p1_a_scan_still_sent_to_the_desk_as_the_dialog_opens_is_kept(
    qtbot, make_window, gui_ctx
):
    """The window system may still send a scan's first keys to the desk
    window once the dialog is up; Qt drops keys to a blocked window. They are
    kept with the rest of the scan and scanned after the dialog."""
    window = make_window(printer=None)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    seen: dict[str, object] = {}

    def split_burst(dialog: QDialog) -> None:
        before = _state(dialog)
        code = item(6)
        for ch in code[:5]:  # to the desk's own window, blocked by the dialog
            _clock[0] += SCANNER_MS
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key(ord(ch)), Qt.KeyboardModifier.NoModifier, ch)
                event.setTimestamp(_clock[0])
                QApplication.sendEvent(window.windowHandle(), event)
        _keys(code[5:], SCANNER_MS)  # the rest, and Enter, to the dialog
        seen["still open"] = dialog.isVisible()
        seen["unchanged"] = _state(dialog) == before
        dialog.reject()

    errors = _in_dialog(qtbot, split_burst)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        window.actions_by_name["print_slip"].trigger()
    assert not errors, errors
    assert seen == {"still open": True, "unchanged": True}
    qtbot.waitUntil(lambda: len(_loans(gui_ctx)) == 2, timeout=3000)
    assert window.session.log[-1].read == item(6)
    assert window.scan_field.text() == ""


def _loans_with_items(ctx):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import selectinload

    with ctx.sessions() as session:
        query = select(Loan).options(selectinload(Loan.item)).order_by(Loan.id)
        return list(session.scalars(query))


def test_h13_p1_ctrl_p_with_a_missing_printer_says_so_and_opens_no_dialog(qtbot, make_window):
    asked: list[str] = []

    def ask(*_args: object) -> bool:
        asked.append("asked")
        return False

    printer = DocumentPrinter("Desk thermal printer", None, ask_printer=ask)
    window = make_window(printer=printer)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        qtbot.keyClick(window.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == []  # silent: a set printer that is missing is no reason to ask
    assert "not installed" in window.statusBar().currentMessage()
    assert QApplication.activeModalWidget() is None


def test_h13_p1_scanned_barcode_never_becomes_the_override_reason(qtbot, make_window, gui_ctx):
    window = make_window(Role.SUPERVISOR)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(4))  # reading room only: a supervisor may lend it anyway
    assert window.session.can_override()
    seen: dict[str, object] = {}

    def scan_then_type(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        assert dialog.focusWidget() is dialog.form.reasonField
        _keys(f"A{item(1)}B", SCANNER_MS)  # the next item, Codabar letters and all
        seen["reason after scan"] = dialog.form.reasonField.toPlainText()
        seen["open"] = dialog.isVisible()
        seen["note"] = dialog.form.scanNote.text()
        _keys("Edition work", PERSON_MS, end=None)  # a person types the reason
        qtbot.mouseClick(
            dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )

    errors = _in_dialog(qtbot, scan_then_type)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    assert seen["reason after scan"] == "" and seen["open"]
    assert item(1) in str(seen["note"])
    (entry,) = _audit(gui_ctx, "checkout_override")
    assert json.loads(entry.detail)["reason"] == "Edition work"  # the words, not the barcode
    qtbot.waitUntil(lambda: len(_loans(gui_ctx)) == 2, timeout=3000)
    # the override first, then the scan kept while the dialog was open
    assert [(e.action, e.read) for e in window.session.log[-2:]] == [
        ("override", item(4)),
        ("check_out", item(1)),
    ]
    assert window.banner.title == "Loaned"


def test_h13_p1_a_person_typing_in_a_dialog_still_types(qtbot, make_window, gui_ctx):
    """Held back a moment to tell it from a scanner, a person's typing reaches
    its field whole and in order, whatever the pause before the button."""
    window = make_window(Role.SUPERVISOR)
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))
    seen: dict[str, str] = {}

    def type_and_wait(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        _keys("Dean 2026", PERSON_MS, end=None)
        # the last key is released after a pause (the guard's own timer)
        qtbot.waitUntil(lambda: dialog.reason() == "Dean 2026", timeout=2000)
        seen["reason"] = dialog.reason()
        dialog.reject()

    errors = _in_dialog(qtbot, type_and_wait)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    assert seen["reason"] == "Dean 2026"
    assert _loans(gui_ctx) == []


def test_h13_p1_a_person_tabs_to_lend_anyway_and_presses_space(qtbot, make_window, gui_ctx):
    """Found at the real window: the guard held Space back and let only its
    press through, but a button clicks on Space's release, so a keyboard-only
    supervisor could not confirm the override."""
    window = make_window(Role.SUPERVISOR)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(4))
    assert window.session.can_override()

    def type_tab_space(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        _keys("Edition work", PERSON_MS, end=None)
        _key(Qt.Key.Key_Tab, "\t", PERSON_MS)
        ok = dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert QApplication.focusWidget() is ok
        _key(Qt.Key.Key_Space, " ", PERSON_MS)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)

    errors = _in_dialog(qtbot, type_tab_space)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    (entry,) = _audit(gui_ctx, "checkout_override")
    assert json.loads(entry.detail)["reason"] == "Edition work"


# -- point 17: a supervisor authorises in place ------------------------------------


def _give_supervisor_a_card(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.sessions.begin() as session:
        session.execute(
            update(Staff).where(Staff.name == STAFF[Role.SUPERVISOR]).values(card=SUPERVISOR_CARD)
        )


def test_h13_p17_supervisor_card_and_pin_authorise_at_the_desk_login(qtbot, window, gui_ctx):
    _give_supervisor_a_card(gui_ctx)
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))  # NOT_ELIGIBLE: overridable
    log_before = len(window.session.log)
    seen: dict[str, object] = {}

    def authorise(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog) and dialog.in_place
        _keys(SUPERVISOR_CARD, SCANNER_MS)  # the supervisor scans the staff card
        seen["name"] = dialog.form.supervisorBox.currentText()
        seen["focus"] = QApplication.focusWidget() is dialog.form.pinField
        _keys(PINS[Role.SUPERVISOR], PERSON_MS, end=None)
        dialog.form.reasonField.setFocus()
        _keys("Visiting professor", PERSON_MS, end=None)
        qtbot.mouseClick(
            dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )

    errors = _in_dialog(qtbot, authorise)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    assert seen == {"name": STAFF[Role.SUPERVISOR], "focus": True}
    (loan,) = _loans(gui_ctx)
    assert loan.staff == STAFF[Role.DESK]  # the desk login lends ...
    (entry,) = _audit(gui_ctx, "checkout_override")
    detail = json.loads(entry.detail)
    assert (entry.staff, entry.code) == (STAFF[Role.DESK], "LOANED")
    assert detail["authorised_by"] == STAFF[Role.SUPERVISOR]  # ... authorised by the supervisor
    assert detail["reason"] == "Visiting professor"
    (check,) = _audit(gui_ctx, "authorise_override")
    assert (check.staff, check.code, check.desk) == (
        STAFF[Role.SUPERVISOR],
        "SIGNED_IN",
        "Main desk",
    )
    # nobody signed out: same login, same borrower, the shift log goes on
    assert window.session.actor.staff == STAFF[Role.DESK]
    assert window.borrower_panel.form.nameValue.text() == "Frida Larsen"
    assert len(window.session.log) == log_before + 1
    assert window.banner.title == "Loaned by override"


def test_h13_p17_a_wrong_pin_is_refused_audited_and_lends_nothing(qtbot, window, gui_ctx):
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))
    seen: dict[str, object] = {}

    def wrong_pin(dialog: QDialog) -> None:
        assert isinstance(dialog, OverrideDialog)
        dialog.form.supervisorBox.setCurrentText(STAFF[Role.SUPERVISOR])
        dialog.form.pinField.setFocus()
        _keys("9999", PERSON_MS, end=None)
        dialog.form.reasonField.setFocus()
        _keys("Urgent", PERSON_MS, end=None)
        dialog.accept()
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.form.message.text()
        seen["pin"] = dialog.form.pinField.text()
        seen["reason"] = dialog.reason()
        dialog.reject()

    errors = _in_dialog(qtbot, wrong_pin)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    assert seen["open"] and "not recognised" in str(seen["message"])
    assert seen["pin"] == "" and seen["reason"] == "Urgent"  # type the PIN again
    assert _loans(gui_ctx) == []
    (refused,) = _audit(gui_ctx, "checkout_override")
    assert (refused.staff, refused.code) == (STAFF[Role.DESK], "OVERRIDE_REFUSED")
    assert json.loads(refused.detail)["reason_key"] == "not_authorised"
    (check,) = _audit(gui_ctx, "authorise_override")
    assert check.code == "SIGN_IN_REFUSED" and "9999" not in (check.detail or "")
    assert window.session.can_override()  # the refusal waits for the right PIN


# -- point 18: the banner names the item; refusals stay in view ---------------------


def test_h13_p18_refusal_names_its_item_and_stays_after_a_later_loan(qtbot, window, gui_ctx):
    strip, listing = window.form.refusalStrip, window.form.refusalList
    scan(qtbot, window, ANNE)
    assert not strip.isVisible()
    scan(qtbot, window, item(5))  # ID card only: refused
    assert window.banner.title == "Not for loan" and window.banner.tone is Tone.REFUSED
    assert window.banner.item == f"Manuscript facsimile ({item(5)})"
    scan(qtbot, window, item(1))  # a moment later, accepted: the banner turns green
    assert window.banner.title == "Loaned" and window.banner.tone is Tone.ACCEPTED
    assert window.banner.item == f"Concrete Mathematics ({item(1)})"
    assert strip.isVisible()  # ... and the refusal is still in view
    rows = [listing.item(i).text() for i in range(listing.count())]
    assert len(rows) == 1 and "Not for loan: Manuscript facsimile" in rows[0]
    assert item(5) in rows[0] and "§2 M4" in rows[0]
    misread = item(2)[:-1] + str((int(item(2)[-1]) + 1) % 10)
    scan(qtbot, window, misread)
    assert listing.count() == 2 and misread in listing.item(0).text()  # newest on top
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Escape)  # the next borrower
    assert not strip.isVisible() and window.session.open_refusals == []


def test_h13_p18_refusals_go_with_a_new_card_or_f12_and_an_override_clears_its_own(
    qtbot, make_window
):
    window = make_window(Role.SUPERVISOR)
    strip = window.form.refusalStrip
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(5))
    scan(qtbot, window, BO)  # a new card: a new borrower
    assert not strip.isVisible()
    scan(qtbot, window, item(5))
    assert strip.isVisible()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F12)  # seen: the borrower stays
    assert not strip.isVisible()
    assert window.borrower_panel.form.nameValue.text() == "Bo Nielsen"
    scan(qtbot, window, STUDENT)
    scan(qtbot, window, item(1))
    assert strip.isVisible()

    def lend(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.form.reasonField, "Visiting professor")
        dialog.accept()

    errors = _in_dialog(qtbot, lend)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    assert window.banner.title == "Loaned by override"
    assert not strip.isVisible()  # lent after all: no longer a refusal


# -- point 3: whose loan a check-in was ---------------------------------------------


def test_h13_p3_check_in_of_another_borrowers_loan_names_that_borrower(qtbot, window, gui_ctx):
    supervisor = Actor(STAFF[Role.SUPERVISOR], "Main desk")
    assert circulation.checkout(gui_ctx, supervisor, BO, item(1)).ok
    scan(qtbot, window, ANNE)  # serving Anne, who brings back Bo's book
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F3)
    scan(qtbot, window, item(1))
    assert window.banner.title == "Returned"
    assert window.shift_log.rows()[0][1:4] == ["Check in", item(1), "Bo Nielsen"]
    assert window.borrower_panel.form.nameValue.text() == "Bo Nielsen"
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F2)  # back to Anne's checkouts
    assert window.session.mode is Mode.CHECK_OUT
    assert window.borrower_panel.form.nameValue.text() == "Anne Jensen"
    scan(qtbot, window, item(6))
    assert window.shift_log.rows()[0][1:4] == ["Check out", item(6), "Anne Jensen"]


# -- point 19: the desk's leftovers ---------------------------------------------------


def _suspend_bo(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    supervisor = Actor(STAFF[Role.SUPERVISOR], "test")
    clock.set(datetime(2025, 1, 2, 10))
    assert circulation.checkout(ctx, supervisor, BO, item(2)).ok
    for day in (date(2026, 1, 3), date(2026, 1, 18), date(2026, 1, 26), date(2026, 2, 3)):
        run_notices(ctx, supervisor, day)
    run_notices(ctx, supervisor, date(2026, 2, 11))
    clock.set(datetime(2026, 2, 12, 10))


def test_h13_p19_override_dialog_says_refused_once(qtbot, make_window, gui_ctx, clock):
    _suspend_bo(gui_ctx, clock)
    window = make_window(Role.SUPERVISOR)
    scan(qtbot, window, BO)
    scan(qtbot, window, item(1))
    assert window.banner.title == "Refused: suspended"
    shown: list[str] = []

    def look(dialog: QDialog) -> None:
        shown.append(dialog.form.refusal.text())
        dialog.reject()

    errors = _in_dialog(qtbot, look)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_F8)
    assert not errors, errors
    (text,) = shown
    assert text.count("Refused") == 1, text
    assert text.splitlines()[:2] == ["Refused: suspended", f"Concrete Mathematics ({item(1)})"]


def test_h13_p19_titles_have_room_in_the_borrower_panel(qtbot, window, gui_ctx):
    scan(qtbot, window, ANNE)
    for n in (1, 2, 6):
        scan(qtbot, window, item(n))
    table = window.borrower_panel.form.loansTable
    header = table.horizontalHeader()
    assert header.visualIndex(3) == 1  # the title right after the item
    title = "The Art of Computer Programming"
    assert title in [row[3] for row in window.borrower_panel.loan_rows()]
    assert table.columnWidth(3) >= table.fontMetrics().horizontalAdvance(title)
    right_edge = table.columnViewportPosition(3) + table.columnWidth(3)
    assert right_edge <= table.viewport().width()  # whole, without scrolling


def test_h13_p19_borrower_details_never_overlap_in_a_short_window(
    qtbot, make_window, gui_ctx, clock
):
    """Found at the real window under a window manager: a suspended borrower
    (badge), a two-line refusal and the refusal list left the borrower panel
    less than its height, and its rows were painted over each other. Short of
    room, the panel scrolls instead."""
    _suspend_bo(gui_ctx, clock)
    window = make_window(Role.DESK)
    window.resize(1280, 720)
    scan(qtbot, window, BO)
    for n in (1, 6, 7):
        scan(qtbot, window, item(n))  # refused: suspended (S3)
    assert len(window.session.open_refusals) == 3
    qtbot.waitUntil(lambda: window.form.refusalStrip.isVisible())
    form = window.borrower_panel.form
    labels = [
        form.categoryLabel,
        form.instituteLabel,
        form.deliveryLabel,
        form.cardLabel,
    ]
    for upper, lower in pairwise(labels):
        bottom = upper.mapTo(window, upper.rect().bottomLeft()).y()
        top = lower.mapTo(window, lower.rect().topLeft()).y()
        assert bottom < top, (upper.objectName(), lower.objectName())
        assert upper.height() >= upper.fontMetrics().height()
