"""The data model. Constraints make impossible states impossible.

Date-times are local wall-clock times (Europe/Copenhagen), stored naive: the
scheme's days are local dates, and SQLite would drop a zone anyway.
No column holds a CPR number in clear (B3): a health card is stored as a keyed
hash (``cards.lookup``) and a masked display form.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from desk_app.domain.bounds import (
    ADDRESS_LENGTH,
    CALL_NUMBER_LENGTH,
    CODE_LENGTH,
    EMAIL_LENGTH,
    MATERIAL_TYPE_LENGTH,
    NAME_LENGTH,
    OWNER_LENGTH,
    STAFF_LENGTH,
)
from desk_app.domain.card_states import CardStatus
from desk_app.domain.claim_states import ClaimState
from desk_app.domain.facts import Capacity, Category, LoanRule, Step
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import LoanState, Transit
from desk_app.domain.mail_states import MailState
from desk_app.domain.material import Alternative
from desk_app.domain.order_import import ORDER_NOTE_LENGTH, ORDER_REF_LENGTH
from desk_app.domain.order_states import OrderState
from desk_app.domain.policy import Delivery
from desk_app.domain.policy import Faculty as FacultyCode
from desk_app.domain.request_states import RequestState
from desk_app.domain.roles import Role
from desk_app.domain.search_key import search_key

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(12, 2)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# The store mapping of the domain's enums (the state tables of
# domain/*_states.py among them): the one place where their values are spelt
# as strings, for CHECK constraints and partial indexes.
CATEGORIES = tuple(c.value for c in Category)
DELIVERIES = tuple(d.value for d in Delivery)
HAND_OVERS = tuple(h.value for h in HandOver)
LOAN_RULES = tuple(r.value for r in LoanRule)
CAPACITIES = tuple(c.value for c in Capacity)
LOAN_STATES = tuple(s.value for s in LoanState)
STEPS = tuple(s.value for s in Step)
CARD_KINDS = ("library", "health")
CARD_STATUSES = tuple(s.value for s in CardStatus)
MAIL_STATES = tuple(s.value for s in MailState)  # NoticeMail
REQUEST_STATES = tuple(s.value for s in RequestState)
CLAIM_STATES = tuple(s.value for s in ClaimState)
FACULTIES = tuple(f.value for f in FacultyCode)
STAFF_ROLES = tuple(r.value for r in Role)
ALTERNATIVES = tuple(a.value for a in Alternative)
ORDER_STATES = tuple(s.value for s in OrderState)
TRANSITS = tuple(s.value for s in Transit)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Faculty(Base):
    __tablename__ = "faculties"
    __table_args__ = (CheckConstraint(_in("code", FACULTIES), name="code"),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))


class Route(Base):
    __tablename__ = "routes"
    __table_args__ = (CheckConstraint(_in("delivery", DELIVERIES), name="delivery"),)

    code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    delivery: Mapped[str] = mapped_column(String(20), default="courier")


class Institute(Base):
    __tablename__ = "institutes"
    __table_args__ = (CheckConstraint(_in("delivery", DELIVERIES), name="delivery"),)

    code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    name_da: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    faculty_code: Mapped[str] = mapped_column(ForeignKey("faculties.code"))
    delivery: Mapped[str] = mapped_column(String(20))
    route_code: Mapped[str | None] = mapped_column(ForeignKey("routes.code"))
    stop: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(ADDRESS_LENGTH), default="")

    faculty: Mapped[Faculty] = relationship()
    route: Mapped[Route | None] = relationship()


def _name_key_of_row(context: DefaultExecutionContext) -> str:
    """``borrowers.name_key`` for a Core insert that gives only the name (the
    ORM sets it with the name: :meth:`Borrower._keep_name_key`)."""
    return search_key(context.get_current_parameters()["name"])


class Borrower(Base):
    __tablename__ = "borrowers"
    __table_args__ = (
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        # The supervisor's search (issue 6): "the key contains every fragment,
        # or the institute is one of these", in the order of name and id, is
        # one scan of this index that stops at the limit, never reading the
        # table nor sorting. It leads with the name, so it also serves what
        # ix_borrowers_name did.
        Index("ix_borrowers_search", "name", "id", "name_key", "institute_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    # search_key(name): the name case-folded beyond ASCII, which neither
    # database can do in a query (domain.search_key). Text: folding may
    # lengthen a name ("ß" → "ss").
    name_key: Mapped[str] = mapped_column(Text, default=_name_key_of_row)
    category: Mapped[str] = mapped_column(String(20))
    institute_code: Mapped[str] = mapped_column(ForeignKey("institutes.code"), index=True)
    own_office: Mapped[bool] = mapped_column(Boolean, default=False)
    e_resources: Mapped[bool] = mapped_column(Boolean, default=False)  # E3
    email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH))
    enrolled_on: Mapped[date | None] = mapped_column(Date)

    institute: Mapped[Institute] = relationship()
    cards: Mapped[list[Card]] = relationship(back_populates="borrower", order_by="Card.id")

    @validates("name")
    def _keep_name_key(self, _attribute: str, name: str) -> str:
        """Every name set through the ORM (enrolment, a rename) sets its key."""
        self.name_key = search_key(name)
        return name


class Card(Base):
    """A library card (number in clear) or a health card (B3: hash + mask only)."""

    __tablename__ = "cards"
    __table_args__ = (
        CheckConstraint(_in("kind", CARD_KINDS), name="kind"),
        CheckConstraint(_in("status", CARD_STATUSES), name="status"),
        # B3: a health card's lookup is the keyed hash, never the number
        CheckConstraint(
            "(kind = 'library' AND lookup = display) OR "
            "(kind = 'health' AND lookup LIKE 'cpr:%' AND display LIKE '%-XXXX')",
            name="b3_health_card_hashed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    lookup: Mapped[str] = mapped_column(String(80), unique=True)
    display: Mapped[str] = mapped_column(String(20))
    expires: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active")
    status_changed_on: Mapped[date | None] = mapped_column(Date)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))

    borrower: Mapped[Borrower] = relationship(back_populates="cards")


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint(_in("loan_rule", LOAN_RULES), name="loan_rule"),
        CheckConstraint("price IS NULL OR price >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    call_number: Mapped[str | None] = mapped_column(String(CALL_NUMBER_LENGTH))
    material_type: Mapped[str] = mapped_column(String(MATERIAL_TYPE_LENGTH), default="book")
    loan_rule: Mapped[str] = mapped_column(String(20), default="home")
    owner: Mapped[str] = mapped_column(String(OWNER_LENGTH), default="KUB")
    printed_year: Mapped[int | None] = mapped_column(Integer)
    danish_legal_deposit: Mapped[bool] = mapped_column(Boolean, default=False)
    price: Mapped[Decimal | None] = mapped_column(Money)
    is_ill: Mapped[bool] = mapped_column(Boolean, default=False)
    ill_lender_country: Mapped[str | None] = mapped_column(String(2))
    reading_room_only: Mapped[bool] = mapped_column(Boolean, default=False)


class Loan(Base):
    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint(_in("capacity", CAPACITIES), name="capacity"),
        CheckConstraint(_in("state", LOAN_STATES), name="state"),
        CheckConstraint(_in("delivery", HAND_OVERS), name="delivery"),
        CheckConstraint(f"step IS NULL OR {_in('step', STEPS)}", name="step"),
        CheckConstraint("due >= loan_date", name="due_after_loan"),
        CheckConstraint("(state = 'open') = (ended_at IS NULL)", name="open_has_no_end"),
        # §9 P1: private loans are not on the ladder
        CheckConstraint("capacity = 'institute' OR step IS NULL", name="ladder_institute_only"),
        CheckConstraint(
            "(step = 'SUSPENSION') = (step IS NOT NULL AND step_deadline IS NULL)",
            name="deadline_except_suspension",
        ),
        CheckConstraint("NOT settled OR agreed_date IS NOT NULL", name="settled_has_date"),
        # §3: only loans that travel have a transit state; one that left has a dispatch
        CheckConstraint(f"transit IS NULL OR {_in('transit', TRANSITS)}", name="transit"),
        CheckConstraint(
            "transit IS NULL OR transit = 'awaiting_dispatch' OR dispatch_id IS NOT NULL",
            name="dispatched_has_dispatch",
        ),
        # at most one open loan per item
        Index(
            "uq_loans_open_item",
            "item_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
        Index("ix_loans_ladder", "state", "capacity", "due"),
        # the item's open loan, the borrower's open loans and suspensions
        # (checkout, check-in, the borrower panel), without reading the
        # closed ones (migration 0005)
        Index("ix_loans_item_state", "item_id", "state"),
        Index("ix_loans_borrower_state_step", "borrower_id", "state", "step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"))
    capacity: Mapped[str] = mapped_column(String(10), default="institute")
    state: Mapped[str] = mapped_column(String(12), default="open")
    loaned_at: Mapped[datetime] = mapped_column(DateTime)
    loan_date: Mapped[date] = mapped_column(Date)
    guaranteed_until: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    delivery: Mapped[str] = mapped_column(String(20))
    use_at_institute: Mapped[bool] = mapped_column(Boolean, default=False)  # M2
    is_ill: Mapped[bool] = mapped_column(Boolean, default=False)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    # §5 ladder
    step: Mapped[str | None] = mapped_column(String(12))
    step_deadline: Mapped[date | None] = mapped_column(Date)
    step_on: Mapped[date | None] = mapped_column(Date)
    # S5 settlement by contact
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    settled_on: Mapped[date | None] = mapped_column(Date)
    agreed_date: Mapped[date | None] = mapped_column(Date)
    settlement_note: Mapped[str | None] = mapped_column(Text)
    # §3 transport (T1, T3, T4)
    transit: Mapped[str | None] = mapped_column(String(20))
    dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("dispatches.id"), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    return_announced_on: Mapped[date | None] = mapped_column(Date)  # T4 collect
    # end of the loan
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))

    item: Mapped[Item] = relationship()
    borrower: Mapped[Borrower] = relationship()
    card: Mapped[Card] = relationship()


class Dispatch(Base):
    """A route leaving on a day (T4): who marked it dispatched, and when the
    delivery was confirmed. One per route and day; the loans it carried point
    at it, so the day's manifest can be printed again exactly."""

    __tablename__ = "dispatches"
    __table_args__ = (
        UniqueConstraint("route_code", "day", name="uq_dispatches_route_day"),
        CheckConstraint("loaded >= 0 AND missing >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_code: Mapped[str] = mapped_column(ForeignKey("routes.code"))
    day: Mapped[date] = mapped_column(Date, index=True)
    dispatched_at: Mapped[datetime] = mapped_column(DateTime)
    loaded: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_by: Mapped[str | None] = mapped_column(String(STAFF_LENGTH))


class Request(Base):
    """A place in an item's queue (§4 L3); the position is derived from time."""

    __tablename__ = "requests"
    __table_args__ = (
        CheckConstraint(_in("state", REQUEST_STATES), name="state"),
        Index(
            "uq_requests_active",
            "item_id",
            "borrower_id",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
        # a re-import places nothing twice (issue 15); NULLs never collide
        Index("uq_requests_order_ref", "order_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    placed_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(12), default="active")
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    # An order of the library's order form (``desk-app orders import``): its
    # number, the day ordered, and its note (cut, CPR-masked: B3); all None
    # for a request typed at the desk.
    order_ref: Mapped[str | None] = mapped_column(String(ORDER_REF_LENGTH))
    ordered_on: Mapped[date | None] = mapped_column(Date)
    order_note: Mapped[str | None] = mapped_column(String(ORDER_NOTE_LENGTH))


class Notice(Base):
    """S6: every notice is kept (loan, step, day sent, deadline)."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(_in("step", STEPS), name="step"),
        UniqueConstraint("loan_id", "sent_on", name="uq_notices_one_per_loan_per_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("notice_runs.id"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"))
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    sent_on: Mapped[date] = mapped_column(Date, index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)  # letter/e-mail (S6)


class NoticeRun(Base):
    __tablename__ = "notice_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_date: Mapped[date] = mapped_column(Date, index=True)
    ran_at: Mapped[datetime] = mapped_column(DateTime)
    notices: Mapped[int] = mapped_column(Integer)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))


class NoticeMail(Base):
    """S6: the outbox of a run. One row per borrower per run, made in the same
    transaction as the run's notices, so no notice is ever without its message.

    ``pending`` waits for the mailer (and is retried by every later run);
    ``sending`` is claimed by one desk (a second desk leaves it alone);
    ``sent`` is done and never sent again; ``failed`` gave up after repeated
    refusals and, like ``postal`` (no e-mail address), goes out as a letter.
    ``uncertain`` lost its connection after the DATA went out (the server may
    have it: never sent again, a letter instead); ``expired`` was not taken by
    the mail server in time (a letter instead); ``superseded`` carries only
    notices a newer notice of the same loan replaced (neither sent nor printed).
    ``letter_on`` is the day it went to the printed letters after its run
    (NULL: the run's own day).
    """

    __tablename__ = "notice_mails"
    __table_args__ = (
        CheckConstraint(_in("state", MAIL_STATES), name="state"),
        CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("attempts >= 0", name="attempts"),
        UniqueConstraint("run_id", "borrower_id", name="uq_notice_mails_one_per_run"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("notice_runs.id"))
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    message_id: Mapped[str | None] = mapped_column(String(200))
    letter_on: Mapped[date | None] = mapped_column(Date, index=True)


class Claim(Base):
    """§6 C2-C4: a claim for a lost item, billed to the borrower's faculty."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(_in("state", CLAIM_STATES), name="state"),
        CheckConstraint("amount >= 0 AND fee >= 0", name="amounts"),
        CheckConstraint("state <> 'billed' OR billed_period IS NOT NULL", name="billed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    faculty_code: Mapped[str] = mapped_column(ForeignKey("faculties.code"))
    capacity: Mapped[str] = mapped_column(String(10))
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    fee: Mapped[Decimal] = mapped_column(Money)
    state: Mapped[str] = mapped_column(String(10), default="open")
    billed_period: Mapped[str | None] = mapped_column(String(6))
    billed_on: Mapped[date | None] = mapped_column(Date)
    refund: Mapped[Decimal | None] = mapped_column(Money)
    closed_on: Mapped[date | None] = mapped_column(Date)


class Charge(Base):
    """Money the borrower owes outside claims: damage (U2), private late fees (P1)."""

    __tablename__ = "charges"
    __table_args__ = (CheckConstraint(_in("kind", ("damage", "late_fee")), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"))
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[date] = mapped_column(Date)


class AuditEntry(Base):
    """Who did what, where and when. Append-only; never a CPR number (B3)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    action: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str | None] = mapped_column(String(20))
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrowers.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), index=True)  # undo
    detail: Mapped[str | None] = mapped_column(Text)


class Staff(Base):
    """A staff account: signs in at a desk by name or staff card, and a PIN.

    Only a scrypt hash of the PIN is kept. ``failed_attempts`` and
    ``locked_until`` live in the database, not in a desk's memory, so guessing
    PINs at several desks (or after a restart) still meets the lock-out.
    """

    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(_in("role", STAFF_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(12))
    card: Mapped[str | None] = mapped_column(String(32), unique=True)  # cleaned barcode
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class AlternativeOrder(Base):
    """M3: an alternative ordered for a reading-room item that may not be lent."""

    __tablename__ = "alternative_orders"
    __table_args__ = (
        CheckConstraint(_in("alternative", ALTERNATIVES), name="alternative"),
        CheckConstraint(_in("state", ORDER_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    alternative: Mapped[str] = mapped_column(String(20))
    placed_at: Mapped[datetime] = mapped_column(DateTime)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    state: Mapped[str] = mapped_column(String(12), default="open")


class LoadingScan(Base):
    """An item scanned into a route's crate on a day (T4; issue 13 point 4):
    stored as it is scanned, so the crate survives a closed window or a
    restart, and every desk sees what the others loaded. One row per loan
    per route and day (a second scan of it changes nothing); who, where and
    when it was first scanned. :func:`services.transport.dispatch` takes the
    route's loaded items from here."""

    __tablename__ = "loading_scans"
    __table_args__ = (
        UniqueConstraint("route_code", "day", "loan_id", name="uq_loading_scans_route_day_loan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_code: Mapped[str] = mapped_column(ForeignKey("routes.code"))
    day: Mapped[date] = mapped_column(Date)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    staff: Mapped[str] = mapped_column(String(STAFF_LENGTH))
    desk: Mapped[str] = mapped_column(String(STAFF_LENGTH))


class KeyFingerprint(Base):
    """B3, issue 13 point 6: a fingerprint of the secret the health cards are
    hashed with (an HMAC of a fixed text under the key, never the key), written
    by the first desk. A desk with another key would find no health card and
    enrol the borrowers twice: it refuses to start instead
    (:mod:`desk_app.store.key_check`)."""

    __tablename__ = "key_fingerprints"

    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)  # "cpr"
    fingerprint: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(DateTime)
