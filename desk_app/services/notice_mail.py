"""§5 S6: e-mailing the notices: one message per borrower per run, the letter
as text and as a PDF attachment, from the outbox the run wrote.

Never lost, never sent twice (issue 13, point 12):

- the run writes one ``notice_mails`` row per borrower in the same
  transaction as the notices, so every notice has its message;
- before sending, a row is *claimed* (``pending`` → ``sending``) in its own
  committed transaction, so a second desk sending at the same time skips it;
- only after the server accepted the message is it marked ``sent``, and a
  ``sent`` row is never picked again;
- a send that fails before the message's DATA went out leaves the row
  ``pending``: the server certainly has no copy. The batch goes on: the desk
  connects again and sends it once more, then the rest;
- **at most once**: SMTP cannot ask a server whether it has a message, so a
  connection lost *after* the DATA went out (the server may have stored it,
  its answer never came) marks the row ``uncertain``. It is never sent again
  by e-mail; it goes out as a printed letter instead. A borrower may get the
  e-mail and the letter; never the e-mail twice;
- a claim older than ``STALE_CLAIM`` was made by a desk that died (one
  message's send takes a few SMTP timeouts at most, and each message is
  claimed just before it is sent). That desk may have died after the DATA,
  so the same reasoning holds: the row becomes ``uncertain``, a letter;
- a message the mail server has not taken ``LETTER_AFTER`` (24 h) after its
  run (server down, login refused, e-mail not set up) becomes ``expired``: a
  printed letter, in the batch of the day it expired;
- a message whose every notice has a newer notice for the same loan (days of
  failure, then the next step) is ``superseded``: neither sent nor printed;
  one with some newer notices is sent without them;
- an address the server refuses outright (5xx) ``MAX_REFUSALS`` times turns
  the row ``failed``, and the letter goes on paper instead.
"""

from __future__ import annotations

import base64
import contextlib
import smtplib
import ssl
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any, Protocol

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from desk_app.credentials import Credentials, smtp_password
from desk_app.domain import roles
from desk_app.domain.mail_states import MAIL, POSTAL, MailAction, MailState
from desk_app.printing.letter_text import letter_plain_text, letter_subject
from desk_app.printing.letters import render_letter
from desk_app.services.access import require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.notice_letters import Signature, letter_of, superseded
from desk_app.services.transactions import write_transaction
from desk_app.settings import DeskSettings
from desk_app.store.models import Notice, NoticeMail, NoticeRun

MAX_REFUSALS = 3  # a permanent (5xx) refusal this often: print a letter instead
# A claim older than this was made by a desk that died: a live desk claims each
# message just before sending it, and a send takes a few SMTP timeouts at most.
STALE_CLAIM = timedelta(minutes=15)
LETTER_AFTER = timedelta(hours=24)  # not sent this long after its run: a letter instead
MAX_DROPS = 3  # the server hung up this many times in a row: the rest wait
TRIES_PER_RUN = 2  # a message lost before its DATA goes again once, on a new connection
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
    def from_settings(
        settings: DeskSettings, env: Mapping[str, str], credentials: Credentials | None = None
    ) -> MailSettings:
        """The password: the credential store's (default: the system's), else
        ``DESK_APP_SMTP_PASSWORD`` (issue 13 point 11)."""
        return MailSettings(
            host=settings.smtp_host.strip(),
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_user.strip(),
            password=smtp_password(settings, env, credentials),
            sender=settings.mail_from.strip(),
        )


class DeliveryUncertain(smtplib.SMTPException):
    """The connection was lost after the message's DATA went out: the server
    may have stored it, and its answer never came. Never sent again."""


class MailServer(Protocol):
    """An open connection. ``send_message`` raises :class:`DeliveryUncertain`
    when the connection was lost after the DATA went out; any other
    connection error means the server has no copy."""

    def send_message(self, msg: EmailMessage) -> object: ...

    def quit(self) -> object: ...


