"""The desk's printed documents as PDF: slips, courier manifests, the day's
notice letters, the pick list and a borrower's receipt (§3 T1-T4, §4 Q1,
§5 S6, §7 I3).

One way to get a document (issue 14): the desk window, the dispatch window
and the console commands all ask here, so a slip printed from the console is
the one the desk prints, and none of them draws with ``desk_app.printing``
itself. Each call checks the actor's role first, like every service
(``services.access``), then reads the plain data through ``transport``,
``notice_letters`` or ``requests`` and draws it. The receipt can also go
by e-mail, as text, through the desk's mail settings (``email_receipt``).
The renderers (reportlab, about 0.1 s to import) load at the first
document, never at the desk's start.

The types the callers need with a document (paper sizes, the kinds of slip,
the data a manifest holds) are re-exported here.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.facts import Capacity, CardStatus
from desk_app.domain.loan_states import LoanState
from desk_app.domain.pick_list import PickEntry
from desk_app.domain.receipt_verdicts import NotSent, receipt_not_sent, receipt_sent
from desk_app.domain.request_verdicts import no_such_borrower
from desk_app.domain.scan import Scanned, slip_code
from desk_app.domain.verdict import Verdict
from desk_app.printing.documents import (
    MANIFEST_SIZES,
    SLIP_SIZES,
    ManifestData,
    PageSize,
    SlipData,
    SlipKind,
)
from desk_app.printing.receipt_data import (
    ReceiptData,
    ReceiptLoan,
    ReceiptRequest,
    receipt_mail_body,
    receipt_plain_text,
    receipt_subject,
)
from desk_app.services import requests, transport
from desk_app.services.access import authorize, require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import find_card
from desk_app.store.models import Borrower, Card, Item, Loan

if TYPE_CHECKING:  # notice_letters loads the letter renderer: only when printing letters
    from desk_app.services.notice_letters import Signature
    from desk_app.services.notice_mail import MailServer, MailSettings

__all__ = [
    "MANIFEST_SIZES",
    "SLIP_SIZES",
    "LettersPdf",
    "ManifestData",
    "ManifestPdf",
    "PageSize",
    "PickListPdf",
    "ReceiptData",
    "SlipData",
    "SlipKind",
    "SlipPdf",
    "email_receipt",
    "letters_pdf",
    "manifest_pdf",
    "pick_list_document",
    "pick_list_pdf",
    "receipt_data",
    "receipt_pdf",
    "receipt_pdf_for_card",
    "receipt_text",
    "slip_code",
    "slip_pdf",
    "slip_pdf_for_item",
]


@dataclass(frozen=True)
class SlipPdf:
    """A loan's slip: what it says (for a title or a summary) and the PDF."""

    slip: SlipData
    pdf: bytes


@dataclass(frozen=True)
class ManifestPdf:
    """A route's manifest for a day, and its PDF. ``pdf`` is None when the
    data could not be drawn (``problem`` says why, for the caller to show or
    log): the courier still loads the crate from the data."""

    manifest: ManifestData
    pdf: bytes | None
    problem: str = ""


@dataclass(frozen=True)
class LettersPdf:
    """The day's letters as one print job; ``pdf`` is None when there are none."""

    count: int
    pdf: bytes | None


def slip_pdf(
    ctx: DeskContext, actor: Actor, loan_id: int, page_size: PageSize, language: str
) -> SlipPdf | None:
    """The slip of one loan (T4, T2, I3), or None if there is no such loan."""
    require(ctx, actor, roles.Action.PRINT_SLIP)
    slip = transport.slip_for_loan(ctx, actor, loan_id, language)
    return None if slip is None else SlipPdf(slip, _draw_slip(slip, page_size, language))


def slip_pdf_for_item(
    ctx: DeskContext, actor: Actor, item_raw: str, page_size: PageSize, language: str
) -> SlipPdf | Verdict:
    """The slip of the item's open loan, or the verdict saying why there is
    none; a scanned slip code works too (a crumpled slip reprints itself)."""
    require(ctx, actor, roles.Action.PRINT_SLIP)
    slip = transport.slip_for_item(ctx, actor, item_raw, language)
    if not isinstance(slip, SlipData):
        return slip
    return SlipPdf(slip, _draw_slip(slip, page_size, language))


def manifest_pdf(
    ctx: DeskContext,
    actor: Actor,
    route_code: str,
    day: date,
    desk: str,
    page_size: PageSize,
    language: str,
) -> ManifestPdf | Verdict:
    """T4: the route's manifest for ``day`` and its PDF, or the verdict
    saying why there is none (no such route)."""
    require(ctx, actor, roles.Action.PRINT_MANIFEST)
    manifest = transport.manifest(ctx, actor, route_code, day, desk, language)
    if not isinstance(manifest, ManifestData):
        return manifest
    from desk_app.printing.manifest import render_manifest  # reportlab: only when printing

    try:
        pdf = render_manifest(manifest, page_size, language)
    except (ValueError, OSError) as problem:  # a font, a paper size: the data stays usable
        return ManifestPdf(manifest, None, str(problem))
    return ManifestPdf(manifest, pdf)


