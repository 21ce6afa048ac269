"""Dates and codes as the desk shows them, in the desk's language."""

from __future__ import annotations

from datetime import date, datetime


def format_date(value: date | str | None, language: str) -> str:
    """Danish desks read 02.03.2026; English ones the ISO form 2026-03-02."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    return f"{value:%d.%m.%Y}" if language == "da" else value.isoformat()


def format_time(value: datetime) -> str:
    return f"{value:%H:%M:%S}"
