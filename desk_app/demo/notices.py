"""What the daily notices runs (§5, S6) left behind: a run for every day up to
yesterday, every notice it sent with its loan, step and deadline, and one
message per borrower per run (S6) in the outbox.

The notices themselves come from the ladder (``ladder.Ladder.notices``); this
module makes the rows both writers store.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from desk_app.demo.audit import entry_values
from desk_app.domain.ladder import Notice
from desk_app.domain.mail_states import MAIL, MailAction
from desk_app.domain.verdict import Code

RUN_AT = time(7, 0)  # the daily run, before the desk opens
MAILED_AFTER = timedelta(minutes=2)

# The states a generated message is in (``domain.mail_states``): queued by the
# run, then sent, or printed as a letter for a borrower without an address.
QUEUED = MAIL.start(MailAction.QUEUE)
SENT = MAIL.step(MAIL.step(QUEUED, MailAction.CLAIM), MailAction.SEND)
POSTAL = MAIL.step(MAIL.step(QUEUED, MailAction.CLAIM), MailAction.NO_ADDRESS)

RUN_COLUMNS = ("run_date", "ran_at", "notices", "staff", "desk")
NOTICE_COLUMNS = ("run_id", "loan_id", "borrower_id", "step", "sent_on", "deadline", "delivered_at")
MAIL_COLUMNS = (
    "run_id",
    "borrower_id",
    "address",
    "state",
    "attempts",
    "last_attempt_at",
    "sent_at",
    "message_id",
)


def ran_at(day: date) -> datetime:
    return datetime.combine(day, RUN_AT)


class NoticeHistory:
    """The notices sent up to yesterday, collected loan by loan.

    ``mail_server``: whether yesterday's messages went out too; on a demo desk
    none is set up, so they still wait (and the notices are not delivered).
    """

    def __init__(self, yesterday: date, *, mail_server: bool) -> None:
        self.yesterday = yesterday
        self.mail_server = mail_server
        self.sent: list[tuple[date, Notice, int, int, str | None]] = []

    def add(
        self, day: date, notice: Notice, loan_id: int, borrower_id: int, email: str | None
    ) -> None:
        self.sent.append((day, notice, loan_id, borrower_id, email))

    def __len__(self) -> int:
        return len(self.sent)

    def days(self) -> list[date]:
        """Every day from the first notice to yesterday: the runs that ran."""
        if not self.sent:
            return []
        first = min(day for day, *_ in self.sent)
        return [first + timedelta(days=i) for i in range((self.yesterday - first).days + 1)]

    def per_day(self) -> Counter[date]:
        return Counter(day for day, *_ in self.sent)

    def _mailed(self, day: date, email: str | None) -> bool:
        return bool(email) and (self.mail_server or day != self.yesterday)

    def run_rows(self, staff: str, desk: str) -> list[tuple[Any, ...]]:
        """``RUN_COLUMNS``, in day order."""
        count = self.per_day()
        return [(day, ran_at(day), count[day], staff, desk) for day in self.days()]

    def notice_rows(self, run_of: dict[date, int]) -> Iterator[tuple[Any, ...]]:
        """``NOTICE_COLUMNS``, by day and loan."""
        for day, notice, loan_id, borrower_id, email in sorted(
            self.sent, key=lambda s: (s[0], s[2])
        ):
            yield (
                run_of[day],
                loan_id,
                borrower_id,
                notice.step,
                day,
                notice.deadline,
                ran_at(day) + MAILED_AFTER if self._mailed(day, email) else None,
            )

    def mail_rows(self, run_of: dict[date, int]) -> list[tuple[Any, ...]]:
        """``MAIL_COLUMNS``: one message per borrower per run (S6), sent by
        e-mail, waiting for a mail server, or a letter on paper for a
        borrower without an address."""
        rows: dict[tuple[int, int], tuple[Any, ...]] = {}
        for day, _notice, _loan_id, borrower_id, email in self.sent:
            key = (run_of[day], borrower_id)
            if key in rows:
                continue
            state = QUEUED
            if not email:
                state = POSTAL
            elif self._mailed(day, email):
                state = SENT
            mailed = state is SENT
            rows[key] = (
                key[0],
                borrower_id,
                email,
                state,
                int(mailed),
                ran_at(day) if mailed else None,
                ran_at(day) + MAILED_AFTER if mailed else None,
                f"<notice.{key[0]}.{key[1]}@kb.dk>" if mailed else None,
            )
        return list(rows.values())

    def audit_rows(self, staff: str, desk: str) -> list[tuple[Any, ...]]:
        """The notices run's own entry, each day."""
        count = self.per_day()
        return [
            entry_values(
                ran_at(day),
                staff,
                desk,
                "notices",
                Code.NOTICES,
                "S6",
                detail=json.dumps({"count": count[day], "source": "demo"}),
            )
            for day in self.days()
        ]
