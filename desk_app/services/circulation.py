"""Check-out, check-in, renewal, requests and found-on-shelf (§2, §4, §5 S4, §6 C1).

Each function is one desk action and one transaction: the role is checked
in it, the domain decides, state moves only through the tables (``LOAN``,
``REQUEST``, ``CLAIM``), the audit trail records it with staff and desk, and
it is committed at the end. The ``*_at_desk`` forms read, in that same
transaction, what the desk shows beside the verdict (``desk_view``): the
borrower panel after the action and the item's title.

Scans arrive classified once (``domain.scan``); a string (the replay, the
console) is classified on the way in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import checkout as rules
from desk_app.domain import roles
from desk_app.domain.checkin import found_on_shelf as found_verdict
from desk_app.domain.checkin import lost_item_back, returned
from desk_app.domain.claim_states import UNSETTLED
from desk_app.domain.claims import ClaimAmounts, damage_charge
from desk_app.domain.facts import Capacity
from desk_app.domain.loan_period import decide_renewal
from desk_app.domain.loan_states import LOAN, LoanAction, LoanState
from desk_app.domain.lookup_verdicts import lent_meanwhile
from desk_app.domain.override import override_refusal
from desk_app.domain.private import late_fee
from desk_app.domain.request_states import REQUEST, RequestAction
from desk_app.domain.request_verdicts import no_such_borrower
from desk_app.domain.scan import Scanned, scanned
from desk_app.domain.transport import transit_after_checkout
from desk_app.domain.undo import UndoFacts, no_such_loan, undo_refusal, undone
from desk_app.domain.verdict import OK_CODES, Verdict
from desk_app.services import audit, staff
from desk_app.services.access import authorize, principal
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import (
    NOTHING,
    BorrowerId,
    DeskView,
    Served,
    Wanted,
    act,
    chosen_card,
    view_after,
)
from desk_app.services.lookup import (
    active_requests,
    borrower_facts,
    card_facts,
    find_card,
    find_item,
    find_open_loan,
    item_facts,
    loan_facts,
    not_on_loan,
    open_loan,
    preferred_card,
    suspension_causes,
)
from desk_app.store.models import AuditEntry, Charge, Claim, Item, Loan, Request

UNDO_WITHIN = timedelta(minutes=2)
_CHECKOUT_ACTIONS = ("checkout", "checkout_override")


@dataclass(frozen=True)
class Override:
    """A supervisor lends despite an overridable refusal (``checkout.OVERRIDABLE``).

    The reason is required and kept in the audit trail, so the rules set
    aside are always explained; who may override is the signed-in role's
    ``roles.Action.OVERRIDE``, looked up by the actor's staff name, or, when
    ``authorised_by`` is given, the role of that supervisor, who proves who
    they are with their PIN (issue 13, point 17): the desk login stays the
    actor (it lends), the supervisor is audited as ``authorised_by``.
    """

    reason: str
    authorised_by: Authoriser | None = None


@dataclass(frozen=True)
class Authoriser:
    """A supervisor at someone else's desk login: their name (a staff card
    scan gives it) and PIN, checked as at sign-in, lock-out included."""

    name: str
    pin: str = field(repr=False)


AUTHORISE_ACTION = "authorise_override"  # the audit's name for the PIN check


def checkout(
    ctx: DeskContext,
    actor: Actor,
    card_raw: Scanned | str,
    item_raw: Scanned | str,
    capacity: Capacity = Capacity.INSTITUTE,
    override: Override | None = None,
) -> Verdict:
    """Lend an item (§1-§4, §9, U1); with ``override``, despite the refusals a
    supervisor may set aside (audited as ``checkout_override`` with the reason)."""
    return _lend(ctx, actor, scanned(card_raw), scanned(item_raw), capacity, override).verdict


def checkout_at_desk(
    ctx: DeskContext,
    actor: Actor,
    card: Served,
    item: Scanned,
    override: Override | None = None,
    passed_over: Sequence[int] = (),
) -> DeskView:
    """:func:`checkout` at the desk: with the borrower's panel after it and
    the item's title, read in the same transaction. ``card`` may be a
    borrower chosen by id (``desk_action.BorrowerId``: found by name, or a
    requester, Q1/Q3); ``passed_over``: requesters the desk found unable to
    borrow it now (Q3), who wait behind the rest of the queue for this loan."""
    wanted = Wanted(card=card, item=item)
    return _lend(ctx, actor, card, item, Capacity.INSTITUTE, override, wanted, passed_over)


def _lend(
    ctx: DeskContext,
    actor: Actor,
    card: Scanned | BorrowerId,
    item: Scanned,
    capacity: Capacity,
    override: Override | None,
    wanted: Wanted = NOTHING,
    passed_over: Sequence[int] = (),
) -> DeskView:
    authoriser = None
    if override is not None and override.authorised_by is not None:
        # Only a desk that may lend asks for a supervisor's PIN (a wrong one
        # counts towards the lock-out even though nothing is lent).
        if (refused := authorize(ctx, actor, roles.Action.CHECK_OUT)) is not None:
            return view_after(ctx, actor, wanted, refused)
        authoriser = _authorise(ctx, actor, override)

    def work(session: Session, now: datetime) -> Verdict:
        return _checkout(
            session, ctx, actor, card, item, capacity, now, override, authoriser, passed_over
        )

    # Another desk may lend the item between our read and our write; the
    # unique index on open loans then refuses the second loan, and nothing
    # is written.
    return act(ctx, actor, roles.Action.CHECK_OUT, work, wanted, lost_race=lent_meanwhile)


def _authorise(
    ctx: DeskContext, actor: Actor, override: Override | None
) -> staff.StaffMember | staff.SignInRefused | None:
    """The supervisor who authorises ``override`` in place, once their PIN is
    checked (its own transaction: a wrong PIN counts towards the lock-out
    even though nothing is lent); None when the actor overrides alone."""
    if override is None or override.authorised_by is None:
        return None
    who = override.authorised_by
    return staff.sign_in(
        ctx, name=who.name, pin=who.pin, desk=actor.desk, audit_action=AUTHORISE_ACTION
    )


def _override_refusal(
    session: Session,
    actor: Actor,
    override: Override,
    authoriser: staff.StaffMember | staff.SignInRefused | None = None,
) -> Verdict | None:
    """Why this actor may not override now, or None. The role comes from the
    staff table, never from the caller: a desk login cannot claim more; nor
    can a supervisor's name without the supervisor's PIN."""
    if isinstance(authoriser, staff.SignInRefused):
        return override_refusal(None, override.reason, authoriser.text)
    if authoriser is not None:
        role: roles.Principal | None = authoriser.role
    else:
        role, _ = principal(session, actor)
    return override_refusal(role, override.reason)


def _checkout(
    session: Session,
    ctx: DeskContext,
    actor: Actor,
    card_scan: Scanned | BorrowerId,
    item_scan: Scanned,
    capacity: Capacity,
    now: datetime,
    override: Override | None,
    authoriser: staff.StaffMember | staff.SignInRefused | None = None,
    passed_over: Sequence[int] = (),
) -> Verdict:
    day = now.date()
    if isinstance(card_scan, BorrowerId):
        card_hit = chosen_card(session, card_scan)
    else:
        card_hit = find_card(session, card_scan, ctx.cpr_key)
    card = card_hit.card
    borrower = card.borrower if card else None
    item_hit = find_item(session, item_scan, lock=True)
    item = item_hit.item
    action = "checkout" if override is None else "checkout_override"
    reason: dict[str, Any] = {} if override is None else {"reason": override.reason.strip()}
    if isinstance(authoriser, staff.StaffMember):
        reason["authorised_by"] = authoriser.name
    if override is not None:
        refused = _override_refusal(session, actor, override, authoriser)
        if refused is not None:
            audit.record(
                session,
                actor,
                now,
                action,
                refused,
                borrower_id=borrower.id if borrower else None,
                item_id=item.id if item else None,
                **reason,
            )
            return refused
    loan = open_loan(session, item.id) if item else None
    queue = active_requests(session, item.id) if item else []
    if passed_over:  # Q3: those who may not borrow now wait behind the rest (still waiting: L2)
        queue = sorted(queue, key=lambda r: r.borrower_id in passed_over)
    outcome = rules.decide_checkout(
        card=card_facts(card) if card else None,
        borrower=borrower_facts(session, borrower) if borrower else None,
        item=item_facts(item) if item else None,
        holder_id=loan.borrower_id if loan else None,
        queue=[r.borrower_id for r in queue],
        capacity=capacity,
        day=day,
        policy=ctx.policy,
        read_card=card_hit.read,
        read_item=item_hit.read,
        unknown_card=card_hit.error,
        unknown_item=item_hit.error,
        override=override is not None,
    )
    if not outcome.ok:
        if borrower is not None:
            audit.record(
                session,
                actor,
                now,
                action,
                outcome,
                borrower_id=borrower.id,
                item_id=item.id if item else None,
                **reason,
            )
        return outcome
    assert card is not None and borrower is not None and item is not None
    data = outcome.data
    new_loan = Loan(
        item_id=item.id,
        borrower_id=borrower.id,
        card_id=card.id,
        capacity=capacity.value,
        state=LOAN.start(LoanAction.CHECK_OUT),
        loaned_at=now,
        loan_date=day,
        guaranteed_until=data["guaranteed_until"],
        due=data["due"],
        delivery=data["delivery"],
        use_at_institute=data["use_at_institute"],
        transit=transit_after_checkout(data["delivery"]),
        is_ill=item.is_ill,
        renewals=0,
        settled=False,
        staff=actor.staff,
        desk=actor.desk,
    )
    session.add(new_loan)
    session.flush()
    if data["fulfils_request"]:
        request = queue[0]
        request.state = REQUEST.step(request.state, RequestAction.FULFIL)
        request.loan_id = new_loan.id
        request.ended_at = now
    audit.record(
        session,
        actor,
        now,
        action,
        outcome,
        borrower_id=borrower.id,
        item_id=item.id,
        loan_id=new_loan.id,
        **reason,
    )
    authorised = {"authorised_by": reason["authorised_by"]} if "authorised_by" in reason else {}
    return _with(outcome, loan_id=new_loan.id, **authorised)


def undo_checkout(
    ctx: DeskContext, actor: Actor, loan_id: int, within: timedelta = UNDO_WITHIN
) -> Verdict:
    """Undo a checkout made a moment ago by mistake (wrong item, wrong card).

    Allowed only for an open loan made less than ``within`` ago (by the
    injected clock) that nothing has happened to since (``domain.undo``).
    The loan ends as cancelled rather than being deleted, so the audit trail
    keeps pointing at it, and a request the loan fulfilled (L3) is reopened,
    in its old place in the queue.
    """
    return undo_at_desk(ctx, actor, loan_id, within).verdict


def undo_at_desk(
    ctx: DeskContext,
    actor: Actor,
    loan_id: int,
    within: timedelta = UNDO_WITHIN,
    card: Served | None = None,
) -> DeskView:
    """:func:`undo_checkout`, with the served borrower's panel after it."""

    def work(session: Session, now: datetime) -> Verdict:
        return _undo(session, actor, loan_id, now, within)

    wanted = Wanted(card=card) if card is not None else NOTHING
    return act(ctx, actor, roles.Action.UNDO_CHECKOUT, work, wanted)


