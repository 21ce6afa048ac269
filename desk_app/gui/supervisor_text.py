"""What the supervisor screen says: the badge, the what-if, the audit lines.

Plain functions from service values to translated text, kept apart from the
window so the wording can be read (and tested) without building widgets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desk_app.domain.projection import BorrowerProjection
from desk_app.gui.formatting import format_date
from desk_app.gui.loans_model import step_name
from desk_app.services.supervision_queries import Badge, BorrowerCase

# red, amber, green: the status at a glance
BADGE_COLOURS = {Badge.SUSPENDED: "#b3261e", Badge.SETTLED: "#b26a00", Badge.CLEAR: "#1b7f3b"}
PROJECTION_LINES = 12  # more notices than this are summed up in one line


def badge_text(case: BorrowerCase, language: str) -> str:
    """S2 red, S5 amber, else green; with the causing items or the date."""
    if case.badge is Badge.SUSPENDED:
        return QCoreApplication.translate(
            "SupervisorWindow", "SUSPENDED since {date} (S2) because of: {items}"
        ).format(date=format_date(case.suspended_since, language), items=", ".join(case.causes))
    if case.badge is Badge.SETTLED:
        return QCoreApplication.translate(
            "SupervisorWindow", "Settled by contact: item(s) back by {date} (S5)"
        ).format(date=format_date(case.back_by, language))
    return QCoreApplication.translate("SupervisorWindow", "Not suspended")


def projection_text(projection: BorrowerProjection, language: str) -> str:
    """ "If nothing comes back: ... suspended on ..." and the notices, by day."""
    until = format_date(projection.until, language)
    if projection.suspended_at_start:
        head = QCoreApplication.translate(
            "SupervisorWindow",
            "Already suspended (S2): stays so until the item(s) come back or the case is settled.",
        )
    elif projection.suspended_on is not None:
        head = QCoreApplication.translate(
            "SupervisorWindow", "If nothing comes back: suspended on {date}."
        ).format(date=format_date(projection.suspended_on, language))
    else:
        head = QCoreApplication.translate(
            "SupervisorWindow", "If nothing comes back: not suspended by {date}."
        ).format(date=until)
    if not projection.notices:
        tail = QCoreApplication.translate(
            "SupervisorWindow", "No notice falls due up to {date}."
        ).format(date=until)
        return f"{head}\n{tail}"
    lines = [head]
    for notice in projection.notices[:PROJECTION_LINES]:
        day = format_date(notice.day, language)
        step = step_name(notice.step.value)
        if notice.deadline is not None:
            lines.append(
                QCoreApplication.translate(
                    "SupervisorWindow", "{date}: {step} for {item}, return by {deadline}"
                ).format(
                    date=day,
                    step=step,
                    item=notice.item,
                    deadline=format_date(notice.deadline, language),
                )
            )
        else:
            lines.append(
                QCoreApplication.translate("SupervisorWindow", "{date}: {step} for {item}").format(
                    date=day, step=step, item=notice.item
                )
            )
    rest = len(projection.notices) - PROJECTION_LINES
    if rest > 0:
        lines.append(
            QCoreApplication.translate("SupervisorWindow", "… and {count} more notice(s)").format(
                count=rest
            )
        )
    return "\n".join(lines)


def action_name(action: str) -> str:
    names = {
        "checkout": QCoreApplication.translate("SupervisorWindow", "Check out"),
        "checkout_override": QCoreApplication.translate("SupervisorWindow", "Check out (override)"),
        "checkin": QCoreApplication.translate("SupervisorWindow", "Check in"),
        "renew": QCoreApplication.translate("SupervisorWindow", "Renew"),
        "request": QCoreApplication.translate("SupervisorWindow", "Request"),
        "contact": QCoreApplication.translate("SupervisorWindow", "Settled by contact"),
        "lost": QCoreApplication.translate("SupervisorWindow", "Declared lost"),
        "found_on_shelf": QCoreApplication.translate("SupervisorWindow", "Found on the shelf"),
        "card_lost": QCoreApplication.translate("SupervisorWindow", "Card reported lost"),
        "ill_receive": QCoreApplication.translate("SupervisorWindow", "ILL received"),
        "order_alternative": QCoreApplication.translate("SupervisorWindow", "Alternative ordered"),
        "undo_checkout": QCoreApplication.translate("SupervisorWindow", "Checkout undone"),
        "announce_return": QCoreApplication.translate("SupervisorWindow", "Return announced"),
    }
    return names.get(action, action)


def when(at: datetime, language: str) -> str:
    return f"{format_date(at.date(), language)} {at:%H:%M}"


def detail_text(detail: dict[str, Any]) -> str:
    """The audit entry's detail in one line: the note first, then the rest
    (short values only; the lists of a notices run are left out)."""
    parts = []
    if detail.get("note"):
        parts.append(str(detail["note"]))
    for key, value in sorted(detail.items()):
        if key == "note" or value in (None, "", False) or isinstance(value, list | dict):
            continue
        parts.append(f"{key}: {value}")
    text = "; ".join(parts)
    return text if len(text) <= 160 else text[:159] + "…"
