"""Dates and codes as the desk shows them, in the desk's language."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication


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


def role_name(role: str) -> str:
    """A staff role as the desk's language names it."""
    names = {
        "desk": QCoreApplication.translate("Roles", "desk"),
        "courier": QCoreApplication.translate("Roles", "courier"),
        "supervisor": QCoreApplication.translate("Roles", "supervisor"),
        "admin": QCoreApplication.translate("Roles", "administrator"),
    }
    return names.get(str(role), str(role))
