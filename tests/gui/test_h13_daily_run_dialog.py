"""Issue 13, point 12, at the desk: when the start-up run cannot send the
e-mail, the daily run dialog says so plainly and stays until it is closed."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select, update

from desk_app.gui.daily_run_dialog import DailyRunDialog
from desk_app.services.circulation import checkout
from desk_app.settings import DeskSettings
from desk_app.store.models import Borrower, NoticeMail
from tests.helpers.people import ANNE, BO, item
from tests.helpers.smtp import PASSWORD, USER, Inbox, free_port, smtp_server
from tests.helpers.staffing import test_actor

RUN_DAY = date(2026, 1, 3)


def _overdue(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2025, 1, 2, 10, 0))
    for card_number, barcode in ((ANNE, item(1)), (BO, item(6))):
        assert checkout(ctx, test_actor(ctx), card_number, barcode).ok
    with ctx.sessions.begin() as session:
        session.execute(update(Borrower).values(email="someone@ku.dk"))
    clock.set(datetime.combine(RUN_DAY, time(8)))


def test_h13_p12_the_dialog_says_plainly_that_the_login_was_refused(qtbot, gui_ctx, clock):
    _overdue(gui_ctx, clock)
    inbox = Inbox(refuse_login=True)
    with smtp_server(inbox=inbox, login=True) as (_, port):
        settings = DeskSettings(
            language="en",
            sounds=False,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            smtp_user=USER,
            mail_from="udlaan@kb.dk",
        )
        dialog = DailyRunDialog(gui_ctx, settings, env={"DESK_APP_SMTP_PASSWORD": PASSWORD})
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.sig_finished, timeout=30_000):
            dialog.start()
    assert inbox.logins == 1 and inbox.messages == []
    # the run is over, but the dialog stays and says why, until it is closed
    assert dialog.isVisible()
    text = dialog.labelText()
    assert text.startswith("E-mail could not be sent: the mail server refused the login")
    assert "2 message(s) wait" in text and "24 hours" in text and "letter" in text
    close = dialog.findChild(QPushButton)
    assert close is not None and close.text() == "Close" and close.isDefault()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "refused the login" in dialog.summary() and "e-mail 0 sent, 2 waiting" in (
        dialog.summary()
    )
    with gui_ctx.sessions() as session:
        assert set(session.scalars(select(NoticeMail.state))) == {"pending"}


def test_h13_p12_the_dialog_closes_by_itself_when_the_mail_went(qtbot, gui_ctx, clock):
    _overdue(gui_ctx, clock)
    with smtp_server(inbox=Inbox(), login=True) as (inbox, port):
        settings = DeskSettings(
            language="en",
            sounds=False,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            smtp_user=USER,
            mail_from="udlaan@kb.dk",
        )
        dialog = DailyRunDialog(gui_ctx, settings, env={"DESK_APP_SMTP_PASSWORD": PASSWORD})
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.sig_finished, timeout=30_000):
            dialog.start()
        qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(inbox.messages) == 2 and dialog.mail_trouble() == ""


def test_h13_p12_enter_during_the_last_progress_step_closes_the_dialog(
    qtbot, gui_ctx, clock, monkeypatch
):
    """Found in a full parallel run, which hung: a modal progress dialog's
    ``setValue`` processes events, so a key or timer could run while the
    dialog said it had a report but its Close button was not ready yet; Enter
    then did nothing and the dialog waited forever. Here Enter is pressed at
    exactly that moment."""
    _overdue(gui_ctx, clock)
    pressed: list[str] = []
    original = DailyRunDialog.setValue

    def set_value_then_enter(self: DailyRunDialog, value: int) -> None:
        original(self, value)
        if self.report is not None and not pressed:
            pressed.append(self.labelText())
            qtbot.keyClick(self, Qt.Key.Key_Return)

    monkeypatch.setattr(DailyRunDialog, "setValue", set_value_then_enter)
    settings = DeskSettings(
        language="en",
        sounds=False,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),  # nobody listens: the mail cannot go
        smtp_security="none",
        mail_from="udlaan@kb.dk",
    )
    dialog = DailyRunDialog(gui_ctx, settings, env={})
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_finished, timeout=30_000):
        dialog.start()
    assert pressed and pressed[0].startswith("E-mail could not be sent")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
