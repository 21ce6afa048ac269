"""§5 The daily run as the desk and ``desk-app notices`` do it: the notices
run (S6: every notice stored, with its message queued), then the e-mails,
including what earlier runs could not send.

The desk runs it at start-up when today's run has not happened; the command
line runs it when asked (a second run on a day sends no new notices, only
what still waits). Messages the mail server has not taken a day after their
run, or whose notices newer ones replaced, are settled first (see
``notice_mail``), also when no e-mail is sent now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from desk_app.domain import roles
from desk_app.domain.mail_states import POSTAL
from desk_app.services.access import require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.notice_letters import Signature, letter_day
from desk_app.services.notice_mail import (
    LETTER_AFTER,
    MailReport,
    MailServer,
    MailSettings,
    Progress,
    connect_smtp,
    send_pending,
    tidy_outbox,
    waiting_count,
)
from desk_app.services.notices import run_is_due, run_notices
from desk_app.store.models import NoticeMail, NoticeRun


@dataclass(frozen=True)
class DailyRunReport:
    day: date
    ran: bool  # False: the day's run had already happened (start-up only)
    notices: int = 0
    by_step: dict[str, int] = field(default_factory=dict)
    borrowers: int = 0
    mail: MailReport = field(default_factory=MailReport)
    letters_to_print: int = 0  # the day's letters that go on paper (earlier runs' too)

    @property
    def headline_en(self) -> str:
        return (
            f"Notices run for {self.day.isoformat()}: {self.notices} notice(s) "
            f"to {self.borrowers} borrower(s)."
            if self.ran
            else f"The notices run for {self.day.isoformat()} has already been made."
        )

    @property
    def summary_en(self) -> str:
        return (
            f"{self.headline_en} {self.mail.summary_en} Letters to print: {self.letters_to_print}."
        )


def daily_run(
    ctx: DeskContext,
    actor: Actor,
    mail: MailSettings,
    signature: Signature,
    language: str,
    day: date | None = None,
    *,
    only_if_due: bool = False,
    send_mail: bool = True,
    progress: Progress | None = None,
    connect: Callable[[MailSettings], MailServer] = connect_smtp,
    letter_after: timedelta = LETTER_AFTER,
) -> DailyRunReport:
    """``letter_after``: a message not sent this long after its run becomes
    a printed letter (in ``day``'s batch) instead."""
    if send_mail:  # refused before the run, not after it (``send_pending`` checks too)
        require(ctx, actor, roles.Action.SEND_NOTICE_MAIL)
    require(ctx, actor, roles.Action.RUN_NOTICES)
    day = day or ctx.today()
    ran = not only_if_due or run_is_due(ctx, day)
    notices: list[dict[str, object]] = []
    if ran:
        if progress:
            progress(0, 0, "run")
        outcome = run_notices(ctx, actor, day)
        notices = outcome.data["notices"]
    if send_mail:
        report = send_pending(
            ctx,
            actor,
            mail,
            signature,
            language,
            progress,
            connect,
            letter_day=day,
            letter_after=letter_after,
        )
    else:
        tidied = tidy_outbox(ctx, day, letter_after)
        report = MailReport(
            pending=waiting_count(ctx), failed=tidied.letters, superseded=tidied.superseded
        )
    with ctx.sessions() as session:
        to_print = session.scalar(
            select(func.count(NoticeMail.id))
            .join(NoticeRun, NoticeRun.id == NoticeMail.run_id)
            .where(letter_day() == day, NoticeMail.state.in_(POSTAL))
        )
    return DailyRunReport(
        day=day,
        ran=ran,
        notices=len(notices),
        by_step=dict(Counter(str(n["step"]) for n in notices)),
        borrowers=len({n["card"] for n in notices}),
        mail=report,
        letters_to_print=to_print or 0,
    )
