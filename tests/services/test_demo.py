"""``desk-app demo``: realistic data on every rung of the ladder, built by the
rules, with nothing a newcomer types that does not do what the summary says.

Small sizes keep these fast; the shape (every step, suspended borrowers,
examples) does not depend on the size.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk_app.cli.demo import demo_command
from desk_app.cli.main import main
from desk_app.demo import DEMO_ACTOR, DemoSummary, fill_demo, people
from desk_app.domain.barcodes import cpr_lookup_key, has_valid_check_digit, mask_cpr
from desk_app.domain.calendar import add_period
from desk_app.domain.eligibility import check_eligible
from desk_app.domain.facts import Category, Step
from desk_app.domain.ladder import deadline_of, rung_from
from desk_app.domain.loan_states import Transit
from desk_app.domain.verdict import Code
from desk_app.printing.documents import ManifestData
from desk_app.services import transport
from desk_app.services.borrowers import status
from desk_app.services.circulation import checkout
from desk_app.services.notices import run_notices
from desk_app.store.models import (
    AuditEntry,
    Base,
    Borrower,
    Card,
    Dispatch,
    Institute,
    Item,
    Loan,
    Notice,
    Request,
)
from desk_app.wiring import database_label, open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.desk_cli import desk
from tests.helpers.staffing import test_actor

SMALL = {"borrowers": 200, "items": 1000, "seed": 11}
ALL_STEPS = ("none", *(step.value for step in Step))
CPR_LIKE = re.compile(r"(?<![0-9])[0-9]{6}[ ./-]?[0-9]{4}(?![0-9])")
EXAMPLE_LINE = re.compile(r"^\s+([A-Z_]+)\s+card (\d{14})\s+item (\d{14})", re.MULTILINE)


@pytest.fixture
def demo(ctx) -> DemoSummary:
    return fill_demo(ctx, **SMALL)


def _previous_step(step: str) -> Step | None:
    steps = list(Step)
    index = steps.index(Step(step))
    return steps[index - 1] if index else None


def test_open_loans_stand_on_every_rung_of_the_ladder(ctx, demo):
    assert demo.created
    assert all(demo.loans_by_step[step] > 0 for step in ALL_STEPS), demo.loans_by_step
    with ctx.sessions() as session:
        steps = set(
            session.scalars(
                select(Loan.step).where(Loan.state == "open", Loan.capacity == "institute")
            )
        )
        settled = session.scalars(select(Loan).where(Loan.settled.is_(True))).all()
    assert steps == {None, *(step.value for step in Step)}
    # S5: settled cases at SUSPENSION, with the contact day, note and agreed date
    assert len(settled) >= 2
    for loan in settled:
        assert loan.step == Step.SUSPENSION.value and loan.state == "open"
        assert loan.settled_on < loan.agreed_date and loan.settlement_note
        assert loan.agreed_date == add_period(
            loan.settled_on, ctx.policy.ladder.agreed_after_contact
        )


def test_ladder_state_is_what_daily_runs_up_to_yesterday_left(ctx, demo, actor):
    today = ctx.today()
    yesterday = today - timedelta(days=1)
    ladder = ctx.policy.ladder
    with ctx.sessions() as session:
        loans = session.scalars(
            select(Loan).where(Loan.state == "open", Loan.step.is_not(None))
        ).all()
        sent = {
            loan_id: (step, sent_on, deadline)
            for loan_id, step, sent_on, deadline in session.execute(
                select(Notice.loan_id, Notice.step, Notice.sent_on, Notice.deadline).order_by(
                    Notice.sent_on
                )
            )
        }
        lapsed = session.scalars(
            select(Loan.id).where(Loan.settled.is_(True), Loan.agreed_date < today)
        ).all()
        due_yesterday = session.scalars(
            select(Loan.id).where(
                Loan.state == "open",
                Loan.capacity == "institute",
                Loan.step.is_(None),
                Loan.due == yesterday,
            )
        ).all()
    for loan in loans:
        assert loan.capacity == "institute"  # P1: private loans are off the ladder
        assert loan.due < loan.step_on <= yesterday
        rung = rung_from(_previous_step(loan.step))
        assert rung is not None
        assert loan.step_deadline == deadline_of(rung, loan.step_on, ladder)
        # S6: the last notice kept for the loan is its current step
        assert sent[loan.id] == (loan.step, loan.step_on, loan.step_deadline)
    # The set-based run agrees: yesterday's run has nothing left to send ...
    assert run_notices(ctx, actor, yesterday).data["notices"] == []
    # ... today's recalls what fell due yesterday and re-suspends a lapsed S5 case.
    assert lapsed and due_yesterday
    run_notices(ctx, actor)
    with ctx.sessions() as session:
        for loan_id in lapsed:
            loan = session.get(Loan, loan_id)
            assert (loan.step, loan.settled) == (Step.SUSPENSION.value, False)
        for loan_id in due_yesterday:
            assert session.get(Loan, loan_id).step == Step.RECALL.value


def test_suspended_borrowers_are_derived_from_their_loans(ctx, demo):
    assert demo.suspended_borrowers > 0
    with ctx.sessions() as session:
        suspended = session.execute(
            select(Loan.borrower_id, func.min(Loan.step_on))
            .where(
                Loan.state == "open", Loan.step == Step.SUSPENSION.value, Loan.settled.is_(False)
            )
            .group_by(Loan.borrower_id)
        ).all()
        cards = {
            borrower_id: display
            for borrower_id, display in session.execute(
                select(Card.borrower_id, Card.display).where(Card.kind == "library")
            )
        }
        # S3: nothing was lent to, or requested by, a borrower once suspended
        for borrower_id, since in suspended:
            later = session.scalar(
                select(func.count())
                .select_from(Loan)
                .where(Loan.borrower_id == borrower_id, Loan.loan_date >= since)
            )
            requested = session.scalar(
                select(func.count())
                .select_from(Request)
                .where(Request.borrower_id == borrower_id, func.date(Request.placed_at) >= since)
            )
            assert (later, requested) == (0, 0)
    assert len(suspended) == demo.suspended_borrowers
    for borrower_id, _ in suspended:
        verdict = status(ctx, test_actor(ctx), cards[borrower_id])
        assert verdict.data["suspended"] is True and verdict.data["causes"]


def test_no_cpr_number_is_stored_in_clear(ctx, monkeypatch):
    made: list[str] = []
    real = people.make_cpr

    def watched(rng, used):  # type: ignore[no-untyped-def]
        cpr = real(rng, used)
        made.append(cpr)
        return cpr

    monkeypatch.setattr(people, "make_cpr", watched)
    summary = fill_demo(ctx, **SMALL)
    assert summary.health_cards == len(made) >= 0.05 * SMALL["borrowers"]
    forms = {cpr for cpr in made} | {cpr.replace("-", "") for cpr in made}
    with ctx.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for value in row:
                    if not isinstance(value, str):
                        continue
                    assert not any(form in value for form in forms), (table.name, value)
                    # Keyed hashes are hex: ten digits in a row happen by chance.
                    if not value.startswith(("cpr:", "scrypt$")):
                        assert not CPR_LIKE.search(value), (table.name, value)
        health = session.execute(
            select(Card.lookup, Card.display).where(Card.kind == "health")
        ).all()
    # B3: stored exactly as enrolment stores them: keyed hash, masked display
    assert sorted(health) == sorted(
        (cpr_lookup_key(cpr, TEST_CPR_KEY), mask_cpr(cpr)) for cpr in made
    )
    # ... so the desk finds the borrower by scanning the health card (E3 shown)
    found = status(ctx, test_actor(ctx), made[0])
    assert found.data["card"] == mask_cpr(made[0]) and found.data["e_resources"] is True
    url = ctx.sessions.kw["bind"].url
    if url.get_backend_name() == "sqlite":
        ctx.sessions.kw["bind"].dispose()
        path = Path(url.database)
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        assert not any(form.encode() in raw for form in forms)


def test_cards_and_items_carry_valid_numbers(ctx, demo):
    with ctx.sessions() as session:
        cards = session.execute(select(Card.kind, Card.lookup, Card.display)).all()
        barcodes = session.scalars(select(Item.barcode)).all()
    library = [c for c in cards if c.kind == "library"]
    health = [c for c in cards if c.kind == "health"]
    assert library and health
    for card in library:  # B1, B2
        assert card.lookup == card.display and card.display.startswith("2")
        assert has_valid_check_digit(card.display)
    for card in health:  # B3
        assert card.lookup.startswith("cpr:")
        assert re.fullmatch(r"[0-9]{6}-XXXX", card.display)
    assert len(barcodes) == SMALL["items"]
    assert all(b.startswith("3") and has_valid_check_digit(b) for b in barcodes)
    assert 0.05 * SMALL["borrowers"] <= len(health) <= 0.15 * SMALL["borrowers"]


def _table_counts(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def test_a_second_demo_changes_nothing(ctx, demo, backend_url, capsys):
    before = _table_counts(ctx)
    again = fill_demo(ctx, borrowers=300, items=2000, seed=99)
    assert not again.created and again.examples == ()
    assert (again.borrowers, again.items) == (demo.borrowers, demo.items)
    assert demo_command(ctx, backend_url, 200, 1000, 11) == 0
    assert "already has data" in capsys.readouterr().out
    assert _table_counts(ctx) == before


def test_the_printed_examples_give_the_printed_outcomes(ctx, actor, backend_url, capsys):
    assert demo_command(ctx, backend_url, SMALL["borrowers"], SMALL["items"], SMALL["seed"]) == 0
    out = capsys.readouterr().out
    examples = EXAMPLE_LINE.findall(out)
    assert examples and examples[0][0] == Code.LOANED.value  # the newcomer's first try
    expected = {
        Code.LOANED,
        Code.NOT_LOANABLE_READING_ROOM,
        Code.NOT_LOANABLE_ID_CARD,
        Code.ON_LOAN,
        Code.RESERVED_FOR_OTHER,
        Code.SUSPENDED,
        Code.NOT_ELIGIBLE,
        Code.CARD_INVALID,
    }
    assert {code for code, _, _ in examples} == {c.value for c in expected}
    for code, card, item in examples:
        assert card.startswith("2")  # library cards only: a CPR is never printed (B3)
        outcome = checkout(ctx, actor, card, item)
        assert outcome.code.value == code, (card, item, outcome.message_en)
    # (the database's name may hold ten digits in a row: a test database's is random)
    shown = out.replace(database_label(backend_url), "DATABASE")
    assert "XXXX" not in shown and not CPR_LIKE.search(shown)
    for step in ("RECALL", "REMINDER_1", "REMINDER_2", "REMINDER_3", "SUSPENSION"):
        assert re.search(rf"{step}\s+[1-9]", out), step


def test_T4_the_summary_says_what_the_courier_carries_today_and_how_to_print_it(
    ctx, backend_url, capsys, tmp_path
):
    assert demo_command(ctx, backend_url, SMALL["borrowers"], SMALL["items"], SMALL["seed"]) == 0
    out = capsys.readouterr().out
    waiting = re.search(r"Courier today \(T4\): (\d+) items wait on the courier shelf", out)
    assert waiting and int(waiting.group(1)) >= 4 * 5
    for route in transport.routes(ctx, test_actor(ctx)):
        assert re.search(rf"^  {route.code}\s+[1-9]\d* to deliver", out, re.MULTILINE), route
    assert "desk-app print manifest --route" in out
    slip = re.search(r"desk-app print slip (\d{14}) --out slip.pdf", out)
    assert slip
    # the printed command works as printed (the desk's own clock, any day)
    pdf = tmp_path / "slip.pdf"
    assert main(["print", "slip", slip.group(1), "--out", str(pdf), "--db", backend_url]) == 0
    assert "Transport slip" in capsys.readouterr().out and pdf.exists()


def _manifests(ctx, day) -> dict[str, ManifestData]:  # type: ignore[no-untyped-def]
    found = {}
    for route in transport.routes(ctx, test_actor(ctx)):
        sheet = transport.manifest(ctx, test_actor(ctx), route.code, day, "test-desk", "en")
        assert isinstance(sheet, ManifestData), sheet
        found[route.code] = sheet
    return found


def test_T4_todays_manifests_have_a_crate_to_load_and_returns_to_collect(ctx, demo):
    manifests = _manifests(ctx, ctx.today())
    courier = [m for m in manifests.values() if not m.internal_courier]
    internal = [m for m in manifests.values() if m.internal_courier]
    assert len(courier) >= 1 and len(internal) == 1  # T1, T3
    for sheet in manifests.values():
        assert sheet.dispatched_at is None  # today's runs have not left yet
        assert 5 <= sheet.deliver_count <= 30, (sheet.route_code, sheet.deliver_count)
        assert len([s for s in sheet.stops if s.deliver]) >= 2  # spread over the route
        assert sheet.collect_count > 0, sheet.route_code
    reasons = {line.reason for m in manifests.values() for s in m.stops for line in s.collect}
    assert "announced" in reasons and reasons & {"recall", "reminder", "suspension"}
    # the summary counts the very same manifests
    assert {r.route: (r.stops, r.deliver, r.collect) for r in demo.courier} == {
        code: (len(m.stops), m.deliver_count, m.collect_count) for code, m in manifests.items()
    }
    assert demo.awaiting_dispatch == sum(m.deliver_count for m in manifests.values())


def test_T4_transit_states_are_consistent_with_the_dispatches(ctx, demo):
    today, now = ctx.today(), ctx.now()
    with ctx.sessions() as session:
        loans = session.scalars(select(Loan).where(Loan.transit.is_not(None))).all()
        runs = {d.id: d for d in session.scalars(select(Dispatch))}
        route_of = dict(session.execute(select(Institute.code, Institute.route_code)).all())
        borrower_institute = dict(
            session.execute(select(Borrower.id, Borrower.institute_code)).all()
        )
        announced = session.scalars(select(Loan).where(Loan.return_announced_on.is_not(None))).all()
        never_travel = session.scalar(
            select(func.count())
            .select_from(Loan)
            .where(
                Loan.delivery.in_(("self_pickup", "reading_room")),
                Loan.transit.is_not(None)
                | Loan.return_announced_on.is_not(None)
                | Loan.dispatch_id.is_not(None),
            )
        )
    assert never_travel == 0  # T2, I3: the borrower comes to the desk
    assert runs and {d.route_code for d in runs.values()} == {
        r.code for r in transport.routes(ctx, test_actor(ctx))
    }
    carried: dict[int, int] = {}
    last_run = max(d.day for d in runs.values())
    for loan in loans:
        assert loan.state == "open" and loan.capacity == "institute"
        assert loan.delivery in ("courier", "internal_courier")
        if loan.transit == Transit.AWAITING_DISPATCH.value:
            assert loan.dispatch_id is None and loan.delivered_at is None
            assert loan.loan_date in (today, last_run) and loan.loaned_at <= now
        else:
            assert loan.transit == Transit.DELIVERED.value
            run = runs[loan.dispatch_id]
            assert run.day == loan.loan_date < today and loan.loaned_at < run.dispatched_at
            assert loan.delivered_at == run.delivered_at and run.delivered_by
            carried[run.id] = carried.get(run.id, 0) + 1
    for run in runs.values():
        assert run.loaded == carried[run.id]
        left = [
            x
            for x in loans
            if x.transit == Transit.AWAITING_DISPATCH.value
            and x.loan_date <= run.day
            and route_of[borrower_institute[x.borrower_id]] == run.route_code
        ]
        assert run.missing == len(left)
    # a past day's manifest reprints exactly what its run carried
    for code, sheet in _manifests(ctx, last_run).items():
        mine = [r for r in runs.values() if r.route_code == code and r.day == last_run]
        assert sheet.dispatched_at == mine[0].dispatched_at
        assert sheet.deliver_count == mine[0].loaded
    # T4: a handful of announced returns, on loans the courier can collect
    assert {route_of[borrower_institute[x.borrower_id]] for x in announced} == {
        r.code for r in transport.routes(ctx, test_actor(ctx))
    }  # at least one on each route
    for loan in announced:
        assert loan.state == "open" and loan.delivery in ("courier", "internal_courier")
        assert loan.transit in (None, Transit.DELIVERED.value)
        assert loan.loan_date < loan.return_announced_on <= today


def test_T4_todays_crate_can_be_dispatched_and_delivered(ctx, demo, actor):
    internal = next(r for r in transport.routes(ctx, test_actor(ctx)) if r.internal_courier)
    sheet = _manifests(ctx, ctx.today())[internal.code]
    crate = [line.item_barcode for stop in sheet.stops for line in stop.deliver]
    left = transport.dispatch(ctx, actor, internal.code, ctx.today(), crate[1:])
    assert left.code is Code.DISPATCHED and left.data["missing"] == crate[:1]
    done = transport.confirm_delivered(ctx, actor, internal.code, ctx.today())
    assert done.code is Code.DELIVERED and done.data["delivered"] == len(crate) - 1


def test_the_demo_keeps_the_scheme_rules(ctx, demo):
    policy = ctx.policy
    today = ctx.today()
    with ctx.sessions() as session:
        assert set(session.scalars(select(Institute.code))) == {i.code for i in policy.institutes}
        people = session.execute(select(Borrower.category, Borrower.own_office)).all()
        assert {c for c, _ in people} == {c.value for c in Category}
        assert ("emeritus", True) in people and ("emeritus", False) in people
        loans = session.execute(
            select(Loan, Item, Borrower)
            .join(Item, Item.id == Loan.item_id)
            .join(Borrower, Borrower.id == Loan.borrower_id)
        ).all()
        card_owner = dict(session.execute(select(Card.id, Card.borrower_id)).all())
        audited = session.execute(
            select(AuditEntry.loan_id, AuditEntry.staff, AuditEntry.desk).where(
                AuditEntry.action.in_(("checkout", "ill_receive"))
            )
        ).all()
        items = session.scalars(select(Item)).all()
        waiting = session.execute(
            select(Request.item_id, func.min(Request.placed_at))
            .where(Request.state == "active")
            .group_by(Request.item_id)
        ).all()
        expired = session.scalar(select(func.count()).select_from(Card).where(Card.expires < today))
        lost = session.scalar(select(func.count()).select_from(Card).where(Card.status == "lost"))
        replaced = session.scalars(select(Card).where(Card.status == "replaced")).all()
        replacements_ok = all(
            c.replaced_by_id and session.get(Card, c.replaced_by_id).borrower_id == c.borrower_id
            for c in replaced
        )
    open_loans = {loan.item_id: loan for loan, _, _ in loans if loan.state == "open"}
    for loan, item, borrower in loans:
        assert card_owner[loan.card_id] == borrower.id
        assert loan.due <= add_period(loan.loan_date, policy.loan.renewal_horizon)  # L5
        if loan.state != "open":
            continue
        assert item.loan_rule != "reading_room_id"  # M4
        if loan.capacity == "institute":  # E1
            assert check_eligible(Category(borrower.category), borrower.own_office) is None
        if item.loan_rule == "reading_room":  # M2
            assert loan.use_at_institute and item.owner == policy.material.kub_owner
            assert 1800 <= item.printed_year <= loan.loan_date.year - 100
        if loan.capacity == "private":  # P1
            assert loan.step is None and loan.delivery == "self_pickup"
            assert loan.due == add_period(loan.loan_date, policy.private.loan_period)
        if loan.is_ill:  # I2, I3
            home = item.ill_lender_country == policy.ill.home_country
            period = policy.ill.period_home if home else policy.ill.period_abroad
            assert loan.due == add_period(loan.loan_date, period) and loan.renewals == 0
            assert (loan.delivery == "reading_room") == item.reading_room_only
    # L4: a loan others wait for is due by the first request day (or its guarantee)
    requested = [(open_loans[i], placed) for i, placed in waiting if i in open_loans]
    assert requested
    for loan, placed in requested:
        assert loan.due <= max(placed.date(), loan.guaranteed_until)
    assert any(loan.due < loan.loan_date + timedelta(days=300) for loan, _ in requested)
    # one audit entry per loan, by the demo's staff at the demo's desk
    assert sorted(loan_id for loan_id, _, _ in audited) == sorted(loan.id for loan, _, _ in loans)
    assert {(staff, desk) for _, staff, desk in audited} == {(DEMO_ACTOR.staff, DEMO_ACTOR.desk)}
    # the catalogue: every loan rule, M2 and M3 reading-room books, owners, materials
    rules = {i.loan_rule for i in items}
    assert rules == {"home", "reading_room", "reading_room_id"}
    reading = [i for i in items if i.loan_rule == "reading_room" and not i.is_ill]
    lendable = [
        i
        for i in reading
        if i.owner == policy.material.kub_owner and 1800 <= i.printed_year <= today.year - 100
    ]
    assert lendable and len(lendable) < len(reading)
    assert min(i.printed_year for i in reading) < 1701 < 1916 < max(i.printed_year for i in reading)
    assert {i.material_type for i in items} == set(policy.fees.replacement_price_by_material)
    assert {i.owner for i in items} > {policy.material.kub_owner}
    assert any(i.danish_legal_deposit for i in items) and any(i.price is None for i in items)
    assert all(i.price is None or i.price > Decimal(0) for i in items)
    assert any("<" in i.title and "&" in i.title and set("æøåÆØÅ") & set(i.title) for i in items)
    # U1: some expired, one lost and some replaced cards
    assert expired and lost >= 1 and replaced and replacements_ok
    assert demo.private_loans and demo.ill_loans and demo.active_requests


def _snapshot(url: str, clock, policy, seed: int) -> tuple:  # type: ignore[no-untyped-def]
    ctx = open_desk(url, cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    fill_demo(ctx, borrowers=60, items=300, seed=seed)
    with ctx.sessions() as session:
        shot = (
            session.execute(select(Borrower.name, Borrower.category).order_by(Borrower.id)).all(),
            session.execute(select(Item.barcode, Item.title).order_by(Item.id)).all(),
            session.execute(
                select(Loan.item_id, Loan.borrower_id, Loan.due, Loan.step).order_by(Loan.id)
            ).all(),
        )
    ctx.sessions.kw["bind"].dispose()
    return shot


def test_the_same_seed_gives_the_same_demo(tmp_path, clock, policy):
    first = _snapshot(f"sqlite:///{tmp_path / 'a.sqlite3'}", clock, policy, seed=5)
    again = _snapshot(f"sqlite:///{tmp_path / 'b.sqlite3'}", clock, policy, seed=5)
    other = _snapshot(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock, policy, seed=6)
    assert first == again
    assert first != other


def test_sizes_too_small_to_show_every_case_are_refused(ctx):
    with pytest.raises(ValueError, match="at least"):
        fill_demo(ctx, borrowers=5, items=1000)
    assert _table_counts(ctx)["borrowers"] == 0


def test_the_console_command_fills_once_then_leaves_the_database_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    first = desk("--db", url, "demo", "--borrowers", "100", "--items", "500")
    assert first.returncode == 0, first.stderr
    assert "Try these checkouts" in first.stdout and EXAMPLE_LINE.search(first.stdout)
    second = desk("--db", url, "demo", "--borrowers", "100", "--items", "500")
    assert second.returncode == 0, second.stderr
    assert "already has data" in second.stdout
    tiny = desk("--db", f"sqlite:///{tmp_path / 'y.sqlite3'}", "demo", "--borrowers", "3")
    assert tiny.returncode == 2 and "at least" in tiny.stderr


def test_the_console_command_as_the_issue_writes_it(tmp_path):
    """``desk-app demo --db URL``: the option after the subcommand, too."""
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    done = desk("demo", "--db", url, "--borrowers", "100", "--items", "500")
    assert done.returncode == 0, done.stderr
    assert "Try these checkouts" in done.stdout


def test_S6_every_demo_notice_has_its_message(ctx, demo):
    """One outbox row per borrower per run; yesterday's e-mails still wait,
    earlier ones went out, and a borrower without an address gets paper."""
    from desk_app.store.models import Borrower, NoticeMail, NoticeRun

    with ctx.sessions() as session:
        pairs = {(r[0], r[1]) for r in session.execute(select(Notice.run_id, Notice.borrower_id))}
        rows = session.execute(
            select(
                NoticeMail.run_id, NoticeMail.borrower_id, NoticeMail.state, Borrower.email
            ).join(Borrower, Borrower.id == NoticeMail.borrower_id)
        ).all()
        yesterday_run = session.scalar(select(func.max(NoticeRun.id)))
    assert {(r.run_id, r.borrower_id) for r in rows} == pairs and len(rows) == len(pairs)
    for row in rows:
        if not row.email:
            assert row.state == "postal"
        else:
            assert row.state == ("pending" if row.run_id == yesterday_run else "sent")
    assert {r.state for r in rows} == {"postal", "pending", "sent"}
