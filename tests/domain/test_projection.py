"""§5 What-if for a borrower: every loan's ladder run forward, and S2 on top."""

from __future__ import annotations

from datetime import date

import pytest

from desk_app.domain.facts import Step
from desk_app.domain.ladder import LadderState, project_ladder
from desk_app.domain.projection import OpenCase, ProjectedNotice, project_borrower

START = date(2026, 3, 2)


@pytest.fixture
def lp(policy):
    return policy.ladder


def test_S0_S2_a_late_loan_climbs_the_whole_ladder_and_suspends(lp):
    projection = project_borrower(
        [OpenCase("A", LadderState(due=date(2026, 3, 10)))], START, date(2026, 12, 31), lp
    )
    assert projection.notices == (
        ProjectedNotice(date(2026, 3, 11), "A", Step.RECALL, date(2026, 3, 25)),
        ProjectedNotice(date(2026, 3, 26), "A", Step.REMINDER_1, date(2026, 4, 2)),
        ProjectedNotice(date(2026, 4, 3), "A", Step.REMINDER_2, date(2026, 4, 10)),
        ProjectedNotice(date(2026, 4, 11), "A", Step.REMINDER_3, date(2026, 4, 18)),
        ProjectedNotice(date(2026, 4, 19), "A", Step.SUSPENSION, None),
    )
    assert not projection.suspended_at_start
    assert projection.suspended_on == date(2026, 4, 19)
    assert projection.causes_at_end == ("A",)


def test_S2_suspended_on_the_first_suspension_among_several_loans(lp):
    cases = [
        OpenCase("LATE", LadderState(due=date(2026, 5, 1))),
        OpenCase("EARLY", LadderState(due=date(2026, 3, 1))),
        OpenCase("LATER", LadderState(due=date(2026, 9, 1))),
    ]
    projection = project_borrower(cases, START, date(2026, 6, 30), lp)
    days = [n.day for n in projection.notices]
    assert days == sorted(days), "notices come by day"
    first = next(n for n in projection.notices if n.step is Step.SUSPENSION)
    assert (first.item, projection.suspended_on) == ("EARLY", first.day)
    assert projection.causes_at_end == ("EARLY", "LATE")
    assert all(n.item != "LATER" for n in projection.notices), "due after the window"


def test_S5_a_settled_case_goes_back_to_suspension_when_its_agreed_date_passes(lp):
    settled = LadderState(
        due=date(2026, 1, 1),
        step=Step.SUSPENSION,
        last_notice_on=date(2026, 2, 20),
        settled=True,
        agreed=date(2026, 3, 16),
    )
    projection = project_borrower([OpenCase("S", settled)], START, date(2026, 4, 30), lp)
    assert not projection.suspended_at_start, "S5: a settled case does not suspend"
    assert projection.notices == (ProjectedNotice(date(2026, 3, 17), "S", Step.SUSPENSION, None),)
    assert projection.suspended_on == date(2026, 3, 17)


def test_S5_a_settled_case_rests_while_its_agreed_date_is_ahead(lp):
    settled = LadderState(
        due=date(2026, 1, 1), step=Step.SUSPENSION, settled=True, agreed=date(2026, 5, 1)
    )
    projection = project_borrower([OpenCase("S", settled)], START, date(2026, 5, 1), lp)
    assert projection.notices == ()
    assert projection.suspended_on is None and not projection.suspended_at_end


def test_S2_already_suspended_stays_suspended_and_has_no_new_suspension_day(lp):
    cases = [
        OpenCase("X", LadderState(due=date(2026, 1, 1), step=Step.SUSPENSION)),
        OpenCase("Y", LadderState(due=date(2026, 3, 5))),
    ]
    projection = project_borrower(cases, START, date(2026, 8, 1), lp)
    assert projection.causes_at_start == ("X",)
    assert projection.suspended_on is None
    assert projection.causes_at_end == ("X", "Y")


def test_S0_nothing_in_a_window_that_ends_before_the_first_notice(lp):
    projection = project_borrower(
        [OpenCase("A", LadderState(due=date(2026, 3, 10)))], START, date(2026, 3, 10), lp
    )
    assert projection.notices == () and projection.suspended_on is None
    assert project_borrower([], START, date(2027, 1, 1), lp).notices == ()


def test_S0_the_borrower_projection_is_each_loans_own_projection(lp):
    states = {
        "A": LadderState(due=date(2026, 2, 1), step=Step.RECALL, deadline=date(2026, 3, 4)),
        "B": LadderState(due=date(2026, 3, 20)),
    }
    until = date(2026, 7, 1)
    projection = project_borrower([OpenCase(k, v) for k, v in states.items()], START, until, lp)
    for item, state in states.items():
        mine = [(n.day, n.step, n.deadline) for n in projection.notices if n.item == item]
        alone = [(d, n.step, n.deadline) for d, n in project_ladder(state, START, until, lp)]
        assert mine == alone and alone
