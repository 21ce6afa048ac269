"""A library at any scale, streamed to the bulk writer: ``generate``.

The same description as the demo (the borrowers' categories and cards, the
catalogue's mix, how a loan's dates come about, where it stands on the §5
ladder and what the daily runs sent it, the audit trail), at the counts of a
:class:`~desk_app.demo.scale.Scale`, deterministic with the seed. Nothing is
kept in memory but what later rows refer to (a few arrays), and the ids are
laid out so a benchmark finds its rows without searching:

- borrower 1 holds the first ``heavy_loans`` open loans (the 500-loan
  borrower); borrower n has library card n, whose number ends his name;
- open institute loan n lends item n; the private loans lend the items after
  them; every later item is on the shelf (closed loans are history);
- a request on an item out on loan is on an item of an ordinary open loan.

What only a newcomer needs (the showcase, the courier's day, claims, queues
that shorten a loan) is the demo's (``plan``); a library at scale has the
ladder, the history and the requests in the proportions of one in daily use.
"""

from __future__ import annotations

import random
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Table

from desk_app.demo import people
from desk_app.demo.audit import AUDIT_COLUMNS, OUTCOMES, LoanEvent, entry_values
from desk_app.demo.bulk import FastLoad, Row, Writer, bulk_engine, finish
from desk_app.demo.catalogue import ITEM_COLUMNS, Shelves, item_barcode, item_values
from desk_app.demo.ladder import ONE_DAY, Ladder, Position, Sent, expected_notices, state_of
from desk_app.demo.loans import (
    LOAN_COLUMNS,
    OPEN,
    RETURNED,
    Terms,
    at,
    closed_dates,
    closed_start,
    current_dates,
    overdue_dates,
)
from desk_app.demo.notices import MAIL_COLUMNS, NOTICE_COLUMNS, RUN_COLUMNS, NoticeHistory
from desk_app.demo.people import (
    E_RESOURCES_SHARE,
    EXPIRED_SHARE,
    HEALTH_CARD,
    HEALTH_CARD_SHARE,
    LIBRARY_CARD,
    NO_EMAIL_SHARE,
    draw_kind,
    eligible,
    email_of,
    library_card,
    numbered_name,
    write_institutes,
)
from desk_app.demo.requests import (
    ACTIVE,
    CANCELLED,
    ON_LOAN_SHARE,
    ON_SHELF_SHARE,
    REQUEST_COLUMNS,
)
from desk_app.demo.scale import LIBRARY_LADDER, Scale
from desk_app.demo.words import SETTLEMENT_NOTES
from desk_app.domain.barcodes import cpr_lookup_key, mask_cpr
from desk_app.domain.facts import Capacity, CardStatus, Category, LoanRule, Step
from desk_app.domain.ill import HandOver
from desk_app.domain.roles import Role
from desk_app.domain.search_key import search_key
from desk_app.domain.verdict import Code
from desk_app.services.context import DeskContext
from desk_app.store.models import (
    AuditEntry,
    Borrower,
    Card,
    Item,
    Loan,
    Notice,
    NoticeMail,
    NoticeRun,
    Request,
    Staff,
)

DESKS = ("KUB Nord", "KUB Syd", "KUB Amager")  # who lent: the desks ...
STAFF = ("anne", "bo", "ida", "lars", "mette")  # ... and their staff
HEAVY_BORROWER = 1
HISTORY_DAYS = 3650  # closed loans: the past ten years
TABLES = (
    "borrowers",
    "cards",
    "items",
    "loans",
    "requests",
    "audit",
    "notices",
    "notice_runs",
    "notice_mails",
)
_EPOCH = datetime(2000, 1, 1)
_EVENTS = tuple(LoanEvent)


@dataclass
class Made:
    """What ``generate`` made: rows per table, the seconds each took, where
    the open institute loans stand this morning, and what the runs of the
    day and the next day must send (the domain's evaluator, loan by loan)."""

    day: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    positions: Counter[Position] = field(default_factory=Counter)
    expected: dict[date, Counter[Step]] = field(default_factory=dict)
    heavy_borrower_id: int = HEAVY_BORROWER
    heavy_card: str = library_card(HEAVY_BORROWER)


def _seconds(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds())


