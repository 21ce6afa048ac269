"""Who a library serves and who works at its desk: borrowers with their
cards, the institutes they belong to, and the demo's staff accounts.

The borrowers are researchers, PhD students, teachers and emeriti of the
University of Copenhagen's institutes, with a few students and externals the
scheme refuses (E1). Every borrower has a library card (B1, B2); some enrolled
with a CPR number and have a health card too (E3), of which only the keyed
hash and the masked number are kept (B3): a CPR number exists only for the
moment it is hashed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app.demo.words import (
    FEMALE,
    INTERNATIONAL_FIRST,
    INTERNATIONAL_LAST,
    MALE,
    MIDDLE,
    SURNAMES,
    ascii_of,
)
from desk_app.domain.barcodes import cpr_lookup_key, mask_cpr, with_check_digit
from desk_app.domain.eligibility import check_eligible
from desk_app.domain.facts import CardStatus, Category
from desk_app.domain.policy import Delivery, Policy
from desk_app.domain.roles import Role
from desk_app.services.enrolment import policy_institutes, upsert_institutes
from desk_app.services.staff import add_staff_record
from desk_app.store.models import Staff

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan
    from desk_app.demo.scale import DemoCases

# B1's 4-digit institution code in every generated number (from KB's library
# number 820010) ...
INSTITUTION = "8200"
# ... and in the demo staff cards: a code no borrower card uses, so a scan is
# either a borrower or a staff member, never both.
STAFF_INSTITUTION = "9990"
LIBRARY_CARD = "library"
HEALTH_CARD = "health"
HEALTH_CARD_SHARE = 0.10  # E3: enrolled with a CPR number
E_RESOURCES_SHARE = 0.04  # E3: e-resources declared on the form, without a CPR number
EXPIRED_SHARE = 0.02  # U1
NO_EMAIL_SHARE = 0.05  # notices by letter (S6)

# (category, own office, share of the borrowers); the first row takes the rest.
CATEGORIES: tuple[tuple[Category, bool, float], ...] = (
    (Category.RESEARCHER, False, 0.40),
    (Category.PHD_STUDENT, False, 0.24),
    (Category.TEACHER, False, 0.22),
    (Category.EMERITUS, True, 0.06),
    (Category.EMERITUS, False, 0.03),
    (Category.STUDENT, False, 0.03),  # a few who are refused (E1)
    (Category.EXTERNAL, False, 0.02),
)
KINDS = tuple((category, office) for category, office, _ in CATEGORIES)
KIND_WEIGHTS = tuple(accumulate(share for _, _, share in CATEGORIES))


def library_card(sequence: int) -> str:
    """Library card number ``sequence``: the B1 pattern with its check digit (B2)."""
    return with_check_digit(f"2{INSTITUTION}{sequence:08d}")


def staff_card(n: int) -> str:
    """Demo staff card n: a library-card-pattern number (B1) with its check digit (B2)."""
    return with_check_digit(f"2{STAFF_INSTITUTION}{n:08d}")


def make_cpr(rng: random.Random, used: set[str]) -> str:
    """A made-up CPR number (DDMMYY-SSSS), unique within ``used``.

    Module-level so a test can watch every number made and prove none of them
    reaches the database in clear (B3). No modulus-11 check: numbers without
    it are issued since 2007 (B3).
    """
    while True:
        born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        cpr = f"{born:%d%m%y}-{rng.randrange(10_000):04d}"
        if cpr not in used:
            used.add(cpr)
            return cpr


def person_name(rng: random.Random, international: bool) -> str:
    """A Danish name, a middle name now and then; researchers and PhD
    students come from abroad too."""
    if international and rng.random() < 0.12:
        return f"{rng.choice(INTERNATIONAL_FIRST)} {rng.choice(INTERNATIONAL_LAST)}"
    first = rng.choice(FEMALE if rng.random() < 0.5 else MALE)
    middle = f" {rng.choice(MIDDLE)}" if rng.random() < 0.2 else ""
    return f"{first}{middle} {rng.choice(SURNAMES)}"


def numbered_name(rng: random.Random, sequence: int) -> str:
    """A library-scale name: first name, surname and the card's sequence
    number, so that a name found by a search leads to its card."""
    first = rng.choice(FEMALE if rng.random() < 0.5 else MALE)
    return f"{first} {rng.choice(SURNAMES)} {sequence}"


def email_of(name: str, faculty: str) -> str:
    parts = name.split()
    return f"{ascii_of(parts[0])}.{ascii_of(parts[-1])}@{faculty.lower()}.ku.dk"


def draw_kind(rng: random.Random) -> tuple[Category, bool]:
    """A borrower's category and own office, by the shares of ``CATEGORIES``."""
    return rng.choices(KINDS, cum_weights=KIND_WEIGHTS)[0]


