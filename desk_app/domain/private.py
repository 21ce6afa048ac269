"""§9 Private capacity: P1 late fees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desk_app.domain.policy import Policy


def late_fee(due: date, returned: date, policy: Policy) -> Decimal:
    """P1: the private fee schedule: a fee per started week late (LP)."""
    days_late = (returned - due).days
    if days_late <= 0:
        return Decimal(0)
    started_weeks = -(-days_late // 7)
    return started_weeks * policy.private.late_fee_per_started_week
