"""One desk action, one transaction: the role, the work, what the desk shows after (issue 14).

:func:`act` runs an action's work in one write transaction: the actor's role
is checked in it (the role table's answer), the work decides
and writes, and what the desk shows beside the verdict (the borrower panel
after the action, a STATUS verdict of ``borrowers``, and the item's title for
the banner) is read there too, so the panel shows exactly what the action
left and the desk pays for one transaction, not three. A refusal is worded
and audited by ``access.authorize_in``, in that same transaction.

:func:`read_view` takes the caller's ``Session`` (as ``borrowers.status_in``
does): a building block, run only inside an action checked already (see
``services.access``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.scan import CardScan, Scanned
from desk_app.domain.verdict import Verdict
from desk_app.services import borrowers
from desk_app.services.access import authorize, authorize_in, principal
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import find_item
from desk_app.services.transactions import write_transaction

Work = Callable[[Session, datetime], Verdict]


@dataclass(frozen=True)
class Wanted:
    """What the desk will show after the action, besides its verdict."""

    card: CardScan | None = None  # the borrower being served: their panel
    item: Scanned | None = None  # the item acted on: its title for the banner
    loan_borrower: bool = False  # also the panel of the verdict's borrower_id, if another


@dataclass(frozen=True)
class DeskView:
    """A verdict and what the desk shows beside it, read in one session."""

    verdict: Verdict
    borrower: Verdict | None = None  # the served card's STATUS (or why none); None: no card
    whose: Verdict | None = None  # the loan's borrower's STATUS, when not the served one
    title: str | None = None  # the item's title; None: not in the catalogue, or no item


NOTHING = Wanted()


def role_in(session: Session, actor: Actor) -> roles.Principal | None:
    """The actor's role (or job), asked in the caller's session; None: none."""
    who, _ = principal(session, actor)
    return who


def act(
    ctx: DeskContext,
    actor: Actor,
    permission: roles.Action,
    work: Work,
    wanted: Wanted = NOTHING,
    *,
    lost_race: Callable[[], Verdict] | None = None,
) -> DeskView:
    """Run ``work`` as ``actor`` in one transaction, the role checked in it,
    and read what the desk shows after it there too. A refusal is worded and
    recorded in that same transaction (``access.authorize_in``);
    ``lost_race`` says what a unique index refusing the write means (nothing
    was written)."""
    try:
        with write_transaction(ctx) as (session, now):
            refusal = authorize_in(session, actor, permission, now)
            outcome = work(session, now) if refusal is None else refusal
            view = read_view(session, ctx, actor, wanted, outcome, now.date())
            if view is not None:
                return view
    except IntegrityError:
        if lost_race is None:
            raise
        outcome = lost_race()
    return view_after(ctx, actor, wanted, outcome)


def read_view(
    session: Session,
    ctx: DeskContext,
    actor: Actor,
    wanted: Wanted,
    outcome: Verdict,
    day: date,
) -> DeskView | None:
    """The view after ``outcome``, in the action's session; None when ``actor``
    may not see borrowers' status (:func:`view_after` words and audits that)."""
    if wanted == NOTHING:
        return DeskView(outcome)
    served = whose = None
    if wanted.card is not None or wanted.loan_borrower:
        who = role_in(session, actor)
        if who is None or not roles.may(who, roles.Action.BORROWER_STATUS):
            return None
        if wanted.card is not None:
            served = borrowers.status_in(session, wanted.card, ctx.cpr_key, day)
        loan_borrower = outcome.data.get("borrower_id") if wanted.loan_borrower else None
        if loan_borrower is not None and _borrower_id(served) != loan_borrower:
            whose = borrowers.status_of_in(session, loan_borrower, day)
    return DeskView(outcome, served, whose, _title(session, wanted.item))


def view_after(ctx: DeskContext, actor: Actor, wanted: Wanted, outcome: Verdict) -> DeskView:
    """The view after an action that ended without one (refused, or a write
    that lost a race): read in a session of its own, a refused status audited."""
    if wanted == NOTHING:
        return DeskView(outcome)
    with ctx.sessions() as session:
        view = read_view(session, ctx, actor, wanted, outcome, ctx.today())
        title = _title(session, wanted.item) if view is None else None
    if view is not None:
        return view
    refused = authorize(ctx, actor, roles.Action.BORROWER_STATUS)
    if refused is None:  # granted meanwhile: read again
        return view_after(ctx, actor, wanted, outcome)
    served = refused if wanted.card is not None else None
    loan_borrower = wanted.loan_borrower and outcome.data.get("borrower_id") is not None
    return DeskView(outcome, served, refused if loan_borrower else None, title)


def _title(session: Session, item: Scanned | None) -> str | None:
    found = find_item(session, item).item if item is not None else None
    return found.title if found is not None else None


def borrower_at_desk(ctx: DeskContext, actor: Actor, card: CardScan) -> Verdict:
    """``borrowers.status`` for a card scanned at the desk: one session, the
    role asked in it, the scan not read again."""
    with ctx.sessions() as session:
        who = role_in(session, actor)
        if who is not None and roles.may(who, roles.Action.BORROWER_STATUS):
            return borrowers.status_in(session, card, ctx.cpr_key, ctx.today())
    refused = authorize(ctx, actor, roles.Action.BORROWER_STATUS)
    return refused if refused is not None else borrower_at_desk(ctx, actor, card)


def _borrower_id(status: Verdict | None) -> int | None:
    return status.data.get("borrower_id") if status is not None else None