def letters_pdf(
    ctx: DeskContext,
    actor: Actor,
    day: date,
    signature: Signature,
    language: str,
    *,
    postal_only: bool = False,
) -> LettersPdf:
    """S6: the day's notice letters as one PDF: every letter of the day's
    runs, or with ``postal_only`` those that cannot go by e-mail
    (``notice_letters.letters_of_day`` says which)."""
    require(ctx, actor, roles.Action.PRINT_LETTERS)
    from desk_app.services.notice_letters import letters_of_day

    letters = letters_of_day(ctx, actor, day, signature, language, postal_only=postal_only)
    if not letters:
        return LettersPdf(0, None)
    from desk_app.printing.letters import render_letters  # reportlab: only when printing

    return LettersPdf(len(letters), render_letters(letters, language))


def _draw_slip(slip: SlipData, page_size: PageSize, language: str) -> bytes:
    from desk_app.printing.slips import render_slip  # reportlab: only when printing

    return render_slip(slip, page_size, language)


# --- the pick list (Q1) ----------------------------------------------------------


@dataclass(frozen=True)
class PickListPdf:
    """The pick list's entries (in shelf order) and its PDF."""

    entries: tuple[PickEntry, ...]
    pdf: bytes


def pick_list_document(ctx: DeskContext, actor: Actor, language: str = "da") -> PickListPdf:
    """Q1: the pick list, made now, and its A4 PDF. Raises
    ``access.NotPermitted`` (audited) for an actor who may not see it."""
    require(ctx, actor, roles.Action.PICK_LIST)
    entries = tuple(requests.pick_list(ctx, actor))
    from desk_app.printing.pick_list import render_pick_list  # reportlab: only when printing

    return PickListPdf(entries, render_pick_list(entries, ctx.now(), language, actor.desk))


def pick_list_pdf(ctx: DeskContext, actor: Actor, language: str = "da") -> bytes:
    """Q1: the pick list as an A4 PDF, in shelf order (:func:`pick_list_document`)."""
    return pick_list_document(ctx, actor, language).pdf


# --- the borrower receipt -----------------------------------------------------------


def receipt_data(ctx: DeskContext, actor: Actor, borrower_id: int) -> ReceiptData | Verdict:
    """What a borrower's receipt says: their open loans (due date first),
    their requests with their places in the queues, their library card
    (never a health card: B3) and institute; or why there is none (no such
    borrower). Raises ``access.NotPermitted`` (audited)."""
    require(ctx, actor, roles.Action.PRINT_RECEIPT)
    with ctx.sessions() as session:
        return _receipt_in(session, ctx, actor, borrower_id)


def receipt_pdf(
    ctx: DeskContext, actor: Actor, borrower_id: int, language: str = "da"
) -> bytes | Verdict:
    """The borrower's receipt on the 80 mm roll, or why there is none."""
    data = receipt_data(ctx, actor, borrower_id)
    return data if isinstance(data, Verdict) else _draw_receipt(data, language)


def receipt_pdf_for_card(
    ctx: DeskContext, actor: Actor, card: Scanned | str, language: str = "da"
) -> bytes | Verdict:
    """:func:`receipt_pdf` for a scanned or typed card (the console's
    ``print receipt --card``), or why the card finds no one."""
    require(ctx, actor, roles.Action.PRINT_RECEIPT)
    with ctx.sessions() as session:
        hit = find_card(session, card, ctx.cpr_key)
        if hit.card is None:
            return hit.refusal()
        data = _receipt_in(session, ctx, actor, hit.card.borrower_id)
    return data if isinstance(data, Verdict) else _draw_receipt(data, language)


def receipt_text(
    ctx: DeskContext, actor: Actor, borrower_id: int, language: str = "da"
) -> str | Verdict:
    """The same receipt as plain text (what the e-mail says), or why none."""
    data = receipt_data(ctx, actor, borrower_id)
    return data if isinstance(data, Verdict) else receipt_plain_text(data, language)


