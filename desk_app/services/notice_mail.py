"""§5 S6: e-mailing the notices: one message per borrower per run, the letter
as text and as a PDF attachment, from the outbox the run wrote.

Never lost, never sent twice:

- the run writes one ``notice_mails`` row per borrower in the same
  transaction as the notices, so every notice has its message;
- before sending, a row is *claimed* (``pending`` → ``sending``) in its own
  committed transaction, so a second desk sending at the same time skips it;
- only after the server accepted the message is it marked ``sent``, and a
  ``sent`` row is never picked again;
- a send that fails leaves the row ``pending`` with the error, for the next
  run. A server that is down never makes a message give up; an address the
  server refuses outright (5xx) three times turns the row ``failed``, and
  the letter goes on paper instead.

The one window left is a desk dying between the server's acceptance and the
``sent`` mark: the row stays ``sending``, and after ``STALE_CLAIM`` a later run
sends it again with the same ``Message-ID``, which mail readers use to show
one message.
"""

from __future__ import annotations

import base64
import contextlib
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Protocol

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from desk_app.printing.letter_text import letter_plain_text, letter_subject
from desk_app.printing.letters import render_letter
from desk_app.services.context import DeskContext
from desk_app.services.notice_letters import Signature, letter_of
from desk_app.settings import SMTP_PASSWORD_ENV, DeskSettings
from desk_app.store.models import Notice, NoticeMail

MAX_REFUSALS = 3  # a permanent (5xx) refusal this often: print a letter instead
STALE_CLAIM = timedelta(hours=1)  # a claim older than this was a desk that died
ERROR_LENGTH = 500

Progress = Callable[[int, int, str], None]  # done, total, what


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls, tls or none (settings.SMTP_SECURITY)
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    timeout: float = 30.0
    ca_file: str | None = None  # a private CA (and the tests' own certificate)

    @property
    def configured(self) -> bool:
        return bool(self.host.strip() and self.sender.strip())

    @staticmethod
    def from_settings(settings: DeskSettings, env: Mapping[str, str]) -> MailSettings:
        return MailSettings(
            host=settings.smtp_host.strip(),
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_user.strip(),
            password=env.get(SMTP_PASSWORD_ENV) or settings.smtp_password,
            sender=settings.mail_from.strip(),
        )


class MailServer(Protocol):
    def send_message(self, msg: EmailMessage) -> object: ...

    def quit(self) -> object: ...