class _DeskSMTP(smtplib.SMTP):
    """Tells a connection lost before the DATA command (the server has no
    copy: send again) from one lost after it (it may have: at most once).
    From the DATA command on counts as after: a little too careful, never
    a duplicate."""

    _in_data = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self._in_data = True
        return super().data(msg)

    def send_message(self, msg: Any, *args: Any, **kwargs: Any) -> Any:
        self._in_data = False
        try:
            return super().send_message(msg, *args, **kwargs)
        except (OSError, smtplib.SMTPServerDisconnected) as problem:
            if self._in_data:
                raise DeliveryUncertain(
                    f"connection lost after the message went out ({problem})"
                ) from problem
            raise


class _DeskSMTPSSL(smtplib.SMTP_SSL, _DeskSMTP):
    """Implicit TLS, with :class:`_DeskSMTP`'s DATA tracking."""


def connect_smtp(mail: MailSettings) -> MailServer:
    """An SMTP connection as the settings say: STARTTLS, implicit TLS or plain,
    logging in when a user name is set. Certificates are always verified."""
    context = ssl.create_default_context(cafile=mail.ca_file)
    server: smtplib.SMTP
    if mail.security == "tls":
        server = _DeskSMTPSSL(mail.host, mail.port, timeout=mail.timeout, context=context)
    else:
        server = _DeskSMTP(mail.host, mail.port, timeout=mail.timeout)
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


# Why e-mail could not be sent (MailReport.trouble), for the desk's own words.
UNCONFIGURED = "unconfigured"  # no mail server in the settings
UNREACHABLE = "unreachable"  # no connection (refused, timed out, TLS failed)
LOGIN_REFUSED = "login"  # the server refused the user name and password
HUNG_UP = "hung up"  # the server kept dropping the connection


@dataclass(frozen=True)
class MailReport:
    sent: int = 0
    pending: int = 0  # still waiting: for the next run
    failed: int = 0  # went to the printed letters on this run instead
    superseded: int = 0  # replaced by newer notices: neither sent nor printed
    problem: str | None = None  # why nothing (more) could be sent, for the desk
    configured: bool = True  # False: no mail server in the settings, all waits
    trouble: str | None = None  # UNCONFIGURED, UNREACHABLE, LOGIN_REFUSED or HUNG_UP

    @property
    def not_sent(self) -> bool:
        """Mail could not be sent (the console exits non-zero)."""
        return self.trouble is not None

    @property
    def counts_en(self) -> str:
        counts = f"E-mail: {self.sent} sent, {self.pending} waiting, {self.failed} to print"
        if self.superseded:
            counts += f", {self.superseded} superseded (not sent)"
        return counts + "."

    @property
    def summary_en(self) -> str:
        return f"{self.counts_en} {self.problem}" if self.problem else self.counts_en


@dataclass(frozen=True)
class Tidied:
    """What :func:`tidy_outbox` did before a send."""

    superseded: int = 0
    uncertain: int = 0  # stale claims of desks that died
    expired: int = 0
    letter_day: date = field(kw_only=True)  # the batch its letters are in (a send's too)

    @property
    def letters(self) -> int:
        return self.uncertain + self.expired


def message_id(run_id: int, borrower_id: int, sender: str) -> str:
    """Stable per (run, borrower): every copy of a message is the same message."""
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