def _undo(
    session: Session, actor: Actor, loan_id: int, now: datetime, within: timedelta
) -> Verdict:
    loan = session.get(Loan, loan_id)
    if loan is None:
        return no_such_loan()
    # Lock the item first, as check-in does, so the two cannot cross.
    session.scalars(select(Item).where(Item.id == loan.item_id).with_for_update()).one()
    session.refresh(loan, with_for_update=True)
    refs = {"borrower_id": loan.borrower_id, "item_id": loan.item_id, "loan_id": loan.id}
    refusal = undo_refusal(_undo_facts(session, loan), now, within)
    if refusal is not None:
        audit.record(session, actor, now, "undo_checkout", refusal, **refs)
        return refusal
    end_loan(loan, LoanAction.CANCEL, now)
    fulfilled = session.scalars(select(Request).where(Request.loan_id == loan.id)).all()
    for request in fulfilled:
        request.state = REQUEST.step(request.state, RequestAction.REOPEN)
        request.loan_id = None
        request.ended_at = None
    outcome = undone(
        loan_id=loan.id,
        title=loan.item.title,
        barcode=loan.item.barcode,
        borrower_id=loan.borrower_id,
        request_reopened=bool(fulfilled),
    )
    audit.record(session, actor, now, "undo_checkout", outcome, **refs)
    return outcome


