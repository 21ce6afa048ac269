"""§5 Recall, reminders, suspension: the notice ladder (S0 to S5).

The ladder is data (``LADDER``): each rung says which step follows which,
what triggers it, and the return deadline it states. Two evaluators read it:
:func:`next_notice` for one loan (what-if, offline checks, tests) and the
set-based SQL of ``services.notices``; a test holds them to the same answers.

S1: no notice carries a fee, so the ladder has no amounts at all.
S4: returning the item ends the loan, and only open loans are cases, so the
right to borrow comes back by itself when no unsettled case remains.
S6: every :class:`Notice` a run produces is stored with its loan, step, day and
deadline, for letters and e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from desk_app.domain.calendar import Period, add_period
from desk_app.domain.facts import Step
from desk_app.domain.policy import LadderPolicy
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import txn


class Trigger(StrEnum):
    DUE = "due"  # the day is after the loan's due date
    DEADLINE = "deadline"  # the day is after the previous notice's deadline


@dataclass(frozen=True)
class Rung:
    from_step: Step | None
    to_step: Step
    trigger: Trigger
    deadline: str | None  # name of the LadderPolicy period, None: no deadline


LADDER: tuple[Rung, ...] = (
    Rung(None, Step.RECALL, Trigger.DUE, "recall_deadline"),
    Rung(Step.RECALL, Step.REMINDER_1, Trigger.DEADLINE, "reminder_interval"),
    Rung(Step.REMINDER_1, Step.REMINDER_2, Trigger.DEADLINE, "reminder_interval"),
    Rung(Step.REMINDER_2, Step.REMINDER_3, Trigger.DEADLINE, "reminder_interval"),
    Rung(Step.REMINDER_3, Step.SUSPENSION, Trigger.DEADLINE, None),
)


def rung_from(step: Step | None) -> Rung | None:
    return next((r for r in LADDER if r.from_step == step), None)


def deadline_of(rung: Rung, day: date, policy: LadderPolicy) -> date | None:
    if rung.deadline is None:
        return None
    period: Period = getattr(policy, rung.deadline)
    return add_period(day, period)


@dataclass(frozen=True)
class LadderState:
    """One open institute-capacity loan as the ladder sees it."""

    due: date
    step: Step | None = None
    deadline: date | None = None
    last_notice_on: date | None = None
    settled: bool = False  # S5
    agreed: date | None = None  # S5

    def after(self, notice: Notice, day: date) -> LadderState:
        """The state once ``notice`` was sent on ``day`` (a settled case that
        went back to SUSPENSION is no longer settled)."""
        return LadderState(
            due=self.due,
            step=notice.step,
            deadline=notice.deadline,
            last_notice_on=day,
            settled=False,
            agreed=None,
        )


@dataclass(frozen=True)
class Notice:
    step: Step
    deadline: date | None


def next_notice(state: LadderState, day: date, policy: LadderPolicy) -> Notice | None:
    """The notice the run for ``day`` sends for this loan, if any.

    At most one step per run, and none on a day that already sent this loan a
    notice, so a second run on the same day changes nothing and a late run
    catches up one step a day. A settled case (S5) rests until its agreed date
    passes with the item still out; then it goes back to SUSPENSION.
    """
    if state.last_notice_on is not None and state.last_notice_on >= day:
        return None
    if state.settled:
        if state.agreed is not None and day > state.agreed:
            return Notice(Step.SUSPENSION, None)
        return None
    rung = rung_from(state.step)
    if rung is None:
        return None
    limit = state.due if rung.trigger is Trigger.DUE else state.deadline
    if limit is None or not day > limit:
        return None
    return Notice(rung.to_step, deadline_of(rung, day, policy))


def notices_run(day: date, notices: Sequence[Mapping[str, Any]]) -> Verdict:
    """S6: the run of ``day`` stored these notices (card, item, step, deadline
    each: the replay output's ``notices``)."""
    return verdict(
        Code.NOTICES,
        "S6",
        txn(
            "Notices run for {day}: {n} notice.",
            "Notices run for {day}: {n} notices.",
            n=len(notices),
            day=day,
        ),
        notices=list(notices),
        run_date=day,
    )


def agreed_date(contact_day: date, policy: LadderPolicy, agreed: date | None = None) -> date:
    """S5: the agreed return date, by default contact day + 14 days (LP)."""
    return agreed if agreed is not None else add_period(contact_day, policy.agreed_after_contact)


@dataclass(frozen=True)
class CaseFacts:
    """A loan as S2 sees it."""

    item: str
    step: Step | None
    settled: bool


def suspension_causes(loans: Iterable[CaseFacts]) -> tuple[str, ...]:
    """S2: a borrower is suspended while at least one open loan stands at
    SUSPENSION unsettled; these are the items that cause it."""
    return tuple(sorted(c.item for c in loans if c.step is Step.SUSPENSION and not c.settled))


def project_ladder(
    state: LadderState, start: date, until: date, policy: LadderPolicy
) -> list[tuple[date, Notice]]:
    """What the daily runs from ``start`` to ``until`` would send if nothing
    comes back (the what-if of the supervisor screen)."""
    out: list[tuple[date, Notice]] = []
    day = start
    while day <= until:
        notice = next_notice(state, day, policy)
        if notice is not None:
            out.append((day, notice))
            state = state.after(notice, day)
            if notice.step is Step.SUSPENSION:
                break
        day = add_period(day, Period(days=1))
    return out
