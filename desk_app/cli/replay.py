"""``desk-app replay FILE [--db URL]``: transactions as data.

Each event runs through the same service function the desk window calls;
one JSON line per event goes to standard output (replay-format.md).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, TypeVar

from desk_app.cli.staff import console_desk, sign_in_operator
from desk_app.clock import FixedClock, SystemClock
from desk_app.domain.barcodes import echo, mask_if_cpr_like
from desk_app.domain.facts import Capacity
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Action, Job
from desk_app.domain.verdict import Code, Verdict
from desk_app.replay_file import Event, ReplayFile, ReplayFormatError, parse_replay
from desk_app.services import (
    borrowers,
    cards,
    circulation,
    claims,
    ill,
    notices,
    requests,
    supervision,
)
from desk_app.services.access import authorize
from desk_app.services.context import REPLAY_ACTOR, Actor, DeskContext
from desk_app.services.enrolment import declare
from desk_app.services.staff import StaffMember, has_staff
from desk_app.wiring import MEMORY_URL, StartupError, institutes_at, one_transaction, open_desk

EXIT_MALFORMED = 2
_T = TypeVar("_T")

# The keys each outcome code adds to ``i, op, ok, code`` (replay-format.md).
OUTPUT_KEYS: dict[Code, tuple[str, ...]] = {
    Code.LOANED: ("due", "guaranteed_until", "delivery", "use_at_institute"),
    Code.RETURNED: ("reinstated", "next", "refund", "late_fee", "damage_charge"),
    Code.RENEWED: ("due",),
    Code.REQUESTED: ("position", "due_changed_to"),
    Code.NOTICES: ("notices",),
    Code.SETTLED: ("agreed",),
    Code.LOST: ("amount", "fee"),
    Code.DISCHARGED: ("reinstated", "next", "refund"),
    Code.BILLED: ("faculties",),
    Code.CARD_REPLACED: ("new_card",),
    Code.STATUS: (
        "suspended",
        "causes",
        "loans",
        "name",
        "institute",
        "e_resources",
        "card_valid",
        "requests",
    ),
    Code.NOT_LOANABLE_READING_ROOM: ("alternatives",),
    Code.SUSPENDED: ("causes",),
    Code.PICK_LIST: ("items",),
}
# Keys written only when they have a value (absent otherwise).
_OMIT_WHEN_NONE = {"refund", "late_fee", "damage_charge", "new_card"}


def plain(value: Any) -> Any:
    """JSON form: dates as YYYY-MM-DD, amounts as numbers."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def render(event: Event, outcome: Verdict) -> dict[str, Any]:
    line: dict[str, Any] = {"i": event.index, "op": event.op, "ok": outcome.ok}
    line["code"] = outcome.code.value
    for key in OUTPUT_KEYS.get(outcome.code, ()):
        value = outcome.data.get(key)
        if value is None and key in _OMIT_WHEN_NONE:
            continue
        line[key] = plain(value)
    line["rule"] = outcome.rule
    if not outcome.ok:
        line["reason"] = outcome.message_en
        if outcome.data.get("misread"):
            line["misread"] = True
    return line


Handler = Callable[[DeskContext, Actor, dict[str, Any]], Verdict]

HANDLERS: dict[str, Handler] = {
    "checkout": lambda c, a, x: circulation.checkout(
        c, a, x["card"], x["item"], Capacity(x.get("capacity", "institute"))
    ),
    "checkin": lambda c, a, x: circulation.checkin(c, a, x["item"], x.get("damage")),
    "renew": lambda c, a, x: circulation.renew(c, a, x["item"]),
    "request": lambda c, a, x: circulation.request(c, a, x["card"], x["item"]),
    "notices": lambda c, a, x: notices.run_notices(c, a),
    # the replay format speaks for a supervisor (replay-format.md): in memory
    # and on a database without staff, the file's staff act as one (roles.Job)
    "contact": lambda c, a, x: supervision.settle_by_contact(
        c, a, x["card"], x["item"], x["note"], x.get("agreed")
    ),
    "lost": lambda c, a, x: claims.declare_lost(c, a, x["item"], x.get("amount")),
    "found_on_shelf": lambda c, a, x: circulation.found_on_shelf(c, a, x["item"]),
    "claims": lambda c, a, x: claims.bill_claims(c, a, x["period"]),
    "card_lost": lambda c, a, x: cards.card_lost(c, a, x["card"], x.get("new_card")),
    "ill_receive": lambda c, a, x: ill.receive(
        c,
        a,
        x["card"],
        x["item"],
        x["title"],
        x["lender_country"],
        x.get("reading_room_only", False),
    ),
    "status": lambda c, a, x: borrowers.status(c, a, x["card"]),
    "cancel_request": lambda c, a, x: requests.cancel_request(c, a, x["item"], card=x["card"]),
    "pick_list": lambda c, a, x: requests.pick_list_outcome(c, a),
}