def _undo_facts(session: Session, loan: Loan) -> UndoFacts:
    """The loan as an undo sees it: what was audited on it since the checkout
    (an accepted action), and whether the notices reached it."""
    since = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.loan_id == loan.id,
            AuditEntry.action.not_in(_CHECKOUT_ACTIONS),
            AuditEntry.code.in_([code.value for code in OK_CODES]),
        )
    ).first()
    return UndoFacts(
        state=LoanState(loan.state),
        loaned_at=loan.loaned_at,
        renewals=loan.renewals,
        acted_on=since,
        noticed=loan.step is not None or loan.settled,
    )


def checkin(
    ctx: DeskContext, actor: Actor, item_raw: Scanned | str, damage: str | None = None
) -> Verdict:
    """Return an item (§5 S4, §6 C4, §9 P1 late fee, U2 damage)."""
    return _checkin(ctx, actor, scanned(item_raw), damage, NOTHING).verdict


def checkin_at_desk(
    ctx: DeskContext, actor: Actor, item: Scanned, card: Served | None = None
) -> DeskView:
    """:func:`checkin` at the desk: with the panel of the borrower served
    (``card``) and of the loan's borrower, and the item's title."""
    return _checkin(ctx, actor, item, None, Wanted(card=card, item=item, loan_borrower=True))


