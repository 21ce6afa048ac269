"""Issue 13, point 9 (and the audit part of 20): the role x action table is
enforced by the services themselves, for every action and every role.

Each ``roles.Action`` has the real service calls that perform it. Every call
runs as every staff role, as a name that is no staff member, and as each
job, on a copy of one prepared database: what the table allows is not
refused for its role, and what it refuses changes nothing (row counts and
the loans, cards and claims as they were) but one audit entry naming the
action and who was refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desk_app.clock import FixedClock
from desk_app.domain.calendar import HalfYear
from desk_app.domain.material import Alternative
from desk_app.domain.policy import Policy
from desk_app.domain.roles import (
    ALLOWED,
    DOING,
    LOCAL_ONLY,
    PERMISSION_ACTION,
    Action,
    Job,
    Permission,
    Principal,
    Role,
    can,
    may,
)
from desk_app.domain.verdict import Code, Verdict
from desk_app.services import (
    borrowers,
    cards,
    circulation,
    claims,
    documents,
    ill,
    notices,
    orders,
    requests,
    search,
    staff,
    supervision,
    supervision_queries,
    transport,
)
from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor, DeskContext
from desk_app.services.daily_run import daily_run
from desk_app.services.documents import PageSize
from desk_app.services.enrolment import ItemRecord, declare
from desk_app.services.notice_letters import Signature, letters_of_day
from desk_app.services.notice_mail import MailSettings, send_pending
from desk_app.store.models import AuditEntry, Base, Borrower, Card, Claim, Loan
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import ANNE, BO, CECILIE, STUDENT, item, seed_cast
from tests.helpers.staffing import ensure_staff
from tests.helpers.supervision import climb, lend

NAMES = {
    Role.DESK: "Dorte Desk",
    Role.COURIER: "Kaj Courier",
    Role.SUPERVISOR: "Søren Supervisor",
    Role.ADMIN: "Anna Admin",
}
UNKNOWN = "Nobody Known"  # no staff row at all
DESK_NAME = "Main desk"
DAY = date(2026, 2, 12)  # the prepared world's day (after the ladder's climb)
RUN_DAY = date(2026, 2, 11)  # the last notices run (SUSPENSION): its letters
SIGN = Signature("KB", DESK_NAME)


@dataclass(frozen=True)
class World:
    """The prepared database: its file, and the ids the calls need."""

    path: Path
    now: datetime
    anne_id: int
    bo_id: int
    anne_loan: int  # ANNE's item(1), lent moments ago: awaiting the NORTH courier


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, policy: Policy) -> World:
    folder = tmp_path_factory.mktemp("roles-world")
    path = folder / "world.sqlite3"
    clock = FixedClock(datetime(2025, 1, 2, 10))
    ctx = open_desk(f"sqlite:///{path}", cpr_key=TEST_CPR_KEY, policy=policy, clock=clock)
    seed_cast(ctx)
    for role, name in NAMES.items():
        ensure_staff(ctx, name, role, DESK_NAME)
    supervisor = Actor(NAMES[Role.SUPERVISOR], DESK_NAME)
    lend(ctx, supervisor, clock, [(BO, item(2))])
    climb(ctx, supervisor, clock)  # BO is suspended for item(2) (S2); clock: DAY 10:00
    lent = circulation.checkout(ctx, supervisor, ANNE, item(1))
    assert lent.code is Code.LOANED, lent
    with ctx.sessions() as session:
        ids = {
            c.lookup: c.borrower_id for c in session.scalars(select(Card)) if c.kind == "library"
        }
    now = ctx.now()
    ctx.close()
    assert not Path(f"{path}-wal").exists(), "the copy would miss the log"
    return World(path, now, ids[ANNE], ids[BO], lent.data["loan_id"])


@pytest.fixture
def world_ctx(world: World, tmp_path: Path, policy: Policy) -> Iterator[DeskContext]:
    copy = tmp_path / "desk.sqlite3"
    shutil.copyfile(world.path, copy)
    ctx = open_desk(
        f"sqlite:///{copy}", cpr_key=TEST_CPR_KEY, policy=policy, clock=FixedClock(world.now)
    )
    yield ctx
    ctx.close()


Call = Callable[[DeskContext, Actor, World, Path], Any]

# Every action, by the real service calls that perform it.
CALLS: dict[Action, dict[str, Call]] = {
    Action.CHECK_OUT: {"checkout": lambda c, a, w, t: circulation.checkout(c, a, ANNE, item(6))},
    Action.OVERRIDE: {
        "checkout+override": lambda c, a, w, t: circulation.checkout(
            c, a, STUDENT, item(6), override=circulation.Override("Visiting project")
        )
    },
    Action.UNDO_CHECKOUT: {
        "undo_checkout": lambda c, a, w, t: circulation.undo_checkout(c, a, w.anne_loan)
    },
    Action.CHECK_IN: {"checkin": lambda c, a, w, t: circulation.checkin(c, a, item(1))},
    Action.RENEW: {"renew": lambda c, a, w, t: circulation.renew(c, a, item(1))},
    Action.REQUEST: {
        "request": lambda c, a, w, t: circulation.request(c, a, CECILIE, item(1)),
        "place_request": lambda c, a, w, t: requests.place_request(c, a, w.anne_id, item(6)),
        "cancel_request": lambda c, a, w, t: requests.cancel_request(c, a, item(1), card=CECILIE),
    },
    Action.PICK_LIST: {
        "pick_list": lambda c, a, w, t: requests.pick_list(c, a),
        "pick_list_outcome": lambda c, a, w, t: requests.pick_list_outcome(c, a),
        "pick_list_pdf": lambda c, a, w, t: documents.pick_list_pdf(c, a, "da"),
    },
    Action.FOUND_ON_SHELF: {
        "found_on_shelf": lambda c, a, w, t: circulation.found_on_shelf(c, a, item(1))
    },
    Action.ORDER_ALTERNATIVE: {
        "order_alternative": lambda c, a, w, t: orders.order_alternative(
            c, a, ANNE, item(3), Alternative.DIGITAL_COPY
        )
    },
    Action.CARD_LOST: {"card_lost": lambda c, a, w, t: cards.card_lost(c, a, CECILIE)},
    Action.ILL_RECEIVE: {
        "ill.receive": lambda c, a, w, t: ill.receive(c, a, ANNE, item(50), "ILL book", "SE")
    },
    Action.DECLARE_LOST: {"declare_lost": lambda c, a, w, t: claims.declare_lost(c, a, item(1))},
    Action.BILL_CLAIMS: {
        "bill_claims": lambda c, a, w, t: claims.bill_claims(c, a, HalfYear(2026, 1))
    },
    Action.SETTLE_BY_CONTACT: {
        "settle_by_contact": lambda c, a, w, t: supervision.settle_by_contact(
            c, a, BO, item(2), "Phoned"
        ),
        "settle_for_borrower": lambda c, a, w, t: supervision.settle_for_borrower(
            c, a, w.bo_id, item(2), "Phoned"
        ),
    },
    Action.BORROWER_STATUS: {
        "status": lambda c, a, w, t: borrowers.status(c, a, ANNE),
        "status_of": lambda c, a, w, t: borrowers.status_of(c, a, w.anne_id),
        "requests_of": lambda c, a, w, t: requests.requests_of(c, a, w.anne_id),
    },
    Action.SEARCH_BORROWERS: {
        "search_borrowers": lambda c, a, w, t: supervision_queries.search_borrowers(c, a, "Jensen"),
        "find_borrowers": lambda c, a, w, t: search.find_borrowers(c, a, "Jensen"),
    },
    Action.SEARCH_ITEMS: {
        "find_items": lambda c, a, w, t: search.find_items(c, a, "book"),
        "item_status": lambda c, a, w, t: search.item_status(c, a, item(1)),
    },
    Action.VIEW_ITEM_HISTORY: {
        "item_history": lambda c, a, w, t: search.item_history(c, a, item(1)),
    },
    Action.VIEW_BORROWER: {
        "borrower_case": lambda c, a, w, t: supervision_queries.borrower_case(c, a, w.bo_id),
        "audit_trail": lambda c, a, w, t: supervision_queries.audit_trail(c, a, w.bo_id),
        "what_if": lambda c, a, w, t: supervision_queries.what_if(
            c, a, w.anne_id, date(2027, 6, 1)
        ),
    },
    Action.LIST_SUSPENDED: {
        "suspended_borrowers": lambda c, a, w, t: supervision_queries.suspended_borrowers(c, a),
        "export_suspended_csv": lambda c, a, w, t: supervision_queries.export_suspended_csv(
            c, a, t / "suspended.csv"
        ),
    },
    Action.VIEW_ROUTES: {
        "routes": lambda c, a, w, t: transport.routes(c, a),
        "loading_scans": lambda c, a, w, t: transport.loading_scans(c, a, "NORTH", DAY),
    },
    Action.PRINT_SLIP: {
        "slip_for_loan": lambda c, a, w, t: transport.slip_for_loan(c, a, w.anne_loan),
        "slip_for_item": lambda c, a, w, t: transport.slip_for_item(c, a, item(1)),
        "slip_pdf": lambda c, a, w, t: documents.slip_pdf(c, a, w.anne_loan, PageSize.A6, "da"),
    },
    Action.PRINT_MANIFEST: {
        "manifest": lambda c, a, w, t: transport.manifest(c, a, "NORTH", DAY, DESK_NAME),
        "manifest_pdf": lambda c, a, w, t: documents.manifest_pdf(
            c, a, "NORTH", DAY, DESK_NAME, PageSize.A4, "da"
        ),
    },
    Action.LOAD_ROUTE: {
        "record_loading": lambda c, a, w, t: transport.record_loading(
            c, a, "NORTH", DAY, w.anne_loan
        ),
    },
    Action.DISPATCH_ROUTE: {
        "dispatch": lambda c, a, w, t: transport.dispatch(c, a, "NORTH", DAY, [item(1)])
    },
    Action.CONFIRM_DELIVERY: {
        "confirm_delivered": lambda c, a, w, t: transport.confirm_delivered(c, a, "NORTH", DAY)
    },
    Action.ANNOUNCE_RETURN: {
        "announce_return": lambda c, a, w, t: transport.announce_return(c, a, item(1))
    },
    Action.RUN_NOTICES: {
        "run_notices": lambda c, a, w, t: notices.run_notices(c, a, date(2026, 3, 1)),
        "daily_run": lambda c, a, w, t: daily_run(
            c, a, MailSettings(), SIGN, "da", date(2026, 3, 1), send_mail=False
        ),
    },
    Action.SEND_NOTICE_MAIL: {
        "daily_run+mail": lambda c, a, w, t: daily_run(
            c, a, MailSettings(), SIGN, "da", date(2026, 3, 1), send_mail=True
        ),
        "send_pending": lambda c, a, w, t: send_pending(c, a, MailSettings(), SIGN, "da"),
    },
    Action.PRINT_LETTERS: {
        "letters_of_day": lambda c, a, w, t: letters_of_day(c, a, RUN_DAY, SIGN, "da"),
        "letters_pdf": lambda c, a, w, t: documents.letters_pdf(c, a, RUN_DAY, SIGN, "da"),
    },
    Action.PRINT_RECEIPT: {
        "receipt_pdf": lambda c, a, w, t: documents.receipt_pdf(c, a, w.anne_id, "da"),
        "receipt_text": lambda c, a, w, t: documents.receipt_text(c, a, w.anne_id, "da"),
        "receipt_pdf_for_card": lambda c, a, w, t: documents.receipt_pdf_for_card(c, a, ANNE),
        "email_receipt": lambda c, a, w, t: documents.email_receipt(
            c, a, w.anne_id, "da", mail=MailSettings()
        ),
    },
    Action.DECLARE: {
        "declare": lambda c, a, w, t: declare(c, a, items=[ItemRecord(item(40), "A new book")])
    },
    Action.ADD_STAFF: {
        "add_staff": lambda c, a, w, t: staff.add_staff(c, "Nina New", Role.DESK, "4321", by=a)
    },
}

PRINCIPALS: list[Principal | None] = [*Role, None, *Job]  # None: no staff member of that name


def _actor(who: Principal | None) -> Actor:
    if who is None:
        return Actor(UNKNOWN, DESK_NAME)
    if isinstance(who, Job):
        return Actor(f"job {who.value}", DESK_NAME, job=who)
    return Actor(NAMES[who], DESK_NAME)


def _expected(who: Principal | None, action: Action) -> bool:
    """The table's answer for this database, which has staff: a replay
    speaks for a supervisor only where no one can sign in."""
    if who is None or who is Job.REPLAY:
        return False
    return may(who, action)


CASES = [
    pytest.param(action, name, who, id=f"{action.value}-{name}-{getattr(who, 'value', 'unknown')}")
    for action, calls in CALLS.items()
    for name in calls
    for who in PRINCIPALS
]

_WATCHED = [t for t in Base.metadata.sorted_tables if t.name != AuditEntry.__tablename__]


def _state(ctx: DeskContext) -> tuple[Any, ...]:
    """Row counts of every table but the audit trail, and what loans, cards
    and claims say: what a refusal must leave exactly as it was."""
    with ctx.sessions() as session:
        counts = tuple(
            (t.name, session.scalar(select(func.count()).select_from(t))) for t in _WATCHED
        )
        loans = session.execute(
            select(
                Loan.id,
                Loan.state,
                Loan.due,
                Loan.renewals,
                Loan.step,
                Loan.settled,
                Loan.transit,
                Loan.return_announced_on,
            ).order_by(Loan.id)
        ).all()
        card_states = session.execute(select(Card.id, Card.status).order_by(Card.id)).all()
        claim_states = session.execute(select(Claim.id, Claim.state).order_by(Claim.id)).all()
        names = session.execute(select(Borrower.id, Borrower.name).order_by(Borrower.id)).all()
    return counts, tuple(loans), tuple(card_states), tuple(claim_states), tuple(names)


def _audit(ctx: DeskContext) -> list[AuditEntry]:
    with ctx.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _run(call: Call, ctx: DeskContext, actor: Actor, world: World, tmp: Path) -> Any:
    try:
        return call(ctx, actor, world, tmp)
    except NotPermitted as refused:
        return refused


def _refused_for_role(result: Any) -> bool:
    if isinstance(result, NotPermitted):
        return True
    return isinstance(result, Verdict) and result.data.get("reason_key") == "not_permitted"


@pytest.mark.parametrize(("action", "call_name", "who"), CASES)
def test_h13_p9_every_action_for_every_role_follows_the_one_table(
    world: World, world_ctx: DeskContext, tmp_path: Path, action: Action, call_name: str, who
) -> None:
    ctx, actor = world_ctx, _actor(who)
    call = CALLS[action][call_name]
    before, audit_before = _state(ctx), len(_audit(ctx))
    result = _run(call, ctx, actor, world, tmp_path)
    if _expected(who, action):
        assert not _refused_for_role(result), result
        refusals = [e for e in _audit(ctx)[audit_before:] if e.code == Code.NOT_PERMITTED.value]
        assert refusals == []
        return
    assert _refused_for_role(result), f"{call_name} done for {who}: {result}"
    refusal = result.verdict if isinstance(result, NotPermitted) else result
    assert not refusal.ok and refusal.code in (
        Code.NOT_PERMITTED,
        Code.OVERRIDE_REFUSED,
        Code.SETTLE_REFUSED,
    )
    assert refusal.message_en.strip() and refusal.message_da.strip()
    assert _state(ctx) == before, "a refusal changes nothing"
    assert not (tmp_path / "suspended.csv").exists()
    [entry] = _audit(ctx)[audit_before:]
    # an override by someone who may not even lend is refused at the door
    door = action if action is not Action.OVERRIDE or may_lend(who) else Action.CHECK_OUT
    assert (entry.action, entry.code, entry.staff) == (door.value, refusal.code.value, actor.staff)
    assert refusal.data["role"] == (None if who in (None, Job.REPLAY) else who.value)


def may_lend(who: Principal | None) -> bool:
    return who is not None and who is not Job.REPLAY and may(who, Action.CHECK_OUT)


def test_h13_p9_the_table_covers_every_action_and_each_is_called_here() -> None:
    assert set(ALLOWED) == set(Action) == set(DOING)
    assert set(CALLS) | LOCAL_ONLY == set(Action) and not set(CALLS) & LOCAL_ONLY
    assert all(ALLOWED[action] for action in Action), "every action is someone's"
    assert all(Role.ADMIN in ALLOWED[action] for action in Action), "an admin may do anything"
    for action in Action:  # a replay speaks for a supervisor, and the table says so
        assert (Job.REPLAY in ALLOWED[action]) == (Role.SUPERVISOR in ALLOWED[action]), action
        assert may(Job.REPLAY, action) == may(Role.SUPERVISOR, action), action


def test_h13_p9_the_windows_permissions_ask_the_same_table() -> None:
    """``can`` (what the window shows) is ``may`` of one action per permission,
    and gives what the roles had before the table."""
    for role in Role:
        for permission in Permission:
            assert can(role, permission) == may(role, PERMISSION_ACTION[permission])

    def permissions(role: Role) -> set[Permission]:
        return {permission for permission in Permission if can(role, permission)}

    assert permissions(Role.DESK) == {Permission.CIRCULATE, Permission.CHECK_IN}
    assert permissions(Role.COURIER) == {Permission.CHECK_IN, Permission.DISPATCH}
    assert permissions(Role.SUPERVISOR) == set(Permission) - {
        Permission.SETTINGS,
        Permission.STAFF,
    }
    assert permissions(Role.ADMIN) == set(Permission)


def test_h13_p9_a_replay_speaks_for_a_supervisor_only_without_staff(ctx: DeskContext) -> None:
    """On a database no one can sign in to (a fresh one, or the replay's
    memory), the replay file's staff act as a supervisor; once an account
    exists, they are refused and audited."""
    seed_cast(ctx)  # no staff: seeded by the replay's stand-in
    replay = Actor("kirsten", "KUB Nord", job=Job.REPLAY)
    assert circulation.checkout(ctx, replay, ANNE, item(1)).code is Code.LOANED
    ensure_staff(ctx, "Dorte Desk", Role.DESK)
    refused = circulation.checkin(ctx, replay, item(1))
    assert refused.code is Code.NOT_PERMITTED and refused.data["why"] == "replay_with_staff"
    entry = _audit(ctx)[-1]
    assert (entry.staff, entry.action, entry.code) == ("kirsten", "checkin", "NOT_PERMITTED")


def test_h13_p9_an_unknown_name_is_audited_masked_and_cut_to_fit(ctx: DeskContext) -> None:
    """Whatever a caller puts in the staff name, the refusal's audit keeps no
    CPR number (B3) and no more than the column holds."""
    seed_cast(ctx)
    long_name = "x" * 200
    for name in ("0101901235", long_name):
        refused = circulation.checkout(ctx, Actor(name, DESK_NAME), ANNE, item(1))
        assert refused.code is Code.NOT_PERMITTED and "0101901235" not in refused.message_en
    staff_names = [e.staff for e in _audit(ctx)]
    assert staff_names[-2] == "010190-XXXX" and staff_names[-1] == "x" * 59 + "\u2026"
