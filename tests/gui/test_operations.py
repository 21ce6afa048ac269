"""Issue 14: one way for a window to call the services (``gui.operations``).

A quick call runs on the GUI thread, a long one on a worker; either way a
failure below is the red "Not done" banner and a refusal of the services is
shown as that refusal, never a traceback. While a long operation runs the
window keeps working: the scan field keeps its focus, and scans typed into it
meanwhile wait and are done in order when the operation is over.

The slow service is a fake that waits on an ``Event`` the test sets: no sleeps.
Keys are typed into the real scan field as a wedge scanner types them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from desk_app.domain.roles import Action, Role
from desk_app.gui import daily_run_dialog
from desk_app.gui.desk_window import DeskWindow
from desk_app.gui.operations import Operation, Work
from desk_app.services import access, documents
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk import Tone
from desk_app.settings import DeskSettings
from desk_app.store.models import AuditEntry, Loan, Staff
from tests.gui.conftest import STAFF, MakeWindow, scan
from tests.gui.test_dispatch_window import PdfPrinterStub
from tests.helpers.people import ANNE, item

NOT_DONE = "Not done: the database did not answer"
WAIT = 10.0  # seconds a fake service waits for the test at most: a failing test never hangs


def _database_gone(*_args: object) -> object:
    raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))


def _loans(ctx: DeskContext) -> list[str]:
    with ctx.sessions() as session:
        query = select(Loan).order_by(Loan.id)
        return [loan.item.barcode for loan in session.scalars(query)]


class SlowService:
    """Stands in for a service that takes long: it says when it has
    started, then waits until the test lets it finish."""

    def __init__(self, answer: object = None, problem: Exception | None = None) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.answer = answer
        self.problem = problem
        self.thread: threading.Thread | None = None

    def __call__(self, *_args: object, **_kwargs: object) -> object:
        self.thread = threading.current_thread()
        self.started.set()
        if not self.release.wait(WAIT):
            raise TimeoutError("the test never let the slow service finish")
        if self.problem is not None:
            raise self.problem
        return self.answer


@pytest.fixture
def slow_letters(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowService]:
    """Ctrl+L's service, slow: it makes no letters."""
    slow = SlowService(documents.LettersPdf(0, None))
    monkeypatch.setattr(documents, "letters_pdf", slow)
    yield slow
    slow.release.set()  # never leave a worker waiting


# -- success ---------------------------------------------------------------------------


def test_a_long_operation_runs_on_a_worker_and_answers_on_the_gui_thread(qtbot, window):
    seen: dict[str, object] = {}

    def job(work: Work) -> str:
        seen["job thread"] = threading.current_thread()
        seen["ctx"] = work.ctx
        return "made"

    def done(result: str) -> None:
        seen["result"] = result
        seen["done thread"] = threading.current_thread()

    with qtbot.waitSignal(window.ops.sig_finished, timeout=5000) as finished:
        assert Operation(window.ops, "Making a test", job).success(done).run_in_background()
    assert finished.args == [True]
    assert seen["result"] == "made"
    assert seen["job thread"] is not threading.main_thread()
    assert seen["done thread"] is threading.main_thread()
    assert seen["ctx"] is window.session.ctx  # the services open their own sessions from it
    assert not window.ops.busy and window.ops.busy_text() == ""
    assert window.scan_field.hasFocus()


def test_a_quick_call_answers_at_once(window):
    assert window.ops.call(lambda: 42, None) == 42


# -- a database failure is the banner --------------------------------------------------


def test_a_database_failure_on_the_worker_is_the_not_done_banner(qtbot, window):
    with qtbot.waitSignal(window.ops.sig_finished, timeout=5000) as finished:
        Operation(window.ops, "Making a test", _database_gone).run_in_background()
    assert finished.args == [False]
    assert window.banner.title == NOT_DONE
    assert window.banner.tone is Tone.REFUSED
    assert "Nothing was printed or saved" in window.banner.message
    assert "Traceback" not in window.banner.message
    assert window.scan_field.hasFocus()


def test_a_database_failure_of_a_quick_call_is_the_banner_and_the_fallback(qtbot, window):
    assert window.ops.call(lambda: _database_gone(), "fallback") == "fallback"
    assert window.banner.title == NOT_DONE and window.banner.tone is Tone.REFUSED
    assert "Scan again in a moment" in window.banner.message
    assert window.scan_field.hasFocus()