def connect_smtp(mail: MailSettings) -> MailServer:
    """An SMTP connection as the settings say: STARTTLS, implicit TLS or plain,
    logging in when a user name is set. Certificates are always verified."""
    context = ssl.create_default_context(cafile=mail.ca_file)
    server: smtplib.SMTP
    if mail.security == "tls":
        server = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout, context=context)
    else:
        server = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
    try:
        if mail.security == "starttls":
            server.starttls(context=context)
        if mail.username:
            _login(server, mail.username, mail.password)
    except BaseException:
        server.close()
        raise
    return server


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib sends credentials as ASCII only; a password with æ, ø or å goes
    as AUTH PLAIN in UTF-8 (RFC 4616) instead."""
    if (user + password).isascii():
        server.login(user, password)
        return
    server.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, answer = server.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


@dataclass(frozen=True)
class MailReport:
    sent: int = 0
    pending: int = 0  # still waiting: for the next run
    failed: int = 0  # given up on this run: a letter on paper instead
    problem: str | None = None  # why nothing (more) could be sent, for the desk
    configured: bool = True  # False: no mail server in the settings, all waits

    @property
    def counts_en(self) -> str:
        return f"E-mail: {self.sent} sent, {self.pending} waiting, {self.failed} to print."

    @property
    def summary_en(self) -> str:
        return f"{self.counts_en} {self.problem}" if self.problem else self.counts_en


def message_id(run_id: int, borrower_id: int, sender: str) -> str:
    """Stable per (run, borrower): a resend after a crash is the same message."""
    domain = sender.rpartition("@")[2] or "desk-app.invalid"
    return f"<notice.{run_id}.{borrower_id}@{domain}>"


def compose(
    mail: MailSettings,
    to: str,
    letter_pdf: bytes,
    subject: str,
    body: str,
    msg_id: str,
    library: str,
    now: datetime,
    filename: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((library, mail.sender))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now.astimezone())
    msg["Message-ID"] = msg_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    msg.add_attachment(letter_pdf, maintype="application", subtype="pdf", filename=filename)
    return msg


def send_pending(
    ctx: DeskContext,
    mail: MailSettings,
    signature: Signature,
    language: str,
    progress: Progress | None = None,
    connect: Callable[[MailSettings], MailServer] = connect_smtp,
) -> MailReport:
    """Send every waiting message (this run's and earlier runs' leftovers)."""
    with ctx.sessions() as session:
        ids = _sendable(session, ctx.now())
    if not ids:
        return MailReport()
    if not mail.configured:
        return MailReport(
            pending=len(ids),
            problem="E-mail is not set up (Settings → Notices and e-mail); the messages wait.",
            configured=False,
        )
    if progress:
        progress(0, len(ids), "connect")
    try:
        server = connect(mail)
    except (OSError, smtplib.SMTPException) as problem:
        _record_error(ctx, f"cannot reach the mail server: {problem}")
        return MailReport(
            pending=len(ids),
            problem=f"The mail server {mail.host}:{mail.port} did not answer ({problem}); "
            "the messages wait for the next run.",
        )
    sent = failed = 0
    problem_text: str | None = None
    try:
        for done, mail_id in enumerate(ids):
            if progress:
                progress(done, len(ids), "send")
            outcome = _send_one(ctx, server, mail, signature, language, mail_id)
            if outcome == "sent":
                sent += 1
            elif outcome == "failed":
                failed += 1
            elif outcome.startswith("down:"):
                problem_text = outcome[5:]
                _record_error(ctx, problem_text)
                break
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            server.quit()
    if progress:
        progress(len(ids), len(ids), "done")
    with ctx.sessions() as session:
        still = len(_sendable(session, ctx.now()))
    return MailReport(
        sent=sent,
        pending=still,
        failed=failed,
        problem=None
        if problem_text is None
        else f"The mail server stopped answering ({problem_text}); the rest wait for the next run.",
    )


def _waiting(now: datetime) -> ColumnElement[bool]:
    """Pending, or claimed by a desk that died (its claim is stale)."""
    stale = and_(NoticeMail.state == "sending", NoticeMail.last_attempt_at < now - STALE_CLAIM)
    return or_(NoticeMail.state == "pending", stale)


def _sendable(session: Session, now: datetime) -> list[int]:
    return list(session.scalars(select(NoticeMail.id).where(_waiting(now)).order_by(NoticeMail.id)))


def _send_one(
    ctx: DeskContext,
    server: MailServer,
    mail: MailSettings,
    signature: Signature,
    language: str,
    mail_id: int,
) -> str:
    """'sent', 'pending', 'failed', 'skipped' (another desk has it), or
    'down:<why>' when the server itself is gone."""
    now = ctx.now()
    with ctx.sessions.begin() as session:
        claimed = session.execute(
            update(NoticeMail)
            .where(NoticeMail.id == mail_id, _waiting(now))
            .values(state="sending", attempts=NoticeMail.attempts + 1, last_attempt_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            return "skipped"
        row = session.get(NoticeMail, mail_id)
        assert row is not None
        letter = letter_of(session, row.run_id, row.borrower_id, signature, language, now)
        run_id, borrower_id, attempts = row.run_id, row.borrower_id, row.attempts
        address = (row.address or "").strip()
    if letter is None or not address:  # nothing to say, or nowhere to say it
        _finish(ctx, mail_id, "postal", None)
        return "failed"
    msg_id = message_id(run_id, borrower_id, mail.sender)
    try:
        msg = compose(
            mail,
            address,
            render_letter(letter, language),
            letter_subject(letter, language),
            letter_plain_text(letter, language),
            msg_id,
            signature.library,
            now,
            f"notice-{letter.run_date.isoformat()}.pdf",
        )
        server.send_message(msg)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as problem:
        return _refused(ctx, mail_id, attempts, str(problem), permanent=_permanent(problem))
    except smtplib.SMTPResponseException as problem:
        permanent = 500 <= problem.smtp_code < 600
        return _refused(ctx, mail_id, attempts, str(problem), permanent=permanent)
    except (OSError, smtplib.SMTPException) as problem:
        _finish(ctx, mail_id, "pending", str(problem))
        return f"down:{problem}"
    except ValueError as problem:  # an address the e-mail library cannot write
        return _refused(ctx, mail_id, attempts, str(problem), permanent=True)
    with ctx.sessions.begin() as session:
        session.execute(
            update(NoticeMail)
            .where(NoticeMail.id == mail_id)
            .values(state="sent", sent_at=now, message_id=msg_id, last_error=None)
        )
        session.execute(
            update(Notice)
            .where(Notice.run_id == run_id, Notice.borrower_id == borrower_id)
            .values(delivered_at=now)
        )
    return "sent"


def _permanent(problem: smtplib.SMTPException) -> bool:
    if isinstance(problem, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in problem.recipients.values())
    return isinstance(problem, smtplib.SMTPResponseException) and 500 <= problem.smtp_code < 600


def _refused(ctx: DeskContext, mail_id: int, attempts: int, error: str, *, permanent: bool) -> str:
    state = "failed" if permanent and attempts >= MAX_REFUSALS else "pending"
    _finish(ctx, mail_id, state, error)
    return state


def _finish(ctx: DeskContext, mail_id: int, state: str, error: str | None) -> None:
    with ctx.sessions.begin() as session:
        session.execute(
            update(NoticeMail)
            .where(NoticeMail.id == mail_id)
            .values(state=state, last_error=error[:ERROR_LENGTH] if error else None)
        )


def _record_error(ctx: DeskContext, error: str) -> None:
    """The server could not be reached: say so on every waiting message, and
    leave them pending (a server that is down never makes a message give up)."""
    with ctx.sessions.begin() as session:
        session.execute(
            update(NoticeMail)
            .where(NoticeMail.state == "pending")
            .values(last_error=error[:ERROR_LENGTH], last_attempt_at=ctx.now())
            .execution_options(synchronize_session=False)
        )
