"""The daily notices run at desk start-up (§5, S6), with a progress bar.

The run and the e-mails happen on a worker thread so the bar moves and the
window stays responsive; the dialog closes by itself when the run is done.
The thread opens its own sessions from the session factory, and the desk
shows nothing else until the run is over, so no session is shared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk_app.services.context import Actor, DeskContext
from desk_app.services.daily_run import DailyRunReport, daily_run
from desk_app.services.notice_letters import Signature
from desk_app.services.notice_mail import MailServer, MailSettings, connect_smtp
from desk_app.settings import DeskSettings

log = logging.getLogger(__name__)

STARTUP_STAFF = "daily run at start-up"  # the audit's "who" for a run nobody asked for


class _RunThread(QThread):
    sig_progress = Signal(int, int, str)
    sig_done = Signal(object)  # DailyRunReport
    sig_failed = Signal(str)

    def __init__(self, job: Callable[[Callable[[int, int, str], None]], DailyRunReport]) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        try:
            report = self._job(self.sig_progress.emit)
        except Exception as problem:  # shown to the desk, never a traceback
            log.exception("the daily notices run failed")
            self.sig_failed.emit(str(problem))
            return
        self.sig_done.emit(report)


class DailyRunDialog(QProgressDialog):
    """Runs today's notices and sends the e-mail; ``report`` or ``problem``
    holds the outcome once ``sig_finished`` was emitted."""

    sig_finished = Signal()

    def __init__(
        self,
        ctx: DeskContext,
        settings: DeskSettings,
        env: Mapping[str, str],
        parent: QWidget | None = None,
        connect: Callable[[MailSettings], MailServer] = connect_smtp,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Daily notices run"))
        self.setLabelText(self.tr("Making today's notices (recalls, reminders, suspensions)…"))
        self.setCancelButton(None)  # stopping halfway would only leave mail for tomorrow
        self.setRange(0, 0)  # busy until the mail count is known
        self.setMinimumDuration(0)
        self.setMinimumWidth(460)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.report: DailyRunReport | None = None
        self.problem: str | None = None
        actor = Actor(STARTUP_STAFF, settings.desk_name)
        mail = MailSettings.from_settings(settings, env)
        signature = Signature(settings.library_name, settings.desk_name)

        def job(progress: Callable[[int, int, str], None]) -> DailyRunReport:
            return daily_run(
                ctx,
                actor,
                mail,
                signature,
                settings.letter_language,
                only_if_due=True,
                progress=progress,
                connect=connect,
            )

        self._thread = _RunThread(job)
        self._thread.sig_progress.connect(self._progress)
        self._thread.sig_done.connect(self._done)
        self._thread.sig_failed.connect(self._failed)

    def start(self) -> None:
        self.show()
        self._thread.start()

    def _progress(self, done: int, total: int, phase: str) -> None:
        if phase == "run":
            return
        if phase == "connect":
            self.setRange(0, total)
            self.setValue(0)
            self.setLabelText(self.tr("Connecting to the mail server…"))
            return
        self.setRange(0, total)
        self.setValue(done)
        self.setLabelText(
            self.tr("Sending e-mail: {done} of {total}").format(done=done, total=total)
        )

    def _done(self, report: DailyRunReport) -> None:
        self.report = report
        self._finish()

    def _failed(self, problem: str) -> None:
        self.problem = problem
        self._finish()

    def _finish(self) -> None:
        self._thread.wait()
        self.sig_finished.emit()
        self.accept()

    def summary(self) -> str:
        """One line for the desk's status bar."""
        if self.problem is not None:
            return self.tr(
                "The daily notices run stopped: {problem}. What it stored is kept; "
                "what is missing is done by the next run."
            ).format(problem=self.problem)
        report = self.report
        if report is None or not report.ran:
            return ""
        text = self.tr(
            "Today's notices: {notices} to {borrowers} borrower(s); "
            "e-mail {sent} sent, {waiting} waiting; {letters} letter(s) to print."
        ).format(
            notices=report.notices,
            borrowers=report.borrowers,
            sent=report.mail.sent,
            waiting=report.mail.pending,
            letters=report.letters_to_print,
        )
        if not report.mail.configured:
            text += " " + self.tr(
                "E-mail is not set up (Settings → Notices and e-mail): the messages wait."
            )
        elif report.mail.problem:
            text += " " + self.tr("The mail server did not take the messages; they wait.")
        return text
