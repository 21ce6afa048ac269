"""Found at the real desk under Xvfb (issue 14): Ctrl+P draws the slip on the
worker, then opens the print dialog. A scan typed meanwhile was split: its
first digits went into the scan field while the slip was drawn, the rest into
the dialog once it was up; neither half was ever scanned, and the digits were
left in the field. The guard is now in force from the operation's start
through the dialog it opens, one buffer the whole time.

The slip is drawn by a fake that waits on an ``Event`` the test sets; keys
are typed one by one with ``qtbot.keyClick`` into whatever has the focus, as a
wedge scanner types them; their times come from a fake clock the test moves
(Qt's test events carry no timestamp), so nothing waits for time.

Also here: the status bar, where the busy line made Qt show the desk's own
line under a message still shown (two texts painted over each other).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from desk_app.gui import scan_field
from desk_app.gui.desk_window import DeskWindow
from desk_app.services import documents
from desk_app.services.context import DeskContext
from desk_app.store.models import Loan
from tests.gui.conftest import MakeWindow, scan
from tests.gui.test_h13_desk_scanner import _in_dialog, _state
from tests.helpers.people import ANNE, item

SCANNER_MS = 3  # xdotool --delay 3, as in the run that found it
PERSON_MS = 150
WAIT = 10.0  # seconds the fake slip waits for the test at most: a failing test never hangs


class Ticks:
    """The guard's and the scan field's clock, in ms: moved by the test only."""

    def __init__(self) -> None:
        self.now = 5_000_000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> Ticks:
    clock = Ticks()
    monkeypatch.setattr(scan_field, "monotonic_ms", clock)
    return clock


class SlowSlip:
    """The real slip, drawn only when the test lets it: it says when it has
    started, then waits."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self._real = documents.slip_pdf

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.started.set()
        if not self.release.wait(WAIT):
            raise TimeoutError("the test never let the slip be drawn")
        return self._real(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def slow_slip(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowSlip]:
    slow = SlowSlip()
    monkeypatch.setattr(documents, "slip_pdf", slow)
    yield slow
    slow.release.set()  # never leave a worker waiting


def _type(qtbot, ticks: Ticks, text: str, gap: int, end: bool = True) -> None:
    """Key by key into whatever has the focus (the scan field, the dialog),
    ``gap`` ms apart, then Enter unless ``end`` is False."""
    keys: list[str | Qt.Key] = list(text) + ([Qt.Key.Key_Return] if end else [])
    for key in keys:
        ticks.now += gap
        target = QApplication.focusWidget() or QApplication.activeModalWidget()
        assert target is not None
        qtbot.keyClick(target, key)


def _loans(ctx: DeskContext) -> list[str]:
    with ctx.sessions() as session:
        return [loan.item.barcode for loan in session.scalars(select(Loan).order_by(Loan.id))]


def _reads(window: DeskWindow) -> list[str]:
    return [entry.read for entry in window.session.log]


def _checked_out(qtbot, make_window: MakeWindow) -> DeskWindow:
    window = make_window(printer=None)  # no printer set: Ctrl+P asks with Qt's print dialog
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    assert _reads(window) == [ANNE, item(1)]
    return window


def test_scans_typed_as_the_slip_is_drawn_are_kept_whole_and_done_after_its_dialog(
    qtbot, make_window: MakeWindow, gui_ctx, slow_slip: SlowSlip, ticks: Ticks
):
    """The run that found it: Ctrl+P, then at once two scans; the slip is
    drawn after the first twelve digits of the first. The print dialog waits
    until the keyboard is quiet (a new window taking the focus loses keys
    under X), and the scans wait for the dialog."""
    window = _checked_out(qtbot, make_window)
    first, second = item(6), item(2)
    window.actions_by_name["print_slip"].trigger()
    qtbot.waitUntil(slow_slip.started.is_set, timeout=5000)
    _type(qtbot, ticks, first[:12], SCANNER_MS, end=False)  # while the slip is drawn
    assert window.scan_field.text() == ""  # held whole, not half in the field
    seen: dict[str, object] = {}

    def rest_of_the_burst() -> None:
        """The slip is drawn, the dialog about to open: the scanner types on."""
        if window.ops.busy:
            QTimer.singleShot(5, rest_of_the_burst)
            return
        _type(qtbot, ticks, first[12:], SCANNER_MS)  # the rest, and Enter
        _type(qtbot, ticks, second, SCANNER_MS)
        seen["dialog while typing"] = QApplication.activeModalWidget() is not None
        seen["field"] = window.scan_field.text()
        ticks.now += scan_field.QUIET_MS  # the scanner is done: the dialog opens now

    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintDialog)
        seen["status"] = window.statusBar().currentMessage()
        seen["reads"] = _reads(window)
        dialog.reject()

    QTimer.singleShot(0, rest_of_the_burst)
    errors = _in_dialog(qtbot, cancel)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()
    assert not errors, errors
    assert seen["dialog while typing"] is False
    assert seen["field"] == ""  # no half scan left in the field
    assert seen["reads"] == [ANNE, item(1)]  # nothing is done behind the dialog
    qtbot.waitUntil(lambda: len(window.session.log) == 4, timeout=3000)
    assert _reads(window) == [ANNE, item(1), first, second]  # both whole, in order
    assert _loans(gui_ctx) == [item(1), first, second]
    assert window.scan_field.text() == ""
    assert window.focusWidget() is window.scan_field  # the window may be inactive offscreen


