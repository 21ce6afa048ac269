"""§5 The daily run as the desk and ``desk-app notices`` do it: the notices
run (S6: every notice stored, with its message queued), then the e-mails,
including what earlier runs could not send.

The desk runs it at start-up when today's run has not happened; the command
line runs it when asked (a second run on a day sends no new notices, only
what still waits).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from desk_app.services.context import Actor, DeskContext
from desk_app.services.notice_letters import POSTAL_STATES, Signature
from desk_app.services.notice_mail import (
    MailReport,
    MailServer,
    MailSettings,
    Progress,
    connect_smtp,
    send_pending,
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
    letters_to_print: int = 0  # the day's letters that go on paper

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
) -> DailyRunReport:
    day = day or ctx.today()
    ran = not only_if_due or run_is_due(ctx, day)
    notices: list[dict[str, object]] = []
    if ran:
        if progress:
            progress(0, 0, "run")
        outcome = run_notices(ctx, actor, day)
        notices = outcome.data["notices"]
    report = send_pending(ctx, mail, signature, language, progress, connect) if send_mail else None
    with ctx.sessions() as session:
        to_print = session.scalar(
            select(func.count(NoticeMail.id))
            .join(NoticeRun, NoticeRun.id == NoticeMail.run_id)
            .where(NoticeRun.run_date == day, NoticeMail.state.in_(POSTAL_STATES))
        )
        if report is None:
            waiting = session.scalar(
                select(func.count(NoticeMail.id)).where(NoticeMail.state == "pending")
            )
            report = MailReport(pending=waiting or 0)
    return DailyRunReport(
        day=day,
        ran=ran,
        notices=len(notices),
        by_step=dict(Counter(str(n["step"]) for n in notices)),
        borrowers=len({n["card"] for n in notices}),
        mail=report,
        letters_to_print=to_print or 0,
    )
