"""Issue 13 follow-ups in the dispatch and supervisor windows:

- point 9: a refusal of the service layer (``access.NotPermitted``) is shown
  as that refusal, in the window's language, never as "the database did not
  answer";
- points 10 and 13: what the dispatch window repeats of a scan has no
  CPR-like run and is short;
- point 1: a scanner burst while one of these windows' dialogs is open (Qt's
  print dialog, the "items not loaded" question, the announce dialog, the
  settle dialog) never lands in the dialog; it is scanned into the crate or
  searched for after the dialog, or refused visibly;
- point 12: the supervisor screen names the outbox's new states.

Keys are typed into the real widgets with scanner (5 ms) or person (150 ms)
timestamps, as in ``test_h13_desk_scanner``; the dialogs are the real ones.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QInputDialog, QMessageBox
from sqlalchemy import select, update

from desk_app.domain.roles import Role
from desk_app.gui.dispatch_window import DispatchWindow
from desk_app.gui.printer import DocumentPrinter
from desk_app.gui.settle_dialog import SettleDialog
from desk_app.gui.sounds import Sounds
from desk_app.gui.supervisor_window import SupervisorWindow
from desk_app.gui.translations import install_translations, remove_translations
from desk_app.services.context import Actor
from desk_app.settings import DeskSettings
from desk_app.store.models import AuditEntry, Borrower, Dispatch, NoticeMail, Staff
from tests.gui.conftest import STAFF, scan
from tests.gui.test_dispatch_window import DAY, _rows, _transit, courier
from tests.gui.test_h13_desk_scanner import PERSON_MS, SCANNER_MS, _in_dialog, _keys, _state
from tests.gui.test_supervisor_window import find, make_supervisor, suspended
from tests.helpers.people import ANNE, item
from tests.helpers.supervision import SOREN

FIXTURES = (courier, make_supervisor, suspended)  # found by name
DATABASE_FAILED = "the database did not answer"
CPR_RUN = re.compile(r"\d{10}")


def _digits_only(text: str) -> str:
    """The digits of ``text`` with separators dropped: a run of ten here is
    a CPR number shown in clear, whatever dash or space split it."""
    return re.sub(r"[\s\-‐‑‒–—−_:./]", "", text)


def _type(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` into ``field`` key by key, then Enter. QTest cannot type
    a dash beyond Latin-1 (it aborts), so each key is sent as the keyboard
    sends it: a key event carrying its text."""
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ord(ch) < 128 else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _dispatch(qtbot, ctx, actor: Actor, language: str = "en", **kwargs) -> DispatchWindow:  # type: ignore[no-untyped-def]
    """The dispatch window with the real dialogs unless ``kwargs`` replace them."""
    kwargs.setdefault("printer", DocumentPrinter("", None))  # no printer: Qt's print dialog
    printer = kwargs.pop("printer")
    window = DispatchWindow(
        ctx, actor, DeskSettings(language=language, sounds=False), Sounds(False), printer, **kwargs
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.select("SOUTH", DAY)
    return window


def _deactivate(ctx, name: str) -> None:  # type: ignore[no-untyped-def]
    with ctx.sessions.begin() as session:
        session.execute(update(Staff).where(Staff.name == name).values(active=False))


def _refusals(ctx, staff: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        query = select(AuditEntry).where(
            AuditEntry.staff == staff, AuditEntry.code == "NOT_PERMITTED"
        )
        return list(session.scalars(query))


# -- point 9: a refusal is a refusal, not a database failure --------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "is no active staff member"), ("da", "er ikke en aktiv medarbejder")],
)
def test_h13_p9_dispatch_window_shows_the_refusal_of_a_staff_deactivated_meanwhile(
    qtbot, gui_ctx, courier, tmp_path, language, words
):
    window = _dispatch(qtbot, gui_ctx, courier, language)
    scan(qtbot, window, item(6))
    assert _rows(window.form.loadedList) == [("1", item(6))]
    _deactivate(gui_ctx, courier.staff)  # by an admin, while the window is open
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.banner.title == "Not permitted"  # no Qt catalogue installed here
    assert words in window.banner.message and courier.staff in window.banner.message
    assert DATABASE_FAILED not in window.banner.message
    assert window.banner.tone.value == "refused"
    with gui_ctx.sessions() as session:
        assert session.scalars(select(Dispatch)).all() == []  # nothing left
    assert _transit(gui_ctx, item(6)) == "awaiting_dispatch"
    assert _refusals(gui_ctx, courier.staff)  # the service audited the refusal


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "Not permitted: a courier may not search borrowers."),
        ("da", "Ikke tilladt: en kurer må ikke søge efter lånere."),
    ],
)
def test_h13_p9_supervisor_window_shows_a_refusal_for_a_role_without_the_permission(
    qtbot, make_supervisor, language, refusal
):
    window = make_supervisor(role=Role.COURIER, language=language)
    assert "kurer" in window.form.messageLabel.text() or "courier" in (
        window.form.messageLabel.text()
    )  # the suspended list was refused already on opening
    assert find(qtbot, window, "nielsen") == []
    label = window.form.messageLabel
    assert label.text() == refusal
    assert "#b3261e" in label.styleSheet()
    assert window.case is None  # nobody shown


