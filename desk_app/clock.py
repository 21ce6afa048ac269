"""The clock is injected: replay, tests and what-if runs control time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


class Clock(Protocol):
    def now(self) -> datetime:
        """Local wall-clock time (Europe/Copenhagen), naive."""
        ...


def to_local_naive(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(LOCAL_ZONE).replace(tzinfo=None, microsecond=0)


class FixedClock:
    """A clock that says what it is told; ``set`` moves it (replay, tests)."""

    def __init__(self, moment: datetime | date) -> None:
        self._now = _as_datetime(moment)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime | date) -> None:
        self._now = _as_datetime(moment)


def _as_datetime(moment: datetime | date) -> datetime:
    if isinstance(moment, datetime):
        return to_local_naive(moment)
    return datetime(moment.year, moment.month, moment.day, 12, 0)