class ReplayRunError(RuntimeError):
    """A step of the run failed; everything it and the steps before wrote is
    rolled back."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def run_events(
    ctx: DeskContext,
    clock: FixedClock,
    replay: ReplayFile,
    out: TextIO,
    acting: Acting | None = None,
) -> None:
    acting = acting or Acting()
    if declares(replay):
        actor = acting.declaring()
        _step(
            "the declarations",
            declare,
            ctx,
            actor,
            replay.institutes,
            replay.borrowers,
            replay.items,
        )
    for event in replay.events:
        clock.set(event.at)
        outcome = _step(f"event {event.index} ({event.op})", run_event, ctx, event, acting)
        out.write(json.dumps(render(event, outcome), ensure_ascii=False) + "\n")


def run_event(ctx: DeskContext, event: Event, acting: Acting | None = None) -> Verdict:
    return HANDLERS[event.op](ctx, (acting or Acting()).for_event(event), event.args)


def _step(where: str, call: Callable[..., _T], *args: Any) -> _T:
    """``call(*args)``, or a :class:`ReplayRunError` naming ``where`` and what
    went wrong in one line (clipped, CPR-masked: B3) instead of a traceback."""
    try:
        return call(*args)
    except Exception as exc:
        lines = str(exc).strip().splitlines()
        reason = f"{type(exc).__name__}: {lines[0] if lines else ''}"
        raise ReplayRunError(where, echo(reason, 300)) from exc


def run_all_or_nothing(
    ctx: DeskContext, clock: FixedClock, replay: ReplayFile, acting: Acting | None = None
) -> str:
    """Run the declarations and every event in one database transaction and
    return the output lines, for printing once it is committed: a failing
    event leaves nothing behind, not even the events before it (issue 13
    point 7); a service that rolls its own work back (a lost race at
    checkout) still does so alone (:func:`wiring.one_transaction`)."""
    out = io.StringIO()
    with one_transaction(ctx) as run:
        run_events(run.ctx, clock, replay, out, acting)
        _step("the commit of the whole file", run.commit)
    return out.getvalue()


def replay_command(
    path: str,
    database_url: str | None,
    cpr_key: bytes,
    policy: Policy,
    *,
    operator: str | None = None,
) -> int:
    """Check the whole file before the database is opened, then run it all or
    nothing; exit 2, having written nothing, for a malformed file, a database
    that cannot be opened or a run that fails. The output is printed only
    once the run is committed."""
    try:
        replay = checked_file(path, database_url)
    except ReplayFormatError as exc:
        return _fail(f"{path}: {exc}; the file is malformed, nothing was run or written")
    except ReplayOpenError as exc:
        return _fail(str(exc))
    if operator is not None and not database_url:
        return _fail(NO_DB_FOR_STAFF)
    clock = FixedClock(SystemClock().now())
    try:
        ctx = open_desk(database_url or MEMORY_URL, cpr_key=cpr_key, policy=policy, clock=clock)
    except StartupError as exc:
        return _fail(str(exc))
    acting = who_acts(ctx, database_url, operator, replay)
    if isinstance(acting, str):
        ctx.close()
        return _fail(acting)
    try:
        output = run_all_or_nothing(ctx, clock, replay, acting)
    except ReplayRunError as exc:
        return _fail(f"{path}: {exc}; every event was rolled back, nothing was written")
    finally:
        ctx.close()
    sys.stdout.write(output)
    sys.stdout.flush()
    return 0


class ReplayOpenError(Exception):
    """The file cannot be read, or the database's institutes cannot be."""


