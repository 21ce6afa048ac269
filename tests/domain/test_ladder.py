"""§5 Recall, reminders, suspension: the notice ladder (S0 to S5)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, timedelta

import pytest

from desk_app.domain.calendar import Period
from desk_app.domain.facts import Step
from desk_app.domain.ladder import (
    LADDER,
    CaseFacts,
    LadderState,
    Notice,
    agreed_date,
    next_notice,
    project_ladder,
    rung_from,
    suspension_causes,
)

DUE = date(2026, 3, 10)


@pytest.fixture
def lp(policy):
    return policy.ladder


def test_S0_ladder_order_is_recall_then_three_reminders_then_suspension():
    assert [r.to_step for r in LADDER] == list(Step)
    assert [r.from_step for r in LADDER] == [None, *list(Step)[:-1]]
    assert rung_from(Step.SUSPENSION) is None


# --- RECALL -------------------------------------------------------------------


def test_S0_no_notice_on_the_due_date(lp):
    assert next_notice(LadderState(due=DUE), DUE, lp) is None
    assert next_notice(LadderState(due=DUE), DUE - timedelta(days=30), lp) is None


def test_S0_recall_the_day_after_due_with_14_day_deadline(lp):
    day = DUE + timedelta(days=1)
    assert next_notice(LadderState(due=DUE), day, lp) == Notice(Step.RECALL, date(2026, 3, 25))


def test_S0_late_run_recalls_with_deadline_from_the_run_day(lp):
    day = date(2026, 6, 1)
    assert next_notice(LadderState(due=DUE), day, lp) == Notice(Step.RECALL, date(2026, 6, 15))


# --- REMINDER_1..3 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (Step.RECALL, Step.REMINDER_1),
        (Step.REMINDER_1, Step.REMINDER_2),
        (Step.REMINDER_2, Step.REMINDER_3),
    ],
)
def test_S0_reminder_after_previous_deadline_with_7_day_deadline(lp, step, expected):
    deadline = date(2026, 4, 1)
    state = LadderState(due=DUE, step=step, deadline=deadline, last_notice_on=date(2026, 3, 20))
    assert next_notice(state, deadline, lp) is None
    assert next_notice(state, date(2026, 4, 2), lp) == Notice(expected, date(2026, 4, 9))


def test_S0_suspension_after_reminder_3_deadline_has_no_deadline(lp):
    state = LadderState(due=DUE, step=Step.REMINDER_3, deadline=date(2026, 4, 20))
    assert next_notice(state, date(2026, 4, 20), lp) is None
    assert next_notice(state, date(2026, 4, 21), lp) == Notice(Step.SUSPENSION, None)


def test_S0_nothing_after_suspension(lp):
    state = LadderState(due=DUE, step=Step.SUSPENSION, last_notice_on=date(2026, 4, 21))
    assert next_notice(state, date(2027, 1, 1), lp) is None


def test_S0_at_most_one_step_per_run_even_when_far_behind(lp):
    state = LadderState(due=date(2020, 1, 1))
    assert next_notice(state, date(2026, 1, 1), lp) == Notice(Step.RECALL, date(2026, 1, 15))
    state = LadderState(due=date(2020, 1, 1), step=Step.RECALL, deadline=date(2020, 1, 20))
    assert next_notice(state, date(2026, 1, 1), lp).step is Step.REMINDER_1


def test_S0_nothing_on_a_day_that_already_sent_the_loan_a_notice(lp):
    day = date(2026, 4, 2)
    state = LadderState(due=DUE, step=Step.RECALL, deadline=date(2026, 3, 25), last_notice_on=day)
    assert next_notice(state, day, lp) is None
    assert next_notice(state, day + timedelta(days=1), lp).step is Step.REMINDER_1


def test_S0_renewal_starts_the_ladder_afresh(lp):
    # after a renewal the loan has a new due date and no step: nothing until it passes
    renewed = LadderState(due=date(2027, 4, 1), step=None, last_notice_on=date(2026, 3, 30))
    assert next_notice(renewed, date(2026, 4, 15), lp) is None
    assert next_notice(renewed, date(2027, 4, 2), lp) == Notice(Step.RECALL, date(2027, 4, 16))


def test_S0_deadlines_come_from_the_policy(lp):
    custom = replace(lp, recall_deadline=Period(days=21), reminder_interval=Period(days=10))
    assert next_notice(LadderState(due=DUE), date(2026, 3, 11), custom).deadline == date(2026, 4, 1)
    state = LadderState(due=DUE, step=Step.RECALL, deadline=date(2026, 4, 1))
    assert next_notice(state, date(2026, 4, 2), custom).deadline == date(2026, 4, 12)


def test_S1_a_notice_carries_no_fee():
    assert {f.name for f in dataclasses.fields(Notice)} == {"step", "deadline"}


# --- project_ladder (what-if) -------------------------------------------------


def test_S0_project_ladder_full_run(lp):
    out = project_ladder(LadderState(due=DUE), date(2026, 3, 1), date(2026, 12, 31), lp)
    assert out == [
        (date(2026, 3, 11), Notice(Step.RECALL, date(2026, 3, 25))),
        (date(2026, 3, 26), Notice(Step.REMINDER_1, date(2026, 4, 2))),
        (date(2026, 4, 3), Notice(Step.REMINDER_2, date(2026, 4, 10))),
        (date(2026, 4, 11), Notice(Step.REMINDER_3, date(2026, 4, 18))),
        (date(2026, 4, 19), Notice(Step.SUSPENSION, None)),
    ]


def test_S0_project_ladder_stops_at_until(lp):
    out = project_ladder(LadderState(due=DUE), date(2026, 3, 1), date(2026, 3, 26), lp)
    assert [n.step for _, n in out] == [Step.RECALL, Step.REMINDER_1]


def test_S0_project_ladder_late_start_catches_up_one_step_a_day_then_waits(lp):
    state = LadderState(due=date(2026, 1, 1))
    out = project_ladder(state, date(2026, 3, 1), date(2026, 3, 20), lp)
    assert out == [
        (date(2026, 3, 1), Notice(Step.RECALL, date(2026, 3, 15))),
        (date(2026, 3, 16), Notice(Step.REMINDER_1, date(2026, 3, 23))),
    ]


def test_S0_project_ladder_nothing_before_due(lp):
    assert project_ladder(LadderState(due=DUE), date(2026, 1, 1), DUE, lp) == []


def test_S5_project_ladder_of_a_settled_case(lp):
    state = LadderState(
        due=DUE,
        step=Step.SUSPENSION,
        last_notice_on=date(2026, 4, 19),
        settled=True,
        agreed=date(2026, 5, 5),
    )
    out = project_ladder(state, date(2026, 4, 20), date(2026, 6, 30), lp)
    assert out == [(date(2026, 5, 6), Notice(Step.SUSPENSION, None))]


# --- S2 / S4 suspension causes -------------------------------------------------


def test_S2_suspended_by_an_unsettled_loan_at_suspension():
    cases = [
        CaseFacts("30010000000029", Step.SUSPENSION, settled=False),
        CaseFacts("30010000000011", Step.SUSPENSION, settled=False),
        CaseFacts("30010000000037", Step.REMINDER_3, settled=False),
        CaseFacts("30010000000045", None, settled=False),
    ]
    assert suspension_causes(cases) == ("30010000000011", "30010000000029")


@pytest.mark.parametrize("step", [None, Step.RECALL, Step.REMINDER_1, Step.REMINDER_3])
def test_S2_earlier_steps_do_not_suspend(step):
    assert suspension_causes([CaseFacts("30010000000011", step, settled=False)]) == ()


def test_S2_settled_case_does_not_suspend():
    assert suspension_causes([CaseFacts("30010000000011", Step.SUSPENSION, settled=True)]) == ()


def test_S2_no_loans_no_suspension():
    assert suspension_causes([]) == ()
    assert suspension_causes(iter(())) == ()


def test_S4_returning_the_item_lifts_the_suspension():
    a = CaseFacts("30010000000011", Step.SUSPENSION, settled=False)
    b = CaseFacts("30010000000029", Step.SUSPENSION, settled=False)
    assert suspension_causes([a, b]) == ("30010000000011", "30010000000029")
    assert suspension_causes([b]) == ("30010000000029",)  # a returned
    assert suspension_causes([]) == ()  # both returned


# --- S5 settled cases ---------------------------------------------------------


def test_S5_agreed_date_defaults_to_contact_day_plus_14_days(lp):
    assert agreed_date(date(2026, 4, 25), lp) == date(2026, 5, 9)
    assert agreed_date(date(2026, 12, 20), lp) == date(2027, 1, 3)


def test_S5_agreed_date_given_by_the_supervisor_wins(lp):
    assert agreed_date(date(2026, 4, 25), lp, date(2026, 6, 1)) == date(2026, 6, 1)


def test_S5_agreed_date_default_comes_from_the_policy(lp):
    custom = replace(lp, agreed_after_contact=Period(months=1))
    assert agreed_date(date(2026, 1, 31), custom) == date(2026, 2, 28)


def _settled(agreed: date | None, last: date | None = date(2026, 4, 19)) -> LadderState:
    return LadderState(
        due=DUE,
        step=Step.SUSPENSION,
        deadline=None,
        last_notice_on=last,
        settled=True,
        agreed=agreed,
    )


def test_S5_settled_case_rests_until_agreed_date(lp):
    state = _settled(date(2026, 5, 5))
    for day in (date(2026, 4, 20), date(2026, 5, 1), date(2026, 5, 5)):
        assert next_notice(state, day, lp) is None


def test_S5_settled_case_resuspends_when_day_after_agreed_date(lp):
    state = _settled(date(2026, 5, 5))
    assert next_notice(state, date(2026, 5, 6), lp) == Notice(Step.SUSPENSION, None)
    assert next_notice(state, date(2026, 9, 1), lp) == Notice(Step.SUSPENSION, None)


def test_S5_settled_case_not_resuspended_twice_on_the_same_day(lp):
    state = _settled(date(2026, 5, 5), last=date(2026, 5, 6))
    assert next_notice(state, date(2026, 5, 6), lp) is None


def test_S5_settled_case_without_agreed_date_rests(lp):
    assert next_notice(_settled(None), date(2027, 1, 1), lp) is None


def test_S5_agreed_date_does_not_restart_the_ladder(lp):
    # a settled case goes straight back to SUSPENSION, not to RECALL
    state = replace(_settled(date(2026, 5, 5)), step=Step.SUSPENSION)
    assert next_notice(state, date(2026, 5, 6), lp).step is Step.SUSPENSION
