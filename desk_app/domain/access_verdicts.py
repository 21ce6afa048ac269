"""What the desk says when someone may not do something (issue 13, point 9).

The role table (``domain.roles``) decides; this module words the refusal:
who was refused (a role, a name that is no active staff member, no one signed
in, or a replay into a database people sign in to) and what they tried, in
the words of ``roles.DOING``. Services look the role up and pass it here.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain.roles import DOING, ROLE_NAMES, Action, Principal
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


class Why(StrEnum):
    """Why an actor has no part of the table for an action (``data["why"]``)."""

    ROLE = "role"  # the role (or job) may not
    UNKNOWN = "unknown"  # no active staff member of that name
    NOT_SIGNED_IN = "not_signed_in"  # a blank name: no one signed in
    REPLAY_WITH_STAFF = "replay_with_staff"  # a replay file's staff, but the database has staff


def not_permitted(action: Action, who: Principal | None, why: Why, name: str) -> Verdict:
    """The refusal of ``action`` for ``who`` (None: no role at all, ``why``
    says why); ``name`` is the actor's name as it may be shown (B3, masked).

    Settling a case keeps the code and words it had before the table (S5); an
    override refused for the role is worded in circulation, with its authoriser.
    """
    data = {
        "reason_key": "not_permitted",
        "action": action.value,
        "role": who.value if who is not None else None,
        "why": why.value,
    }
    if action is Action.SETTLE_BY_CONTACT:
        return verdict(
            Code.SETTLE_REFUSED, "S5", tx("Only a supervisor may settle a case by contact."), **data
        )
    doing = DOING[action]
    if why is Why.UNKNOWN:
        text = tx(
            "Not permitted: {name} is no active staff member, so may not {doing}.",
            name=name,
            doing=doing,
        )
    elif why is Why.NOT_SIGNED_IN:
        text = tx("Not permitted: only a signed-in staff member may {doing}.", doing=doing)
    elif why is Why.REPLAY_WITH_STAFF:
        text = tx(
            "Not permitted: this database has staff, so only a signed-in operator may "
            "{doing} (desk-app replay --staff NAME).",
            doing=doing,
        )
    else:
        assert who is not None
        text = tx("Not permitted: a {role} may not {doing}.", role=ROLE_NAMES[who], doing=doing)
    return verdict(Code.NOT_PERMITTED, "", text, **data)
