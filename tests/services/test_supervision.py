"""The supervisor screen's services (issue 5): find borrowers, a borrower's
cases and audit trail, the suspended list and its CSV, the what-if (§5), and
settling by contact (S5) only as a supervisor, with a note."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desk_app.domain.facts import Step
from desk_app.domain.roles import Job, Role
from desk_app.domain.verdict import Code
from desk_app.services import borrowers
from desk_app.services.context import Actor
from desk_app.services.notices import run_notices
from desk_app.services.staff import add_staff
from desk_app.services.supervision import settle_by_contact, settle_for_borrower
from desk_app.services.supervision_queries import (
    Badge,
    audit_trail,
    borrower_case,
    export_suspended_csv,
    search_borrowers,
    suspended_borrowers,
    suspended_csv,
    what_if,
)
from desk_app.store.models import AuditEntry, Loan, Notice, NoticeRun
from tests.helpers.people import ANNE, BO, CECILIE, TEST_CPR, item, seed_cast
from tests.helpers.staffing import test_actor
from tests.helpers.supervision import SOREN, SOREN_NAME, climb, declare_soren, lend

SUPERVISOR = Actor("Søren Supervisor", "Main desk")
DESK = Actor("Dorte Desk", "Main desk")


@pytest.fixture
def cast(ctx):  # type: ignore[no-untyped-def]
    seed_cast(ctx)
    declare_soren(ctx)
    add_staff(ctx, SUPERVISOR.staff, Role.SUPERVISOR, "2222")
    add_staff(ctx, DESK.staff, Role.DESK, "1111")
    return ctx


def _id(ctx, card: str) -> int:  # type: ignore[no-untyped-def]
    hits = search_borrowers(ctx, test_actor(ctx), card).hits
    assert len(hits) == 1, hits
    return hits[0].borrower_id


def _names(ctx, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.name for h in search_borrowers(ctx, test_actor(ctx), text).hits]


def _snapshot(ctx) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    """Everything a settle or a what-if could change."""
    with ctx.sessions() as session:
        loans = session.execute(
            select(
                Loan.id,
                Loan.step,
                Loan.step_deadline,
                Loan.step_on,
                Loan.settled,
                Loan.settled_on,
                Loan.agreed_date,
                Loan.settlement_note,
            ).order_by(Loan.id)
        ).all()
        counts = [
            session.scalar(select(func.count()).select_from(t))
            for t in (AuditEntry, Notice, NoticeRun)
        ]
    return tuple(map(tuple, loans)), tuple(counts)


# --- search ----------------------------------------------------------------------


def test_search_by_name_fragment_any_case_any_order(cast):
    assert _names(cast, "jens") == ["Anne Jensen"]
    assert _names(cast, "  JENSEN   anne ") == ["Anne Jensen"]
    assert _names(cast, "ANSEN") == ["Cecilie Hansen"]
    assert _names(cast, "nobody like this") == []
    assert search_borrowers(cast, test_actor(cast), "   ").hits == ()


def test_search_by_name_folds_danish_letters(cast):
    assert _names(cast, "SØREN ÆRØ") == [SOREN_NAME]
    assert _names(cast, "åberg") == [SOREN_NAME]
    assert _names(cast, "50%") == [], "LIKE/GLOB wildcards in the text are literal"


def test_search_by_library_card_is_exact_and_health_card_is_hashed_B3(cast):
    hit = search_borrowers(cast, test_actor(cast), ANNE).hits
    assert [(h.name, h.card) for h in hit] == [("Anne Jensen", ANNE)]
    health = search_borrowers(cast, test_actor(cast), TEST_CPR).hits
    assert [(h.name, h.card) for h in health] == [("Ida Health", "010190-XXXX")]
    assert search_borrowers(cast, test_actor(cast), ANNE[:-3]).hits == (), (
        "no prefix match on card numbers"
    )


def test_search_by_institute_code_or_name(cast):
    nfi = ["Cecilie Hansen", "Erik Andersen"]
    assert _names(cast, "NFI") == nfi
    assert _names(cast, "nfi") == nfi
    assert _names(cast, "nordic") == nfi
    assert _names(cast, "Datalogisk") == [
        "Anne Jensen",
        "Bo Nielsen",
        "Frida Larsen",
        "Karl Mortensen",
        SOREN_NAME,
    ]


def test_search_says_when_there_are_more_than_the_limit(cast):
    found = search_borrowers(cast, test_actor(cast), "DIKU", limit=2)
    assert len(found.hits) == 2 and found.more
    assert not search_borrowers(cast, test_actor(cast), "DIKU").more


def test_search_hits_carry_the_suspension_at_a_glance(cast, actor, clock):
    lend(cast, actor, clock, [(BO, item(1)), (ANNE, item(2))])
    climb(cast, actor, clock)
    cast_hits = {h.name: h for h in search_borrowers(cast, test_actor(cast), "DIKU").hits}
    assert cast_hits["Bo Nielsen"].suspended and cast_hits["Bo Nielsen"].open_loans == 1
    assert cast_hits["Anne Jensen"].suspended
    assert not cast_hits["Frida Larsen"].suspended and cast_hits["Frida Larsen"].open_loans == 0


# --- one borrower's cases ------------------------------------------------------------


def test_S2_S6_case_shows_the_badge_causes_and_each_loans_ladder_history(cast, actor, clock):
    lend(cast, actor, clock, [(BO, item(1)), (BO, item(2))])
    climb(cast, actor, clock)
    bo = _id(cast, BO)
    case = borrower_case(cast, test_actor(cast), bo)
    assert case is not None
    assert (case.name, case.card, case.institute) == ("Bo Nielsen", BO, "DIKU")
    assert case.badge is Badge.SUSPENDED and case.causes == (item(1), item(2))
    assert case.suspended_since == date(2026, 2, 11)
    history = [(n.step, n.sent_on, n.deadline) for n in case.loans[0].notices]
    assert history == [
        ("RECALL", date(2026, 1, 3), date(2026, 1, 17)),
        ("REMINDER_1", date(2026, 1, 18), date(2026, 1, 25)),
        ("REMINDER_2", date(2026, 1, 26), date(2026, 2, 2)),
        ("REMINDER_3", date(2026, 2, 3), date(2026, 2, 10)),
        ("SUSPENSION", date(2026, 2, 11), None),
    ]
    assert borrower_case(cast, test_actor(cast), 999_999) is None


def test_S5_case_after_settling_one_of_two_is_still_suspended_then_settled(cast, actor, clock):
    lend(cast, actor, clock, [(BO, item(1)), (BO, item(2))])
    climb(cast, actor, clock)
    bo = _id(cast, BO)
    first = settle_by_contact(cast, SUPERVISOR, BO, item(1), "Phoned: at the lab")
    assert first.code is Code.SETTLED and first.data["reinstated"] is False
    case = borrower_case(cast, test_actor(cast), bo)
    assert case is not None and case.badge is Badge.SUSPENDED and case.causes == (item(2),)
    agreed = date(2026, 3, 1)
    second = settle_by_contact(cast, SUPERVISOR, BO, item(2), "Brings both", agreed)
    assert second.data["reinstated"] is True
    case = borrower_case(cast, test_actor(cast), bo)
    assert case is not None and case.badge is Badge.SETTLED
    assert case.back_by == date(2026, 2, 26), "the earlier agreed date of the two"
    assert agreed in {loan.agreed for loan in case.loans}
    assert {(loan.item, loan.note) for loan in case.loans} == {
        (item(1), "Phoned: at the lab"),
        (item(2), "Brings both"),
    }
    assert borrower_case(cast, test_actor(cast), _id(cast, ANNE)).badge is Badge.CLEAR  # type: ignore[union-attr]


def test_audit_trail_is_the_borrowers_newest_first(cast, actor, clock):
    lend(cast, actor, clock, [(BO, item(1))])
    climb(cast, actor, clock)
    settle_by_contact(cast, SUPERVISOR, BO, item(1), "Phoned")
    trail = audit_trail(cast, test_actor(cast), _id(cast, BO))
    assert [(line.action, line.code) for line in trail] == [
        ("contact", "SETTLED"),
        ("checkout", "LOANED"),
    ]
    top = trail[0]
    assert (top.staff, top.desk, top.rule, top.item) == (
        SUPERVISOR.staff,
        "Main desk",
        "§5 S5",
        item(1),
    )
    assert top.detail["note"] == "Phoned" and top.detail["agreed"] == "2026-02-26"
    assert audit_trail(cast, test_actor(cast), _id(cast, ANNE)) == []


# --- all suspended, and the CSV ------------------------------------------------------------


def test_suspended_list_is_one_row_per_suspended_borrower(cast, actor, clock):
    lend(cast, actor, clock, [(BO, item(1)), (BO, item(2)), (SOREN, item(20)), (TEST_CPR, item(6))])
    climb(cast, actor, clock)
    settle_by_contact(cast, SUPERVISOR, SOREN, item(20), "Phoned")
    rows = suspended_borrowers(cast, test_actor(cast))
    assert [(r.name, r.card, r.institute, r.since, r.causes, r.oldest_due) for r in rows] == [
        ("Bo Nielsen", BO, "DIKU", date(2026, 2, 11), 2, date(2026, 1, 2)),
        ("Ida Health", "010190-XXXX", "SAXO", date(2026, 2, 11), 1, date(2026, 1, 2)),
    ]


def test_suspended_csv_has_danish_letters_a_bom_and_never_a_cpr_B3(cast, actor, clock, tmp_path):
    lend(cast, actor, clock, [(SOREN, item(20)), (TEST_CPR, item(6))])
    climb(cast, actor, clock)
    path = tmp_path / "suspended.csv"
    assert export_suspended_csv(cast, test_actor(cast), path, "da") == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == (
        "Navn;Kort;Institut;Institutnavn;Suspenderet siden;Sager;Ældste afleveringsdato"
    )
    assert f"{SOREN_NAME};{SOREN};DIKU;Datalogisk Institut;2026-02-11;1;2026-01-02" in lines
    assert "Ida Health;010190-XXXX;SAXO" in text
    for cpr in (TEST_CPR, TEST_CPR.replace("-", "")):
        assert cpr not in text
    english = suspended_csv(suspended_borrowers(cast, test_actor(cast)), "en")
    assert english.startswith("Name,Card,Institute,")
    assert f"{SOREN_NAME},{SOREN},DIKU,Department of Computer Science," in english


# --- what-if ----------------------------------------------------------------------


def test_S5_what_if_equals_what_the_daily_runs_then_do_and_changes_nothing(cast, actor, clock):
    # Bo: one loan suspended then settled (agreed 2026-02-26), one at REMINDER_1,
    # one due later; a private loan is not on the ladder (P1).
    lend(cast, actor, clock, [(BO, item(1))])
    clock.set(datetime(2025, 1, 10, 10))
    from desk_app.domain.facts import Capacity
    from desk_app.services.circulation import checkout

    assert checkout(cast, actor, BO, item(2)).ok  # due 2026-01-10
    clock.set(datetime(2025, 3, 1, 10))
    assert checkout(cast, actor, BO, item(6)).ok  # due 2026-03-01
    assert checkout(cast, actor, BO, item(20), Capacity.PRIVATE).ok
    climb(cast, actor, clock)
    settle_by_contact(cast, SUPERVISOR, BO, item(1), "Phoned")
    bo = _id(cast, BO)
    today = clock.now().date()
    until = today + timedelta(days=90)

    before = _snapshot(cast)
    projection = what_if(cast, test_actor(cast), bo, until)
    assert _snapshot(cast) == before, "a what-if writes nothing"
    assert projection.notices, "the case should project some notices"

    suspended_on = None
    for offset in range((until - today).days + 1):
        day = today + timedelta(days=offset)
        run_notices(cast, actor, day)
        clock.set(datetime.combine(day, datetime.min.time()).replace(hour=12))
        if suspended_on is None and borrowers.status(cast, test_actor(cast), BO).data["suspended"]:
            suspended_on = day
    with cast.sessions() as session:
        from desk_app.store.models import Item

        sent = session.execute(
            select(Notice.sent_on, Item.barcode, Notice.step, Notice.deadline)
            .join(Loan, Loan.id == Notice.loan_id)
            .join(Item, Item.id == Loan.item_id)
            .where(Notice.borrower_id == bo, Notice.sent_on >= today)
            .order_by(Notice.sent_on, Item.barcode)
        ).all()
    assert [(n.day, n.item, n.step.value, n.deadline) for n in projection.notices] == [
        tuple(row) for row in sent
    ]
    assert projection.suspended_on == suspended_on == date(2026, 2, 27)
    assert Step.SUSPENSION in {n.step for n in projection.notices}
    assert set(projection.causes_at_end) == {item(1), item(2), item(6)}


def test_what_if_for_a_borrower_without_loans_is_empty(cast):
    projection = what_if(cast, test_actor(cast), _id(cast, ANNE), date(2027, 1, 1))
    assert projection.notices == () and projection.suspended_on is None


# --- settling (S5) -------------------------------------------------------------------


@pytest.fixture
def suspended_bo(cast, actor, clock):  # type: ignore[no-untyped-def]
    lend(cast, actor, clock, [(BO, item(1))])
    climb(cast, actor, clock)
    return cast


def _only_audited(ctx, before, staff: str) -> None:  # type: ignore[no-untyped-def]
    """A refused settlement changes nothing but one audit entry (issue 13,
    point 20: every refused supervisor action is audited)."""
    loans, (audits, notices, runs) = _snapshot(ctx)
    assert loans == before[0] and (notices, runs) == before[1][1:]
    assert audits == before[1][0] + 1
    with ctx.sessions() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.code, last.staff) == ("contact", "SETTLE_REFUSED", staff)


@pytest.mark.parametrize("who", [DESK, Actor("nobody", "Main desk")])
def test_S5_only_a_supervisor_may_settle_and_a_refusal_changes_nothing(suspended_bo, who):
    before = _snapshot(suspended_bo)
    refused = settle_by_contact(suspended_bo, who, BO, item(1), "Phoned")
    assert refused.code is Code.SETTLE_REFUSED and not refused.ok
    assert refused.rule == "§5 S5" and refused.data["reason_key"] == "not_permitted"
    assert "supervisor" in refused.message("en") and "supervisor" in refused.message("da")
    _only_audited(suspended_bo, before, who.staff)
    assert borrowers.status(suspended_bo, test_actor(suspended_bo), BO).data["suspended"] is True


def test_S5_a_settlement_needs_a_note(suspended_bo):
    before = _snapshot(suspended_bo)
    refused = settle_by_contact(suspended_bo, SUPERVISOR, BO, item(1), "  \n ")
    assert refused.code is Code.SETTLE_REFUSED and refused.data["reason_key"] == "no_note"
    _only_audited(suspended_bo, before, SUPERVISOR.staff)


def test_S5_an_agreed_date_already_passed_is_refused(suspended_bo, clock):
    before = _snapshot(suspended_bo)
    yesterday = clock.now().date() - timedelta(days=1)
    refused = settle_by_contact(suspended_bo, SUPERVISOR, BO, item(1), "Phoned", yesterday)
    assert refused.code is Code.SETTLE_REFUSED and refused.data["reason_key"] == "agreed_passed"
    _only_audited(suspended_bo, before, SUPERVISOR.staff)


def test_S5_a_supervisor_settles_and_a_replay_is_no_supervisor_where_staff_exist(suspended_bo):
    done = settle_by_contact(suspended_bo, SUPERVISOR, BO, item(1), "  Phoned  ")
    assert done.code is Code.SETTLED and done.data["reinstated"] is True
    with suspended_bo.sessions() as session:
        assert session.scalars(select(Loan.settlement_note)).one() == "Phoned"
    # issue 13 point 9: the replay file speaks for a supervisor only on a
    # database without staff; this one has staff, so it must sign in
    replay = Actor("replay", "replay", job=Job.REPLAY)
    again = settle_by_contact(suspended_bo, replay, BO, item(1), "Second call")
    assert again.code is Code.SETTLE_REFUSED and again.data["why"] == "replay_with_staff"


def test_S5_no_case_for_a_loan_that_is_not_suspended(cast, actor, clock):
    lend(cast, actor, clock, [(CECILIE, item(1))])
    climb(cast, actor, clock, up_to="REMINDER_1")
    refused = settle_by_contact(cast, SUPERVISOR, CECILIE, item(1), "Phoned")
    assert refused.code is Code.NO_CASE


def test_S5_B3_the_screen_settles_by_borrower_so_a_health_card_stays_masked(cast, actor, clock):
    lend(cast, actor, clock, [(TEST_CPR, item(6))])
    climb(cast, actor, clock)
    ida = _id(cast, TEST_CPR)
    before = _snapshot(cast)
    refused = settle_for_borrower(cast, DESK, ida, item(6), "Phoned")
    assert refused.code is Code.SETTLE_REFUSED
    _only_audited(cast, before, DESK.staff)
    assert settle_for_borrower(cast, SUPERVISOR, ida, item(1), "Phoned").code is Code.NOT_ON_LOAN
    done = settle_for_borrower(cast, SUPERVISOR, ida, item(6), "Phoned", date(2026, 3, 2))
    assert done.code is Code.SETTLED and done.data["agreed"] == date(2026, 3, 2)
    assert borrowers.status(cast, test_actor(cast), TEST_CPR).data["suspended"] is False
