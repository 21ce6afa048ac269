"""Who may set a checkout refusal aside, and with what (issue 3; issue 13, point 17).

A supervisor's override needs the supervisor's role (``roles.Action.OVERRIDE``)
and a reason, which the audit trail keeps; a supervisor authorising at
someone else's desk login proves who they are with their PIN first. The
checks that may be overridden at all are ``checkout.OVERRIDABLE``.
"""

from __future__ import annotations

from desk_app.domain import roles
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, tx


def override_refusal(
    role: roles.Principal | None, reason: str, not_authorised: Text | None = None
) -> Verdict | None:
    """Why this override may not go ahead, or None. ``role`` is the staff
    table's (the authoriser's, when one signed in with their PIN);
    ``not_authorised`` is why that sign-in failed, when it did."""
    if not_authorised is not None:
        return verdict(
            Code.OVERRIDE_REFUSED,
            "",
            tx("Override refused: {why} Nothing was lent.", why=not_authorised),
            reason_key="not_authorised",
        )
    if role is None or not roles.may(role, roles.Action.OVERRIDE):
        return verdict(
            Code.OVERRIDE_REFUSED,
            "",
            tx("Only a supervisor may override a refusal."),
            reason_key="not_permitted",
            role=role.value if role else None,
        )
    if not reason.strip():
        return verdict(
            Code.OVERRIDE_REFUSED,
            "",
            tx("An override needs a reason: say why the refusal is set aside."),
            reason_key="no_reason",
            role=role.value,
        )
    return None