def test_h13_p9_supervisor_deactivated_after_opening_is_refused_not_failed(
    qtbot, make_supervisor, suspended
):
    window = make_supervisor()
    assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
    _deactivate(suspended, STAFF[Role.SUPERVISOR])
    qtbot.keyClick(window.form.searchField, Qt.Key.Key_Return)  # search again
    text = window.form.messageLabel.text()
    assert text.startswith("Not permitted:") and "no active staff member" in text
    assert DATABASE_FAILED not in text
    assert window.case is None  # Bo is no longer shown to someone who may not look


# -- points 10 and 13: what the dispatch window repeats of a scan ------------------------------


@pytest.mark.parametrize("cpr", ["101079–1009", "101079‐1009", "101079−1009", "101079  1009"])
def test_h13_p10_a_cpr_scanned_in_the_dispatch_window_is_never_repeated(
    qtbot, gui_ctx, courier, tmp_path, cpr
):
    window = _dispatch(qtbot, gui_ctx, courier)
    with qtbot.waitSignal(window.sig_outcome) as shown:
        _type(qtbot, window.scan_field, cpr)
    outcome = shown.args[0]
    assert not outcome.verdict.ok
    for text in (outcome.read, window.banner.title, window.banner.message, window.banner.rule):
        assert not CPR_RUN.search(_digits_only(text)), text
    assert window.form.loadedList.topLevelItemCount() == 0


def test_h13_p13_a_100000_character_scan_makes_a_short_message(qtbot, gui_ctx, courier, tmp_path):
    window = _dispatch(qtbot, gui_ctx, courier)
    page = "x1010791009" * 10_000  # 110,000 characters, full of CPR-like runs
    QApplication.clipboard().setText(page)
    window.scan_field.setFocus()
    qtbot.keyClick(window.scan_field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.sig_outcome) as pasted:
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    # a scanner could also hand the whole page on (the field itself takes 64)
    with qtbot.waitSignal(window.sig_outcome) as handed_on:
        window.scan_field.sig_scanned.emit(page)
    for outcome in (pasted.args[0], handed_on.args[0]):
        assert len(outcome.read) <= 40 and not CPR_RUN.search(_digits_only(outcome.read))
        assert not outcome.verdict.ok
        assert len(window.banner.message) < 200
        assert not CPR_RUN.search(_digits_only(window.banner.message))
    assert window.form.loadedList.topLevelItemCount() == 0


# -- point 1: a scanner while a dispatch or supervisor dialog is open ---------------------------


def test_h13_p1_scan_into_the_dispatch_print_dialog_is_loaded_after(
    qtbot, gui_ctx, courier, tmp_path
):
    window = _dispatch(qtbot, gui_ctx, courier)
    seen: dict[str, object] = {}

    def burst(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintDialog)
        before = _state(dialog)
        _keys(item(6), SCANNER_MS)  # an item for the crate, and its Enter
        seen["still open"] = dialog.isVisible() and dialog.result() == 0
        seen["unchanged"] = _state(dialog) == before
        seen["status"] = window._status.text()
        seen["loaded meanwhile"] = window.form.loadedList.topLevelItemCount()
        dialog.reject()

    errors = _in_dialog(qtbot, burst)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    assert seen["still open"], "the scan's Enter pressed Print"
    assert seen["unchanged"], "the scan typed into the print dialog"
    assert seen["loaded meanwhile"] == 0  # nothing done behind an open dialog
    assert item(6) in str(seen["status"]) and "kept" in str(seen["status"])
    qtbot.waitUntil(lambda: _rows(window.form.loadedList) == [("1", item(6))], timeout=3000)
    assert window.banner.title == "Loaded"
    assert window._status.text() == "Printing cancelled."
    assert window.scan_field.text() == "" and window.scan_field.hasFocus()


