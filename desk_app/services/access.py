"""Who may do what, enforced where it is done (issue 13, point 9).

Every public service function that acts for someone begins with
:func:`authorize` (or :func:`require`, for functions that answer with
something other than a verdict), naming its ``roles.Action``, or runs its
work through ``services.desk_action.act``, which asks :func:`authorize_in`
in the action's own transaction (one desk action, one transaction), so the
refusal is worded and audited the same way. The role comes from the staff
table by the actor's name, never from the caller: a window, a replay file or
a script cannot claim more than the account has. An unknown or inactive name
may do nothing. A refusal changes nothing but the audit trail: every refused
action is recorded there, with the action and the role (issue 13, point 20).

Work no person signed in for carries a ``roles.Job`` on its actor (the daily
run, the console's print commands) and may do that job's part of the table.
``Job.REPLAY`` (a replay file speaking for a supervisor) counts only while
the database has no active staff account (no one could sign in): a
database people sign in to is replayed into by a signed-in operator
(``desk-app replay --staff``).

Not checked, on purpose: what runs before anyone signs in (``staff.sign_in``,
``has_staff``, ``staff_names``, ``staff_members``, ``staff_by_card``,
``admin_exists``, ``overview``, ``notices.run_is_due``); the building blocks
that take a caller's ``Session`` (``lookup``, ``enrolment.upsert_*``,
``circulation.end_item_loan``, ``borrowers.status_in``, ...), which only ever run inside an action
checked already; and ``notice_mail.tidy_outbox``, a step of ``daily_run`` and
``notice_mail.send_pending``, which check before it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain.access_verdicts import Why, not_permitted
from desk_app.domain.roles import Action, Job, Principal, Role, may
from desk_app.domain.verdict import Verdict
from desk_app.services import audit
from desk_app.services.context import Actor, DeskContext
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Staff

# No one signed in (a blank name is never a staff name): refused, and audited
# as such, where the action needs someone (``staff.add_staff`` without ``by``).
NOT_SIGNED_IN = Actor("", "not signed in")


class NotPermitted(Exception):
    """Raised by :func:`require`: the actor may not do this. The refusal is
    audited already; ``verdict`` says why."""

    def __init__(self, refusal: Verdict) -> None:
        super().__init__(refusal.message_en)
        self.verdict = refusal


def authorize(ctx: DeskContext, actor: Actor, action: Action) -> Verdict | None:
    """None when ``actor`` may perform ``action``; otherwise the refusal,
    already recorded in the audit trail (nothing else is written). The role
    is read first without the write lock, which only a refusal needs."""
    with ctx.sessions() as session:
        who, _ = principal(session, actor)
    if who is not None and may(who, action):
        return None
    with write_transaction(ctx) as (session, now):
        return authorize_in(session, actor, action, now)


def authorize_in(session: Session, actor: Actor, action: Action, now: datetime) -> Verdict | None:
    """:func:`authorize` in the caller's write transaction (``desk_action.act``
    checks the role in the action's own): a refusal is worded and audited
    there, and nothing else is written for it."""
    who, why = principal(session, actor)
    if who is not None and may(who, action):
        return None
    refusal = not_permitted(action, who, why, shown_name(actor.staff))
    audit.record(session, actor, now, action.value, refusal)
    return refusal


def require(ctx: DeskContext, actor: Actor, action: Action) -> None:
    """:func:`authorize` for a function that answers with data, not a
    verdict: raise :class:`NotPermitted` on a refusal."""
    refusal = authorize(ctx, actor, action)
    if refusal is not None:
        raise NotPermitted(refusal)


def principal(session: Session, actor: Actor) -> tuple[Principal | None, Why]:
    """The actor's role (or job), or None and why not: no active staff member
    of that name, no one signed in, or a replay into a database with staff."""
    if actor.job is None and not actor.staff.strip():
        return None, Why.NOT_SIGNED_IN
    if actor.job is Job.REPLAY:
        active = select(Staff.id).where(Staff.active.is_(True)).limit(1)
        if session.scalars(active).first() is not None:
            return None, Why.REPLAY_WITH_STAFF
        return Job.REPLAY, Why.ROLE
    if actor.job is not None:
        return actor.job, Why.ROLE
    role = session.scalars(
        select(Staff.role).where(Staff.name == actor.staff, Staff.active.is_(True))
    ).one_or_none()
    return (Role(role), Why.ROLE) if role else (None, Why.UNKNOWN)


def shown_name(name: str) -> str:
    """A staff name as a message or the audit may show it (``audit.fit``:
    nothing that could be a CPR number, B3, and no longer than the audit
    keeps), or "?" for a name that leaves nothing to show."""
    return audit.fit(name) or "?"