def tidy_outbox(
    ctx: DeskContext, letter_day: date | None = None, letter_after: timedelta = LETTER_AFTER
) -> Tidied:
    """Before any send, in one transaction: waiting messages whose every
    notice a newer one replaced become ``superseded``; claims of desks that
    died become ``uncertain`` (a letter: they may have been delivered);
    messages not sent ``letter_after`` (or more) after their run become
    ``expired`` (a letter). The letters are in ``letter_day``'s batch
    (default today). Runs also when no e-mail is sent (``--no-email``)."""
    current = (
        select(Notice.id)
        .where(
            Notice.run_id == NoticeMail.run_id,
            Notice.borrower_id == NoticeMail.borrower_id,
            ~superseded(),
        )
        .exists()
    )
    with write_transaction(ctx) as (session, now):
        day = letter_day or now.date()
        stale = NoticeMail.last_attempt_at < now - STALE_CLAIM  # a claim this old: its desk died
        live_claim = and_(NoticeMail.state == MailState.SENDING, ~stale)
        old_runs = select(NoticeRun.id).where(NoticeRun.ran_at <= now - letter_after)
        replaced = _move(
            session,
            MailAction.SUPERSEDE,
            and_(~live_claim, ~current),
            last_error="every notice in it was replaced by a newer one: not sent",
        )
        claims = _move(
            session,
            MailAction.LOSE_TRACK,
            stale,
            letter_on=day,
            last_error="claimed by a desk that stopped before it was marked sent: "
            "it may have been delivered, so it goes as a printed letter instead",
        )
        expired = _move(session, MailAction.EXPIRE, NoticeMail.run_id.in_(old_runs), letter_on=day)
    return Tidied(replaced, claims, expired, letter_day=day)


def _move(session: Session, action: MailAction, where: Any, **values: Any) -> int:
    """``action`` on every message that ``where`` picks and the table lets
    take it: a set-based step of the mail table."""
    done = session.execute(
        update(NoticeMail)
        .where(NoticeMail.state.in_(MAIL.sources(action)), where)
        .values(state=MAIL.target(action), **values)
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount or 0)  # type: ignore[attr-defined]


def waiting_count(ctx: DeskContext) -> int:
    with ctx.sessions() as session:
        return int(
            session.scalar(
                select(func.count(NoticeMail.id)).where(NoticeMail.state == MailState.PENDING)
            )
            or 0
        )


def send_pending(
    ctx: DeskContext,
    actor: Actor,
    mail: MailSettings,
    signature: Signature,
    language: str,
    progress: Progress | None = None,
    connect: Callable[[MailSettings], MailServer] = connect_smtp,
    *,
    letter_day: date | None = None,
    letter_after: timedelta = LETTER_AFTER,
) -> MailReport:
    """Send every waiting message (this run's and earlier runs' leftovers),
    after :func:`tidy_outbox`. A connection lost midway does not stop the
    batch: the desk connects again for the next message. Raises
    ``access.NotPermitted`` (audited) for an actor who may not send."""
    require(ctx, actor, roles.Action.SEND_NOTICE_MAIL)
    tidied = tidy_outbox(ctx, letter_day, letter_after)
    day = tidied.letter_day
    with ctx.sessions() as session:
        ids = _sendable(session)
    if not ids:
        return MailReport(failed=tidied.letters, superseded=tidied.superseded)
    hours = _hours(letter_after)
    if not mail.configured:
        return MailReport(
            pending=len(ids),
            failed=tidied.letters,
            superseded=tidied.superseded,
            problem="E-mail is not set up (Settings → Notices and e-mail); the messages wait, "
            f"and go out as printed letters {hours} h after their run.",
            configured=False,
            trouble=UNCONFIGURED,
        )
    sent, failed, replaced, left_by_drops = 0, tidied.letters, tidied.superseded, 0
    trouble: str | None = None
    why = ""
    queue, tries, total, done, drops_in_a_row = deque(ids), Counter[int](), len(ids), 0, 0
    server: MailServer | None = None
    try:
        while queue:
            if server is None:
                if progress:
                    progress(done, total, "connect")
                try:
                    server = connect(mail)
                except (OSError, smtplib.SMTPException) as problem:
                    login = isinstance(problem, smtplib.SMTPAuthenticationError)
                    trouble, why = (LOGIN_REFUSED if login else UNREACHABLE), _why(problem)
                    _record_error(ctx, f"mail server {'login refused' if login else 'down'}: {why}")
                    break
            if progress:
                progress(done, total, "send")
            mail_id = queue.popleft()
            tries[mail_id] += 1
            attempt = _send_one(ctx, server, mail, signature, language, mail_id, day)
            if attempt.lost is not None:
                _hang_up(server)
                server = None
                drops_in_a_row += 1
                why = attempt.lost
                if attempt.state in POSTAL:  # lost after the DATA: a letter
                    failed += 1
                elif tries[mail_id] < TRIES_PER_RUN:
                    queue.appendleft(mail_id)  # the server has no copy: once more
                    continue
                else:
                    left_by_drops += 1
                if drops_in_a_row >= MAX_DROPS:
                    trouble = HUNG_UP
                    break
            else:
                drops_in_a_row = 0
                sent += attempt.state is MailState.SENT
                failed += attempt.state in POSTAL
                replaced += attempt.state is MailState.SUPERSEDED
            done += 1
    finally:
        if server is not None:
            _hang_up(server)
    if progress:
        progress(total, total, "done")
    still = waiting_count(ctx)
    if trouble is None and left_by_drops:
        trouble = HUNG_UP  # a message went down with the connection twice: it waits
    return MailReport(
        sent=sent,
        pending=still,
        failed=failed,
        superseded=replaced,
        problem=_problem(trouble, mail, why, still, hours),
        trouble=trouble,
    )


