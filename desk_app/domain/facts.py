"""Plain values the rules decide on.

Services read these from the database (or an offline snapshot) and pass them
in; the rules never look anything up themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desk_app.domain.policy import Delivery


class Category(StrEnum):
    RESEARCHER = "researcher"
    PHD_STUDENT = "phd_student"
    TEACHER = "teacher"
    EMERITUS = "emeritus"
    STUDENT = "student"
    EXTERNAL = "external"


class LoanRule(StrEnum):
    HOME = "home"
    READING_ROOM = "reading_room"
    READING_ROOM_ID = "reading_room_id"


class Capacity(StrEnum):
    INSTITUTE = "institute"
    PRIVATE = "private"


class CardStatus(StrEnum):
    ACTIVE = "active"
    LOST = "lost"
    REPLACED = "replaced"


class Step(StrEnum):
    """§5 ladder steps, in order."""

    RECALL = "RECALL"
    REMINDER_1 = "REMINDER_1"
    REMINDER_2 = "REMINDER_2"
    REMINDER_3 = "REMINDER_3"
    SUSPENSION = "SUSPENSION"


@dataclass(frozen=True)
class CardFacts:
    display: str  # the number, or the masked CPR (B3)
    status: CardStatus
    expires: date | None
    status_changed_on: date | None = None


@dataclass(frozen=True)
class BorrowerFacts:
    id: int
    name: str
    category: Category
    own_office: bool
    delivery: Delivery  # the institute's delivery mode (§3)
    suspension_causes: tuple[str, ...] = ()  # item barcodes (S2)

    @property
    def suspended(self) -> bool:
        return bool(self.suspension_causes)


@dataclass(frozen=True)
class ItemFacts:
    barcode: str
    title: str
    loan_rule: LoanRule
    owner: str
    printed_year: int | None
    danish_legal_deposit: bool
    is_ill: bool = False


@dataclass(frozen=True)
class LoanFacts:
    borrower_id: int
    capacity: Capacity
    loan_date: date
    due: date
    guaranteed_until: date | None
    is_ill: bool = False
    step: Step | None = None
    settled: bool = False