def email_receipt(
    ctx: DeskContext,
    actor: Actor,
    borrower_id: int,
    language: str = "da",
    *,
    mail: MailSettings,
    connect: Callable[[MailSettings], MailServer] | None = None,
    sender_name: str = "",
) -> Verdict:
    """E-mail the receipt's text to the borrower's address with the desk's
    mail settings (``notice_mail.MailSettings.from_settings``, as the notices
    are sent): RECEIPT_SENT, or RECEIPT_NOT_SENT saying why (no address,
    e-mail not set up, the server unreachable or refusing), never an
    exception. Nothing is written but a refusal of the role to the audit."""
    if (refused := authorize(ctx, actor, roles.Action.PRINT_RECEIPT)) is not None:
        return refused
    with ctx.sessions() as session:
        data = _receipt_in(session, ctx, actor, borrower_id)
        borrower = session.get(Borrower, borrower_id)
        address = ((borrower.email if borrower is not None else None) or "").strip()
    if isinstance(data, Verdict):
        return data
    if not address:
        return receipt_not_sent(NotSent.NO_ADDRESS, data.borrower_name)
    if not mail.configured:
        return receipt_not_sent(NotSent.UNCONFIGURED, data.borrower_name, address)
    from desk_app.services.notice_mail import DeliveryUncertain, connect_smtp  # see above

    try:
        message = _receipt_message(mail, data, address, language, sender_name or actor.desk)
    except ValueError as problem:  # an address the e-mail library cannot write
        return receipt_not_sent(NotSent.REFUSED, data.borrower_name, address, _one_line(problem))
    try:
        server = (connect or connect_smtp)(mail)
    except (OSError, smtplib.SMTPException) as problem:
        return receipt_not_sent(NotSent.UNREACHABLE, data.borrower_name, address, _why(problem))
    try:
        server.send_message(message)
    except DeliveryUncertain as problem:
        return receipt_not_sent(NotSent.UNCERTAIN, data.borrower_name, address, _why(problem))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as problem:
        return receipt_not_sent(NotSent.REFUSED, data.borrower_name, address, _why(problem))
    except smtplib.SMTPResponseException as problem:
        return receipt_not_sent(NotSent.REFUSED, data.borrower_name, address, _why(problem))
    except (OSError, smtplib.SMTPException, ValueError) as problem:
        return receipt_not_sent(NotSent.UNREACHABLE, data.borrower_name, address, _why(problem))
    finally:
        _hang_up(server)
    return receipt_sent(data.borrower_name, address, len(data.loans), len(data.requests))


def _receipt_in(
    session: Session, ctx: DeskContext, actor: Actor, borrower_id: int
) -> ReceiptData | Verdict:
    borrower = session.get(Borrower, borrower_id)
    if borrower is None:
        return no_such_borrower(borrower_id)
    loans = session.execute(
        select(Item.title, Item.barcode, Item.call_number, Loan.due, Loan.capacity)
        .join(Item, Item.id == Loan.item_id)
        .where(Loan.borrower_id == borrower_id, Loan.state == LoanState.OPEN)
        .order_by(Loan.due, Item.barcode)
    ).all()
    waiting = requests.requests_of_in(session, borrower_id)
    institute = borrower.institute
    return ReceiptData(
        borrower_name=borrower.name,
        card=_library_card(session, borrower_id),
        institute_code=institute.code,
        institute_name=institute.name,
        day=ctx.today(),
        loans=tuple(
            ReceiptLoan(row.title, row.barcode, row.due, Capacity(row.capacity), row.call_number)
            for row in loans
        ),
        requests=tuple(ReceiptRequest(r.title, r.barcode, r.position, r.waiting) for r in waiting),
        desk=actor.desk,
        printed_at=ctx.now(),
    )


def _library_card(session: Session, borrower_id: int) -> str | None:
    """The library card to print: the active one, else the newest. A health
    card's number is a CPR number and is never printed (B3), not even masked."""
    cards = session.execute(
        select(Card.display, Card.status, Card.id).where(
            Card.borrower_id == borrower_id, Card.kind == "library"
        )
    ).all()
    if not cards:
        return None
    best = max(cards, key=lambda c: (c.status == CardStatus.ACTIVE, c.id))
    return str(best.display)


def _draw_receipt(data: ReceiptData, language: str) -> bytes:
    from desk_app.printing.receipt import render_receipt  # reportlab: only when printing

    return render_receipt(data, language)


def _receipt_message(
    mail: MailSettings, data: ReceiptData, address: str, language: str, sender_name: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((sender_name, mail.sender))
    message["To"] = address
    message["Subject"] = receipt_subject(data, language)
    message["Date"] = format_datetime(data.printed_at.astimezone())
    domain = mail.sender.rpartition("@")[2] or "desk-app.invalid"
    message["Message-ID"] = make_msgid("receipt", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(receipt_mail_body(data, language, sender_name))
    return message


def _hang_up(server: MailServer) -> None:
    """QUIT, and close the socket even when the line is dead already."""
    with contextlib.suppress(OSError, smtplib.SMTPException):
        server.quit()
    close = getattr(server, "close", None)
    if close is not None:
        with contextlib.suppress(OSError):
            close()


def _why(problem: BaseException) -> str:
    """The server's answer on one line ("550 5.1.1 no such user")."""
    if isinstance(problem, smtplib.SMTPRecipientsRefused):
        answers = [f"{code} {_text(text)}" for code, text in problem.recipients.values()]
        return _one_line("; ".join(answers) or problem)
    if isinstance(problem, smtplib.SMTPResponseException):
        return _one_line(f"{problem.smtp_code} {_text(problem.smtp_error)}")
    return _one_line(problem) or type(problem).__name__


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


def _one_line(problem: object) -> str:
    return " ".join(str(problem).split())[:300]