def eligible(category: Category, own_office: bool) -> bool:
    return check_eligible(category, own_office) is None  # E1


def write_institutes(session: Session, policy: Policy) -> None:
    """The policy's institutes, as enrolment keeps them."""
    upsert_institutes(session, policy_institutes(policy), policy)


# --------------------------------------------------------------------------
# The demo's borrowers


@dataclass(eq=False)
class CardPlan:
    kind: str
    display: str
    lookup: str
    issued: date
    expires: date | None
    status: CardStatus = CardStatus.ACTIVE
    status_changed_on: date | None = None
    replaced_by: CardPlan | None = None
    id: int = 0

    def valid_on(self, day: date) -> bool:
        """U1, as it stood on ``day`` (a lost card worked until it was lost)."""
        if day < self.issued or (self.expires is not None and day > self.expires):
            return False
        if self.status is CardStatus.ACTIVE:
            return True
        return self.status_changed_on is not None and day < self.status_changed_on


@dataclass(eq=False)
class BorrowerPlan:
    name: str
    category: Category
    own_office: bool
    institute: str
    delivery: Delivery
    faculty: str
    enrolled_on: date
    email: str | None
    cards: list[CardPlan] = field(default_factory=list)
    e_resources: bool = False
    suspended_since: date | None = None  # S3: borrows and requests nothing after
    reserved: bool = False  # kept clean for the newcomer's examples
    id: int = 0

    @property
    def eligible(self) -> bool:
        return eligible(self.category, self.own_office)

    def library_card(self) -> CardPlan:
        return next(c for c in reversed(self.cards) if c.kind == LIBRARY_CARD)