def _checkin(
    ctx: DeskContext, actor: Actor, item_scan: Scanned, damage: str | None, wanted: Wanted
) -> DeskView:
    def work(session: Session, now: datetime) -> Verdict:
        ended = end_item_loan(session, item_scan, LoanAction.RETURN, "checkin", actor, now)
        if isinstance(ended, Verdict):
            return ended
        item, loan = ended.item, ended.loan
        fee = None
        if loan.capacity == Capacity.PRIVATE.value:
            fee = late_fee(loan.due, now.date(), ctx.policy)
            if fee:
                session.add(
                    Charge(
                        borrower_id=loan.borrower_id,
                        loan_id=loan.id,
                        kind="late_fee",
                        amount=fee,
                        note=f"due {loan.due.isoformat()}",
                        created_on=now.date(),
                    )
                )
        charge = None
        if damage:
            charge = damage_charge(ctx.policy)
            session.add(
                Charge(
                    borrower_id=loan.borrower_id,
                    loan_id=loan.id,
                    kind="damage",
                    amount=charge,
                    note=damage,
                    created_on=now.date(),
                )
            )
        outcome = returned(
            item.title,
            reinstated=ended.reinstated,
            next_card=ended.next_card,
            late_fee=fee,
            damage_charge=charge,
            borrower_id=loan.borrower_id,
        )
        audit.record(
            session,
            actor,
            now,
            "checkin",
            outcome,
            borrower_id=loan.borrower_id,
            item_id=item.id,
            loan_id=loan.id,
            damage=damage,
        )
        return outcome

    return act(ctx, actor, roles.Action.CHECK_IN, work, wanted)


def end_loan(loan: Loan, action: LoanAction, now: datetime) -> None:
    """End an open loan through the loan table (C1, C2)."""
    loan.state = LOAN.step(loan.state, action)
    loan.ended_at = now


@dataclass(frozen=True)
class EndedLoan:
    item: Item
    loan: Loan
    reinstated: bool  # S4: this ended the borrower's last unsettled case
    next_card: str | None  # L3: who is waiting for the item


