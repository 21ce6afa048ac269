"""§5: what the desk says about a borrower's suspension (S2) and a case
settled by contact (S5).

Services gather the facts (the note typed, the loan's ladder step, the
suspension causes) and persist; the words and the refusals are decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from desk_app.domain.facts import Step
from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx, txn


def settle_refusal(note: str, agreed: date | None, day: date) -> Verdict | None:
    """S5: why a settlement may not be recorded this way on ``day`` (the role
    is checked before, by the role table), or None."""
    if not note.strip():
        return verdict(
            Code.SETTLE_REFUSED,
            "S5",
            tx("A settlement needs a note: write what the borrower said."),
            reason_key="no_note",
        )
    if agreed is not None and agreed < day:
        return verdict(
            Code.SETTLE_REFUSED,
            "S5",
            tx("The agreed date {agreed} has already passed.", agreed=agreed),
            reason_key="agreed_passed",
        )
    return None


def case_refusal(step: Step | None) -> Verdict | None:
    """S5: only a loan at SUSPENSION is a case to settle; None when it is one."""
    if step is Step.SUSPENSION:
        return None
    return verdict(Code.NO_CASE, "S5", tx("This loan is no suspension case: nothing to settle."))


def settled(agreed: date, reinstated: bool) -> Verdict:
    """S5: the case no longer suspends; the item is due back by ``agreed``.
    ``reinstated``: the borrower was suspended and no longer is."""
    return verdict(
        Code.SETTLED,
        "S5",
        tx("Case settled by contact; to be returned by {agreed}.", agreed=agreed),
        agreed=agreed,
        reinstated=reinstated,
    )


def borrower_status(name: str, loans: Sequence[str], causes: Sequence[str], **data: Any) -> Verdict:
    """S2: the borrower at a glance: their open loans (the items), suspended
    (derived) while any unsettled SUSPENSION case is open, ``causes`` being
    those cases' items. ``data`` is what the panel shows besides."""
    if causes:
        text = txn(
            "{name}: {n} loan; SUSPENDED for {items}.",
            "{name}: {n} loans; SUSPENDED for {items}.",
            n=len(loans),
            name=name,
            items=", ".join(causes),
        )
    else:
        text = txn("{name}: {n} loan.", "{name}: {n} loans.", n=len(loans), name=name)
    return verdict(
        Code.STATUS,
        "S2",
        text,
        suspended=bool(causes),
        causes=list(causes),
        loans=list(loans),
        name=name,
        **data,
    )
