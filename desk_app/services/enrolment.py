"""§1 E2: institutes, borrowers and items entered or imported at the desk.

Used by ``desk-app replay`` for a file's declarations, by the demo data and,
later, by the enrolment-form and MARC imports. Records are plain values; the
upserts key on the institute code, the card number and the item barcode.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.barcodes import ScanError, ScanKind, classify, mask_cpr, mask_if_cpr_like
from desk_app.domain.card_states import CARD, CardAction
from desk_app.domain.eligibility import has_e_resources
from desk_app.domain.policy import Delivery, Policy
from desk_app.services.access import require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import card_lookup_value
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Borrower, Card, Faculty, Institute, Item, Route


@dataclass(frozen=True)
class InstituteRecord:
    code: str
    name: str
    faculty: str
    delivery: str
    route: str | None = None
    address: str = ""
    name_da: str | None = None
    stop: int | None = None


@dataclass(frozen=True)
class BorrowerRecord:
    card: str  # a library card number or a CPR number (hashed on the way in, B3)
    name: str
    category: str
    institute: str
    own_office: bool = False
    e_resources: bool = False
    card_expires: date | None = None
    email: str | None = None


@dataclass(frozen=True)
class ItemRecord:
    barcode: str
    title: str
    loan_rule: str = "home"
    owner: str = "KUB"
    printed_year: int | None = None
    danish_legal_deposit: bool = False
    price: Decimal | None = None
    material_type: str = "book"
    call_number: str | None = None
    author: str | None = None


def policy_institutes(policy: Policy) -> list[InstituteRecord]:
    return [
        InstituteRecord(
            code=i.code,
            name=i.name,
            faculty=i.faculty.value,
            delivery=i.delivery.value,
            route=i.route,
            address=i.address,
            name_da=i.name_da,
            stop=i.stop,
        )
        for i in policy.institutes
    ]


def declare(
    ctx: DeskContext,
    actor: Actor,
    institutes: Iterable[InstituteRecord] = (),
    borrowers: Iterable[BorrowerRecord] = (),
    items: Iterable[ItemRecord] = (),
) -> None:
    """Add or update everything in one transaction; ``access.NotPermitted``
    (audited) unless the actor may declare (a supervisor)."""
    require(ctx, actor, roles.Action.DECLARE)
    with write_transaction(ctx) as (session, now):
        upsert_institutes(session, institutes, ctx.policy)
        session.flush()
        upsert_borrowers(session, borrowers, ctx.cpr_key, now.date())
        upsert_items(session, items)


def upsert_institutes(session: Session, records: Iterable[InstituteRecord], policy: Policy) -> None:
    route_names = {r.code: r.name for r in policy.routes}
    for record in records:
        if session.get(Faculty, record.faculty) is None:
            session.add(
                Faculty(
                    code=record.faculty, name=policy.faculties.get(record.faculty, record.faculty)
                )
            )
        if record.route and session.get(Route, record.route) is None:
            session.add(
                Route(
                    code=record.route,
                    name=route_names.get(record.route, record.route),
                    delivery=Delivery.INTERNAL_COURIER
                    if record.delivery == Delivery.INTERNAL_COURIER
                    else Delivery.COURIER,
                )
            )
        session.flush()
        institute = session.get(Institute, record.code) or Institute(code=record.code)
        institute.name = record.name
        institute.name_da = record.name_da
        institute.faculty_code = record.faculty
        institute.delivery = record.delivery
        institute.route_code = record.route
        institute.stop = record.stop
        institute.address = record.address
        session.add(institute)


def upsert_borrowers(
    session: Session, records: Iterable[BorrowerRecord], cpr_key: bytes, today: date
) -> None:
    for record in records:
        scan = classify(record.card)
        if isinstance(scan, ScanError) or not scan.is_card:
            raise ValueError(f"not a card number: {mask_if_cpr_like(record.card)!r}")
        lookup = card_lookup_value(scan, cpr_key)
        health = scan.kind is ScanKind.HEALTH_CARD
        card = session.scalars(select(Card).where(Card.lookup == lookup)).one_or_none()
        borrower = card.borrower if card else Borrower(enrolled_on=today)
        borrower.name = record.name
        borrower.category = record.category
        borrower.institute_code = record.institute
        borrower.own_office = record.own_office
        borrower.e_resources = has_e_resources(record.e_resources, cpr_given=health)  # E3
        borrower.email = record.email
        session.add(borrower)
        if card is None:
            card = Card(
                borrower=borrower,
                kind="health" if health else "library",
                lookup=lookup,
                display=mask_cpr(scan.value) if health else scan.value,
                status=CARD.start(CardAction.ISSUE),
            )
            session.add(card)
        card.expires = record.card_expires


def upsert_items(session: Session, records: Iterable[ItemRecord]) -> None:
    for record in records:
        item = session.scalars(select(Item).where(Item.barcode == record.barcode)).one_or_none()
        item = item or Item(barcode=record.barcode)
        item.title = record.title
        item.loan_rule = record.loan_rule
        item.owner = record.owner
        item.printed_year = record.printed_year
        item.danish_legal_deposit = record.danish_legal_deposit
        item.price = record.price
        item.material_type = record.material_type
        item.call_number = record.call_number
        item.author = record.author
        item.is_ill = False
        session.add(item)
