"""§5 What-if for a whole borrower: the ladder run forward over all their loans.

The supervisor asks "if nothing comes back, what happens by this date?". The
answer comes from the same rules the daily run uses (:func:`ladder.next_notice`
through :func:`ladder.project_ladder`), applied to copies of the loans' ladder
states, so nothing is stored and the projection cannot drift from the run.

S2 makes the borrower suspended on the first day one loan reaches SUSPENSION
unsettled; a settled case (S5) whose agreed date passes goes back to
SUSPENSION and counts the same way. Nothing comes back in a projection, so
once suspended the borrower stays suspended to the end of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desk_app.domain.facts import Step
from desk_app.domain.ladder import CaseFacts, LadderState, project_ladder, suspension_causes
from desk_app.domain.policy import LadderPolicy


@dataclass(frozen=True)
class OpenCase:
    """One open institute-capacity loan of the borrower, by its item barcode."""

    item: str
    state: LadderState


@dataclass(frozen=True)
class ProjectedNotice:
    day: date
    item: str
    step: Step
    deadline: date | None


@dataclass(frozen=True)
class BorrowerProjection:
    start: date
    until: date
    causes_at_start: tuple[str, ...]  # S2 before the run of ``start``
    notices: tuple[ProjectedNotice, ...]  # by day, then item
    suspended_on: date | None  # the day S2 starts to hold, None: not in the window
    causes_at_end: tuple[str, ...]  # S2 after the run of ``until``

    @property
    def suspended_at_start(self) -> bool:
        return bool(self.causes_at_start)

    @property
    def suspended_at_end(self) -> bool:
        return bool(self.causes_at_end)


def _facts(item: str, state: LadderState) -> CaseFacts:
    return CaseFacts(item=item, step=state.step, settled=state.settled)


def project_borrower(
    cases: Iterable[OpenCase], start: date, until: date, policy: LadderPolicy
) -> BorrowerProjection:
    """What the daily runs from ``start`` to ``until`` (both included) would
    send this borrower if nothing comes back, and when S2 would suspend them.

    A notice to SUSPENSION always leaves the case unsettled (S5: a settled
    case whose agreed date passes goes back to SUSPENSION), so the first such
    notice is the day the borrower becomes suspended, unless they already are.
    """
    cases = list(cases)
    before = suspension_causes(_facts(c.item, c.state) for c in cases)
    notices: list[ProjectedNotice] = []
    end_facts: list[CaseFacts] = []
    for case in cases:
        sent = project_ladder(case.state, start, until, policy)
        notices += [ProjectedNotice(day, case.item, n.step, n.deadline) for day, n in sent]
        state = case.state
        for day, notice in sent:
            state = state.after(notice, day)
        end_facts.append(_facts(case.item, state))
    notices.sort(key=lambda n: (n.day, n.item))
    suspended_on = None
    if not before:
        suspended_on = next((n.day for n in notices if n.step is Step.SUSPENSION), None)
    return BorrowerProjection(
        start=start,
        until=until,
        causes_at_start=before,
        notices=tuple(notices),
        suspended_on=suspended_on,
        causes_at_end=suspension_causes(end_facts),
    )
