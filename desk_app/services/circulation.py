"""Check-out, check-in, renewal, requests and found-on-shelf (§2, §4, §5 S4, §6 C1).

Each function is one desk action: one session, decided by ``domain``,
committed at the end, and recorded in the audit trail with staff and desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.domain import checkout as rules
from desk_app.domain import roles
from desk_app.domain.claims import ClaimAmounts, damage_charge, refund_on_return
from desk_app.domain.facts import Capacity
from desk_app.domain.loan_period import decide_renewal
from desk_app.domain.loan_states import Action, transition
from desk_app.domain.private import late_fee
from desk_app.domain.transport import transit_after_checkout
from desk_app.domain.verdict import OK_CODES, Code, Verdict, verdict
from desk_app.services import audit, staff
from desk_app.services.access import authorize, principal
from desk_app.services.context import Actor, DeskContext
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
from desk_app.services.transactions import write_transaction
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
    card_raw: str,
    item_raw: str,
    capacity: Capacity = Capacity.INSTITUTE,
    override: Override | None = None,
) -> Verdict:
    """Lend an item (§1-§4, §9, U1); with ``override``, despite the refusals a
    supervisor may set aside (audited as ``checkout_override`` with the reason)."""
    if (refused := authorize(ctx, actor, roles.Action.CHECK_OUT)) is not None:
        return refused
    authoriser = _authorise(ctx, actor, override)
    try:
        with write_transaction(ctx) as (session, now):
            return _checkout(
                session, ctx, actor, card_raw, item_raw, capacity, now, override, authoriser
            )
    except IntegrityError:
        # Another desk lent the item between our read and our write; the unique
        # index on open loans refused the second loan, and nothing was written.
        return verdict(
            Code.ON_LOAN,
            "C1",
            "The item was lent at another desk a moment ago.",
            "Materialet blev udlånt ved en anden skranke for et øjeblik siden.",
        )


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


def _not_authorised(refusal: staff.SignInRefused) -> Verdict:
    return verdict(
        Code.OVERRIDE_REFUSED,
        "",
        f"Override refused: {refusal.message_en} Nothing was lent.",
        f"Tilsidesættelse afvist: {refusal.message_da} Intet blev udlånt.",
        reason_key="not_authorised",
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
        return _not_authorised(authoriser)
    if authoriser is not None:
        role = authoriser.role
    else:
        role, _ = principal(session, actor)
    if role is None or not roles.may(role, roles.Action.OVERRIDE):
        return verdict(
            Code.OVERRIDE_REFUSED,
            "",
            "Only a supervisor may override a refusal.",
            "Kun en supervisor må tilsidesætte en afvisning.",
            reason_key="not_permitted",
            role=role.value if role else None,
        )
    if not override.reason.strip():
        return verdict(
            Code.OVERRIDE_REFUSED,
            "",
            "An override needs a reason: say why the refusal is set aside.",
            "En tilsidesættelse kræver en begrundelse: skriv hvorfor afvisningen tilsidesættes.",
            reason_key="no_reason",
            role=role.value,
        )
    return None


def _checkout(  # type: ignore[no-untyped-def]
    session, ctx, actor, card_raw, item_raw, capacity, now, override, authoriser=None
) -> Verdict:
    day = now.date()
    card_hit = find_card(session, card_raw, ctx.cpr_key)
    card = card_hit.card
    borrower = card.borrower if card else None
    item_hit = find_item(session, item_raw, lock=True)
    item = item_hit.item
    action = "checkout" if override is None else "checkout_override"
    reason = {} if override is None else {"reason": override.reason.strip()}
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
        state="open",
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
        request.state = "fulfilled"
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


_ENDED_AS = {
    "returned": ("returned", "afleveret"),
    "lost": ("declared lost", "meldt bortkommet"),
    "discharged": ("found on the shelf", "fundet på hylden"),
    "cancelled": ("undone already", "allerede fortrudt"),
}


def undo_checkout(
    ctx: DeskContext, actor: Actor, loan_id: int, within: timedelta = UNDO_WITHIN
) -> Verdict:
    """Undo a checkout made a moment ago by mistake (wrong item, wrong card).

    Allowed only for an open loan made less than ``within`` ago (by the
    injected clock) that nothing has happened to since: no renewal, notice,
    settlement or request. The loan ends as ``cancelled`` rather than being
    deleted, so the audit trail keeps pointing at it, and a request the loan
    fulfilled (L3) is the borrower's again, in its old place in the queue.
    Anything later is a check-in (C1), which the borrower's history shows.
    """
    if (refused := authorize(ctx, actor, roles.Action.UNDO_CHECKOUT)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        loan = session.get(Loan, loan_id)
        if loan is None:
            return _undo_refused("There is no such loan to undo.", "Lånet findes ikke.", "unknown")
        # Lock the item first, as check-in does, so the two cannot cross.
        session.scalars(select(Item).where(Item.id == loan.item_id).with_for_update()).one()
        session.refresh(loan, with_for_update=True)
        refusal = _undo_refusal(session, loan, now, within)
        refs = {"borrower_id": loan.borrower_id, "item_id": loan.item_id, "loan_id": loan.id}
        if refusal is not None:
            audit.record(session, actor, now, "undo_checkout", refusal, **refs)
            return refusal
        end_loan(loan, Action.CANCEL, now)
        fulfilled = session.scalars(select(Request).where(Request.loan_id == loan.id)).all()
        for request in fulfilled:
            request.state = "active"
            request.loan_id = None
            request.ended_at = None
        title = loan.item.title
        en = f"Checkout undone: the loan of {title} is cancelled."
        da = f"Udlånet er fortrudt: lånet af {title} er annulleret."
        if fulfilled:
            en += " The borrower's request is active again."
            da += " Lånerens reservering er aktiv igen."
        outcome = verdict(
            Code.UNDONE,
            "C1",
            en,
            da,
            loan_id=loan.id,
            item=loan.item.barcode,
            borrower_id=loan.borrower_id,
            request_reactivated=bool(fulfilled),
        )
        audit.record(session, actor, now, "undo_checkout", outcome, **refs)
        return outcome


def _undo_refused(en: str, da: str, reason_key: str) -> Verdict:
    return verdict(Code.UNDO_REFUSED, "C1", en, da, reason_key=reason_key)


def _undo_refusal(session: Session, loan: Loan, now: datetime, within: timedelta) -> Verdict | None:
    """Why this loan may not be undone, or None."""
    refused = _undo_refused
    if loan.state != "open":
        en, da = _ENDED_AS.get(loan.state, (loan.state, loan.state))
        return refused(
            f"Nothing to undo: the loan has been {en} already.",
            f"Intet at fortryde: lånet er allerede {da}.",
            loan.state,
        )
    if loan.renewals:
        return refused(
            "Cannot undo: the loan has been renewed since. Check the item in instead.",
            "Kan ikke fortrydes: lånet er fornyet siden. Aflever materialet i stedet.",
            "renewed",
        )
    since = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.loan_id == loan.id,
            AuditEntry.action.not_in(_CHECKOUT_ACTIONS),
            AuditEntry.code.in_([code.value for code in OK_CODES]),
        )
    ).first()
    if since is not None or loan.step is not None or loan.settled:
        what = since or "notice"
        return refused(
            f"Cannot undo: the loan has been acted on since ({what}). Check the item in instead.",
            f"Kan ikke fortrydes: der er sket noget med lånet siden ({what}). "
            "Aflever materialet i stedet.",
            "changed",
        )
    if now - loan.loaned_at >= within:
        minutes = _minutes(within)
        return refused(
            f"Too late to undo: the loan was made more than {minutes} ago. "
            "Check the item in instead.",
            f"For sent at fortryde: lånet blev oprettet for mere end {_minutter(within)} siden. "
            "Aflever materialet i stedet.",
            "too_late",
        )
    return None


def _minutes(span: timedelta) -> str:
    n = span.total_seconds() / 60
    shown = f"{n:g}"
    return f"{shown} minute" if n == 1 else f"{shown} minutes"


def _minutter(span: timedelta) -> str:
    n = span.total_seconds() / 60
    shown = f"{n:g}".replace(".", ",")
    return f"{shown} minut" if n == 1 else f"{shown} minutter"


def checkin(ctx: DeskContext, actor: Actor, item_raw: str, damage: str | None = None) -> Verdict:
    """Return an item (§5 S4, §6 C4, §9 P1 late fee, U2 damage)."""
    if (refused := authorize(ctx, actor, roles.Action.CHECK_IN)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        ended = end_item_loan(session, item_raw, Action.RETURN, "checkin", actor, now)
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
        reinstated, next_card = ended.reinstated, ended.next_card
        en, da = f"Returned: {item.title}.", f"Afleveret: {item.title}."
        rule = "C1"
        if reinstated:
            en += " The borrower's suspension is lifted."
            da += " Lånerens suspension er ophævet."
            rule = "S4"
        if next_card:
            en += " Requested: hold it for the next borrower."
            da += " Reserveret: læg det til side til næste låner."
        if fee:
            en += f" Late fee {fee} DKK (private loan)."
            da += f" Gebyr for sen aflevering {fee} kr. (privatlån)."
            rule = "P1" if not reinstated else rule
        outcome = verdict(
            Code.RETURNED,
            rule,
            en,
            da,
            reinstated=reinstated,
            next=next_card,
            late_fee=fee if fee else None,
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


def end_loan(loan: Loan, action: Action, now: datetime) -> None:
    """End an open loan through the state table (C1, C2)."""
    loan.state = transition(loan.state, action).value
    loan.ended_at = now


@dataclass(frozen=True)
class EndedLoan:
    item: Item
    loan: Loan
    reinstated: bool  # S4: this ended the borrower's last unsettled case
    next_card: str | None  # L3: who is waiting for the item


def end_item_loan(
    session: Session, item_raw: str, action: Action, audit_action: str, actor: Actor, now: datetime
) -> EndedLoan | Verdict:
    """End the item's open loan (check-in, found on shelf, lost); or, when a
    lost item comes back (return, find), settle its claim (C4); or say why not."""
    item_hit = find_item(session, item_raw, lock=True)
    if item_hit.item is None:
        return item_hit.refusal()
    item = item_hit.item
    loan = open_loan(session, item.id)
    if loan is None:
        if action is Action.LOSE:
            return not_on_loan(item.barcode)
        back = _lost_item_back(session, item, now.date(), actor, now, audit_action)
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
    session: Session, item: Item, day: date, actor: Actor, now, action: str
) -> Verdict | None:  # type: ignore[no-untyped-def]
    """C4: a lost item comes back. A billed claim is refunded minus the
    collection fee; a claim not yet billed is cancelled in full."""
    claim = session.scalars(
        select(Claim)
        .where(Claim.item_id == item.id, Claim.state.in_(("open", "billed")))
        .order_by(Claim.id.desc())
    ).first()
    if claim is None:
        return None
    billed = claim.state == "billed"
    refund = refund_on_return(ClaimAmounts(claim.amount, claim.fee), billed)
    claim.state = "refunded" if billed else "cancelled"
    claim.refund = refund
    claim.closed_on = day
    code = Code.RETURNED if action == "checkin" else Code.DISCHARGED
    if billed:
        en = f"Lost item back: the billed claim is refunded, {refund} DKK (less the fee)."
        da = f"Bortkommet materiale tilbage: refusion {refund} kr. (minus gebyret)."
    else:
        en = "Lost item back: the claim, not yet billed, is cancelled."
        da = "Bortkommet materiale tilbage: kravet, der ikke var opkrævet, annulleres."
    outcome = verdict(
        code,
        "C4",
        en,
        da,
        reinstated=False,
        next=_next_in_queue(session, item.id),
        refund=refund,
        borrower_id=claim.borrower_id,
    )
    audit.record(
        session, actor, now, action, outcome, borrower_id=claim.borrower_id, item_id=item.id
    )
    return outcome


def renew(ctx: DeskContext, actor: Actor, item_raw: str) -> Verdict:
    """Renew a loan (§4 L5); a renewal starts the ladder afresh (S0)."""
    if (refused := authorize(ctx, actor, roles.Action.RENEW)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        loan = find_open_loan(session, item_raw, lock=True)
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


def request(ctx: DeskContext, actor: Actor, card_raw: str, item_raw: str) -> Verdict:
    """Place a request (§4 L3-L4); a loan's due date only moves earlier."""
    if (refused := authorize(ctx, actor, roles.Action.REQUEST)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        card_hit = find_card(session, card_raw, ctx.cpr_key)
        card = card_hit.card
        borrower = card.borrower if card else None
        item_hit = find_item(session, item_raw, lock=True)
        item = item_hit.item
        loan = open_loan(session, item.id) if item else None
        queue = active_requests(session, item.id) if item else []
        outcome = rules.decide_request(
            card=card_facts(card) if card else None,
            borrower=borrower_facts(session, borrower) if borrower else None,
            item=item_facts(item) if item else None,
            current_loan=loan_facts(loan) if loan else None,
            queue=[r.borrower_id for r in queue],
            day=now.date(),
            read_card=card_hit.read,
            read_item=item_hit.read,
            unknown_card=card_hit.error,
            unknown_item=item_hit.error,
        )
        if borrower is None:
            return outcome
        if outcome.ok and not outcome.data["duplicate"]:
            assert item is not None
            session.add(
                Request(
                    item_id=item.id,
                    borrower_id=borrower.id,
                    placed_at=now,
                    state="active",
                    staff=actor.staff,
                    desk=actor.desk,
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
            item_id=item.id if item else None,
            loan_id=loan.id if loan else None,
        )
        return outcome


def found_on_shelf(ctx: DeskContext, actor: Actor, item_raw: str) -> Verdict:
    """C1: staff find the item on the shelf: the loan ends, liability with it."""
    if (refused := authorize(ctx, actor, roles.Action.FOUND_ON_SHELF)) is not None:
        return refused
    with write_transaction(ctx) as (session, now):
        ended = end_item_loan(session, item_raw, Action.FIND, "found_on_shelf", actor, now)
        if isinstance(ended, Verdict):
            return ended
        item, loan = ended.item, ended.loan
        outcome = verdict(
            Code.DISCHARGED,
            "C1",
            "Found on the shelf: the loan is ended and the borrower is no longer liable.",
            "Fundet på hylden: lånet er afsluttet, og låneren hæfter ikke længere.",
            reinstated=ended.reinstated,
            next=ended.next_card,
            borrower_id=loan.borrower_id,
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


def _with(outcome: Verdict, **data: object) -> Verdict:
    return replace(outcome, data={**outcome.data, **data})