def _hang_up(server: MailServer) -> None:
    """QUIT, and close the socket even when the line is dead already."""
    with contextlib.suppress(OSError, smtplib.SMTPException):
        server.quit()
    close = getattr(server, "close", None)
    if close is not None:
        with contextlib.suppress(OSError):
            close()


def _problem(
    trouble: str | None, mail: MailSettings, why: str, waiting: int, hours: int
) -> str | None:
    if trouble is None:
        return None
    then = (
        f"{waiting} message(s) wait for the next run and go out as printed letters "
        f"{hours} h after their run."
    )
    server = f"{mail.host}:{mail.port}"
    if trouble == LOGIN_REFUSED:
        return f"The mail server {server} refused the login ({why}); {then}"
    if trouble == UNREACHABLE:
        return f"The mail server {server} did not answer ({why}); {then}"
    return f"The mail server {server} stopped answering ({why}); {then}"


def _why(problem: BaseException) -> str:
    """One line: an SMTP reply as "535 5.7.8 ...", anything else as it says."""
    if isinstance(problem, smtplib.SMTPResponseException):
        answer = problem.smtp_error
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
        return " ".join(f"{problem.smtp_code} {text}".split())[:ERROR_LENGTH]
    return " ".join(str(problem).split())[:ERROR_LENGTH] or type(problem).__name__


def _hours(span: timedelta) -> int:
    return round(span.total_seconds() / 3600)


def _sendable(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(NoticeMail.id)
            .where(NoticeMail.state.in_(MAIL.sources(MailAction.CLAIM)))
            .order_by(NoticeMail.id)
        )
    )


@dataclass(frozen=True)
class _Attempt:
    """What one send left its message in: the state (None: another desk had
    claimed it), and why, when the connection was lost on the way (before
    the DATA: pending again; after it: uncertain, a letter)."""

    state: MailState | None
    lost: str | None = None