def test_a_scan_typed_once_the_print_dialog_is_up_is_kept_whole_and_done_after(
    qtbot, make_window: MakeWindow, gui_ctx, slow_slip: SlowSlip, ticks: Ticks, monkeypatch
):
    """A scan begun while the slip is drawn and ended in the dialog (the
    dialog waited for a quiet keyboard no longer) is one scan: one buffer
    from the operation's start until the dialog closes."""
    window = _checked_out(qtbot, make_window)
    code = item(6)
    window.actions_by_name["print_slip"].trigger()
    qtbot.waitUntil(slow_slip.started.is_set, timeout=5000)
    _type(qtbot, ticks, code[:8], SCANNER_MS, end=False)
    seen: dict[str, object] = {}

    def rest(dialog: QDialog) -> None:
        before = _state(dialog)
        _type(qtbot, ticks, code[8:], SCANNER_MS)
        seen["open"] = dialog.isVisible() and dialog.result() == 0
        seen["unchanged"] = _state(dialog) == before
        seen["status"] = window.statusBar().currentMessage()
        dialog.reject()

    # the dialog waited for a quiet keyboard as long as it may
    monkeypatch.setattr(window._dialog_scans.guard, "wait_until_quiet", lambda: None)
    errors = _in_dialog(qtbot, rest)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()
    assert not errors, errors
    assert seen["open"] and seen["unchanged"]
    assert code in str(seen["status"]) and "kept" in str(seen["status"])
    qtbot.waitUntil(lambda: len(window.session.log) == 3, timeout=3000)
    assert _reads(window) == [ANNE, item(1), code]
    assert window.scan_field.text() == ""


