"""``desk-app replay FILE [--db URL]``: transactions as data.

Each event runs through the same service function the desk window calls;
one JSON line per event goes to standard output (replay-format.md).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from desk_app.clock import FixedClock, SystemClock
from desk_app.domain.facts import Capacity
from desk_app.domain.policy import Policy
from desk_app.domain.verdict import Code, Verdict
from desk_app.replay_file import Event, ReplayFile, ReplayFormatError, parse_replay
from desk_app.services import borrowers, cards, circulation, claims, ill, notices, supervision
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import declare
from desk_app.store.engine import MEMORY_URL
from desk_app.store.models import Institute
from desk_app.wiring import open_desk

EXIT_MALFORMED = 2

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
    # the replay format speaks for a supervisor (replay-format.md): trusted
    "contact": lambda c, a, x: supervision.settle_by_contact(
        c, a, x["card"], x["item"], x["note"], x.get("agreed"), trusted=True
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
    "status": lambda c, a, x: borrowers.status(c, x["card"]),
}


def run_events(ctx: DeskContext, clock: FixedClock, replay: ReplayFile, out: TextIO) -> None:
    declare(ctx, replay.institutes, replay.borrowers, replay.items)
    for event in replay.events:
        clock.set(event.at)
        outcome = HANDLERS[event.op](ctx, Actor(event.staff, event.desk), event.args)
        out.write(json.dumps(render(event, outcome), ensure_ascii=False) + "\n")
        out.flush()


def replay_command(path: str, database_url: str | None, cpr_key: bytes, policy: Policy) -> int:
    """Check the file, then run it; exit 2 for a malformed file, having run
    and written nothing."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"desk-app replay: cannot read {path}: {exc}", file=sys.stderr)
        return EXIT_MALFORMED
    replay: ReplayFile | None = None
    try:
        replay = parse_replay(text)
    except ReplayFormatError as exc:
        # With --db, a borrower may belong to an institute the database has.
        if not (database_url and exc.unknown_institute):
            return _malformed(path, exc)
    clock = FixedClock(SystemClock().now())
    ctx = open_desk(database_url or MEMORY_URL, cpr_key=cpr_key, policy=policy, clock=clock)
    if replay is None:
        try:
            replay = parse_replay(text, known_institutes=_institutes_in(ctx))
        except ReplayFormatError as exc:
            return _malformed(path, exc)
    run_events(ctx, clock, replay, sys.stdout)
    return 0


def _malformed(path: str, exc: ReplayFormatError) -> int:
    print(
        f"desk-app replay: {path} is malformed; nothing was run or written.\n  {exc}",
        file=sys.stderr,
    )
    return EXIT_MALFORMED


def _institutes_in(ctx: DeskContext) -> set[str]:
    with ctx.sessions() as session:
        return set(session.scalars(select(Institute.code)))