def test_ctrl_l_while_the_database_is_gone_says_not_done(qtbot, window, monkeypatch):
    monkeypatch.setattr(documents, "letters_pdf", _database_gone)
    with qtbot.waitSignal(window.ops.sig_finished, timeout=5000):
        qtbot.keyClick(window.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.banner.title == NOT_DONE
    assert window.scan_field.hasFocus()


# -- a refusal is the refusal ------------------------------------------------------------


def test_a_refusal_on_the_worker_is_shown_as_the_refusal(qtbot, window, gui_ctx):
    """The signed-in desk login is deactivated meanwhile: the letters service
    refuses (and audits it); the banner says why, not that the database failed."""
    with gui_ctx.sessions.begin() as session:
        session.execute(update(Staff).where(Staff.name == STAFF[Role.DESK]).values(active=False))
    with qtbot.waitSignal(window.ops.sig_finished, timeout=5000) as finished:
        qtbot.keyClick(window.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert finished.args == [False]
    assert window.banner.title == "Not permitted"
    assert "is no active staff member" in window.banner.message
    assert STAFF[Role.DESK] in window.banner.message
    assert NOT_DONE not in window.banner.title
    assert window.banner.tone is Tone.REFUSED
    with gui_ctx.sessions() as session:
        refused = session.scalars(
            select(AuditEntry.action).where(AuditEntry.code == "NOT_PERMITTED")
        ).all()
    assert refused == [Action.PRINT_LETTERS.value]  # audited by the service, once
    assert window.scan_field.hasFocus()


def test_a_refusal_of_a_quick_call_is_shown_as_the_refusal(window, gui_ctx):
    nobody = Actor("Nobody Here", "Main desk")
    answer = window.ops.call(
        lambda: access.require(gui_ctx, nobody, Action.PRINT_LETTERS), "fallback"
    )
    assert answer == "fallback"
    assert window.banner.title == "Not permitted"
    assert "Nobody Here is no active staff member" in window.banner.message
    assert window.scan_field.hasFocus()


# -- the window keeps working meanwhile -----------------------------------------------------


def test_scans_typed_during_a_long_operation_wait_and_are_done_in_order_after(
    qtbot, make_window: MakeWindow, gui_ctx, slow_letters: SlowService, tmp_path
):
    window = make_window(printer=PdfPrinterStub(tmp_path).printer())
    qtbot.keyClick(window.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(slow_letters.started.is_set, timeout=5000)
    assert slow_letters.thread is not threading.main_thread()
    assert window.ops.busy
    assert window.ops.busy_text() == "Making today's notice letters…"
    # the GUI thread takes keys while the service blocks on its worker
    for code in (ANNE, item(1), item(2)):
        scan(qtbot, window, code)
        assert window.scan_field.text() == ""  # the field took the keys and the Enter
        assert window.scan_field.hasFocus()
    assert "3 scan(s) wait" in window.ops.busy_text()
    assert window.session.log == [] and _loans(gui_ctx) == []  # nothing done yet
    with qtbot.waitSignal(window.ops.sig_finished, timeout=5000):
        slow_letters.release.set()
    # over: the letters' answer first, then the scans, in the order they were typed
    assert "No letters to print today" in window.statusBar().currentMessage()
    assert [entry.read for entry in window.session.log] == [ANNE, item(1), item(2)]
    assert _loans(gui_ctx) == [item(1), item(2)]
    assert window.banner.title == "Loaned" and item(2) in window.banner.item
    assert not window.ops.busy and window.ops.busy_text() == ""
    assert window.scan_field.hasFocus()


def test_an_operation_asked_for_while_another_runs_waits_its_turn(
    qtbot, window: DeskWindow, gui_ctx
):
    first, second = SlowService("first"), SlowService("second")
    order: list[str] = []
    Operation(window.ops, "First", first).success(order.append).run_in_background()
    qtbot.waitUntil(first.started.is_set, timeout=5000)
    scan(qtbot, window, ANNE)  # typed before the second one was asked for
    assert Operation(window.ops, "Second", second).success(order.append).run_in_background()
    scan(qtbot, window, item(1))
    assert window.ops.what == "First" and not second.started.is_set()
    try:
        with qtbot.waitSignal(window.ops.sig_started, timeout=5000) as started:
            first.release.set()
        assert started.args == ["Second"]
        assert order == ["first"]
        # the scan typed before the second operation was asked for is done; the one after waits
        assert [entry.read for entry in window.session.log] == [ANNE]
        assert window.ops.busy_text() == ("Second… 1 scan(s) wait: they are done when it is over.")
        with qtbot.waitSignal(window.ops.sig_finished, timeout=5000):
            second.release.set()
    finally:
        first.release.set()
        second.release.set()
    assert order == ["first", "second"]
    assert [entry.read for entry in window.session.log] == [ANNE, item(1)]
    assert _loans(gui_ctx) == [item(1)]
    assert window.scan_field.hasFocus()


def test_a_failing_long_operation_still_does_the_scans_that_waited(
    qtbot, window: DeskWindow, gui_ctx
):
    slow = SlowService(problem=OperationalError("SELECT 1", {}, Exception("gone")))
    Operation(window.ops, "Making a test", slow).run_in_background()
    qtbot.waitUntil(slow.started.is_set, timeout=5000)
    scan(qtbot, window, ANNE)
    try:
        with qtbot.waitSignal(window.ops.sig_finished, timeout=5000):
            slow.release.set()
    finally:
        slow.release.set()
    assert [entry.read for entry in window.session.log] == [ANNE]  # the scan, after the banner
    assert window.banner.title == "Anne Jensen"
    assert window.scan_field.hasFocus()


# -- a window without a scan field: the daily run's dialog ------------------------------


def test_the_daily_run_dialog_says_a_refusal_in_its_own_words(qtbot, gui_ctx, monkeypatch):
    def refused(ctx: DeskContext, *_args: object, **_kwargs: object) -> object:
        return access.require(ctx, Actor("Nobody Here", "Main desk"), Action.RUN_NOTICES)

    monkeypatch.setattr(daily_run_dialog, "daily_run", refused)
    dialog = daily_run_dialog.DailyRunDialog(gui_ctx, DeskSettings(language="en"), env={})
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_finished, timeout=5000):
        dialog.start()
    assert dialog.report is None
    assert dialog.problem is not None and "Nobody Here is no active staff member" in (
        dialog.problem
    )
    assert "stopped: Not permitted" in dialog.summary()
