"""The audit trail: every transaction records who, where, when and what."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from desk_app.domain.barcodes import echo
from desk_app.domain.verdict import Verdict
from desk_app.services.context import Actor
from desk_app.store.models import AuditEntry

# The one width of a staff or desk name wherever the desk keeps one (the
# audit's, the loans' and the other tables' staff and desk are String(60)):
# names are cut to it by ``fit``, and a staff name longer is refused.
NAME_KEPT = 60


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(
    session: Session,
    actor: Actor,
    at: datetime,
    action: str,
    outcome: Verdict,
    *,
    borrower_id: int | None = None,
    item_id: int | None = None,
    loan_id: int | None = None,
    **detail: Any,
) -> None:
    """Append one entry. ``detail`` must never carry a CPR number (B3).

    The names are kept as a refusal may meet them (an unknown staff name,
    issue 13): masked if they could hold a CPR number, cut to fit. A replay
    operator's entry notes the file's own staff name beside it."""
    extra = {"file_staff": fit(actor.noted)} if actor.noted else {}
    if actor.job is not None:
        extra["job"] = actor.job.value
    payload = {k: _plain(v) for k, v in {**outcome.data, **detail, **extra}.items()}
    session.add(
        AuditEntry(
            at=at,
            staff=fit(actor.staff),
            desk=fit(actor.desk),
            action=action,
            code=outcome.code.value,
            rule=outcome.rule or None,  # staff matters rest on no scheme rule
            borrower_id=borrower_id,
            item_id=item_id,
            loan_id=loan_id,
            detail=json.dumps(payload, sort_keys=True, default=str) if payload else None,
        )
    )


def fit(name: str) -> str:
    """A name as the desk may keep or show it: cut to ``NAME_KEPT``, then
    masked (``echo``, B3): a cut after masking could leave ten digits of a
    longer run behind, in clear."""
    return echo(name, NAME_KEPT)
