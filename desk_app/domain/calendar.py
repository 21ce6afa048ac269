"""Calendar arithmetic as the scheme's Terms section defines it.

Month and year steps are calendar steps; a day that does not exist in the target
month becomes that month's last day (31 Jan + 1 month = 28/29 Feb, 29 Feb + 1 year
= 28 Feb). ``dateutil.relativedelta`` implements exactly that clamping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from desk_app.i18n import Text, join, txn

_PERIOD_RE = re.compile(r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period (ISO 8601 ``PnYnMnD``, no time part)."""

    years: int = 0
    months: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``P1Y``, ``P1M``, ``P14D``, ``P1Y6M``; raise ValueError otherwise."""
        match = _PERIOD_RE.match(text.strip()) if isinstance(text, str) else None
        if not match or text.strip() == "P":
            raise ValueError(f"not a period like P1Y, P1M or P14D: {text!r}")
        parts = {k: int(v) for k, v in match.groupdict().items() if v}
        return cls(**parts)

    def iso(self) -> str:
        text = "P"
        if self.years:
            text += f"{self.years}Y"
        if self.months:
            text += f"{self.months}M"
        if self.days or text == "P":
            text += f"{self.days}D"
        return text

    def describe(self) -> Text:
        """The period for a message ("1 year", "14 days"; "1 år", "14 dage"):
        a Text, so each language counts its own plurals."""
        parts: list[Text] = []
        if self.years:
            parts.append(txn("{n} year", "{n} years", n=self.years))
        if self.months:
            parts.append(txn("{n} month", "{n} months", n=self.months))
        if self.days or not parts:
            parts.append(txn("{n} day", "{n} days", n=self.days))
        return join(parts, " ")


def add_period(day: date, period: Period) -> date:
    """``day`` plus ``period``, years and months first (clamped), then days."""
    return day + relativedelta(years=period.years, months=period.months, days=period.days)


def add_days(day: date, days: int) -> date:
    return day + relativedelta(days=days)


@dataclass(frozen=True)
class HalfYear:
    """A billing half-year (§6 C3): H1 = 1 Jan..30 Jun, H2 = 1 Jul..31 Dec."""

    year: int
    half: int

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        match = re.fullmatch(r"(\d{4})H([12])", text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"not a half-year like 2026H1: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def __str__(self) -> str:
        return f"{self.year}H{self.half}"
