"""What every service call needs, passed in rather than found globally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from desk_app.clock import Clock
from desk_app.domain.policy import Policy


@dataclass(frozen=True)
class Actor:
    """Who performs a transaction, and at which desk (service point)."""

    staff: str
    desk: str


REPLAY_ACTOR = Actor("replay", "replay")


@dataclass(frozen=True)
class DeskContext:
    sessions: sessionmaker[Session]
    policy: Policy
    clock: Clock
    cpr_key: bytes

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()