def test_h13_p1_scan_while_asked_to_leave_with_missing_items_goes_into_the_crate_first(
    qtbot, gui_ctx, courier, tmp_path, clock
):
    window = _dispatch(qtbot, gui_ctx, courier)  # the real "Items not loaded" question
    scan(qtbot, window, item(6))
    seen: dict[str, object] = {}

    def scan_then_yes(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        seen["question"] = dialog.text()
        _keys(item(2), SCANNER_MS)  # found it after all: into the crate
        seen["still open"] = dialog.isVisible()
        qtbot.mouseClick(dialog.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    clock.set(datetime(2026, 3, 2, 11, 15))
    errors = _in_dialog(qtbot, scan_then_yes)
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert not errors, errors
    assert "2 item(s)" in str(seen["question"]) and seen["still open"]
    assert window.banner.title == "Dispatched"
    with gui_ctx.sessions() as session:
        record = session.scalars(select(Dispatch)).one()
        assert (record.loaded, record.missing) == (2, 1)
    assert (_transit(gui_ctx, item(6)), _transit(gui_ctx, item(2))) == ("in_transit", "in_transit")
    assert _transit(gui_ctx, item(1)) == "awaiting_dispatch"


def test_h13_p1_scan_in_a_dialog_after_the_route_left_is_refused_visibly(
    qtbot, gui_ctx, courier, tmp_path, clock
):
    window = _dispatch(qtbot, gui_ctx, courier, confirm=lambda *_: True)
    clock.set(datetime(2026, 3, 2, 11, 15))
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert window.banner.title == "Dispatched" and not window.scan_field.isEnabled()

    def burst(dialog: QDialog) -> None:
        _keys(item(1), SCANNER_MS)
        dialog.reject()

    errors = _in_dialog(qtbot, burst)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert not errors, errors
    qtbot.waitUntil(lambda: window.banner.title == "Scan not loaded", timeout=3000)
    assert item(1) in window.banner.message and "not loaded" in window.banner.message
    assert window.banner.tone.value == "refused"
    assert _transit(gui_ctx, item(1)) == "awaiting_dispatch"


def test_h13_p1_a_scan_fills_the_announce_dialog_but_never_presses_ok(
    qtbot, gui_ctx, courier, tmp_path
):
    window = _dispatch(qtbot, gui_ctx, courier)  # the real QInputDialog
    seen: dict[str, object] = {}

    def scan_the_item(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        _keys(item(2), SCANNER_MS)
        seen["text"] = dialog.textValue()
        seen["still open"] = dialog.isVisible() and dialog.result() == 0
        dialog.reject()

    errors = _in_dialog(qtbot, scan_the_item)
    qtbot.mouseClick(window.form.announceButton, Qt.MouseButton.LeftButton)
    assert not errors, errors
    assert seen == {"text": item(2), "still open": True}
    QApplication.processEvents()  # the turn of the event loop in which kept scans run
    assert window.form.loadedList.topLevelItemCount() == 0  # the dialog's, not the crate's


def test_h13_p1_a_scan_never_becomes_the_settle_note_and_is_searched_after(qtbot, suspended):
    window = SupervisorWindow(  # the real settle dialog
        suspended,
        Actor(STAFF[Role.SUPERVISOR], "Main desk"),
        Role.SUPERVISOR,
        DeskSettings(language="en", sounds=False),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    find(qtbot, window, SOREN)
    seen: dict[str, object] = {}

    def scan_then_type(dialog: QDialog) -> None:
        assert isinstance(dialog, SettleDialog)
        assert QApplication.focusWidget() is dialog.note_edit
        _keys(ANNE, SCANNER_MS)  # the next borrower's card
        seen["note after scan"] = dialog.note_edit.toPlainText()
        seen["open"] = dialog.isVisible()
        seen["message"] = window.form.messageLabel.text()
        _keys("Phoned from abroad", PERSON_MS, end=None)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    errors = _in_dialog(qtbot, scan_then_type)
    qtbot.mouseClick(window.form.settleButton, Qt.MouseButton.LeftButton)
    assert not errors, errors
    assert seen["note after scan"] == "" and seen["open"]
    assert ANNE in str(seen["message"]) and "kept" in str(seen["message"])
    with suspended.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "contact")).one()
    assert json.loads(entry.detail)["note"] == "Phoned from abroad"  # the words, not the card
    # after the dialog the card is searched for, and the pane follows it
    qtbot.waitUntil(lambda: window.form.nameLabel.text() == "Anne Jensen", timeout=3000)
    assert window.form.searchField.text() == ANNE


# -- point 12: the outbox's new states on the supervisor screen ------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "connection lost while e-mailing: sent as a printed letter",
                "e-mail not sent within 24 hours: sent as a printed letter",
                "replaced by a newer notice: not sent",
            ],
        ),
        (
            "da",
            [
                "forbindelsen blev afbrudt under afsendelsen: sendt som brev",
                "e-mail ikke sendt inden for 24 timer: sendt som brev",
                "erstattet af en nyere meddelelse: ikke sendt",
            ],
        ),
    ],
)
def test_h13_p12_supervisor_names_uncertain_expired_and_superseded_mail(
    qtbot, qapp, make_supervisor, suspended, tmp_path, language, expected
):
    with suspended.sessions.begin() as session:
        bo = session.scalars(select(Borrower.id).where(Borrower.name == "Bo Nielsen")).one()
        mails = session.scalars(
            select(NoticeMail).where(NoticeMail.borrower_id == bo).order_by(NoticeMail.run_id)
        ).all()
        for mail, state in zip(mails, ("uncertain", "expired", "superseded"), strict=False):
            mail.state = state
    installed = install_translations(qapp, language, tmp_path / "translations")
    assert (language == "en") == (installed == [])  # Danish really loaded
    try:
        window = make_supervisor(language=language)
        assert find(qtbot, window, "nielsen") == ["Bo Nielsen"]
        first = window.form.loansTree.topLevelItem(0)
        notes = [first.child(i).text(4) for i in range(first.childCount())]
        assert notes[:3] == expected
    finally:
        remove_translations(qapp, installed)
