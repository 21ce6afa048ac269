"""What the desk says to someone signing in (issue 3): signed in, or not.

A refusal never says whether the name or the PIN was wrong; a locked account
may say until when (staff names are no secret: the sign-in screen lists them).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import Text, literal, tx

NOT_RECOGNISED = tx("Name or PIN not recognised.")


class SignInReason(StrEnum):
    """Why a sign-in was refused, as the audit keeps it (``data["reason"]``)."""

    UNKNOWN = "unknown"  # no active staff member of that name or card
    LOCKED = "locked"  # still locked from earlier wrong PINs
    LOCKED_NOW = "locked_now"  # this wrong PIN locked the account
    WRONG_PIN = "wrong_pin"


def locked_text(locked_until: datetime) -> Text:
    """The lock's end as a clock time, as each language writes one (``10:05``, ``10.05``)."""
    time = literal(f"{locked_until:%H:%M}", da=f"{locked_until:%H.%M}")
    return tx(
        "Too many wrong PINs: sign-in is locked until {time}. "
        "Try again then, or ask an administrator.",
        time=time,
    )


def signed_in(name: str, role: Role, **detail: Any) -> Verdict:
    return verdict(
        Code.SIGNED_IN,
        "",
        tx("Signed in: {name} ({role}).", name=name, role=role),
        role=role.value,
        **detail,
    )


def sign_in_refused(reason: SignInReason, locked_until: datetime | None, **detail: Any) -> Verdict:
    """The same words for a wrong PIN and an unknown name or card; only a
    lock says more (``locked_until``)."""
    text = NOT_RECOGNISED if locked_until is None else locked_text(locked_until)
    return verdict(
        Code.SIGN_IN_REFUSED, "", text, reason=reason.value, locked_until=locked_until, **detail
    )
