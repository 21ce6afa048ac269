"""``desk-app notices``: the daily run from the command line (§5, S6).

Runs the day's notices, e-mails every message still waiting (this run's and
what earlier runs could not send), and on request writes the day's letters
as one PDF for printing. The mail server, the letters' language and the
library's name come from the desk's settings; the SMTP password may come
from ``DESK_APP_SMTP_PASSWORD`` instead. A second run on a day sends no new
notices, only what still waits.

Exit status 3 (``MAIL_NOT_SENT``) when e-mail could not be sent (the server
did not answer, refused the login or kept hanging up, or e-mail is not set
up), with one line on stderr saying why: the notices are stored, the
messages wait, and a day after their run they become printed letters.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from desk_app.cli.printing import console_actor, write_whole
from desk_app.domain.roles import Job
from desk_app.services import documents
from desk_app.services.context import Actor, DeskContext
from desk_app.services.daily_run import daily_run
from desk_app.services.notice_letters import Signature
from desk_app.services.notice_mail import MailSettings
from desk_app.settings import load_settings

MAIL_NOT_SENT = 3  # the run is stored; e-mail could not be sent (see the docstring)


def notices_command(
    ctx: DeskContext,
    day: date | None,
    data_dir: Path,
    *,
    send_mail: bool = True,
    letters: str | None = None,
    postal_only: bool = False,
    language: str | None = None,
) -> int:
    settings = load_settings(data_dir)
    actor = console_actor(Job.DAILY_RUN)
    lang = language or settings.letter_language
    signature = Signature(settings.library_name, settings.desk_name)
    mail = MailSettings.from_settings(settings, os.environ)
    report = daily_run(ctx, actor, mail, signature, lang, day, send_mail=send_mail)
    print(report.headline_en)
    for step, count in report.by_step.items():
        print(f"  {step:<11} {count:>6}")
    if send_mail:
        print(report.mail.counts_en)
    print(
        "Letters to print (no e-mail address, refused, or not sent in time): "
        f"{report.letters_to_print}"
    )
    status = 0
    if letters:
        status = _write_letters(ctx, actor, report.day, signature, lang, letters, postal_only)
    if send_mail and report.mail.not_sent:
        print(f"desk-app notices: e-mail not sent: {report.mail.problem}", file=sys.stderr)
        status = status or MAIL_NOT_SENT
    return status


def _write_letters(
    ctx: DeskContext,
    actor: Actor,
    day: date,
    signature: Signature,
    language: str,
    out: str,
    postal_only: bool,
) -> int:
    made = documents.letters_pdf(ctx, actor, day, signature, language, postal_only=postal_only)
    if made.pdf is None:
        print(f"No letters for {day.isoformat()}: nothing written to {out}.")
        return 0
    problem = write_whole(out, made.pdf)
    if problem:
        print(f"desk-app notices: {problem}", file=sys.stderr)
        return 2
    print(f"{made.count} letter(s) for {day.isoformat()} written to {out} ({language})")
    return 0