def end_item_loan(
    session: Session,
    item_raw: Scanned | str,
    action: LoanAction,
    audit_action: str,
    actor: Actor,
    now: datetime,
) -> EndedLoan | Verdict:
    """End the item's open loan (check-in, found on shelf, lost); or, when a
    lost item comes back (return, find), settle its claim (C4); or say why not."""
    item_hit = find_item(session, item_raw, lock=True)
    if item_hit.item is None:
        return item_hit.refusal()
    item = item_hit.item
    loan = open_loan(session, item.id)
    if loan is None:
        if action is LoanAction.LOSE:
            return not_on_loan(item.barcode)
        back = _lost_item_back(session, item, action, actor, now, audit_action)
        return back or not_on_loan(item.barcode)
    was_suspended = bool(suspension_causes(session, loan.borrower_id))
    end_loan(loan, action, now)
    session.flush()
    reinstated = was_suspended and not suspension_causes(session, loan.borrower_id)
    return EndedLoan(item, loan, reinstated, _next_in_queue(session, item.id))


def _next_in_queue(session: Session, item_id: int) -> str | None:
    queue = active_requests(session, item_id)
    return preferred_card(session, queue[0].borrower_id) if queue else None


def _lost_item_back(
    session: Session,
    item: Item,
    by: LoanAction,
    actor: Actor,
    now: datetime,
    audit_action: str,
) -> Verdict | None:
    """C4: a lost item comes back: its unsettled claim is cancelled, or
    refunded minus the fee if billed (``claim_states.on_return``)."""
    claim = session.scalars(
        select(Claim)
        .where(Claim.item_id == item.id, Claim.state.in_(sorted(UNSETTLED)))
        .order_by(Claim.id.desc())
    ).first()
    if claim is None:
        return None
    back = lost_item_back(
        claim.state,
        ClaimAmounts(claim.amount, claim.fee),
        by,
        next_card=_next_in_queue(session, item.id),
        borrower_id=claim.borrower_id,
    )
    claim.state = back.claim_state
    claim.refund = back.refund
    claim.closed_on = now.date()
    audit.record(
        session,
        actor,
        now,
        audit_action,
        back.verdict,
        borrower_id=claim.borrower_id,
        item_id=item.id,
    )
    return back.verdict


def renew(ctx: DeskContext, actor: Actor, item_raw: Scanned | str) -> Verdict:
    """Renew a loan (§4 L5); a renewal starts the ladder afresh (S0)."""
    return _renew(ctx, actor, scanned(item_raw), NOTHING).verdict


def renew_at_desk(
    ctx: DeskContext, actor: Actor, item: Scanned, card: Served | None = None
) -> DeskView:
    """:func:`renew` at the desk, as :func:`checkin_at_desk`."""
    return _renew(ctx, actor, item, Wanted(card=card, item=item, loan_borrower=True))


def _renew(ctx: DeskContext, actor: Actor, item_scan: Scanned, wanted: Wanted) -> DeskView:
    def work(session: Session, now: datetime) -> Verdict:
        loan = find_open_loan(session, item_scan, lock=True)
        if isinstance(loan, Verdict):
            return loan
        causes = suspension_causes(session, loan.borrower_id)
        others = [
            r for r in active_requests(session, loan.item_id) if r.borrower_id != loan.borrower_id
        ]
        outcome = decide_renewal(
            loan_facts(loan),
            now.date(),
            suspended=bool(causes),
            requested_by_other=bool(others),
            policy=ctx.policy,
        )
        if outcome.ok:
            loan.state = LOAN.step(loan.state, LoanAction.RENEW)  # L5: stays open
            loan.due = outcome.data["due"]
            loan.renewals += 1
            loan.step = None  # S0: the ladder starts afresh ...
            loan.step_deadline = None
            loan.step_on = None
            loan.settled = False  # ... and a settled case (S5) is closed by it
        audit.record(
            session,
            actor,
            now,
            "renew",
            outcome,
            borrower_id=loan.borrower_id,
            item_id=loan.item_id,
            loan_id=loan.id,
        )
        return _with(outcome, borrower_id=loan.borrower_id)  # whose loan: for the desk's panel

    return act(ctx, actor, roles.Action.RENEW, work, wanted)