def test_a_scan_half_typed_when_ctrl_p_is_pressed_is_kept_whole(
    qtbot, make_window: MakeWindow, gui_ctx, slow_slip: SlowSlip, ticks: Ticks
):
    """Ctrl+P pressed in the middle of a scan: its first digits are in the
    field already; the guard takes them over and the scan stays whole."""
    window = _checked_out(qtbot, make_window)
    code = item(6)
    _type(qtbot, ticks, code[:5], SCANNER_MS, end=False)
    assert window.scan_field.text() == code[:5]
    ticks.now += SCANNER_MS
    qtbot.keyClick(window.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(slow_slip.started.is_set, timeout=5000)
    assert window.scan_field.text() == ""  # in the guard's buffer now
    _type(qtbot, ticks, code[5:10], SCANNER_MS, end=False)  # while the slip is drawn
    seen: dict[str, object] = {}

    def rest(dialog: QDialog) -> None:
        before = _state(dialog)
        _type(qtbot, ticks, code[10:], SCANNER_MS)
        seen["unchanged"] = _state(dialog) == before
        dialog.reject()

    errors = _in_dialog(qtbot, rest)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()
    assert not errors, errors
    assert seen == {"unchanged": True}
    qtbot.waitUntil(lambda: len(window.session.log) == 3, timeout=3000)
    assert _reads(window) == [ANNE, item(1), code]
    assert _loans(gui_ctx) == [item(1), code]
    assert window.scan_field.text() == ""


def test_a_person_typing_while_the_slip_is_drawn_types_into_the_field(
    qtbot, make_window: MakeWindow, gui_ctx, slow_slip: SlowSlip, ticks: Ticks
):
    """A person's keys (150 ms apart) are no scan: each reaches the scan field
    once the next one shows it is a person's (or at a pause); their Enter
    waits its turn behind the slip, as a scan does."""
    window = _checked_out(qtbot, make_window)
    code = item(6)
    window.actions_by_name["print_slip"].trigger()
    qtbot.waitUntil(slow_slip.started.is_set, timeout=5000)
    _type(qtbot, ticks, code, PERSON_MS, end=False)
    assert window.scan_field.text() == code[:-1]  # the last key waits for the pause
    ticks.now += PERSON_MS  # the pause: the guard's timer lets the last key through
    qtbot.waitUntil(lambda: window.scan_field.text() == code, timeout=2000)
    _type(qtbot, ticks, "", PERSON_MS)  # Enter
    assert window.scan_field.text() == ""
    assert _reads(window) == [ANNE, item(1)]  # it waits for the slip and its dialog
    assert "1 scan(s) wait" in window.ops.busy_text()

    def cancel(dialog: QDialog) -> None:
        dialog.reject()

    errors = _in_dialog(qtbot, cancel)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()
    assert not errors, errors
    assert _reads(window) == [ANNE, item(1), code]
    assert _loans(gui_ctx) == [item(1), code]


def test_a_scan_going_on_when_an_operation_without_a_dialog_ends_lands_whole(
    qtbot, make_window: MakeWindow, gui_ctx, slow_slip: SlowSlip, ticks: Ticks
):
    """The slip printed at every checkout opens no dialog: a scan half typed
    when it ends goes on in the scan field, whole."""
    window = make_window(printer=None, print_slip_at_checkout=True)
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))  # lent: its slip is drawn on the worker
    qtbot.waitUntil(slow_slip.started.is_set, timeout=5000)
    code = item(6)
    _type(qtbot, ticks, code[:7], SCANNER_MS, end=False)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()
    assert window.scan_field.text() == code[:7]  # back in the field, where the rest follows
    assert "No printer is set" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.ops.sig_started, timeout=5000):  # the next checkout's slip
        _type(qtbot, ticks, code[7:], SCANNER_MS)
    assert _reads(window) == [ANNE, item(1), code]
    assert _loans(gui_ctx) == [item(1), code]
    assert window.scan_field.text() == ""
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()


# -- the status bar: one text at a time -------------------------------------------------


def _shown_texts(window: DeskWindow) -> list[str]:
    """What the status bar paints at its left: its message, or its own line."""
    bar = window.statusBar()
    shown = [bar.currentMessage()] if bar.currentMessage() else []
    if window._status.isVisible():
        shown.append(window._status.text())
    return shown


def test_the_busy_line_never_shows_the_desks_line_under_a_message(
    qtbot, make_window: MakeWindow, slow_slip: SlowSlip
):
    """Found under Xvfb: the day's notices message was shown at sign-in; the
    first busy line (Ctrl+P) made the status bar lay itself out again, and
    Qt showed the desk's "Signed in" line under the message still shown."""
    window = make_window()
    window.statusBar().showMessage("Today's notices: 24 to 24 borrower(s).", 60_000)
    assert _shown_texts(window) == ["Today's notices: 24 to 24 borrower(s)."]
    scan(qtbot, window, ANNE)
    scan(qtbot, window, item(1))
    window.actions_by_name["print_slip"].trigger()
    qtbot.waitUntil(slow_slip.started.is_set, timeout=5000)
    QCoreApplication.processEvents()  # Qt shows the widgets it laid out in the next turn
    assert window.ops.busy_text() == "Making the slip…"  # on the right, beside the message
    assert _shown_texts(window) == ["Today's notices: 24 to 24 borrower(s)."]

    def cancel(dialog: QDialog) -> None:
        dialog.reject()

    errors = _in_dialog(qtbot, cancel)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        slow_slip.release.set()
    assert not errors, errors
    QCoreApplication.processEvents()
    assert _shown_texts(window) == ["Printing cancelled."]
    window.statusBar().clearMessage()  # its time is up: the desk's own line is back
    assert _shown_texts(window) == [window._status.text()]
    assert window._status.text().startswith("Signed in: Dorte Desk")
