"""The plain data of a notice letter (§5 S6): one letter per borrower per run.

Filled by the notices service from the stored notices; drawn by
``printing.letters``. Like the slips, nothing here can hold a CPR number (B3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class LetterLine:
    """One item on a letter, at the step this run sent for it."""

    step: str  # RECALL, REMINDER_1, REMINDER_2, REMINDER_3, SUSPENSION (domain.facts.Step)
    item_barcode: str
    title: str
    call_number: str | None
    loan_date: date
    due: date
    deadline: date | None  # the return deadline the notice states; None for SUSPENSION


@dataclass(frozen=True)
class LetterData:
    """A borrower's letter for one run: the items grouped by step, each with
    its deadline, and the rule each step rests on."""

    borrower_name: str
    institute_name: str
    institute_address: str
    email: str | None
    run_date: date
    lines: tuple[LetterLine, ...]
    sender: str  # the library, as it signs the letter
    desk: str
    printed_at: datetime