def checked_file(path: str, database_url: str | None) -> ReplayFile:
    """The parsed file, checked in full before any database is opened (issue
    13 point 20: a malformed file left an empty migrated schema behind).

    A borrower may belong to an institute only the ``--db`` database has: its
    codes are then read without writing or migrating anything, and a database
    without an institutes table (or no file at all) has none."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReplayOpenError(f"cannot read {path}: {exc}") from exc
    try:
        return parse_replay(text)
    except ReplayFormatError as exc:
        if not (database_url and exc.unknown_institute):
            raise
    return parse_replay(text, known_institutes=institutes_in(database_url))


def institutes_in(url: str) -> frozenset[str]:
    """The institute codes at ``url``, read only (:func:`wiring.institutes_at`)."""
    try:
        return institutes_at(url)
    except StartupError as exc:
        raise ReplayOpenError(str(exc)) from exc


def _fail(message: str) -> int:
    """One line on standard error, CPR-masked (B3): a file name or a value
    may hold one."""
    line = " ".join(message.split())
    print(f"desk-app replay: {mask_if_cpr_like(line)}", file=sys.stderr)
    return EXIT_MALFORMED


# --- who acts (issue 13, point 9) ---------------------------------------------


@dataclass(frozen=True)
class Acting:
    """Who the declarations and events are done by.

    Without an ``operator`` (in memory, or a database without staff) the
    file's own ``staff`` and ``desk`` act, as a supervisor
    (replay-format.md; ``roles.Job.REPLAY``, which the services honour only
    while the database has no staff). With one, the signed-in operator does
    everything, with their own role; the file's staff names are only noted
    in the audit (``Actor.noted``).
    """

    operator: StaffMember | None = None

    def for_event(self, event: Event) -> Actor:
        if self.operator is None:
            return Actor(event.staff, event.desk, job=Job.REPLAY)
        return Actor(self.operator.name, event.desk, noted=event.staff)

    def declaring(self) -> Actor:
        if self.operator is None:
            return REPLAY_ACTOR
        return self.operator.actor(console_desk("replay"))


NO_DB_FOR_STAFF = "--staff is for --db: in memory the file's own staff act; nothing was run"


def declares(replay: ReplayFile) -> bool:
    """Whether the file adds or updates anything before its events (an offline
    journal of scans declares nothing, and needs no right to)."""
    return bool(replay.institutes or replay.borrowers or replay.items)


def who_acts(
    ctx: DeskContext, database_url: str | None, operator: str | None, replay: ReplayFile
) -> Acting | str:
    """The :class:`Acting` for this run, or why it may not run (one line).

    In memory the file's staff act. A ``--db`` database with staff accounts
    needs ``--staff NAME`` and that person's PIN (asked, or
    ``DESK_APP_STAFF_PIN``); a refused PIN is audited and locks out like a
    desk sign-in. A database without any staff account (a fresh one) has
    no one to sign in: the file's staff act, as in memory, and creating a
    staff account later ends that."""
    if operator is None:
        if database_url and has_staff(ctx):
            return (
                "the database has staff accounts, so a replay into it is run by a signed-in "
                "operator: add --staff NAME (the PIN is asked, or set DESK_APP_STAFF_PIN); "
                "nothing was run or written"
            )
        return Acting()
    if not database_url:
        return NO_DB_FOR_STAFF
    if not has_staff(ctx):
        return (
            "the database has no staff accounts to sign in with: leave out --staff (the "
            "file's staff then act, as in memory); nothing was run or written"
        )
    member = sign_in_operator(ctx, operator, "replay")
    if isinstance(member, str):
        return f"{member} Nothing was run or written."
    acting = Acting(member)
    if declares(replay):
        refused = authorize(ctx, acting.declaring(), Action.DECLARE)
        if refused is not None:
            return (
                f"{refused.message_en} The file declares borrowers, items or institutes; "
                "nothing was run or written."
            )
    return acting
