"""The borrower receipt: the plain data, its words, and its text for e-mail.

What a borrower takes home from the desk (issue 15): their open loans with
item, due date and capacity, their requests with their place in the queue,
and the totals. Printed on the 80 mm roll by ``printing.receipt``, or
e-mailed as the plain text made here (``services.documents.email_receipt``):
the same sentences either way, so the paper and the e-mail never differ.

Nothing here imports reportlab (the e-mail needs no PDF). Like every printed
document's data, nothing here can hold a CPR number (B3): ``card`` is a
library card's number, never a health card's, and the data refuses
anything shaped like a CPR number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from desk_app.domain.facts import Capacity
from desk_app.i18n import Text, format_date, format_datetime, render, tx, txn
from desk_app.printing import labels
from desk_app.printing.labels import language_of

# --- words ------------------------------------------------------------------------

RECEIPT: Final = tx("Loan receipt")
CARD: Final = tx("Card")
NO_LOANS: Final = tx("No open loans.")
NO_REQUESTS: Final = tx("No requests.")
CAPACITIES: Final = {
    Capacity.INSTITUTE: tx("Institute loan"),
    Capacity.PRIVATE: tx("Private loan"),
}


def loan_count(n: int) -> Text:
    return txn("{n} loan", "{n} loans", n=n)


def request_count(n: int) -> Text:
    return txn("{n} request", "{n} requests", n=n)


def place_in_queue(position: int, queue: int) -> Text:
    return tx("Number {position} of {queue} in the queue", position=position, queue=queue)


def total(loans: int, requests: int) -> Text:
    return tx(
        "Total: {loans} · {requests}", loans=loan_count(loans), requests=request_count(requests)
    )


def subject(day: str) -> Text:
    return tx("Loan receipt {day}", day=day)


# --- data -------------------------------------------------------------------------

# DDMMYY-SSSS, with or without the dash, or its mask DDMMYY-XXXX (B3)
_CPR_SHAPED = re.compile(r"(?<!\d)\d{6}-?(\d{4}|X{4})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class ReceiptLoan:
    """One open loan."""

    title: str
    item_barcode: str
    due: date
    capacity: Capacity
    call_number: str | None = None


@dataclass(frozen=True)
class ReceiptRequest:
    """One active request: the item and the borrower's place in its queue."""

    title: str
    item_barcode: str
    position: int  # 1: the borrower is next
    queue: int  # active requests on the item, this one included


@dataclass(frozen=True)
class ReceiptData:
    borrower_name: str
    card: str | None  # a library card's number; None when the borrower has only a health card
    institute_code: str
    institute_name: str
    day: date
    loans: tuple[ReceiptLoan, ...]
    requests: tuple[ReceiptRequest, ...]
    desk: str
    printed_at: datetime

    def __post_init__(self) -> None:
        if self.card is not None and _CPR_SHAPED.search(self.card):
            raise ValueError("a receipt never carries a CPR number, not even masked (B3)")


# --- text ---------------------------------------------------------------------------


def institute_line(data: ReceiptData) -> str:
    name, code = data.institute_name.strip(), data.institute_code.strip()
    if name and code and code != name:
        return f"{name} ({code})"
    return name or code


def receipt_subject(data: ReceiptData, language: str = "da") -> str:
    lang = language_of(language)
    return render(subject(format_date(data.day, lang, style="print")), lang)


def receipt_plain_text(data: ReceiptData, language: str = "da") -> str:
    """The receipt as plain text, line for line what the 80 mm roll says."""
    lang = language_of(language)

    def say(text: Text) -> str:
        return render(text, lang)

    def day(value: date) -> str:
        return format_date(value, lang, style="print")

    out = [say(RECEIPT), day(data.day), "", data.borrower_name]
    if data.card:
        out.append(f"{say(CARD)}: {data.card}")
    if institute_line(data):
        out.append(institute_line(data))
    item, due = say(labels.ITEM), say(labels.DUE)
    heading = say(loan_count(len(data.loans)))
    out += ["", heading, "-" * len(heading)]
    if not data.loans:
        out.append(say(NO_LOANS))
    for loan in data.loans:
        shelf = f" · {loan.call_number}" if loan.call_number else ""
        out.append(f"* {loan.title}")
        out.append(
            f"  {item}: {loan.item_barcode}{shelf} · {due}: {day(loan.due)} · "
            f"{say(CAPACITIES[loan.capacity])}"
        )
    heading = say(request_count(len(data.requests)))
    out += ["", heading, "-" * len(heading)]
    if not data.requests:
        out.append(say(NO_REQUESTS))
    for request in data.requests:
        out.append(f"* {request.title}")
        out.append(
            f"  {item}: {request.item_barcode} · "
            f"{say(place_in_queue(request.position, request.queue))}"
        )
    printed = say(labels.printed_line(format_datetime(data.printed_at, lang, style="print")))
    out += [
        "",
        say(total(len(data.loans), len(data.requests))),
        "",
        f"{say(labels.desk_line(data.desk))} · {printed}" if data.desk.strip() else printed,
    ]
    return "\n".join(out) + "\n"


def receipt_mail_body(data: ReceiptData, language: str = "da", sender: str = "") -> str:
    """The e-mail: a greeting, the receipt, and the desk's regards."""
    lang = language_of(language)
    head = [render(labels.greeting(data.borrower_name), lang) + ",", ""]
    tail = ["", render(labels.REGARDS, lang), sender or data.desk, ""]
    return "\n".join([*head, receipt_plain_text(data, lang)]) + "\n".join(tail)
