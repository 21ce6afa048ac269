"""§5 S6 at start-up: the desk makes today's run if no desk has, with a
progress bar, and e-mails the notices to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select, update

from desk_app.domain.roles import Role
from desk_app.gui.app import DeskApp
from desk_app.gui.daily_run_dialog import STARTUP_STAFF, DailyRunDialog
from desk_app.services.circulation import checkout
from desk_app.services.context import Actor
from desk_app.services.daily_run import daily_run, run_is_due
from desk_app.services.notice_letters import Signature
from desk_app.services.notice_mail import MailSettings
from desk_app.settings import DeskSettings
from desk_app.store.models import AuditEntry, Borrower, NoticeMail
from tests.gui.conftest import STAFF
from tests.gui.test_dispatch_window import PdfPrinterStub
from tests.helpers.people import ANNE, BO, item
from tests.helpers.smtp import free_port, smtp_server

RUN_DAY = date(2026, 1, 3)


def _overdue(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2025, 1, 2, 10, 0))
    actor = Actor("Dorte Desk", "Main desk")
    for card_number, barcode in ((ANNE, item(1)), (ANNE, item(2)), (BO, item(6))):
        assert checkout(ctx, actor, card_number, barcode).ok
    with ctx.sessions.begin() as session:
        session.execute(update(Borrower).values(email="someone@ku.dk"))
    clock.set(datetime.combine(RUN_DAY, time(8)))


def _settings(port: int) -> DeskSettings:
    return DeskSettings(
        language="en",
        sounds=False,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_from="udlaan@kb.dk",
    )


def test_S6_startup_run_moves_a_progress_bar_and_sends_each_borrower_one_email(
    qtbot, gui_ctx, clock
):
    _overdue(gui_ctx, clock)
    with smtp_server() as (inbox, port):
        dialog = DailyRunDialog(gui_ctx, _settings(port), env={})
        qtbot.addWidget(dialog)
        seen: list[tuple[int, int, str]] = []
        dialog.sig_progress.connect(lambda d, t, p: seen.append((d, t, p)))
        with qtbot.waitSignal(dialog.sig_finished, timeout=30_000):
            dialog.start()
        assert len(inbox.messages) == 2
    assert dialog.report is not None and dialog.report.notices == 3
    assert seen[0][2] == "run" and ("send", 1, 2) in [(p, d, t) for d, t, p in seen]
    assert (dialog.maximum(), dialog.value()) == (2, 2)
    assert (
        "3 to 2 borrower(s)" in dialog.summary() and "e-mail 2 sent, 0 waiting" in dialog.summary()
    )
    assert not run_is_due(gui_ctx, RUN_DAY)
    with gui_ctx.sessions() as session:
        staff = session.scalars(select(AuditEntry.staff).where(AuditEntry.action == "notices"))
        assert list(staff) == [STARTUP_STAFF]


def test_S6_desk_runs_the_day_once_and_keeps_mail_when_the_server_is_down(
    qtbot, gui_ctx, clock, tmp_path: Path
):
    _overdue(gui_ctx, clock)
    port = free_port()  # no server: the messages must wait
    desk = DeskApp(gui_ctx, _settings(port), tmp_path, "sqlite:///test")
    closed = _close_when_it_says_why(qtbot)  # it stays open to say so (issue 13, point 12)
    assert desk.run_daily_if_due(env={})
    assert closed and "the mail server did not answer" in closed[0]
    assert "e-mail 0 sent, 2 waiting" in desk.startup_message
    assert "the mail server did not answer" in desk.startup_message
    assert not desk.run_daily_if_due(env={})  # the same day: not again
    with gui_ctx.sessions() as session:
        assert set(session.scalars(select(NoticeMail.state))) == {"pending"}
    # the next day's start, within 24 h of the run, sends them, once (24 h
    # after their run they would be printed letters instead: issue 13, point 12)
    clock.set(datetime.combine(date(2026, 1, 4), time(7, 30)))
    with smtp_server(port) as (inbox, _):
        assert desk.run_daily_if_due(env={})
        assert "e-mail 2 sent, 0 waiting" in desk.startup_message
    assert len(inbox.messages) == 2


def _close_when_it_says_why(qtbot) -> list[str]:  # type: ignore[no-untyped-def]
    """Press Enter on the start-up run's dialog once it shows why the e-mail
    could not be sent (it then waits to be closed); the text it showed."""
    shown: list[str] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, DailyRunDialog) and widget.isVisible() and widget.report:
                shown.append(widget.labelText())
                qtbot.keyClick(widget, Qt.Key.Key_Return)
                return
        QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)
    return shown


def test_a_failing_run_says_so_and_the_desk_still_starts(qtbot, gui_ctx, clock):
    _overdue(gui_ctx, clock)

    def broken(_mail):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    dialog = DailyRunDialog(gui_ctx, _settings(25), env={}, connect=broken)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_finished, timeout=30_000):
        dialog.start()
    assert dialog.report is None and dialog.problem == "disk full"
    assert "stopped: disk full" in dialog.summary()


def test_S6_ctrl_l_prints_the_letters_that_cannot_go_by_email(
    qtbot, gui_ctx, clock, make_window, tmp_path
):

    _overdue(gui_ctx, clock)
    with gui_ctx.sessions.begin() as session:  # Bo has no e-mail address
        session.execute(update(Borrower).where(Borrower.name == "Bo Nielsen").values(email=None))
    supervisor = Actor(STAFF[Role.SUPERVISOR], "Main desk")
    daily_run(gui_ctx, supervisor, MailSettings(), Signature("KB", "Main desk"), "da")
    stub = PdfPrinterStub(tmp_path)
    window = make_window(printer=stub.printer())
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):  # drawn on the worker
        qtbot.keyClick(window.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert stub.asked == 1 and len(PdfReader(tmp_path / "printed-1.pdf").pages) == 1
    assert window.statusBar().currentMessage().startswith("1 letter(s)")
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        qtbot.keyClick(
            window.scan_field,
            Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    saved = tmp_path / f"notice-letters-{RUN_DAY.isoformat()}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Anne Jensen" in text and "Bo Nielsen" in text
    assert window.statusBar().currentMessage().startswith("2 letter(s)")


def test_S6_no_letters_to_print_is_said_plainly(qtbot, gui_ctx, clock, make_window, tmp_path):

    stub = PdfPrinterStub(tmp_path)
    window = make_window(printer=stub.printer())
    with qtbot.waitSignal(window.ops.sig_finished, timeout=10_000):
        qtbot.keyClick(window.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert stub.asked == 0
    assert "No letters to print today" in window.statusBar().currentMessage()


def test_S6_without_a_mail_server_the_desk_says_to_set_one_up(qtbot, gui_ctx, clock, tmp_path):
    _overdue(gui_ctx, clock)
    desk = DeskApp(gui_ctx, DeskSettings(language="en", sounds=False), tmp_path, "sqlite:///t")
    assert desk.run_daily_if_due(env={})
    assert "e-mail 0 sent, 2 waiting" in desk.startup_message
    assert "E-mail is not set up" in desk.startup_message
    assert "did not take the messages" not in desk.startup_message
