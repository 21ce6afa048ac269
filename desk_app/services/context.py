"""What every service call needs, passed in rather than found globally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from desk_app.clock import Clock
from desk_app.domain.policy import Policy
from desk_app.domain.roles import Job
from desk_app.store.checkpoints import WalCheckpointer


@dataclass(frozen=True)
class Actor:
    """Who performs a transaction, and at which desk (service point).

    ``staff`` is a signed-in staff member's name: services look the role up
    by it (``services.access``), never trust the caller. ``job`` marks work no
    person signed in for (``roles.Job``: the daily run, a console print, a
    replay into a database without staff), which may do only the job's part
    of the role table. ``noted`` is a replay file's own staff name when a
    signed-in operator replays it: kept in the audit, given no rights.
    """

    staff: str
    desk: str
    job: Job | None = None
    noted: str | None = None


REPLAY_ACTOR = Actor("replay", "replay", job=Job.REPLAY)


@dataclass(frozen=True)
class DeskContext:
    sessions: sessionmaker[Session]
    policy: Policy
    clock: Clock
    cpr_key: bytes
    checkpointer: WalCheckpointer | None = None  # a desk's SQLite file (wiring.open_desk)

    def close(self) -> None:
        """Stop the checkpointer and close the database connections."""
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.sessions.kw["bind"].dispose()

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()
