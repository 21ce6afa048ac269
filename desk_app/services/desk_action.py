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

The borrower served at the desk is a scanned card, or a borrower chosen by
id (:class:`BorrowerId`: found by name, or the first requester a returned
or picked book is lent to, Q1/Q3), who acts through their preferred card
(:func:`chosen_card`, U1 checked on it as on a scanned one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from desk_app.domain import roles
from desk_app.domain.cards import card_unknown
from desk_app.domain.checkin import Destination
from desk_app.domain.ill import HandOver
from desk_app.domain.scan import CardScan, ItemBarcode, Scanned
from desk_app.domain.transport import institute_name, pickup_shelf
from desk_app.domain.verdict import Code, Verdict
from desk_app.i18n import literal
from desk_app.services import borrowers
from desk_app.services.access import authorize, authorize_in, principal
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import (
    CardHit,
    active_requests,
    card_preference,
    find_item,
    open_loan,
)
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Borrower, Card, Loan

Work = Callable[[Session, datetime], Verdict]


@dataclass(frozen=True)
class BorrowerId:
    """A borrower chosen without a card scan: found by name at the desk, or
    the requester a book is lent to (Q1, Q3). They act through their
    preferred card (:func:`chosen_card`)."""

    borrower_id: int


Served = CardScan | BorrowerId  # whom the desk serves: a card scanned, or a borrower chosen


def chosen_card(session: Session, chosen: BorrowerId) -> CardHit:
    """The card a chosen borrower acts with: the one the desk shows
    (``lookup.card_preference``: an active library card first), with the
    borrower and institute loaded; U1 is then checked on it as on a scan.
    Its display form is what is read (a health card's masked, B3)."""
    cards = session.scalars(
        select(Card)
        .options(joinedload(Card.borrower).joinedload(Borrower.institute))
        .where(Card.borrower_id == chosen.borrower_id)
    ).all()
    card = max(cards, key=lambda c: card_preference(c.status, c.kind, c.id), default=None)
    if card is None:
        return CardHit(None, str(chosen.borrower_id), card_unknown(str(chosen.borrower_id)))
    return CardHit(card, card.display)


@dataclass(frozen=True)
class Wanted:
    """What the desk will show after the action, besides its verdict."""

    card: Served | None = None  # the borrower being served: their panel
    item: Scanned | None = None  # the item acted on: its title for the banner
    loan_borrower: bool = False  # also the panel of the verdict's borrower_id, if another


@dataclass(frozen=True)
class DeskView:
    """A verdict and what the desk shows beside it, read in one session."""

    verdict: Verdict
    borrower: Verdict | None = None  # the served card's STATUS (or why none); None: no card
    whose: Verdict | None = None  # the loan's borrower's STATUS, when not the served one
    title: str | None = None  # the item's title; None: not in the catalogue, or no item
    destination: Destination | None = None  # where a book lent to a chosen borrower goes


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
        if isinstance(wanted.card, BorrowerId):
            served = borrowers.status_of_in(session, wanted.card.borrower_id, day)
        elif wanted.card is not None:
            served = borrowers.status_in(session, wanted.card, ctx.cpr_key, day)
        loan_borrower = outcome.data.get("borrower_id") if wanted.loan_borrower else None
        if loan_borrower is not None and _borrower_id(served) != loan_borrower:
            whose = borrowers.status_of_in(session, loan_borrower, day)
    destination = None
    if isinstance(wanted.card, BorrowerId) and outcome.code is Code.LOANED:
        # Q1/Q3: the banner says where the book goes, read with the loan
        destination = destination_in(session, ctx, outcome.data["loan_id"])
    return DeskView(outcome, served, whose, _title(session, wanted.item), destination)


def destination_in(session: Session, ctx: DeskContext, loan_id: int) -> Destination | None:
    """Where the loan's book goes (T1-T3, I3): what its slip will say."""
    loan = session.get(Loan, loan_id)
    if loan is None:
        return None
    institute = loan.borrower.institute
    hand_over = HandOver(loan.delivery)
    route = institute.route if hand_over in (HandOver.COURIER, HandOver.INTERNAL_COURIER) else None
    transport = ctx.policy.transport
    return Destination(
        hand_over=hand_over,
        institute=institute_name(institute.name, institute.name_da),
        route=route.code if route else None,
        route_name=route.name if route else None,
        stop=institute.stop if route and hand_over is HandOver.COURIER else None,
        shelf=pickup_shelf(loan.borrower.name) if hand_over is HandOver.SELF_PICKUP else None,
        reading_room=(
            literal(transport.reading_room, da=transport.reading_room_da)
            if hand_over is HandOver.READING_ROOM
            else None
        ),
    )


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


def borrower_by_id(ctx: DeskContext, actor: Actor, borrower_id: int) -> Verdict:
    """:func:`borrower_at_desk` for a borrower chosen by id (found by name):
    the same STATUS a scan of their card shows, or CARD_UNKNOWN."""
    with ctx.sessions() as session:
        who = role_in(session, actor)
        if who is not None and roles.may(who, roles.Action.BORROWER_STATUS):
            return borrowers.status_of_in(session, borrower_id, ctx.today())
    refused = authorize(ctx, actor, roles.Action.BORROWER_STATUS)
    return refused if refused is not None else borrower_by_id(ctx, actor, borrower_id)


@dataclass(frozen=True)
class Requester:
    """One borrower in an item's queue (L3), first first."""

    borrower_id: int
    name: str


@dataclass(frozen=True)
class ItemQueue:
    """An item as Q1 and Q3 see it: whether it is on loan, who waits for it,
    and whether this actor may lend it on (a courier checks in, never lends)."""

    title: str | None  # None: not in the catalogue
    on_loan: bool
    requesters: tuple[Requester, ...]
    may_lend: bool


def item_queue(ctx: DeskContext, actor: Actor, item: ItemBarcode) -> ItemQueue:
    """The item's queue, read in one session with the actor's role (names
    of borrowers: BORROWER_STATUS; lending on: CHECK_OUT). An actor who may
    not look borrowers up sees no queue."""
    with ctx.sessions() as session:
        who = role_in(session, actor)
        found = find_item(session, item).item
        if found is None:
            return ItemQueue(None, False, (), False)
        if who is None or not roles.may(who, roles.Action.BORROWER_STATUS):
            return ItemQueue(found.title, False, (), False)
        queue = active_requests(session, found.id)
        ids = {r.borrower_id for r in queue}
        names: dict[int, str] = {}
        if ids:
            rows = session.execute(select(Borrower.id, Borrower.name).where(Borrower.id.in_(ids)))
            names = {borrower_id: name for borrower_id, name in rows}
        return ItemQueue(
            found.title,
            open_loan(session, found.id) is not None,
            tuple(Requester(r.borrower_id, names.get(r.borrower_id, "")) for r in queue),
            roles.may(who, roles.Action.CHECK_OUT),
        )


def _borrower_id(status: Verdict | None) -> int | None:
    return status.data.get("borrower_id") if status is not None else None