def _send_one(
    ctx: DeskContext,
    server: MailServer,
    mail: MailSettings,
    signature: Signature,
    language: str,
    mail_id: int,
    letter_day: date,
) -> _Attempt:
    with write_transaction(ctx) as (session, now):
        claimed = session.execute(
            update(NoticeMail)
            .where(NoticeMail.id == mail_id, NoticeMail.state.in_(MAIL.sources(MailAction.CLAIM)))
            .values(
                state=MAIL.target(MailAction.CLAIM),
                attempts=NoticeMail.attempts + 1,
                last_attempt_at=now,
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if claimed != 1:
            return _Attempt(None)
        row = session.get(NoticeMail, mail_id)
        assert row is not None
        letter = letter_of(
            session, row.run_id, row.borrower_id, signature, language, now, current_only=True
        )
        run_id, borrower_id, attempts = row.run_id, row.borrower_id, row.attempts
        address = (row.address or "").strip()
    if letter is None:  # a newer run replaced every notice since the tidy
        return _Attempt(_finish(ctx, mail_id, MailAction.SUPERSEDE, None, letter_day))
    if not address:  # nowhere to say it
        return _Attempt(_finish(ctx, mail_id, MailAction.NO_ADDRESS, None, letter_day))
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
    except DeliveryUncertain as problem:  # at most once: never again by e-mail
        error = f"{problem}; printed letter instead"
        state = _finish(ctx, mail_id, MailAction.LOSE_TRACK, error, letter_day)
        return _Attempt(state, lost=_why(problem))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as problem:
        return _refused(ctx, mail_id, attempts, str(problem), _permanent(problem), letter_day)
    except smtplib.SMTPResponseException as problem:
        permanent = 500 <= problem.smtp_code < 600
        return _refused(ctx, mail_id, attempts, str(problem), permanent, letter_day)
    except (OSError, smtplib.SMTPException) as problem:  # before the DATA: no copy there
        state = _finish(ctx, mail_id, MailAction.RETRY, str(problem), letter_day)
        return _Attempt(state, lost=_why(problem))
    except ValueError as problem:  # an address the e-mail library cannot write
        return _refused(ctx, mail_id, attempts, str(problem), True, letter_day)
    with ctx.sessions.begin() as session:
        marked = session.execute(
            update(NoticeMail)
            .where(NoticeMail.id == mail_id, NoticeMail.state.in_(MAIL.sources(MailAction.SEND)))
            .values(
                state=MAIL.target(MailAction.SEND), sent_at=now, message_id=msg_id, last_error=None
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if marked:  # else a desk took this claim for a dead one: it stays a letter
            session.execute(
                update(Notice)
                .where(Notice.run_id == run_id, Notice.borrower_id == borrower_id, ~superseded())
                .values(delivered_at=now)
                .execution_options(synchronize_session=False)
            )
    return _Attempt(MailState.SENT)


def _permanent(problem: smtplib.SMTPException) -> bool:
    if isinstance(problem, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in problem.recipients.values())
    return isinstance(problem, smtplib.SMTPResponseException) and 500 <= problem.smtp_code < 600


def _refused(
    ctx: DeskContext, mail_id: int, attempts: int, error: str, permanent: bool, letter_day: date
) -> _Attempt:
    action = MailAction.REFUSE if permanent and attempts >= MAX_REFUSALS else MailAction.RETRY
    return _Attempt(_finish(ctx, mail_id, action, error, letter_day))


def _finish(
    ctx: DeskContext, mail_id: int, action: MailAction, error: str | None, letter_day: date
) -> MailState:
    """End this desk's claim by ``action`` (the state it leads to is returned);
    a letter is in ``letter_day``'s batch. A claim another desk took as a dead
    one's is left as it made it."""
    state = MAIL.step(MailState.SENDING, action)
    values: dict[str, Any] = {
        "state": state,
        "last_error": error[:ERROR_LENGTH] if error else None,
    }
    if state in POSTAL:
        values["letter_on"] = letter_day
    with ctx.sessions.begin() as session:
        session.execute(
            update(NoticeMail)
            .where(NoticeMail.id == mail_id, NoticeMail.state == MailState.SENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return state


def _record_error(ctx: DeskContext, error: str) -> None:
    """The server could not be reached: say so on every waiting message, and
    leave them pending (until ``LETTER_AFTER``: see :func:`tidy_outbox`)."""
    with write_transaction(ctx) as (session, now):
        session.execute(
            update(NoticeMail)
            .where(NoticeMail.state == MailState.PENDING)
            .values(last_error=error[:ERROR_LENGTH], last_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
