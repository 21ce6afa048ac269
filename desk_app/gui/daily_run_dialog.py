"""The daily notices run at desk start-up (§5, S6), with a progress bar.

The run and the e-mails happen on a worker (``gui.operations``, like every
long operation) so the bar moves and the window stays responsive; the dialog
closes by itself when the run is done. The run opens its own sessions in the
worker, and the desk shows nothing else until the run is over.

When e-mail could not be sent (the server did not answer, refused the login
or kept hanging up), the dialog stays open and says so, with a Close button:
a status-bar line would be gone before anyone acts on it (issue 13, point 12).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from desk_app.domain.roles import Job
from desk_app.domain.verdict import Verdict
from desk_app.gui.operations import Operation, Operations, Work
from desk_app.services.context import Actor, DeskContext
from desk_app.services.daily_run import DailyRunReport, daily_run
from desk_app.services.notice_letters import Signature
from desk_app.services.notice_mail import (
    HUNG_UP,
    LETTER_AFTER,
    LOGIN_REFUSED,
    UNREACHABLE,
    MailServer,
    MailSettings,
    connect_smtp,
)
from desk_app.settings import DeskSettings

STARTUP_STAFF = "daily run at start-up"  # the audit's "who" for a run nobody asked for


class DailyRunDialog(QProgressDialog):
    """Runs today's notices and sends the e-mail; ``report`` or ``problem``
    holds the outcome once ``sig_finished`` was emitted."""

    sig_finished = Signal()
    sig_progress = Signal(int, int, str)  # done, total, phase: as the run reports it

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
        self._language = settings.language
        actor = Actor(STARTUP_STAFF, settings.desk_name, job=Job.DAILY_RUN)
        mail = MailSettings.from_settings(settings, env)
        signature = Signature(settings.library_name, settings.desk_name)

        def job(work: Work) -> DailyRunReport:
            return daily_run(
                work.ctx,
                actor,
                mail,
                signature,
                settings.letter_language,
                only_if_due=True,
                progress=work.progress,
                connect=connect,
            )

        self._job = job
        self._ops = Operations(self, ctx, failed=self._failed, refused=self._refused)

    def start(self) -> None:
        self.show()
        run = Operation(self._ops, self.tr("Daily notices run"), self._job)
        run.success(self._done).progress(self._progress).run_in_background()

    def _progress(self, done: int, total: int, phase: str) -> None:
        self.sig_progress.emit(done, total, phase)
        if phase == "run":
            return
        if phase == "connect":
            self.setRange(0, total)
            self.setValue(done)
            self.setLabelText(self.tr("Connecting to the mail server…"))
            return
        self.setRange(0, total)
        self.setValue(done)
        self.setLabelText(
            self.tr("Sending e-mail: {done} of {total}").format(done=done, total=total)
        )

    def _done(self, report: DailyRunReport) -> None:
        self.report = report
        trouble = self.mail_trouble()
        if not trouble:
            self._finish()
            return
        # Mail could not be sent: say so here, until someone closes it.
        self.setLabelText(trouble)
        self.setCancelButtonText(self.tr("Close"))
        self.canceled.connect(self.accept)
        close = self.findChild(QPushButton)
        if close is not None:  # Enter closes it too
            close.setDefault(True)
            close.setFocus()
        # Last: a modal progress dialog's setValue processes events, and
        # whatever runs then (a key, a timer) must find the Close button ready.
        self.setRange(0, 1)
        self.setValue(1)
        self.sig_finished.emit()
        self.activateWindow()

    def _failed(self, problem: Exception, _what: str) -> None:
        """Shown to the desk, never a traceback (the worker logged it)."""
        self.problem = str(problem)
        self._finish()

    def _refused(self, refusal: Verdict) -> None:
        self.problem = refusal.message(self._language)
        self._finish()

    def _finish(self) -> None:
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
                "E-mail is not set up (Settings → Notices and e-mail): the messages wait, "
                "and are printed as letters a day after their run."
            )
        elif trouble := self.mail_trouble():
            text += " " + trouble
        return text

    def mail_trouble(self) -> str:
        """Why e-mail could not be sent and what happens to the messages, in
        plain words; empty when it could (or is not set up: said apart)."""
        report = self.report
        if report is None:
            return ""
        why = {
            UNREACHABLE: self.tr("E-mail could not be sent: the mail server did not answer."),
            LOGIN_REFUSED: self.tr(
                "E-mail could not be sent: the mail server refused the login "
                "(user name and password in Settings → Notices and e-mail)."
            ),
            HUNG_UP: self.tr("E-mail could not be sent: the mail server kept hanging up."),
        }.get(report.mail.trouble or "")
        if why is None:
            return ""
        then = self.tr(
            "{waiting} message(s) wait for the next run; a message not sent {hours} hours "
            "after its run is printed as a letter instead (Ctrl+L)."
        ).format(
            waiting=report.mail.pending,
            hours=round(LETTER_AFTER.total_seconds() / 3600),
        )
        return f"{why} {then}"