def request(
    ctx: DeskContext, actor: Actor, card_raw: Scanned | str, item_raw: Scanned | str
) -> Verdict:
    """Place a request (§4 L3-L4); a loan's due date only moves earlier."""
    card_scan, item_scan = scanned(card_raw), scanned(item_raw)

    def work(session: Session, now: datetime) -> Verdict:
        return place_request_in(session, ctx, actor, now, card_scan, item_scan)

    return act(ctx, actor, roles.Action.REQUEST, work).verdict


def place_request_in(
    session: Session,
    ctx: DeskContext,
    actor: Actor,
    now: datetime,
    card: Scanned | str | None,
    item: Scanned | str,
    *,
    borrower_id: int | None = None,
    order_ref: str | None = None,
) -> Verdict:
    """:func:`request` in the caller's transaction (the role checked there
    already): the borrower named by ``card`` (a scan) or ``borrower_id`` (the
    borrower at the desk, an imported order's orderer); ``order_ref`` is the
    order form's number, kept on the request. Audited like :func:`request`."""
    if (card is None) == (borrower_id is None):
        raise ValueError("name the borrower by card or by borrower_id, not both or neither")
    if card is not None:
        card_hit = find_card(session, scanned(card), ctx.cpr_key)
        card_row, read, unknown = card_hit.card, card_hit.read, card_hit.error
    else:
        assert borrower_id is not None
        chosen = chosen_card(session, BorrowerId(borrower_id))
        card_row, read = chosen.card, chosen.read
        unknown = None if card_row else no_such_borrower(borrower_id)
    borrower = card_row.borrower if card_row else None
    item_hit = find_item(session, scanned(item), lock=True)
    item_row = item_hit.item
    loan = open_loan(session, item_row.id) if item_row else None
    queue = active_requests(session, item_row.id) if item_row else []
    outcome = rules.decide_request(
        card=card_facts(card_row) if card_row else None,
        borrower=borrower_facts(session, borrower) if borrower else None,
        item=item_facts(item_row) if item_row else None,
        current_loan=loan_facts(loan) if loan else None,
        queue=[r.borrower_id for r in queue],
        day=now.date(),
        read_card=read,
        read_item=item_hit.read,
        unknown_card=unknown,
        unknown_item=item_hit.error,
    )
    if borrower is None:
        return outcome
    if outcome.ok and not outcome.data["duplicate"]:
        assert item_row is not None
        session.add(
            Request(
                item_id=item_row.id,
                borrower_id=borrower.id,
                placed_at=now,
                state=REQUEST.start(RequestAction.PLACE),
                staff=actor.staff,
                desk=actor.desk,
                order_ref=order_ref,
            )
        )
        if loan is not None and outcome.data["due_changed_to"] is not None:
            loan.due = outcome.data["due_changed_to"]  # L4
    audit.record(
        session,
        actor,
        now,
        "request",
        outcome,
        borrower_id=borrower.id,
        item_id=item_row.id if item_row else None,
        loan_id=loan.id if loan else None,
        **({"order_ref": order_ref} if order_ref else {}),
    )
    return _with(outcome, borrower_id=borrower.id)


def found_on_shelf(ctx: DeskContext, actor: Actor, item_raw: Scanned | str) -> Verdict:
    """C1: staff find the item on the shelf: the loan ends, liability with it."""
    item_scan = scanned(item_raw)

    def work(session: Session, now: datetime) -> Verdict:
        ended = end_item_loan(session, item_scan, LoanAction.FIND, "found_on_shelf", actor, now)
        if isinstance(ended, Verdict):
            return ended
        item, loan = ended.item, ended.loan
        outcome = found_verdict(
            reinstated=ended.reinstated, next_card=ended.next_card, borrower_id=loan.borrower_id
        )
        audit.record(
            session,
            actor,
            now,
            "found_on_shelf",
            outcome,
            borrower_id=loan.borrower_id,
            item_id=item.id,
            loan_id=loan.id,
        )
        return outcome

    return act(ctx, actor, roles.Action.FOUND_ON_SHELF, work).verdict


def _with(outcome: Verdict, **data: object) -> Verdict:
    return replace(outcome, data={**outcome.data, **data})
