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

_NAME_KEPT = 60  # audit.staff and audit.desk are String(60)


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
    extra = {"file_staff": _fit(actor.noted)} if actor.noted else {}
    if actor.job is not None:
        extra["job"] = actor.job.value
    payload = {k: _plain(v) for k, v in {**outcome.data, **detail, **extra}.items()}
    session.add(
        AuditEntry(
            at=at,
            staff=_fit(actor.staff),
            desk=_fit(actor.desk),
            action=action,
            code=outcome.code.value,
            rule=outcome.rule or None,  # staff matters rest on no scheme rule
            borrower_id=borrower_id,
            item_id=item_id,
            loan_id=loan_id,
            detail=json.dumps(payload, sort_keys=True, default=str) if payload else None,
        )
    )


def _fit(name: str) -> str:
    """Cut, then masked (``echo``): a cut after masking could leave ten
    digits of a longer run behind, in clear."""
    return echo(name, _NAME_KEPT)