def _moment(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


class _Library:
    """The rows, table by table, in id order; what a later table needs of an
    earlier one is kept in arrays indexed by id."""

    def __init__(self, ctx: DeskContext, scale: Scale, seed: int, day: date, made: Made) -> None:
        self.rng = random.Random(seed)
        self.policy = ctx.policy
        self.cpr_key = ctx.cpr_key
        self.scale = scale
        self.day = day
        self.yesterday = day - ONE_DAY
        self.made = made
        self.ladder = Ladder(self.policy.ladder, day)
        self.terms = Terms(self.policy)
        self.history = NoticeHistory(self.yesterday, mail_server=True)
        n = scale.borrowers
        self.delivery: list[HandOver] = [HandOver.SELF_PICKUP] * (n + 1)
        self.email: list[str | None] = [None] * (n + 1)
        self.health = bytearray(n + 1)
        self.eligible: list[int] = []
        self.home = bytearray(scale.items + 1)
        # per loan (index: loan id): its item, borrower, rule, desk and staff
        self.loan_item = array("l", [0])
        self.loan_borrower = array("l", [0])
        self.loan_rule: list[str] = [""]
        self.loan_desk = bytearray(1)
        self.loan_staff = bytearray(1)
        # per audited event: the loan, what happened, when
        self.event_loan = array("l")
        self.event_kind = bytearray()
        self.event_at = array("q")
        self.request_events: list[tuple[datetime, int, int]] = []
        self.positions = [p for p, _ in LIBRARY_LADDER]
        self.position_cum = list(accumulate(share for _, share in LIBRARY_LADDER))

    # -- people ------------------------------------------------------------------

    def borrowers(self) -> Iterator[Row]:
        rng, day = self.rng, self.day
        institutes = [
            (i.code, HandOver(i.delivery.value), i.faculty.value) for i in self.policy.institutes
        ]
        for n in range(1, self.scale.borrowers + 1):
            code, delivery, faculty = rng.choice(institutes)
            if n == HEAVY_BORROWER:
                category, office, name = Category.RESEARCHER, False, "Heavy Borrower"
            else:
                category, office = draw_kind(rng)
                name = numbered_name(rng, n)
            email = None if rng.random() < NO_EMAIL_SHARE else email_of(name, faculty)
            health = rng.random() < HEALTH_CARD_SHARE
            self.delivery[n], self.email[n], self.health[n] = delivery, email, health
            if n != HEAVY_BORROWER and eligible(category, office):
                self.eligible.append(n)
            e_resources = health or rng.random() < E_RESOURCES_SHARE
            enrolled = day - timedelta(days=rng.randint(60, 4000))
            yield (n, name, search_key(name), category, code, office, e_resources, email, enrolled)

    def cards(self) -> Iterator[Row]:
        """A library card each (some expired, U1), a health card for the
        borrowers who enrolled with a CPR number (B3: only its keyed hash and
        the mask are stored)."""
        rng, day = self.rng, self.day
        for n in range(1, self.scale.borrowers + 1):
            number = library_card(n)
            expired = n != HEAVY_BORROWER and rng.random() < EXPIRED_SHARE
            expires = day + timedelta(
                days=-rng.randint(1, 300) if expired else rng.randint(60, 5 * 365)
            )
            yield (n, n, LIBRARY_CARD, number, number, expires, CardStatus.ACTIVE)
        used: set[str] = set()
        next_id = self.scale.borrowers + 1
        for n in range(1, self.scale.borrowers + 1):
            if self.health[n]:
                cpr = people.make_cpr(rng, used)  # looked up here: a test watches it
                lookup = cpr_lookup_key(cpr, self.cpr_key)
                yield (next_id, n, HEALTH_CARD, lookup, mask_cpr(cpr), None, CardStatus.ACTIVE)
                next_id += 1

    # -- the catalogue -----------------------------------------------------------

    def items(self) -> Iterator[Row]:
        """The lent items first (home loans), then the catalogue's mix."""
        rng = self.rng
        shelves = Shelves(self.policy, self.day.year)
        lent = self.scale.open_loans + self.scale.private_loans
        for n in range(1, self.scale.items + 1):
            item = shelves.random_item(
                rng, item_barcode(n), rule=LoanRule.HOME if n <= lent else None
            )
            self.home[n] = item.loan_rule is LoanRule.HOME
            yield (n, *item_values(item))

    # -- loans -------------------------------------------------------------------

    def _loan(
        self,
        n: int,
        item: int,
        borrower: int,
        capacity: Capacity,
        loaned_at: datetime,
        due: date,
        guaranteed: date | None,
        rule: str,
        renew_days: Sequence[date] = (),
        ended_at: datetime | None = None,
        sent: Sequence[Sent] = (),
        settled: tuple[date, date, str] | None = None,
    ) -> Row:
        """The loan's row; what its audit entries and notices need is noted."""
        rng = self.rng
        desk, staff = rng.randrange(len(DESKS)), rng.randrange(len(STAFF))
        self.loan_item.append(item)
        self.loan_borrower.append(borrower)
        self.loan_rule.append(rule)
        self.loan_desk.append(desk)
        self.loan_staff.append(staff)
        self._event(n, LoanEvent.CHECKOUT, loaned_at)
        for day in renew_days:
            self._event(n, LoanEvent.RENEW, at(rng, day))
        if ended_at is not None:
            self._event(n, LoanEvent.CHECKIN, ended_at)
        if settled is not None:
            self._event(n, LoanEvent.CONTACT, at(rng, settled[0]))
        for day, notice in sent:
            self.history.add(day, notice, n, borrower, self.email[borrower])
        last = sent[-1] if sent else None
        institute = capacity is Capacity.INSTITUTE
        return (
            n,
            item,
            borrower,
            borrower,  # library card n is borrower n's
            capacity,
            RETURNED if ended_at is not None else OPEN,
            loaned_at,
            loaned_at.date(),
            guaranteed,
            due,
            self.delivery[borrower] if institute else HandOver.SELF_PICKUP,
            False,
            False,
            len(renew_days),
            last[1].step if last else None,
            last[1].deadline if last else None,
            last[0] if last else None,
            settled is not None,
            settled[0] if settled else None,
            settled[1] if settled else None,
            settled[2] if settled else None,
            None,
            None,
            None,
            None,
            ended_at,
            STAFF[staff],
            DESKS[desk],
        )

    def _event(self, loan: int, event: LoanEvent, moment: datetime) -> None:
        self.event_loan.append(loan)
        self.event_kind.append(_EVENTS.index(event))
        self.event_at.append(_seconds(moment))

    def _position(self) -> Position:
        return self.rng.choices(self.positions, cum_weights=self.position_cum)[0]

    def open_loans(self) -> Iterator[Row]:
        """Institute loans: the heavy borrower's, not yet due; the rest where
        ``LIBRARY_LADDER`` puts them, with the notices the runs sent."""
        rng, policy, day = self.rng, self.policy, self.day
        contacts = self.ladder.contact_days()
        days = (day, day + ONE_DAY)
        for n in range(1, self.scale.open_loans + 1):
            heavy = n <= self.scale.heavy_loans
            position = Position.NOT_DUE if heavy else self._position()
            if position is Position.NOT_DUE:
                loan_day, renew_days, due = current_dates(rng, policy, day)
                terms = self.terms.institute(loan_day)
            else:
                target = self.ladder.due_at(position, rng)
                loan_day, new_due, renew_days = overdue_dates(rng, policy, target)
                terms = self.terms.institute(loan_day)
                due = new_due or terms.due
            sent = self.ladder.notices(due)
            settled: tuple[date, date, str] | None = None
            if position is Position.SETTLED and sent and sent[-1][1].step is Step.SUSPENSION:
                contact = rng.choice(contacts)
                if contact > sent[-1][0]:
                    settled = (contact, self.ladder.agreed(contact), rng.choice(SETTLEMENT_NOTES))
            borrower = HEAVY_BORROWER if heavy else rng.choice(self.eligible)
            state = state_of(
                due, sent, settled[0] if settled else None, settled[1] if settled else None
            )
            self.made.positions[_standing(state, day)] += 1
            expected_notices(state, days, policy.ladder, self.made.expected)
            yield self._loan(
                n,
                n,
                borrower,
                Capacity.INSTITUTE,
                at(rng, loan_day),
                due,
                terms.guaranteed_until,
                terms.rule,
                renew_days,
                sent=sent,
                settled=settled,
            )

    def private_loans(self) -> Iterator[Row]:
        """P1: anyone with a card, off the ladder."""
        rng, first = self.rng, self.scale.open_loans + 1
        for n in range(first, first + self.scale.private_loans):
            loan_day = self.day - timedelta(days=rng.randint(1, 60))
            terms = self.terms.private(loan_day)
            borrower = rng.randint(HEAVY_BORROWER + 1, self.scale.borrowers)
            yield self._loan(
                n, n, borrower, Capacity.PRIVATE, at(rng, loan_day), terms.due, None, "P1"
            )

    def closed_loans(self) -> Iterator[Row]:
        """Returned loans of the past ten years, on home-loan items."""
        rng = self.rng
        first = self.scale.open_loans + self.scale.private_loans + 1
        for n in range(first, first + self.scale.closed_loans):
            while True:
                loan_day, capacity = closed_start(rng, self.day, HISTORY_DAYS)
                dates = closed_dates(rng, self.terms, loan_day, capacity, self.yesterday)
                if dates is not None:
                    break
            terms, back = dates
            item = rng.randint(1, self.scale.items)
            while not self.home[item]:
                item = rng.randint(1, self.scale.items)
            if capacity is Capacity.INSTITUTE:
                borrower = rng.choice(self.eligible)
            else:
                borrower = rng.randint(HEAVY_BORROWER + 1, self.scale.borrowers)
            loaned_at = at(rng, loan_day)
            yield self._loan(
                n,
                item,
                borrower,
                capacity,
                loaned_at,
                terms.due,
                terms.guaranteed_until,
                terms.rule,
                ended_at=at(rng, back),
            )

    # -- requests ----------------------------------------------------------------

    def requests(self) -> Iterator[Row]:
        """Queued for items out on loan (L3), holding items on the shelf, and
        history (cancelled, Q2); each audited as placed."""
        rng, day, scale = self.rng, self.day, self.scale
        on_shelf = scale.open_loans + scale.private_loans + 1
        seen: set[tuple[int, int]] = set()
        n = 0
        for _ in range(scale.requests):
            share = rng.random()
            if share < ON_LOAN_SHARE + ON_SHELF_SHARE:
                if share < ON_LOAN_SHARE and scale.open_loans > scale.heavy_loans:
                    item = rng.randint(scale.heavy_loans + 1, scale.open_loans)
                elif on_shelf <= scale.items:
                    item = rng.randint(on_shelf, scale.items)
                else:
                    continue
                borrower = rng.choice(self.eligible)
                if (item, borrower) in seen:
                    continue
                seen.add((item, borrower))
                placed = at(rng, day - timedelta(days=rng.randint(1, 200)))
                state, ended = ACTIVE, None
            else:
                item, borrower = rng.randint(1, scale.items), rng.choice(self.eligible)
                placed = at(rng, day - timedelta(days=rng.randint(30, 2000)))
                state, ended = CANCELLED, placed + timedelta(days=rng.randint(1, 20))
            n += 1
            self.request_events.append((placed, borrower, item))
            yield (
                n,
                item,
                borrower,
                placed,
                state,
                None,
                ended,
                rng.choice(STAFF),
                rng.choice(DESKS),
            )

    # -- the audit trail ---------------------------------------------------------

    def audit(self) -> Iterator[Row]:
        """Every loan's events, the notices runs, the requests."""
        n = 0
        for loan, kind, seconds in zip(
            self.event_loan, self.event_kind, self.event_at, strict=True
        ):
            n += 1
            event = _EVENTS[kind]
            code, rule = OUTCOMES[event]
            yield (
                n,
                *entry_values(
                    _moment(seconds),
                    STAFF[self.loan_staff[loan]],
                    DESKS[self.loan_desk[loan]],
                    event,
                    code,
                    rule or self.loan_rule[loan],
                    self.loan_borrower[loan],
                    self.loan_item[loan],
                    loan,
                ),
            )
        for row in self.history.audit_rows("daily", DESKS[0]):
            n += 1
            yield (n, *row)
        for placed, borrower, item in self.request_events:
            n += 1
            yield (
                n,
                *entry_values(
                    placed, STAFF[0], DESKS[0], "request", Code.REQUESTED, "L3", borrower, item
                ),
            )


def _standing(state: Any, day: date) -> Position:
    """Where an open loan stands this morning, read off its ladder state."""
    if state.settled:
        return Position.SETTLED
    if state.step is not None:
        return Position(state.step.value)
    if state.due == day:
        return Position.DUE_TODAY
    return Position.DUE_YESTERDAY if state.due < day else Position.NOT_DUE


def generate(
    ctx: DeskContext,
    scale: Scale,
    seed: int = 1,
    day: date | None = None,
    *,
    staff: Sequence[tuple[str, Role]] = (),
    progress: Callable[[str], None] | None = None,
) -> Made:
    """Fill the (empty, migrated) database of ``ctx`` with a library of
    ``scale`` as it stands on ``day`` (default: the desk's today); ``staff``
    are accounts to sign the benchmarks in with (no PIN: they cannot sign in
    at a desk). Says what was made and how long each table took."""
    day = day or ctx.today()
    made = Made(day=day)
    started = time.perf_counter()
    with ctx.sessions.begin() as session:
        write_institutes(session, ctx.policy)
        for name, role in staff:  # "!" is no PIN's hash: nobody signs in as them
            session.add(Staff(name=name, role=role, pin_hash="!", active=True, failed_attempts=0))
    engine = bulk_engine(ctx.sessions.kw["bind"])
    writer = Writer(engine)
    lib = _Library(ctx, scale, seed, day, made)

    def step(name: str, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
        t0 = time.perf_counter()
        made.rows[name] = made.rows.get(name, 0) + writer.write(table, columns, rows)
        made.seconds[name] = made.seconds.get(name, 0.0) + time.perf_counter() - t0
        if progress is not None:
            progress(f"  {name:14} {made.rows[name]:>10,} rows  {made.seconds[name]:6.1f} s")

    def table(model: Any) -> Table:
        return model.__table__

    loans = ("id", *LOAN_COLUMNS)
    with FastLoad(engine, TABLES):
        step(
            "borrowers",
            table(Borrower),
            (
                "id",
                "name",
                "name_key",  # the desk's column default, which a bulk insert bypasses
                "category",
                "institute_code",
                "own_office",
                "e_resources",
                "email",
                "enrolled_on",
            ),
            lib.borrowers(),
        )
        step(
            "cards",
            table(Card),
            ("id", "borrower_id", "kind", "lookup", "display", "expires", "status"),
            lib.cards(),
        )
        step("items", table(Item), ("id", *ITEM_COLUMNS), lib.items())
        step("open loans", table(Loan), loans, lib.open_loans())
        if scale.private_loans:
            step("private loans", table(Loan), loans, lib.private_loans())
        step("closed loans", table(Loan), loans, lib.closed_loans())
        step("requests", table(Request), ("id", *REQUEST_COLUMNS), lib.requests())
        days = lib.history.days()
        run_of = {d: i for i, d in enumerate(days, start=1)}
        step(
            "notice_runs",
            table(NoticeRun),
            ("id", *RUN_COLUMNS),
            ((i, *row) for i, row in enumerate(lib.history.run_rows("daily", DESKS[0]), start=1)),
        )
        step(
            "notices",
            table(Notice),
            ("id", *NOTICE_COLUMNS),
            ((i, *row) for i, row in enumerate(lib.history.notice_rows(run_of), start=1)),
        )
        step(
            "notice_mails",
            table(NoticeMail),
            ("id", *MAIL_COLUMNS),
            ((i, *row) for i, row in enumerate(lib.history.mail_rows(run_of), start=1)),
        )
        step("audit", table(AuditEntry), ("id", *AUDIT_COLUMNS), lib.audit())
        t0 = time.perf_counter()
    made.seconds["indexes"] = time.perf_counter() - t0
    if progress is not None:
        progress(f"  {'indexes':14} {'':>10}       {made.seconds['indexes']:6.1f} s")
    t0 = time.perf_counter()
    finish(engine, TABLES)
    if engine is not ctx.sessions.kw["bind"]:
        engine.dispose()
    made.seconds["analyze"] = time.perf_counter() - t0
    made.seconds["total"] = time.perf_counter() - started
    return made