def plan_borrowers(plan: DemoPlan, cases: DemoCases) -> None:
    """Borrowers of every category at the policy's institutes, their cards,
    and the troubled cards U1 is about (expired, lost, replaced)."""
    rng, n = plan.rng, cases.borrowers
    institutes = plan.policy.institutes
    kinds: list[tuple[Category, bool]] = []
    for category, office, share in CATEGORIES[1:]:
        kinds += [(category, office)] * max(1, round(share * n))
    kinds += [CATEGORIES[0][:2]] * (n - len(kinds))
    rng.shuffle(kinds)
    seq = rng.randrange(100_000, 900_000)
    for category, office in kinds:
        institute = rng.choice(institutes)
        name = person_name(
            rng, international=category in (Category.RESEARCHER, Category.PHD_STUDENT)
        )
        enrolled = plan.days_ago(60, 4000)
        borrower = BorrowerPlan(
            name=name,
            category=category,
            own_office=office,
            institute=institute.code,
            delivery=institute.delivery,
            faculty=institute.faculty.value,
            enrolled_on=enrolled,
            email=None
            if rng.random() < NO_EMAIL_SHARE
            else email_of(name, institute.faculty.value),
        )
        seq += rng.randint(1, 9)
        number = library_card(seq)
        expires = plan.today + timedelta(days=rng.randint(60, 5 * 365))
        borrower.cards.append(CardPlan(LIBRARY_CARD, number, number, enrolled, expires))
        plan.borrowers.append(borrower)
    plan.newcomer = next(b for b in plan.borrowers if b.category is Category.RESEARCHER)
    plan.newcomer.reserved = True

    others = [b for b in plan.borrowers if b is not plan.newcomer]
    # E3: ~10% enrolled with a CPR number; only its keyed hash is kept (B3).
    used: set[str] = set()
    for borrower in rng.sample(others, cases.health_cards):
        cpr = make_cpr(rng, used)
        borrower.cards.append(
            CardPlan(
                HEALTH_CARD,
                mask_cpr(cpr),
                cpr_lookup_key(cpr, plan.cpr_key),
                borrower.enrolled_on,
                None,
            )
        )
        borrower.e_resources = True
    for borrower in rng.sample(others, cases.e_resources_declared):
        borrower.e_resources = True  # declared on the form without a CPR (E3)
    # U1: expired, lost and replaced cards, among eligible borrowers only, so
    # the student and emeritus examples keep a valid card.
    fit = [b for b in others if b.eligible]
    n_expired, n_lost = cases.expired_cards, cases.lost_cards
    troubled = rng.sample(fit, n_expired + n_lost + cases.replaced_cards)
    for borrower in troubled[:n_expired]:
        card = borrower.library_card()
        card.expires = plan.days_ago(1, 300)
        card.issued = borrower.enrolled_on = min(
            borrower.enrolled_on, card.expires - timedelta(days=365)
        )
    for borrower in troubled[n_expired : n_expired + n_lost]:
        card = borrower.library_card()
        card.status, card.status_changed_on = CardStatus.LOST, plan.days_ago(2, 40)
    for borrower in troubled[n_expired + n_lost :]:
        old = borrower.library_card()
        seq += rng.randint(1, 9)
        number = library_card(seq)
        changed = plan.days_ago(20, 200)
        new = CardPlan(LIBRARY_CARD, number, number, changed, old.expires)
        old.status, old.status_changed_on, old.replaced_by = CardStatus.REPLACED, changed, new
        borrower.cards.append(new)

    def pool(members: list[BorrowerPlan]) -> tuple[list[BorrowerPlan], list[float]]:
        # A few heavy borrowers and many light ones, as in any research library.
        weights = [min(rng.paretovariate(1.3), 25.0) for _ in members]
        return members, list(accumulate(weights))

    plan.eligible = pool([b for b in plan.borrowers if b.eligible])
    plan.everyone = pool(list(plan.borrowers))


# --------------------------------------------------------------------------
# The demo's staff


class DemoStaff(NamedTuple):
    """A demo staff account to sign in with: by name or card, and the PIN.

    Demo PINs are printed on purpose; a real desk's staff choose their own
    (``desk-app staff add``)."""

    name: str
    role: Role
    pin: str
    card: str


DEMO_STAFF = (
    DemoStaff("Dorte Desk", Role.DESK, "1111", staff_card(1)),
    DemoStaff("Søren Supervisor", Role.SUPERVISOR, "2222", staff_card(2)),
    DemoStaff("Kaj Courier", Role.COURIER, "3333", staff_card(3)),
    DemoStaff("Anna Admin", Role.ADMIN, "0000", staff_card(4)),
)


def add_demo_staff(
    session: Session, members: Sequence[DemoStaff] = DEMO_STAFF
) -> tuple[DemoStaff, ...]:
    """Sign-in accounts for each role, so every screen can be tried. A name
    or card already taken (someone set up their own staff first) is skipped:
    the demo never changes a real account's PIN."""
    names = {name.casefold() for name in session.scalars(select(Staff.name))}
    cards = set(session.scalars(select(Staff.card).where(Staff.card.is_not(None))))
    added = []
    for member in members:
        if member.name.casefold() in names or member.card in cards:
            continue
        add_staff_record(session, member.name, member.role, member.pin, member.card)
        added.append(member)
    return tuple(added)
