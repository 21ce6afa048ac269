"""``services.documents`` for the order cycle (issue 15): the pick list's PDF
(Q1) from the waiting requests, and a borrower's receipt (open loans and
requests) as PDF, as text and by e-mail, each checked against the role table
first (PICK_LIST, PRINT_RECEIPT), a refusal audited; no CPR number on any of
them (B3)."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pypdf
import pytest
from sqlalchemy import select, update

from desk_app.domain.receipt_verdicts import NotSent
from desk_app.domain.roles import Action, Job, Role
from desk_app.domain.verdict import Code
from desk_app.services import circulation, documents
from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import ItemRecord, declare
from desk_app.services.notice_mail import MailSettings
from desk_app.store.models import AuditEntry, Borrower, Card
from tests.helpers.people import ANNE, BO, CECILIE, INF_USER, TEST_CPR, item, seed_cast
from tests.helpers.smtp import free_port, smtp_server
from tests.helpers.staffing import ensure_staff
from tests.printing.render import decode, render_pages

CPR_DIGITS = re.compile(r"010190-?(1235|XXXX)")


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
    )


def _borrower_id(ctx: DeskContext, card_number: str) -> int:
    with ctx.sessions() as session:
        found = session.scalar(select(Card.borrower_id).where(Card.lookup == card_number))
    assert found is not None
    return int(found)


def _health_borrower(ctx: DeskContext) -> int:
    with ctx.sessions() as session:
        found = session.scalar(select(Borrower.id).where(Borrower.name == "Ida Health"))
    assert found is not None
    return int(found)


def _set_email(ctx: DeskContext, borrower_id: int, address: str | None) -> None:
    with ctx.sessions.begin() as session:
        session.execute(update(Borrower).where(Borrower.id == borrower_id).values(email=address))


def _refusals(ctx: DeskContext, name: str) -> list[str]:
    with ctx.sessions() as session:
        query = select(AuditEntry.action).where(
            AuditEntry.staff == name, AuditEntry.code == Code.NOT_PERMITTED.value
        )
        return list(session.scalars(query))


@pytest.fixture
def cycle(ctx, actor):  # type: ignore[no-untyped-def]
    """Bo has item(1) and Anne and Cecilie wait for it; Anne has item(6);
    Cecilie and Gustav (INF, self-pickup) wait for two shelved books with
    call numbers, Ida (a health card) for a third."""
    seed_cast(ctx)
    declare(
        ctx,
        actor,
        items=[
            ItemRecord(item(20), "Bog <&> æøå", call_number="530.12 Kva", author="Jens Lindhard"),
            ItemRecord(item(21), "Statistisk fysik", call_number="100 Aaa"),
            ItemRecord(item(22), "Atomfysik", call_number="539.7 Ato"),
        ],
    )
    assert circulation.checkout(ctx, actor, BO, item(1)).code is Code.LOANED
    assert circulation.checkout(ctx, actor, ANNE, item(6)).code is Code.LOANED
    for card_number, barcode in (
        (ANNE, item(1)),
        (CECILIE, item(1)),
        (CECILIE, item(20)),
        (INF_USER, item(21)),
        (INF_USER, item(20)),
        (TEST_CPR, item(22)),
    ):
        assert circulation.request(ctx, actor, card_number, barcode).code is Code.REQUESTED
    return ctx


# --- the pick list (Q1) ----------------------------------------------------------


def test_q1_the_pick_list_pdf_lists_the_shelved_requested_items_in_shelf_order(cycle, actor):
    made = documents.pick_list_document(cycle, actor, "en")
    assert [e.barcode for e in made.entries] == [item(21), item(20), item(22)]  # by call number
    text = _text(made.pdf)
    for needed in ("PICK LIST", "3 items to fetch", "Page 1 of 1", actor.desk):
        assert needed in text
    at = [text.index(call) for call in ("100 Aaa", "530.12", "539.7 Ato")]
    assert at == sorted(at)
    assert "Bog <&> æøå" in text and "Cecilie Hansen" in text and "Gustav Holm" in text
    assert "2 in the queue" in text  # item(20): Cecilie, then Gustav
    assert item(1) not in text  # on loan to Bo: not on the shelf
    (page,) = render_pages(made.pdf, 300)
    assert decode(page) == sorted([item(20), item(21), item(22)])
    assert not CPR_DIGITS.search(text) and "Ida Health" in text
    assert documents.pick_list_pdf(cycle, actor, "da").startswith(b"%PDF")


def test_q1_the_console_and_the_desk_may_print_the_pick_list_a_courier_may_not(cycle):
    console = Actor("cron", "cli@host", job=Job.CONSOLE)
    assert "PLUKLISTE" in _text(documents.pick_list_pdf(cycle, console, "da"))
    desk = ensure_staff(cycle, "Dorte Desk", Role.DESK)
    assert documents.pick_list_pdf(cycle, desk, "da").startswith(b"%PDF")
    courier = ensure_staff(cycle, "Kaj Courier", Role.COURIER)
    with pytest.raises(NotPermitted) as refused:
        documents.pick_list_pdf(cycle, courier, "da")
    assert refused.value.verdict.code is Code.NOT_PERMITTED
    assert _refusals(cycle, courier.staff) == [Action.PICK_LIST.value]  # once


# --- the receipt -----------------------------------------------------------------


def test_the_receipt_lists_open_loans_and_requests_with_places_in_the_queue(cycle, actor):
    anne = _borrower_id(cycle, ANNE)
    data = documents.receipt_data(cycle, actor, anne)
    assert isinstance(data, documents.ReceiptData)
    assert (data.borrower_name, data.card, data.institute_code) == ("Anne Jensen", ANNE, "DIKU")
    assert [loan.item_barcode for loan in data.loans] == [item(6)]
    assert [(r.item_barcode, r.position, r.queue) for r in data.requests] == [(item(1), 1, 2)]
    assert data.day == cycle.today() and data.desk == actor.desk
    pdf = documents.receipt_pdf(cycle, actor, anne, "en")
    assert isinstance(pdf, bytes)
    text = _text(pdf)
    for needed in (
        "LOAN RECEIPT",
        "Anne Jensen",
        f"Card: {ANNE}",
        item(6),
        "Structure and Interpretation",
        "Institute loan",
        "Concrete Mathematics",
        "Number 1 of 2 in the queue",
        "Total: 1 loan · 1 request",
    ):
        assert needed in text, needed
    cecilie = documents.receipt_text(cycle, actor, _borrower_id(cycle, CECILIE), "da")
    assert isinstance(cecilie, str)
    assert f"{item(1)} · Nummer 2 af 2 i køen" in cecilie  # after Anne
    assert f"{item(20)} · Nummer 1 af 2 i køen" in cecilie  # before Gustav
    assert "Ingen åbne lån." in cecilie and "I alt: 0 lån · 2 reserveringer" in cecilie


def test_B3_a_health_card_borrowers_receipt_prints_no_card_at_all(cycle, actor):
    ida = _health_borrower(cycle)
    data = documents.receipt_data(cycle, actor, ida)
    assert isinstance(data, documents.ReceiptData) and data.card is None
    pdf = documents.receipt_pdf(cycle, actor, ida, "da")
    text = documents.receipt_text(cycle, actor, ida, "da")
    assert isinstance(pdf, bytes) and isinstance(text, str)
    assert "Ida Health" in _text(pdf) and "Ida Health" in text
    for shown in (_text(pdf), pdf.decode("latin-1"), text):
        assert not CPR_DIGITS.search(shown) and "Kort:" not in shown
    by_card = documents.receipt_pdf_for_card(cycle, actor, TEST_CPR, "da")
    assert isinstance(by_card, bytes) and "Ida Health" in _text(by_card)


def test_no_receipt_for_someone_unknown_but_the_verdict_why(cycle, actor):
    for made in (
        documents.receipt_pdf(cycle, actor, 99999, "en"),
        documents.receipt_text(cycle, actor, 99999, "en"),
        documents.receipt_pdf_for_card(cycle, actor, "banana", "en"),
    ):
        assert not isinstance(made, bytes | str) and not made.ok
    by_card = documents.receipt_pdf_for_card(cycle, actor, ANNE, "en")
    assert isinstance(by_card, bytes) and "Anne Jensen" in _text(by_card)


@pytest.mark.parametrize("role", list(Role))
def test_every_counter_role_may_print_a_receipt_a_courier_may_not(cycle, role):
    someone = ensure_staff(cycle, f"Someone {role.value}", role)
    anne = _borrower_id(cycle, ANNE)
    if role is Role.COURIER:
        with pytest.raises(NotPermitted):
            documents.receipt_pdf(cycle, someone, anne, "da")
        with pytest.raises(NotPermitted):
            documents.receipt_text(cycle, someone, anne, "da")
        refused = documents.email_receipt(cycle, someone, anne, "da", mail=MailSettings())
        assert refused.code is Code.NOT_PERMITTED  # a verdict, not an exception
        assert _refusals(cycle, someone.staff) == [Action.PRINT_RECEIPT.value] * 3
        return
    assert isinstance(documents.receipt_pdf(cycle, someone, anne, "da"), bytes)


# --- the receipt by e-mail -----------------------------------------------------------


def _mail(port: int, **changes: object) -> MailSettings:
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "udlaan@kb.dk"}
    return MailSettings(**{**settings, **changes})  # type: ignore[arg-type]


def test_the_receipt_e_mailed_is_the_receipts_text(cycle, actor):
    anne = _borrower_id(cycle, ANNE)
    _set_email(cycle, anne, "anne@di.ku.dk")
    with smtp_server() as (inbox, port):
        sent = documents.email_receipt(cycle, actor, anne, "da", mail=_mail(port))
    assert sent.code is Code.RECEIPT_SENT and sent.ok
    assert sent.data == {"address": "anne@di.ku.dk", "loans": 1, "requests": 1}
    assert "anne@di.ku.dk" in sent.message_da
    (message,) = inbox.messages
    assert message["To"] == "anne@di.ku.dk" and "udlaan@kb.dk" in message["From"]
    assert message["Subject"] == f"Lånekvittering {cycle.today():%d.%m.%Y}"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    text = documents.receipt_text(cycle, actor, anne, "da")
    assert isinstance(text, str) and text.strip() in body
    assert body.startswith("Kære Anne Jensen,\n\nLånekvittering\n")


def test_no_address_no_mail_server_or_a_refusal_is_said_plainly(cycle, actor):
    anne = _borrower_id(cycle, ANNE)
    no_address = documents.email_receipt(cycle, actor, anne, "da", mail=_mail(free_port()))
    assert no_address.code is Code.RECEIPT_NOT_SENT and not no_address.ok
    assert no_address.data["reason_key"] == NotSent.NO_ADDRESS
    assert "Anne Jensen" in no_address.message_da and "e-mailadresse" in no_address.message_da
    _set_email(cycle, anne, "   ")  # blank is no address
    blank = documents.email_receipt(cycle, actor, anne, "en", mail=_mail(free_port()))
    assert blank.data["reason_key"] == NotSent.NO_ADDRESS
    _set_email(cycle, anne, "anne@di.ku.dk")
    unset = documents.email_receipt(cycle, actor, anne, "en", mail=MailSettings())
    assert unset.data["reason_key"] == NotSent.UNCONFIGURED and "Settings" in unset.message_en
    down = documents.email_receipt(cycle, actor, anne, "en", mail=_mail(free_port(), timeout=5))
    assert down.data["reason_key"] == NotSent.UNREACHABLE and "could not be reached" in (
        down.message_en
    )
    with smtp_server() as (inbox, port):
        inbox.refuse.add("anne@di.ku.dk")
        refused = documents.email_receipt(cycle, actor, anne, "en", mail=_mail(port))
    assert refused.data["reason_key"] == NotSent.REFUSED and "550" in refused.message_en
    assert inbox.messages == []


def test_a_connection_lost_after_the_message_went_out_says_it_may_have_arrived(cycle, actor):
    anne = _borrower_id(cycle, ANNE)
    _set_email(cycle, anne, "anne@di.ku.dk")
    with smtp_server() as (inbox, port):
        inbox.drop_before_reply.add(1)
        lost = documents.email_receipt(cycle, actor, anne, "en", mail=_mail(port, timeout=5))
    assert lost.code is Code.RECEIPT_NOT_SENT and lost.data["reason_key"] == NotSent.UNCERTAIN
    assert "may have arrived" in lost.message_en


def test_the_receipt_message_is_dated_now(cycle, actor, clock):
    anne = _borrower_id(cycle, ANNE)
    _set_email(cycle, anne, "anne@di.ku.dk")
    clock.set(datetime(2026, 3, 2, 15, 30))
    with smtp_server() as (inbox, port):
        documents.email_receipt(cycle, actor, anne, "en", mail=_mail(port))
    (message,) = inbox.messages
    assert "2 Mar 2026" in message["Date"] and message["Message-ID"].endswith("@kb.dk>")
