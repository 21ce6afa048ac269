"""Where an open loan stands on the §5 ladder, as the daily runs left it.

Every generated library is dated as if the daily notices runs had run every
day up to and including yesterday: a run for yesterday changes nothing, and
today's run sends what falls due today. A loan's notices are therefore not
invented but projected with the domain's own ladder (``project_ladder``) from
its due date to yesterday, and a loan is put on a rung by choosing a due date
in that rung's window.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from desk_app.domain.facts import Step
from desk_app.domain.ladder import LadderState, Notice, agreed_date, next_notice, project_ladder
from desk_app.domain.policy import LadderPolicy

ONE_DAY = timedelta(days=1)
Sent = tuple[date, Notice]  # a notice and the day its run sent it


class Position(StrEnum):
    """Where an open institute loan stands this morning."""

    NOT_DUE = "not due"
    DUE_TODAY = "due today"  # RECALL tomorrow
    DUE_YESTERDAY = "due yesterday"  # RECALL today
    RECALL = Step.RECALL.value
    REMINDER_1 = Step.REMINDER_1.value
    REMINDER_2 = Step.REMINDER_2.value
    REMINDER_3 = Step.REMINDER_3.value
    SUSPENSION = Step.SUSPENSION.value
    SETTLED = "settled"  # S5: at SUSPENSION, settled by contact

    @property
    def step(self) -> Step | None:
        """The rung a loan at this position stands on."""
        return _STEP_OF.get(self)


_STEP_OF = {
    Position.RECALL: Step.RECALL,
    Position.REMINDER_1: Step.REMINDER_1,
    Position.REMINDER_2: Step.REMINDER_2,
    Position.REMINDER_3: Step.REMINDER_3,
    Position.SUSPENSION: Step.SUSPENSION,
    Position.SETTLED: Step.SUSPENSION,
}


class Ladder:
    """The ladder of one library's day (``today``), for planning open loans."""

    def __init__(self, policy: LadderPolicy, today: date) -> None:
        self.policy = policy
        self.today = today
        self.yesterday = today - ONE_DAY
        self._sent: dict[date, tuple[Sent, ...]] = {}
        self.windows = self._windows()

    def notices(self, due: date) -> list[Sent]:
        """What the daily runs up to yesterday sent a loan due on ``due`` that
        is still out (S6). Depends on the due date only, so it is kept."""
        sent = self._sent.get(due)
        if sent is None:
            sent = tuple(
                project_ladder(LadderState(due=due), due + ONE_DAY, self.yesterday, self.policy)
            )
            self._sent[due] = sent
        return list(sent)

    def _windows(self) -> dict[Step, tuple[int, int]]:
        """For each step, how many days past the due date (as of yesterday) a
        loan stands at that step, read off the domain's own ladder projection."""
        ref_due = self.yesterday - timedelta(days=400)
        sent = project_ladder(
            LadderState(due=ref_due), ref_due + ONE_DAY, self.yesterday, self.policy
        )
        offsets = [((day - ref_due).days, notice.step) for day, notice in sent]
        windows: dict[Step, tuple[int, int]] = {}
        for i, (offset, step) in enumerate(offsets):
            end = offsets[i + 1][0] - 1 if i + 1 < len(offsets) else offset + 150
            windows[step] = (offset, end)
        return windows

    def due_at(self, position: Position, rng: random.Random) -> date:
        """A due date that puts an open loan at ``position`` this morning (not
        for NOT_DUE: a current loan's due date follows from its renewals)."""
        if position is Position.DUE_TODAY:
            return self.today
        if position is Position.DUE_YESTERDAY:
            return self.yesterday
        step = position.step
        assert step is not None, position
        low, high = self.windows[step]
        if position is Position.SETTLED:
            low, high = low + 30, low + 90  # well into the suspension: contact came late
        return self.yesterday - timedelta(days=rng.randint(low, high))

    def contact_days(self) -> list[date]:
        """S5: contact days whose agreed date is yesterday or later, so the
        cases settled on them rest this morning; those agreed for yesterday go
        back to SUSPENSION in today's run, those agreed for today tomorrow."""
        days, contact = [], self.yesterday
        while agreed_date(contact, self.policy) >= self.yesterday:
            days.append(contact)
            contact -= ONE_DAY
        return days

    def agreed(self, contact: date) -> date:
        return agreed_date(contact, self.policy)


def state_of(
    due: date,
    sent: list[Sent],
    settled_on: date | None = None,
    agreed: date | None = None,
) -> LadderState:
    """The ladder's view of a planned open loan."""
    last = sent[-1] if sent else None
    return LadderState(
        due=due,
        step=last[1].step if last else None,
        deadline=last[1].deadline if last else None,
        last_notice_on=last[0] if last else None,
        settled=settled_on is not None,
        agreed=agreed,
    )


def expected_notices(
    state: LadderState, days: Iterable[date], policy: LadderPolicy, into: dict[date, Counter[Step]]
) -> None:
    """Count what the domain's evaluator says the runs of ``days`` (in order)
    send for this loan: a benchmark compares the set-based run with it, so a
    fast no-op cannot pass."""
    for day in days:
        notice = next_notice(state, day, policy)
        if notice is not None:
            into.setdefault(day, Counter())[notice.step] += 1
            state = state.after(notice, day)
