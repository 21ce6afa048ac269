"""Realistic demo data, so a newcomer has a full desk to try (``desk-app demo``).

A desk is learnt by scanning: the demo fills an empty database with the
policy's institutes, borrowers of every category, a catalogue with every loan
rule, and open loans standing on every rung of the §5 ladder, so each rule of
``scheme-rules.md`` has a case to look at. Everything is dated relative to the
injected clock's today, so the demo is fresh whenever it is loaded, and it is
the same for the same seed (``random.Random(seed)``).

The data is planned in Python with the domain's own rules (eligibility, loan
terms, L4, the ladder's ``project_ladder``), never with a second copy of them,
and written with set-based Core inserts in one transaction: row-by-row ORM
work would take minutes for the default 20,000 items.

The ladder state is what the daily notices runs would have left had they run
every day up to and including yesterday: a notices run for yesterday changes
nothing, and today's run sends the notices that fall due today. The courier
(§3) is likewise mid-day: the last few runs were dispatched and delivered,
and today's checkouts for courier and internal-courier institutes wait on the
courier shelf, so each route's manifest has a crate to load and returns to
collect. CPR numbers exist only for the moment they are hashed (B3).
"""

from __future__ import annotations

import json
import random
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from desk_app.domain.barcodes import cpr_lookup_key, mask_cpr, with_check_digit
from desk_app.domain.calendar import HalfYear, Period, add_period
from desk_app.domain.claims import claim_amounts
from desk_app.domain.eligibility import check_eligible
from desk_app.domain.facts import Capacity, Category, Step
from desk_app.domain.ill import HandOver, ill_hand_over
from desk_app.domain.ladder import LadderState, agreed_date, project_ladder
from desk_app.domain.ladder import Notice as LadderNotice
from desk_app.domain.loan_period import (
    due_after_request,
    ill_loan_terms,
    institute_loan_terms,
    private_loan_terms,
)
from desk_app.domain.loan_states import Transit
from desk_app.domain.material import Lendable, check_lendable
from desk_app.domain.policy import Delivery, Policy
from desk_app.domain.roles import Job, Role
from desk_app.domain.transport import TRAVELS, transit_after_checkout
from desk_app.domain.verdict import Code, rule_label
from desk_app.printing.documents import ManifestData
from desk_app.services import transport
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import policy_institutes, upsert_institutes
from desk_app.services.lookup import item_facts
from desk_app.services.staff import add_staff_record
from desk_app.store.models import (
    AuditEntry,
    Borrower,
    Card,
    Claim,
    Dispatch,
    Item,
    Loan,
    Notice,
    NoticeMail,
    NoticeRun,
    Request,
    Staff,
)

DEMO_ACTOR = Actor("demo", "demo")
# the summary reads the manifests as the console does (``roles.Job.CONSOLE``)
_DEMO_READER = Actor("demo", "demo", job=Job.CONSOLE)
# B1's 4-digit institution code in every demo number (from KB's library number 820010).
INSTITUTION = "8200"
# ... and in the demo staff cards: a code no borrower card uses, so a scan is
# either a borrower or a staff member, never both.
STAFF_INSTITUTION = "9990"
MIN_BORROWERS = 50
MIN_ITEMS = 300
ONE_DAY = timedelta(days=1)
_DETAIL = json.dumps({"source": "demo"})
# §3 T4: the desk opens, the courier leaves, the delivery is confirmed.
OPENS = time(9, 0)
COURIER_LEAVES = time(13, 30)
DELIVERY_CONFIRMED = time(15, 45)
PAST_RUNS = 3  # courier runs before today (weekdays), dispatched and delivered


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


# --------------------------------------------------------------------------
# What the demo reports back


@dataclass(frozen=True)
class DemoExample:
    """A checkout a newcomer can type, and the outcome the desk will give."""

    what: str
    card: str  # a library card number, never a CPR number (B3)
    item: str
    expect: Code


class DemoStaff(NamedTuple):
    """A demo staff account to sign in with: by name or card, and the PIN.

    Demo PINs are printed on purpose; a real desk's staff choose their own
    (``desk-app staff add``)."""

    name: str
    role: Role
    pin: str
    card: str


def staff_card(n: int) -> str:
    """Demo staff card n: a library-card-pattern number (B1) with its check digit (B2)."""
    return with_check_digit(f"2{STAFF_INSTITUTION}{n:08d}")


DEMO_STAFF = (
    DemoStaff("Dorte Desk", Role.DESK, "1111", staff_card(1)),
    DemoStaff("Søren Supervisor", Role.SUPERVISOR, "2222", staff_card(2)),
    DemoStaff("Kaj Courier", Role.COURIER, "3333", staff_card(3)),
    DemoStaff("Anna Admin", Role.ADMIN, "0000", staff_card(4)),
)


class RouteWork(NamedTuple):
    """A route's manifest for the day, counted (T3, T4)."""

    route: str
    name: str
    internal_courier: bool
    stops: int
    deliver: int
    collect: int
    first_item: str | None  # an item waiting for this route, to try a slip with


@dataclass(frozen=True)
class DemoSummary:
    """What is in the database after ``fill_demo`` (counted from the tables)."""

    created: bool  # False: the database already had data and was left alone
    today: date
    borrowers: int
    borrowers_by_category: dict[str, int]
    items: int
    items_by_rule: dict[str, int]
    open_loans: int
    loans_by_step: dict[str, int]  # open institute loans; "none" = no notice yet
    settled_cases: int  # S5: at SUSPENSION, settled by contact, agreed date set
    private_loans: int
    ill_loans: int
    use_at_institute_loans: int  # M2
    active_requests: int
    suspended_borrowers: int  # S2, derived from the loans
    library_cards: int
    health_cards: int
    expired_cards: int
    lost_cards: int
    replaced_cards: int
    open_claims: int
    examples: tuple[DemoExample, ...] = ()
    staff: tuple[DemoStaff, ...] = ()  # the demo accounts this run created
    courier: tuple[RouteWork, ...] = ()  # T4: today's manifest of each route

    @property
    def awaiting_dispatch(self) -> int:
        return sum(r.deliver for r in self.courier)

    @property
    def to_collect(self) -> int:
        return sum(r.collect for r in self.courier)


# --------------------------------------------------------------------------
# Word lists: names and titles that look like a Copenhagen research library

_FEMALE = (
    "Anne", "Mette", "Kirsten", "Hanne", "Helle", "Susanne", "Lene", "Camilla", "Louise",
    "Maria", "Marianne", "Pia", "Tina", "Line", "Ida", "Sofie", "Emma", "Freja", "Karen",
    "Inge", "Birgitte", "Signe", "Astrid", "Sidsel", "Maja", "Nanna", "Rikke", "Trine",
    "Dorthe", "Åse", "Bodil", "Gry", "Ulla", "Ellen", "Johanne", "Cecilie",
)  # fmt: skip
_MALE = (
    "Jens", "Peter", "Lars", "Michael", "Henrik", "Søren", "Thomas", "Niels", "Morten",
    "Jesper", "Anders", "Rasmus", "Mads", "Christian", "Martin", "Jørgen", "Poul", "Ole",
    "Bjørn", "Frederik", "Kasper", "Mikkel", "Kristian", "Asger", "Troels", "Torben",
    "Esben", "Halfdan", "Steffen", "Ebbe", "Knud", "Aksel", "Jakob", "Emil", "Gustav",
)  # fmt: skip
_SURNAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen",
    "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund",
    "Holm", "Schmidt", "Eriksen", "Nørgaard", "Østergaard", "Kjær", "Bech", "Dahl", "Skov",
    "Friis", "Bak", "Vestergaard", "Lauridsen", "Brøndum", "Søndergaard", "Damgaard",
    "Bøgh", "Krogh", "Høj", "Aagaard", "Ærenlund", "Winther",
)  # fmt: skip
_MIDDLE = ("Holm", "Skov", "Lund", "Kjær", "Dam", "Bech", "Juul", "Vind", "Krag", "Høeg")
_INTERNATIONAL_FIRST = (
    "Wei", "Li", "Ana", "Giulia", "Luca", "Sophie", "Lukas", "Priya", "Arjun", "Elena",
    "Mehmet", "Ayşe", "Tomás", "Zofia", "Olga", "Yuki", "Kenji", "Siobhán", "Jonas",
)  # fmt: skip
_INTERNATIONAL_LAST = (
    "Zhang", "Wang", "García", "Rossi", "Müller", "Schneider", "Kowalski", "Nowak",
    "Novák", "Patel", "Sharma", "Yılmaz", "Ivanova", "Tanaka", "Silva", "Dubois",
    "O'Connor", "Smith", "Johansson", "Virtanen",
)  # fmt: skip

_TOPICS_EN = (
    "quantum field theory", "climate adaptation", "medieval Scandinavia", "protein folding",
    "welfare state reform", "Old Norse poetry", "Bayesian inference", "urban sociology",
    "public health policy", "plant genetics", "labour economics", "comparative law",
    "Reformation theology", "marine ecology", "graph algorithms", "cognitive development",
    "colonial trade", "European integration", "drug metabolism", "glacial geology",
    "Arctic governance", "Renaissance art", "language acquisition", "migration law",
    "sustainable agriculture", "veterinary epidemiology", "number theory",
    "statistical mechanics", "Kierkegaard's ethics", "Danish cinema", "food microbiology",
    "organic synthesis", "human rights", "behavioural economics", "early modern science",
)  # fmt: skip
_PATTERNS_EN = (
    "An introduction to {t}", "Studies in {t}", "{T} and {u}", "Essays on {t}",
    "Handbook of {t}", "{T}: theory and practice", "{T}: a reader", "Perspectives on {t}",
    "The history of {t}", "{T} in the Nordic countries", "Advances in {t}",
    "Rethinking {t}", "{T}, {y1}–{y2}", "{T} & {u}: new approaches",
)  # fmt: skip
_TOPICS_DA = (
    "dansk retshistorie", "kvantemekanik", "velfærdsstatens udvikling",
    "nordisk sprogvidenskab", "Grønlands geologi", "reformationen i Danmark",
    "folkesundhed", "økologisk jordbrug", "Københavns byhistorie", "sønderjyske dialekter",
    "æstetik og erkendelse", "børns sprogtilegnelse", "færøsk litteratur", "skatteret",
    "dansk kirkehistorie", "ølbrygning i middelalderen", "arbejdsmarkedets økonomi",
    "forvaltningsret", "dansk guldalder", "fødevaresikkerhed", "klimaforandringer",
    "husdyrenes sundhed", "matematikkens grundlag", "Holbergs komedier",
    "kolonitidens handel", "socialpsykologi", "tandsundhed", "lægemidlers virkning",
    "H.C. Ørsteds fysik", "Vadehavets økologi",
)  # fmt: skip
_PATTERNS_DA = (
    "{T}: en indføring", "Studier i {t}", "Bidrag til {t}", "Håndbog i {t}", "{T} og {u}",
    "Om {t}", "{T} {y1}–{y2}", "Nye perspektiver på {t}", "Grundbog i {t}",
    "Tekster om {t}", "{T}: teori og praksis", "{T} & {u}",
)  # fmt: skip
_PLACES_OLD = (
    "Sjælland", "Fyen", "Jylland", "Bornholm", "Island", "Norge", "Kiøbenhavn",
    "Ribe Stift", "Lolland og Falster", "Grønland", "Færøerne", "Slesvig",
)  # fmt: skip
_PATTERNS_OLD = (
    "Forsøg til en Beskrivelse over {p}", "Samlinger til {p}s Historie",
    "Efterretninger om {p}", "Historisk Beretning om {p}",
    "Topographisk Beskrivelse af {p}", "Physisk-oeconomisk Beskrivelse over {p}",
)  # fmt: skip
_PATTERNS_JOURNAL = (
    "Tidsskrift for {t}", "Journal of {e}", "Nordisk tidsskrift for {t}", "{E} Review",
    "Scandinavian Journal of {e}",
)  # fmt: skip
_PATTERNS_MAP = ("Kort over {p}", "Generalstabens kort: {p}", "Geologisk kort over {p}")
_SCORES = (
    "Carl Nielsen: Symfoni nr. {n}", "Niels W. Gade: Efterklange af Ossian",
    "C.E.F. Weyse: Morgen- og aftensange", "Rued Langgaard: Sfærernes musik",
    "J.P.E. Hartmann: Guldhornene", "Carl Nielsen: Strygekvartet nr. {n}",
)  # fmt: skip
_PATTERNS_AV = ("{T} (videooptagelse)", "Forelæsninger om {t} (lydoptagelse)")
# Titles that break naive HTML, CSV and slip code: the GUI and printing must cope.
SPECIAL_TITLES = (
    "Ørsted & Ampère: <elektromagnetisme> i København, 1820–1850",
    'Æbler & pærer: "<sortsnavne>" i danske haver',
)
_LC = ("QA", "QC", "QH", "QD", "HB", "HM", "JN", "KJC", "BR", "PT", "DL", "RA", "RM", "SB")
_DK5 = ("30.1", "32.4", "33.1", "34.2", "46.4", "51.2", "55.1", "61.1", "79.3", "86.1", "99.4")
_OLD_SHELVES = ("Hielmst.", "Dan.", "Bibl. Dan.", "Thott")
_OTHER_OWNERS = ("KB", "SA")  # the Royal Library's national collections, not KUB
_ILL_COUNTRIES = ("DK", "DK", "DE", "SE", "NO", "GB", "US", "NL")
_SETTLEMENT_NOTES = (
    "Låner ringede: på feltarbejde, afleverer ved hjemkomst.",
    "Henvendelse i skranken; bogen ligger på kontoret i Odense.",
    "E-mail fra låner: syg, afleverer snarest.",
)
_MATERIALS = {"book": 80, "journal": 8, "map": 4, "score": 4, "av": 4}
_CATEGORIES = (  # (category, own office, share of the borrowers)
    ("researcher", False, 0.40),
    ("phd_student", False, 0.24),
    ("teacher", False, 0.22),
    ("emeritus", True, 0.06),
    ("emeritus", False, 0.03),
    ("student", False, 0.03),  # a few who are refused (E1)
    ("external", False, 0.02),
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ascii(text: str) -> str:
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa")):
        text = text.replace(a, b)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# --------------------------------------------------------------------------
# The plan: plain objects, given database ids when written


@dataclass(eq=False)
class _Card:
    kind: str
    display: str
    lookup: str
    issued: date
    expires: date | None
    status: str = "active"
    status_changed_on: date | None = None
    replaced_by: _Card | None = None
    id: int = 0

    def valid_on(self, day: date) -> bool:
        """U1, as it stood on ``day`` (a lost card worked until it was lost)."""
        if day < self.issued or (self.expires is not None and day > self.expires):
            return False
        if self.status == "active":
            return True
        return self.status_changed_on is not None and day < self.status_changed_on


@dataclass(eq=False)
class _Borrower:
    name: str
    category: str
    own_office: bool
    institute: str
    delivery: Delivery
    faculty: str
    enrolled_on: date
    email: str | None
    cards: list[_Card] = field(default_factory=list)
    e_resources: bool = False
    suspended_since: date | None = None  # S3: borrows and requests nothing after
    reserved: bool = False  # kept clean for the newcomer's examples
    id: int = 0

    @property
    def eligible(self) -> bool:
        return check_eligible(Category(self.category), self.own_office) is None  # E1

    def library_card(self) -> _Card:
        return next(c for c in reversed(self.cards) if c.kind == "library")


@dataclass(eq=False)
class _Item:
    barcode: str
    title: str
    author: str | None
    call_number: str | None
    material_type: str
    loan_rule: str
    owner: str
    printed_year: int | None
    danish_legal_deposit: bool
    price: Decimal | None
    is_ill: bool = False
    ill_lender_country: str | None = None
    reading_room_only: bool = False
    id: int = 0


@dataclass(eq=False)
class _Loan:
    item: _Item
    borrower: _Borrower
    card: _Card
    capacity: str
    loaned_at: datetime
    due: date
    guaranteed_until: date | None
    delivery: str
    rule: str  # the rule the checkout rested on, for the audit trail
    use_at_institute: bool = False
    renew_days: list[date] = field(default_factory=list)
    state: str = "open"
    ended_at: datetime | None = None
    notices: list[tuple[date, LadderNotice]] = field(default_factory=list)
    settled_on: date | None = None
    agreed: date | None = None
    note: str | None = None
    transit: Transit | None = None  # T1, T3, T4
    dispatch: _Dispatch | None = None
    delivered_at: datetime | None = None
    announced_on: date | None = None  # T4: the institute announced its return
    announced_at: datetime | None = None
    id: int = 0

    @property
    def loan_date(self) -> date:
        return self.loaned_at.date()

    @property
    def step(self) -> Step | None:
        return self.notices[-1][1].step if self.notices else None


@dataclass(eq=False)
class _Dispatch:
    """A courier run (T4) that left and whose delivery was confirmed."""

    route: str
    day: date
    dispatched_at: datetime
    delivered_at: datetime
    loaded: int = 0
    missing: int = 0
    id: int = 0


@dataclass(eq=False)
class _Request:
    item: _Item
    borrower: _Borrower
    placed_at: datetime
    state: str = "active"
    loan: _Loan | None = None  # the loan that fulfilled it


class _Plan:
    """Builds the whole demo in memory, deterministically from the seed."""

    def __init__(
        self,
        policy: Policy,
        today: date,
        cpr_key: bytes,
        seed: int,
        now: datetime | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.policy = policy
        self.today = today
        self.now = now or datetime.combine(today, time(12, 0))
        self.yesterday = today - ONE_DAY
        self.cpr_key = cpr_key
        self.borrowers: list[_Borrower] = []
        self.items: list[_Item] = []
        self.loans: list[_Loan] = []
        self.requests: list[_Request] = []
        self.dispatches: list[_Dispatch] = []
        self.showcase: dict[str, _Item] = {}
        self.home_pool: list[_Item] = []  # home items on the shelf, free to lend
        self.m2_pool: list[_Item] = []  # reading-room items M2 allows to lend
        self.shelf_queues: list[_Item] = []
        self.newcomer: _Borrower | None = None
        self._eligible: tuple[list[_Borrower], list[float]] = ([], [])
        self._everyone: tuple[list[_Borrower], list[float]] = ([], [])

    # -- helpers ---------------------------------------------------------------

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def at(self, day: date) -> datetime:
        """A moment in the desk's opening hours on ``day``."""
        return datetime.combine(day, time(self.rng.randint(9, 15), self.rng.randrange(0, 60, 5)))

    @staticmethod
    def minus(day: date, period: Period) -> date:
        """``day`` less a policy period, so ``add_period`` leads back to about ``day``."""
        return add_period(day, Period(-period.years, -period.months, -period.days))

    def count(self, share: float, n: int, least: int) -> int:
        return max(least, round(share * n))

    # -- borrowers and cards -----------------------------------------------------

    def build_borrowers(self, n: int) -> None:
        rng = self.rng
        institutes = self.policy.institutes
        kinds: list[tuple[str, bool]] = []
        for category, office, share in _CATEGORIES[1:]:
            kinds += [(category, office)] * max(1, round(share * n))
        kinds += [("researcher", False)] * (n - len(kinds))
        rng.shuffle(kinds)
        seq = rng.randrange(100_000, 900_000)
        for category, office in kinds:
            institute = rng.choice(institutes)
            name = self.person_name(international=category in ("researcher", "phd_student"))
            first, last = name.split()[0], name.split()[-1]
            enrolled = self.days_ago(60, 4000)
            borrower = _Borrower(
                name=name,
                category=category,
                own_office=office,
                institute=institute.code,
                delivery=institute.delivery,
                faculty=institute.faculty.value,
                enrolled_on=enrolled,
                email=None
                if rng.random() < 0.05
                else f"{_ascii(first)}.{_ascii(last)}@{institute.faculty.value.lower()}.ku.dk",
            )
            seq += rng.randint(1, 9)
            number = with_check_digit(f"2{INSTITUTION}{seq:08d}")
            expires = self.today + timedelta(days=rng.randint(60, 5 * 365))
            borrower.cards.append(_Card("library", number, number, enrolled, expires))
            self.borrowers.append(borrower)
        self.newcomer = next(b for b in self.borrowers if b.category == "researcher")
        self.newcomer.reserved = True

        others = [b for b in self.borrowers if b is not self.newcomer]
        # E3: ~10% enrolled with a CPR number; only its keyed hash is kept (B3).
        used: set[str] = set()
        for borrower in rng.sample(others, max(2, round(0.10 * n))):
            cpr = make_cpr(rng, used)
            borrower.cards.append(
                _Card(
                    "health",
                    mask_cpr(cpr),
                    cpr_lookup_key(cpr, self.cpr_key),
                    borrower.enrolled_on,
                    None,
                )
            )
            borrower.e_resources = True
        for borrower in rng.sample(others, round(0.04 * n)):
            borrower.e_resources = True  # declared on the form without a CPR (E3)
        # U1: expired, lost and replaced cards, among eligible borrowers only, so
        # the student and emeritus examples keep a valid card.
        eligible = [b for b in others if b.eligible]
        n_expired, n_lost = max(2, round(0.02 * n)), max(1, n // 1000)
        n_replaced = max(1, round(0.005 * n))
        troubled = rng.sample(eligible, n_expired + n_lost + n_replaced)
        for borrower in troubled[:n_expired]:
            card = borrower.library_card()
            card.expires = self.days_ago(1, 300)
            card.issued = borrower.enrolled_on = min(
                borrower.enrolled_on, card.expires - timedelta(days=365)
            )
        for borrower in troubled[n_expired : n_expired + n_lost]:
            card = borrower.library_card()
            card.status, card.status_changed_on = "lost", self.days_ago(2, 40)
        for borrower in troubled[n_expired + n_lost :]:
            old = borrower.library_card()
            seq += rng.randint(1, 9)
            number = with_check_digit(f"2{INSTITUTION}{seq:08d}")
            changed = self.days_ago(20, 200)
            new = _Card("library", number, number, changed, old.expires)
            old.status, old.status_changed_on, old.replaced_by = "replaced", changed, new
            borrower.cards.append(new)

        def pool(members: list[_Borrower]) -> tuple[list[_Borrower], list[float]]:
            # A few heavy borrowers and many light ones, as in any research library.
            weights = [min(rng.paretovariate(1.3), 25.0) for _ in members]
            return members, list(accumulate(weights))

        self._eligible = pool([b for b in self.borrowers if b.eligible])
        self._everyone = pool(list(self.borrowers))

    def person_name(self, international: bool) -> str:
        rng = self.rng
        if international and rng.random() < 0.12:
            return f"{rng.choice(_INTERNATIONAL_FIRST)} {rng.choice(_INTERNATIONAL_LAST)}"
        first = rng.choice(_FEMALE if rng.random() < 0.5 else _MALE)
        middle = f" {rng.choice(_MIDDLE)}" if rng.random() < 0.2 else ""
        return f"{first}{middle} {rng.choice(_SURNAMES)}"

    def pick(
        self,
        day: date,
        *,
        institute: bool = True,
        exclude: Sequence[_Borrower] = (),
        card_today: bool = False,
        among: Sequence[_Borrower] = (),
    ) -> tuple[_Borrower, _Card] | None:
        """A borrower who could borrow on ``day``: enrolled, a valid card (U1),
        eligible for institute capacity (E1), not suspended (S3); drawn from
        ``among`` alike if given, else the heavy borrowers more often."""
        members, cumulative = self._eligible if institute else self._everyone
        total = cumulative[-1]
        for _ in range(80):
            if among:
                borrower = self.rng.choice(among)
            else:
                borrower = members[bisect_left(cumulative, self.rng.random() * total)]
            if borrower.reserved or any(borrower is x for x in exclude):
                continue
            if borrower.enrolled_on > day:
                continue
            if borrower.suspended_since is not None and day >= borrower.suspended_since:
                continue
            if card_today and not borrower.library_card().valid_on(self.today):
                continue
            cards = [c for c in borrower.cards if c.valid_on(day)]
            if not cards:
                continue
            health = [c for c in cards if c.kind == "health"]
            card = health[0] if health and self.rng.random() < 0.3 else cards[0]
            return borrower, card
        return None

    # -- items -----------------------------------------------------------------

    def build_items(self, n_catalogue: int, n_ill: int) -> None:
        rng = self.rng
        year_now = self.today.year
        m2_last = year_now - self.policy.material.reading_room_age_years
        kub = self.policy.material.kub_owner
        showcase = {  # name: (loan rule, owner, year, legal deposit, title or None)
            "special": ("home", kub, 1998, True, SPECIAL_TITLES[0]),
            "try1": ("home", kub, 2011, False, None),
            "try2": ("home", kub, 2016, True, None),
            "try3": ("home", kub, 2004, False, None),
            "m2": ("reading_room", kub, max(1800, min(1856, m2_last)), True, None),
            "m3_digital": ("reading_room", kub, 1756, True, None),
            "m3_ill": ("reading_room", kub, year_now - 40, True, None),
            "m3_other_owner": ("reading_room", _OTHER_OWNERS[0], 1872, True, None),
            "m4": ("reading_room_id", kub, 1788, True, None),
        }
        materials = [m for m in _MATERIALS if m in self.policy.fees.replacement_price_by_material]
        material_cum = list(accumulate(_MATERIALS[m] for m in materials)) or [1]
        materials = materials or ["book"]
        sequence = rng.randrange(1_000_000, 5_000_000)
        for i in range(n_catalogue):
            sequence += rng.randint(1, 4)
            barcode = with_check_digit(f"3{INSTITUTION}{sequence:08d}")
            if i < len(showcase):
                name, (rule, owner, year, deposit, title) = list(showcase.items())[i]
                self.showcase[name] = self.make_item(
                    barcode, "book", rule, owner, year, deposit, title
                )
                self.items.append(self.showcase[name])
                continue
            draw = rng.random()
            rule = "home" if draw < 0.88 else "reading_room" if draw < 0.98 else "reading_room_id"
            if rule != "home":
                year = rng.randint(1650, 2020)  # M2 and M3 both occur
            elif rng.random() < 0.05:
                year = rng.randint(1800, 1950)
            else:
                year = year_now - int(rng.triangular(0, 75, 0))
            other = rng.random() < (0.10 if rule == "home" else 0.15)
            owner = rng.choice(_OTHER_OWNERS) if other else kub
            material = materials[bisect_left(material_cum, rng.random() * material_cum[-1])]
            title = SPECIAL_TITLES[1] if i == len(showcase) else None
            item = self.make_item(barcode, material, rule, owner, year, None, title)
            self.items.append(item)
            if rule == "home":
                self.home_pool.append(item)
            elif isinstance(
                check_lendable(
                    item_facts(item), Capacity.INSTITUTE, self.today, self.policy.material
                ),
                Lendable,
            ):
                self.m2_pool.append(item)
        for i in range(n_ill):
            country = _ILL_COUNTRIES[i % len(_ILL_COUNTRIES)]
            barcode = with_check_digit(f"3{INSTITUTION}{90_000_000 + i:08d}")
            year = rng.randint(1960, year_now)
            item = self.make_item(barcode, "book", "home", f"ILL:{country}", year, False, None)
            item.is_ill, item.ill_lender_country = True, country
            item.reading_room_only = i % 4 == 3
            self.items.append(item)
        rng.shuffle(self.home_pool)
        rng.shuffle(self.m2_pool)

    def make_item(
        self,
        barcode: str,
        material: str,
        rule: str,
        owner: str,
        year: int,
        deposit: bool | None,
        title: str | None,
    ) -> _Item:
        rng = self.rng
        danish = rng.random() < (0.9 if year < 1900 else 0.45)
        first = rng.choice(_FEMALE + _MALE)
        last = rng.choice(_SURNAMES if danish else _INTERNATIONAL_LAST + _SURNAMES[:8])
        author: str | None = f"{last}, {first}"
        if title is None:
            title, author = self.make_title(material, danish, year, author)
        call = self.call_number(year, danish, last)
        if deposit is None:  # the Danish legal deposit: Danish imprints
            deposit = danish and rng.random() < 0.9
        price = None
        if rng.random() < 0.7:
            price = Decimal(rng.randrange(95, 1800, 5)) + (
                Decimal("0.95") if rng.random() < 0.2 else 0
            )
        return _Item(barcode, title, author, call, material, rule, owner, year, deposit, price)

    def call_number(self, year: int, danish: bool, author: str) -> str:
        """Old KB shelf marks before 1900, DK5 for Danish books, LC otherwise."""
        rng = self.rng
        if year < 1900:
            size = rng.choice(("4°", "8°", "fol."))
            return f"{rng.choice(_OLD_SHELVES)} {rng.randint(10, 4999)} {size}"
        if danish:
            return f"{rng.choice(_DK5)} {_cap(_ascii(author)[:3])}"
        cutter = f"{author[0].upper()}{rng.randint(10, 99)}"
        return f"{rng.choice(_LC)}{rng.randint(1, 999)}.{rng.randint(1, 99)} .{cutter} {year}"

    def make_title(
        self, material: str, danish: bool, year: int, author: str | None
    ) -> tuple[str, str | None]:
        rng = self.rng
        t_da, u_da = rng.sample(_TOPICS_DA, 2)
        t_en, u_en = rng.sample(_TOPICS_EN, 2)
        y1 = rng.randint(1500, 1950)
        fill = {
            "t": t_da if danish else t_en,
            "T": _cap(t_da if danish else t_en),
            "u": u_da if danish else u_en,
            "y1": y1,
            "y2": y1 + rng.choice((25, 50, 75, 100)),
            "p": rng.choice(_PLACES_OLD),
            "e": t_en,
            "E": _cap(t_en),
            "n": rng.randint(1, 6),
        }
        if material == "journal":
            return rng.choice(_PATTERNS_JOURNAL).format(**fill) + f", årg. {year}", None
        if material == "map":
            return rng.choice(_PATTERNS_MAP).format(**fill), None
        if material == "score":
            return rng.choice(_SCORES).format(**fill), None
        if material == "av":
            return rng.choice(_PATTERNS_AV).format(**fill), None
        if year < 1900 and danish:
            return rng.choice(_PATTERNS_OLD).format(**fill), author
        return rng.choice(_PATTERNS_DA if danish else _PATTERNS_EN).format(**fill), author

    # -- loans -------------------------------------------------------------------

    def ladder_windows(self) -> dict[Step, tuple[int, int]]:
        """For each step, how many days past the due date (as of yesterday) a
        loan stands at that step, read off the domain's own ladder projection."""
        ref_due = self.yesterday - timedelta(days=400)
        sent = project_ladder(
            LadderState(due=ref_due), ref_due + ONE_DAY, self.yesterday, self.policy.ladder
        )
        offsets = [((day - ref_due).days, notice.step) for day, notice in sent]
        windows: dict[Step, tuple[int, int]] = {}
        for i, (offset, step) in enumerate(offsets):
            end = offsets[i + 1][0] - 1 if i + 1 < len(offsets) else offset + 150
            windows[step] = (offset, end)
        return windows

    def institute_loan(
        self,
        item: _Item,
        loan_day: date,
        *,
        due: date | None = None,
        renew_days: Sequence[date] = (),
        others_waiting: bool = False,
        card_today: bool = False,
        borrower: tuple[_Borrower, _Card] | None = None,
    ) -> _Loan | None:
        """An institute-capacity loan made on ``loan_day`` by the domain's rules
        (§2 lendable, L1-L3 terms), then walked up the ladder to yesterday."""
        lendable = check_lendable(
            item_facts(item), Capacity.INSTITUTE, loan_day, self.policy.material
        )
        if not isinstance(lendable, Lendable):
            return None
        who = borrower or self.pick(loan_day, card_today=card_today)
        if who is None:
            return None
        terms = institute_loan_terms(loan_day, others_waiting, self.policy)
        loan = _Loan(
            item=item,
            borrower=who[0],
            card=who[1],
            capacity=Capacity.INSTITUTE.value,
            loaned_at=self.at(loan_day),
            due=due or terms.due,
            guaranteed_until=terms.guaranteed_until,
            delivery=HandOver(who[0].delivery.value).value,  # T1-T3
            rule="M2" if lendable.use_at_institute else terms.rule,
            use_at_institute=lendable.use_at_institute,
            renew_days=list(renew_days),
        )
        self.open(loan)
        return loan

    def open(self, loan: _Loan) -> None:
        """Record an open loan; the daily runs up to yesterday give its step (§5)."""
        if loan.capacity == Capacity.INSTITUTE.value:
            loan.notices = project_ladder(
                LadderState(due=loan.due), loan.due + ONE_DAY, self.yesterday, self.policy.ladder
            )
        if loan.step is Step.SUSPENSION:
            since = loan.notices[-1][0]
            held = loan.borrower.suspended_since
            loan.borrower.suspended_since = since if held is None else min(held, since)
        self.loans.append(loan)

    def overdue_loan(
        self, item: _Item, days_late: int, *, card_today: bool = False
    ) -> _Loan | None:
        """A loan due ``days_late`` days before yesterday: lent a year before
        (L1), renewed (L5), or at the 3-year horizon after renewals (L5)."""
        rng, loan_policy = self.rng, self.policy.loan
        due = self.yesterday - timedelta(days=days_late)
        draw = rng.random()
        if draw < 0.7:
            return self.institute_loan(
                item, self.minus(due, loan_policy.standard), card_today=card_today
            )
        if draw < 0.9:
            renewed = self.minus(due, loan_policy.renewal_extension)
            loan_day = renewed - timedelta(days=rng.randint(200, 364))
            new_due = min(
                add_period(renewed, loan_policy.renewal_extension),
                add_period(loan_day, loan_policy.renewal_horizon),
            )
            return self.institute_loan(
                item, loan_day, due=new_due, renew_days=[renewed], card_today=card_today
            )
        loan_day = self.minus(due, loan_policy.renewal_horizon)
        renew_days, new_due = self.renewals(
            loan_day, until=add_period(loan_day, loan_policy.renewal_horizon)
        )
        return self.institute_loan(
            item, loan_day, due=new_due, renew_days=renew_days, card_today=card_today
        )

    def renewals(self, loan_day: date, until: date) -> tuple[list[date], date]:
        """L5: renew shortly before each due date until the due date reaches
        ``until`` (or the 3-year horizon stops it)."""
        loan_policy = self.policy.loan
        horizon = add_period(loan_day, loan_policy.renewal_horizon)
        due = add_period(loan_day, loan_policy.standard)
        days: list[date] = []
        while due < until and due < horizon:
            renewed = max(loan_day + ONE_DAY, due - timedelta(days=self.rng.randint(0, 30)))
            due = min(add_period(renewed, loan_policy.renewal_extension), horizon)
            days.append(renewed)
        return days, due

    def build_loans(self, n_borrowers: int, n_catalogue: int) -> None:
        rng, n = self.rng, n_borrowers
        windows = self.ladder_windows()
        pool = self.home_pool

        def take() -> _Item | None:
            return pool.pop() if pool else None

        # §5: every rung, SUSPENSION first so S3 keeps the suspended from
        # borrowing after their suspension began.
        targets = (
            (Step.SUSPENSION, self.count(0.006, n, 3)),
            (Step.REMINDER_3, self.count(0.008, n, 2)),
            (Step.REMINDER_2, self.count(0.010, n, 2)),
            (Step.REMINDER_1, self.count(0.012, n, 2)),
            (Step.RECALL, self.count(0.020, n, 2)),
        )
        for step, wanted in targets:
            if step not in windows:
                continue
            low, high = windows[step]
            for _ in range(wanted):
                item = take()
                if item is not None:
                    self.overdue_loan(item, rng.randint(low, high), card_today=True)
        # S5: suspension cases settled by contact; the last one's agreed date
        # was yesterday, so today's notices run puts it back at SUSPENSION.
        if Step.SUSPENSION in windows:
            low = windows[Step.SUSPENSION][0]
            settle_after = self.policy.ladder.agreed_after_contact
            n_settled = self.count(0.0015, n, 2)
            for i in range(n_settled):
                item = take()
                if item is None:
                    break
                loan = self.overdue_loan(item, rng.randint(low + 30, low + 90))
                if loan is None or loan.step is not Step.SUSPENSION:
                    continue
                lapsing = i == n_settled - 1
                contact = (
                    self.minus(self.yesterday, settle_after) if lapsing else self.days_ago(1, 10)
                )
                if contact <= loan.notices[-1][0]:
                    continue
                loan.settled_on = contact
                loan.agreed = agreed_date(contact, self.policy.ladder)
                loan.note = rng.choice(_SETTLEMENT_NOTES)
        # Due yesterday: today's notices run recalls them (RECALL).
        for _ in range(self.count(0.005, n, 1)):
            item = take()
            if item is not None:
                self.overdue_loan(item, 0)
        # L4: requests on items on loan shorten the loan's due date; the
        # request days stay within the ladder short of SUSPENSION.
        latest = windows.get(Step.SUSPENSION, (60, 0))[0] - 1
        for _ in range(self.count(0.010, n, 3)):
            item = take()
            if item is not None:
                self.requested_loan(item, latest)
        # L3: a loan made for the first in a queue while others still wait (14 days).
        for _ in range(self.count(0.003, n, 2)):
            item = take()
            if item is not None:
                self.queue_loan(item)
        # M2: reading-room books lent for use at the institute only.
        for _ in range(min(len(self.m2_pool) // 3, self.count(0.010, n, 2))):
            self.institute_loan(self.m2_pool.pop(), self.days_ago(1, 360))
        # I2/I3: interlibrary loans, 1 month (2 from a Danish library).
        for item in (i for i in self.items if i.is_ill):
            self.ill_loan(item)
        # P1: private-capacity loans, off the ladder; some are overdue (late fee).
        for _ in range(self.count(0.030, n, 4)):
            item = take()
            if item is not None:
                self.private_loan(item)
        # The bulk: current loans, due in the future, some renewed (L5).
        total = min(round(0.3 * n_catalogue), 3 * n)
        while len(self.loans) < total and pool:
            draw = rng.random()
            years = 0 if draw < 0.65 else 1 if draw < 0.9 else 2
            earliest = add_period(self.today, Period(years=-(years + 1))) + timedelta(days=1)
            latest_day = add_period(self.today, Period(years=-years)) - ONE_DAY
            horizon_floor = self.minus(self.today, self.policy.loan.renewal_horizon) + timedelta(
                days=30
            )
            earliest = max(earliest, horizon_floor)
            loan_day = earliest + timedelta(
                days=rng.randint(0, max(0, (latest_day - earliest).days))
            )
            renew_days, due = self.renewals(loan_day, until=self.today)
            self.institute_loan(pool.pop(), loan_day, due=due, renew_days=renew_days)
        # Queues on items on the shelf: only the first requester may borrow (L3).
        for _ in range(self.count(0.004, n, 2)):
            item = take()
            if item is None:
                break
            placed = sorted(self.days_ago(1, 10) for _ in range(2))
            waiting: list[_Borrower] = []
            for day in placed:
                who = self.pick(day, exclude=waiting)
                if who is not None:
                    waiting.append(who[0])
                    self.requests.append(_Request(item, who[0], self.at(day)))
            if waiting:
                self.shelf_queues.append(item)
        self.transport_work(n)
        self.lost(n)  # before the history, so a lost item has no later return
        self.history(n_catalogue)

    def between(self, day: date, start: time, end: time | datetime) -> datetime:
        """A moment on ``day`` from ``start`` to ``end`` (five-minute steps);
        from midnight if ``end`` comes first (a demo made before opening)."""
        first = datetime.combine(day, start)
        last = end if isinstance(end, datetime) else datetime.combine(day, end)
        if last <= first:
            first = datetime.combine(day, time(0, 0))
        steps = max(0, int((last - first).total_seconds() // 300))
        return first + timedelta(minutes=5 * self.rng.randint(0, steps)) if steps else first

    def run_days(self) -> list[date]:
        """The courier's last ``PAST_RUNS`` weekdays before today, oldest first."""
        days: list[date] = []
        day = self.yesterday
        while len(days) < PAST_RUNS:
            if day.weekday() < 5:
                days.append(day)
            day -= ONE_DAY
        return days[::-1]

    def courier_loan(
        self, among: Sequence[_Borrower], day: date, latest: time | datetime
    ) -> _Loan | None:
        """T1/T3: a home loan on ``day`` for a borrower at a route's institute,
        on the courier shelf from checkout (``transit_after_checkout``)."""
        if not self.home_pool:
            return None
        who = self.pick(day, among=among)
        if who is None:
            return None
        loan = self.institute_loan(self.home_pool.pop(), day, borrower=who)
        if loan is None:
            return None
        loan.loaned_at = self.between(day, OPENS, latest)
        loan.transit = transit_after_checkout(loan.delivery)
        return loan

    def transport_work(self, n: int) -> None:
        """§3: the courier's day. Today's checkouts for courier and internal-
        courier institutes wait on the courier shelf (T1, T3), with a few the
        last run left behind, so each route's manifest (T4) has a crate to
        load; the last runs were dispatched and delivered; and institutes have
        announced returns for the courier to collect. Self-pickup (T2) and
        reading-room (I3) loans never travel, so they get no transit."""
        rng = self.rng
        route_of = {
            i.code: i.route
            for i in self.policy.institutes
            if i.route is not None and HandOver(i.delivery.value) in TRAVELS
        }
        members: dict[str, list[_Borrower]] = {}
        for borrower in self._eligible[0]:
            if not borrower.reserved and borrower.institute in route_of:
                members.setdefault(route_of[borrower.institute], []).append(borrower)
        high = min(25, max(6, round(0.01 * n)))
        low = max(5, high // 2)
        runs = self.run_days()
        for route in self.policy.routes:
            among = members.get(route.code)
            if not among:
                continue
            last: _Dispatch | None = None
            for day in runs:
                run = _Dispatch(
                    route.code,
                    day,
                    datetime.combine(day, COURIER_LEAVES),
                    datetime.combine(day, DELIVERY_CONFIRMED),
                )
                for _ in range(rng.randint(2, 5)):
                    loan = self.courier_loan(among, day, COURIER_LEAVES)
                    if loan is not None and loan.transit is not None:
                        loan.transit, loan.dispatch = Transit.DELIVERED, run
                        loan.delivered_at = run.delivered_at
                        run.loaded += 1
                if run.loaded:
                    self.dispatches.append(run)
                    last = run
            # Not loaded on the last run (missed in the crate): they go today.
            for _ in range(rng.randint(1, 2)):
                if runs and self.courier_loan(among, runs[-1], COURIER_LEAVES) and last:
                    last.missing += 1
            for _ in range(rng.randint(low, high)):
                self.courier_loan(among, self.today, self.now)
        # T4: announced returns, a few on each route, collected on today's run.
        candidates = [
            loan
            for loan in self.loans
            if loan.state == "open"
            and loan.capacity == Capacity.INSTITUTE.value
            and loan.step is None
            and loan.transit is None
            and loan.borrower.institute in route_of
            and HandOver(loan.delivery) in TRAVELS
            and loan.loan_date < self.today - timedelta(days=14)
        ]
        for route in self.policy.routes:
            on_route = [x for x in candidates if route_of[x.borrower.institute] == route.code]
            for loan in rng.sample(on_route, min(len(on_route), rng.randint(1, 2))):
                if runs and rng.random() < 0.5:  # after the last run had left
                    day = runs[-1]
                    loan.announced_at = self.between(day, COURIER_LEAVES, time(16, 0))
                else:
                    day = self.today
                    loan.announced_at = self.between(day, OPENS, self.now)
                loan.announced_on = day

    def requested_loan(self, item: _Item, latest_days: int) -> None:
        """L4: others request the item; the due date becomes
        min(due, max(request day, guaranteed_until)) and may pass at once."""
        rng = self.rng
        loan_day = self.days_ago(35, 360)
        requests = sorted(
            self.yesterday - timedelta(days=rng.randint(0, latest_days))
            for _ in range(rng.randint(1, 3))
        )
        requests = [day for day in requests if day > loan_day]
        if not requests:
            return
        terms = institute_loan_terms(loan_day, False, self.policy)
        due = terms.due
        for day in requests:
            due = due_after_request(due, terms.guaranteed_until, day)
        loan = self.institute_loan(item, loan_day, due=due)
        if loan is None:
            return
        waiting: list[_Borrower] = [loan.borrower]
        for day in requests:
            who = self.pick(day, exclude=waiting)
            if who is not None:
                waiting.append(who[0])
                self.requests.append(_Request(item, who[0], self.at(day)))

    def queue_loan(self, item: _Item) -> None:
        """L2/L3: the first in the queue borrows while another still waits."""
        loan_day = self.days_ago(1, 20)
        first = self.pick(loan_day)
        if first is None:
            return
        placed = loan_day - timedelta(days=self.rng.randint(3, 20))
        second = self.pick(placed, exclude=[first[0]])
        if second is None or first[0].enrolled_on > placed:
            return
        loan = self.institute_loan(item, loan_day, others_waiting=True, borrower=first)
        if loan is None:
            return
        self.requests.append(
            _Request(item, first[0], self.at(placed), state="fulfilled", loan=loan)
        )
        later = placed + timedelta(days=1)
        self.requests.append(_Request(item, second[0], self.at(later)))

    def ill_loan(self, item: _Item) -> None:
        """I2: lent on receipt; I3: to the institute or to the reading room."""
        loan_day = self.days_ago(1, 50)
        who = self.pick(loan_day)
        if who is None:
            return
        assert item.ill_lender_country is not None
        terms = ill_loan_terms(loan_day, item.ill_lender_country, self.policy)
        hand_over = ill_hand_over(who[0].delivery, item.reading_room_only)
        self.open(
            _Loan(
                item=item,
                borrower=who[0],
                card=who[1],
                capacity=Capacity.INSTITUTE.value,
                loaned_at=self.at(loan_day),
                due=terms.due,
                guaranteed_until=terms.guaranteed_until,
                delivery=hand_over.value,
                rule="I3" if item.reading_room_only else "I2",
            )
        )

    def private_loan(self, item: _Item) -> None:
        """P1: anyone with a valid card, students and externals too."""
        loan_day = self.days_ago(1, 60)
        who = self.pick(loan_day, institute=False)
        if who is None:
            return
        lendable = check_lendable(
            item_facts(item), Capacity.PRIVATE, loan_day, self.policy.material
        )
        if not isinstance(lendable, Lendable):
            return
        terms = private_loan_terms(loan_day, self.policy)
        self.open(
            _Loan(
                item=item,
                borrower=who[0],
                card=who[1],
                capacity=Capacity.PRIVATE.value,
                loaned_at=self.at(loan_day),
                due=terms.due,
                guaranteed_until=None,
                delivery=HandOver.SELF_PICKUP.value,
                rule="P1",
            )
        )

    def history(self, n_catalogue: int) -> None:
        """Returned loans of the last three years, on items now on the shelf,
        so reports (U4) have something to count."""
        rng = self.rng
        for item in rng.sample(self.home_pool, min(len(self.home_pool), round(0.2 * n_catalogue))):
            loan_day = self.days_ago(30, 3 * 365)
            institute = rng.random() < 0.9
            who = self.pick(loan_day, institute=institute)
            if who is None:
                continue
            if institute:
                terms = institute_loan_terms(loan_day, False, self.policy)
            else:
                terms = private_loan_terms(loan_day, self.policy)
            last = min(terms.due, self.yesterday)
            if (last - loan_day).days < 2:
                continue
            back = loan_day + timedelta(days=rng.randint(2, (last - loan_day).days))
            self.loans.append(
                _Loan(
                    item=item,
                    borrower=who[0],
                    card=who[1],
                    capacity=Capacity.INSTITUTE.value if institute else Capacity.PRIVATE.value,
                    loaned_at=self.at(loan_day),
                    due=terms.due,
                    guaranteed_until=terms.guaranteed_until,
                    delivery=HandOver(who[0].delivery.value).value
                    if institute
                    else HandOver.SELF_PICKUP.value,
                    rule=terms.rule,
                    state="returned",
                    ended_at=self.at(back),
                )
            )

    def lost(self, n: int) -> None:
        """C2: a few items declared lost, with claims (C3: open, or billed
        with last half-year's statement)."""
        for _ in range(self.count(0.002, n, 2)):
            if not self.home_pool:
                return
            item = self.home_pool.pop()
            lost_on = self.days_ago(2, 250)
            loan_day = lost_on - timedelta(days=self.rng.randint(60, 300))
            who = self.pick(loan_day)
            if who is None:
                continue
            terms = institute_loan_terms(loan_day, False, self.policy)
            self.loans.append(
                _Loan(
                    item=item,
                    borrower=who[0],
                    card=who[1],
                    capacity=Capacity.INSTITUTE.value,
                    loaned_at=self.at(loan_day),
                    due=terms.due,
                    guaranteed_until=terms.guaranteed_until,
                    delivery=HandOver(who[0].delivery.value).value,
                    rule=terms.rule,
                    state="lost",
                    ended_at=self.at(lost_on),
                )
            )

    # -- the newcomer's examples -------------------------------------------------

    def examples(self) -> tuple[DemoExample, ...]:
        """Checkouts to type, each showing one rule; in an order in which each
        gives the outcome stated (the refusals change nothing)."""
        assert self.newcomer is not None
        good = self.newcomer.library_card().display
        show = {name: item.barcode for name, item in self.showcase.items()}
        spare = show["try2"]
        found: list[DemoExample] = [
            DemoExample("a researcher borrows a book (L1, L2)", good, show["try1"], Code.LOANED),
            DemoExample(
                f"reading-room book printed {self.showcase['m2'].printed_year}: "
                "use at the institute only (M2)",
                good,
                show["m2"],
                Code.LOANED,
            ),
            DemoExample(
                "a title with <, & and æøå (look at the slip)", good, show["special"], Code.LOANED
            ),
            DemoExample(
                f"reading-room book printed {self.showcase['m3_digital'].printed_year}: "
                "refused, a digital copy offered (M3)",
                good,
                show["m3_digital"],
                Code.NOT_LOANABLE_READING_ROOM,
            ),
            DemoExample(
                f"reading-room book printed {self.showcase['m3_ill'].printed_year}: "
                "refused, ILL offered (M3)",
                good,
                show["m3_ill"],
                Code.NOT_LOANABLE_READING_ROOM,
            ),
            DemoExample(
                f"reading-room book owned by {self.showcase['m3_other_owner'].owner}, not "
                f"{self.policy.material.kub_owner}: refused (M3)",
                good,
                show["m3_other_owner"],
                Code.NOT_LOANABLE_READING_ROOM,
            ),
            DemoExample(
                "needs a reading-room ID card (M4)", good, show["m4"], Code.NOT_LOANABLE_ID_CARD
            ),
        ]
        on_loan = next(
            (
                loan.item
                for loan in self.loans
                if loan.state == "open" and loan.step is None and not loan.item.is_ill
            ),
            None,
        )
        if on_loan is not None:
            found.append(
                DemoExample("on loan to another borrower", good, on_loan.barcode, Code.ON_LOAN)
            )
        if self.shelf_queues:
            found.append(
                DemoExample(
                    "on the shelf, requested by others first (L3)",
                    good,
                    self.shelf_queues[0].barcode,
                    Code.RESERVED_FOR_OTHER,
                )
            )
        today = self.today

        def first_card(test: Callable[[_Borrower], bool]) -> str | None:
            for borrower in self.borrowers:
                if not borrower.reserved and test(borrower):
                    return borrower.library_card().display
            return None

        causes = {  # S2: holders of an unsettled SUSPENSION case
            loan.borrower
            for loan in self.loans
            if loan.state == "open" and loan.step is Step.SUSPENSION and loan.settled_on is None
        }
        suspended = first_card(
            lambda b: b in causes and b.eligible and b.library_card().valid_on(today)
        )
        cards = (
            ("suspended after the 3rd reminder (S2, S3)", suspended, Code.SUSPENDED),
            (
                "a student: not in the scheme (E1)",
                first_card(lambda b: b.category == "student" and b.library_card().valid_on(today)),
                Code.NOT_ELIGIBLE,
            ),
            (
                "an emeritus without an own office (E1)",
                first_card(
                    lambda b: (
                        b.category == "emeritus"
                        and not b.own_office
                        and b.library_card().valid_on(today)
                    )
                ),
                Code.NOT_ELIGIBLE,
            ),
            (
                "an expired card (U1)",
                first_card(
                    lambda b: (
                        (b.library_card().expires or today) < today
                        and b.library_card().status == "active"
                    )
                ),
                Code.CARD_INVALID,
            ),
            (
                "a card reported lost (U1)",
                first_card(lambda b: any(c.status == "lost" for c in b.cards)),
                Code.CARD_INVALID,
            ),
        )
        for what, card, code in cards:
            if card is not None:
                found.append(DemoExample(what, card, spare, code))
        return tuple(found)


# --------------------------------------------------------------------------
# Writing the plan: Core bulk inserts, ids back by RETURNING


def _insert_returning_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in batches and return their new ids, in order.

    Core on the table, not the ORM bulk path: the ORM splits rows by which
    columns are None and splices the RETURNING rows back quadratically (a
    minute for 20,000 items instead of a fraction of a second).
    """
    if not rows:
        return []
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def _insert_numbered(
    session: Session, model: Any, objects: Sequence[Any], row: Callable[[Any], dict[str, Any]]
) -> None:
    """Insert one row per plan object and give each object its new id."""
    ids = _insert_returning_ids(session, model, [row(o) for o in objects])
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


def _write(session: Session, plan: _Plan) -> None:
    actor = DEMO_ACTOR
    _insert_numbered(
        session,
        Borrower,
        plan.borrowers,
        lambda b: {
            "name": b.name,
            "category": b.category,
            "institute_code": b.institute,
            "own_office": b.own_office,
            "e_resources": b.e_resources,
            "email": b.email,
            "enrolled_on": b.enrolled_on,
        },
    )
    owner_of = {id(c): b for b in plan.borrowers for c in b.cards}
    cards = [c for b in plan.borrowers for c in b.cards]
    _insert_numbered(
        session,
        Card,
        cards,
        lambda c: {
            "borrower_id": owner_of[id(c)].id,
            "kind": c.kind,
            "lookup": c.lookup,
            "display": c.display,
            "expires": c.expires,
            "status": c.status,
            "status_changed_on": c.status_changed_on,
            "replaced_by_id": None,
        },
    )
    replaced = [{"id": c.id, "replaced_by_id": c.replaced_by.id} for c in cards if c.replaced_by]
    if replaced:
        session.execute(update(Card), replaced)

    _insert_numbered(
        session,
        Item,
        plan.items,
        lambda i: {
            "barcode": i.barcode,
            "title": i.title,
            "author": i.author,
            "call_number": i.call_number,
            "material_type": i.material_type,
            "loan_rule": i.loan_rule,
            "owner": i.owner,
            "printed_year": i.printed_year,
            "danish_legal_deposit": i.danish_legal_deposit,
            "price": i.price,
            "is_ill": i.is_ill,
            "ill_lender_country": i.ill_lender_country,
            "reading_room_only": i.reading_room_only,
        },
    )
    _insert_numbered(
        session,
        Dispatch,
        sorted(plan.dispatches, key=lambda d: (d.dispatched_at, d.route)),
        lambda d: {
            "route_code": d.route,
            "day": d.day,
            "dispatched_at": d.dispatched_at,
            "loaded": d.loaded,
            "missing": d.missing,
            "staff": actor.staff,
            "desk": actor.desk,
            "delivered_at": d.delivered_at,
            "delivered_by": actor.staff,
        },
    )
    loans = sorted(plan.loans, key=lambda loan: loan.loaned_at)
    _insert_numbered(session, Loan, loans, _loan_row)

    requests = sorted(plan.requests, key=lambda r: r.placed_at)
    _insert(
        session,
        Request,
        [
            {
                "item_id": r.item.id,
                "borrower_id": r.borrower.id,
                "placed_at": r.placed_at,
                "state": r.state,
                "loan_id": r.loan.id if r.loan else None,
                "ended_at": r.loan.loaned_at if r.loan else None,
                "staff": actor.staff,
                "desk": actor.desk,
            }
            for r in requests
        ],
    )

    audit: list[dict[str, Any]] = []
    _write_notices(session, plan, loans, audit)
    _write_claims(session, plan, loans, audit)

    def entry(at: datetime, action: str, code: Code, rule: str | None, **refs: int | None) -> None:
        audit.append(
            {
                "at": at,
                "staff": actor.staff,
                "desk": actor.desk,
                "action": action,
                "code": code.value,
                "rule": rule_label(rule) if rule else None,
                "borrower_id": refs.get("borrower_id"),
                "item_id": refs.get("item_id"),
                "loan_id": refs.get("loan_id"),
                "detail": _DETAIL,
            }
        )

    for loan in loans:
        who = {"borrower_id": loan.borrower.id, "item_id": loan.item.id, "loan_id": loan.id}
        action = "ill_receive" if loan.item.is_ill else "checkout"
        entry(loan.loaned_at, action, Code.LOANED, loan.rule, **who)
        for day in loan.renew_days:
            entry(plan.at(day), "renew", Code.RENEWED, "L5", **who)
        if loan.state == "returned" and loan.ended_at:
            entry(loan.ended_at, "checkin", Code.RETURNED, "C1", **who)
        if loan.settled_on:
            entry(plan.at(loan.settled_on), "contact", Code.SETTLED, "S5", **who)
        if loan.announced_at:
            entry(loan.announced_at, "announce_return", Code.RETURN_ANNOUNCED, "T4", **who)
    for run in plan.dispatches:
        for at, action, code in (
            (run.dispatched_at, "dispatch", Code.DISPATCHED),
            (run.delivered_at, "deliver", Code.DELIVERED),
        ):
            audit.append(
                {
                    "at": at,
                    "staff": actor.staff,
                    "desk": actor.desk,
                    "action": action,
                    "code": code.value,
                    "rule": rule_label("T4"),
                    "borrower_id": None,
                    "item_id": None,
                    "loan_id": None,
                    "detail": json.dumps(
                        {"route": run.route, "day": run.day.isoformat(), "source": "demo"}
                    ),
                }
            )
    for r in requests:
        entry(
            r.placed_at,
            "request",
            Code.REQUESTED,
            "L3",
            borrower_id=r.borrower.id,
            item_id=r.item.id,
        )
    for card in cards:
        if card.status_changed_on is not None:
            entry(
                plan.at(card.status_changed_on), "card_lost", Code.CARD_REPLACED, "U1",
                borrower_id=owner_of[id(card)].id,
            )  # fmt: skip
    audit.sort(key=lambda row: row["at"])
    _insert(session, AuditEntry, audit)


def _loan_row(loan: _Loan) -> dict[str, Any]:
    last = loan.notices[-1] if loan.notices else None
    return {
        "item_id": loan.item.id,
        "borrower_id": loan.borrower.id,
        "card_id": loan.card.id,
        "capacity": loan.capacity,
        "state": loan.state,
        "loaned_at": loan.loaned_at,
        "loan_date": loan.loan_date,
        "guaranteed_until": loan.guaranteed_until,
        "due": loan.due,
        "delivery": loan.delivery,
        "use_at_institute": loan.use_at_institute,
        "is_ill": loan.item.is_ill,
        "renewals": len(loan.renew_days),
        "step": last[1].step.value if last else None,
        "step_deadline": last[1].deadline if last else None,
        "step_on": last[0] if last else None,
        "settled": loan.settled_on is not None,
        "settled_on": loan.settled_on,
        "agreed_date": loan.agreed,
        "settlement_note": loan.note,
        "transit": loan.transit.value if loan.transit else None,
        "dispatch_id": loan.dispatch.id if loan.dispatch else None,
        "delivered_at": loan.delivered_at,
        "return_announced_on": loan.announced_on,
        "ended_at": loan.ended_at,
        "staff": DEMO_ACTOR.staff,
        "desk": DEMO_ACTOR.desk,
    }


def _write_notices(
    session: Session, plan: _Plan, loans: list[_Loan], audit: list[dict[str, Any]]
) -> None:
    """S6: every notice the daily runs sent, one run per day up to yesterday."""
    sent = [(day, notice, loan) for loan in loans for day, notice in loan.notices]
    if not sent:
        return
    first = min(day for day, _, _ in sent)
    days = [first + timedelta(days=i) for i in range((plan.yesterday - first).days + 1)]
    per_day: dict[date, int] = {}
    for day, _, _ in sent:
        per_day[day] = per_day.get(day, 0) + 1
    run_times = {day: datetime.combine(day, time(7, 0)) for day in days}
    run_ids = _insert_returning_ids(
        session,
        NoticeRun,
        [
            {
                "run_date": day,
                "ran_at": run_times[day],
                "notices": per_day.get(day, 0),
                "staff": DEMO_ACTOR.staff,
                "desk": DEMO_ACTOR.desk,
            }
            for day in days
        ],
    )
    run_of = dict(zip(days, run_ids, strict=True))
    _insert(
        session,
        Notice,
        [
            {
                "run_id": run_of[day],
                "loan_id": loan.id,
                "borrower_id": loan.borrower.id,
                "step": notice.step.value,
                "sent_on": day,
                "deadline": notice.deadline,
                # e-mailed (see _demo_outbox); yesterday's still wait
                "delivered_at": None
                if day == plan.yesterday or not loan.borrower.email
                else run_times[day] + timedelta(minutes=2),
            }
            for day, notice, loan in sorted(sent, key=lambda s: (s[0], s[2].id))
        ],
    )
    _insert(session, NoticeMail, _demo_outbox(plan, sent, run_of, run_times))
    for day in days:
        audit.append(
            {
                "at": run_times[day],
                "staff": DEMO_ACTOR.staff,
                "desk": DEMO_ACTOR.desk,
                "action": "notices",
                "code": Code.NOTICES.value,
                "rule": rule_label("S6"),
                "borrower_id": None,
                "item_id": None,
                "loan_id": None,
                "detail": json.dumps({"count": per_day.get(day, 0), "source": "demo"}),
            }
        )


def _demo_outbox(
    plan: _Plan,
    sent: list[tuple[date, LadderNotice, _Loan]],
    run_of: dict[date, int],
    run_times: dict[date, datetime],
) -> list[dict[str, Any]]:
    """One message per borrower per run (S6): earlier days' were e-mailed,
    yesterday's wait for a mail server (none is set up on a demo desk); a
    borrower without an address gets letters on paper."""
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for day, _notice, loan in sent:
        borrower = loan.borrower
        key = (run_of[day], borrower.id)
        if key in rows:
            continue
        state = "sent" if borrower.email else "postal"
        if state == "sent" and day == plan.yesterday:
            state = "pending"
        rows[key] = {
            "run_id": key[0],
            "borrower_id": borrower.id,
            "address": borrower.email,
            "state": state,
            "attempts": int(state == "sent"),
            "last_attempt_at": run_times[day] if state == "sent" else None,
            "sent_at": run_times[day] + timedelta(minutes=2) if state == "sent" else None,
            "message_id": f"<notice.{key[0]}.{key[1]}@kb.dk>" if state == "sent" else None,
        }
    return list(rows.values())


def _write_claims(
    session: Session, plan: _Plan, loans: list[_Loan], audit: list[dict[str, Any]]
) -> None:
    """C2/C3: a claim per lost loan; last half-year's are billed already."""
    rows = []
    this_half = HalfYear.containing(plan.today)
    for loan in loans:
        if loan.state != "lost" or loan.ended_at is None:
            continue
        opened = loan.ended_at.date()
        amounts = claim_amounts(
            plan.policy,
            item_price=loan.item.price,
            material_type=loan.item.material_type,
            entered_amount=None,
        )
        half = HalfYear.containing(opened)
        billed_on = half.last_day + timedelta(days=10)
        billed = half != this_half and billed_on <= plan.yesterday
        rows.append(
            {
                "loan_id": loan.id,
                "item_id": loan.item.id,
                "borrower_id": loan.borrower.id,
                "faculty_code": loan.borrower.faculty,
                "capacity": loan.capacity,
                "opened_on": opened,
                "amount": amounts.amount,
                "fee": amounts.fee,
                "state": "billed" if billed else "open",
                "billed_period": str(half) if billed else None,
                "billed_on": billed_on if billed else None,
                "refund": None,
                "closed_on": None,
            }
        )
        for at, action, code, rule in (
            (loan.ended_at, "lost", Code.LOST, "C2"),
            *([(plan.at(billed_on), "claims", Code.BILLED, "C3")] if billed else []),
        ):
            audit.append(
                {
                    "at": at,
                    "staff": DEMO_ACTOR.staff,
                    "desk": DEMO_ACTOR.desk,
                    "action": action,
                    "code": code.value,
                    "rule": rule_label(rule),
                    "borrower_id": loan.borrower.id,
                    "item_id": loan.item.id,
                    "loan_id": loan.id,
                    "detail": _DETAIL,
                }
            )
    _insert(session, Claim, rows)


# --------------------------------------------------------------------------
# Counting what is there


def _grouped(session: Session, column: Any, *where: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    return {str(key) if key is not None else "none": count for key, count in rows}


def demo_counts(
    session: Session,
    today: date,
    created: bool,
    examples: tuple[DemoExample, ...] = (),
    staff: tuple[DemoStaff, ...] = (),
) -> DemoSummary:
    """Count the database's contents (whatever made them) the way the demo reports them."""
    open_institute = (Loan.state == "open", Loan.capacity == "institute")

    def number(model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    steps = _grouped(session, Loan.step, *open_institute, Loan.settled.is_(False))
    ordered = {"none": steps.get("none", 0)} | {s.value: steps.get(s.value, 0) for s in Step}
    return DemoSummary(
        created=created,
        today=today,
        borrowers=number(Borrower),
        borrowers_by_category=_grouped(session, Borrower.category),
        items=number(Item),
        items_by_rule=_grouped(session, Item.loan_rule),
        open_loans=number(Loan, Loan.state == "open"),
        loans_by_step=ordered,
        settled_cases=number(Loan, *open_institute, Loan.settled.is_(True)),
        private_loans=number(Loan, Loan.state == "open", Loan.capacity == "private"),
        ill_loans=number(Loan, Loan.state == "open", Loan.is_ill.is_(True)),
        use_at_institute_loans=number(Loan, Loan.state == "open", Loan.use_at_institute.is_(True)),
        active_requests=number(Request, Request.state == "active"),
        suspended_borrowers=int(
            session.scalar(
                select(func.count(func.distinct(Loan.borrower_id))).where(
                    *open_institute,
                    Loan.step == Step.SUSPENSION.value,
                    Loan.settled.is_(False),
                )
            )
            or 0
        ),
        library_cards=number(Card, Card.kind == "library"),
        health_cards=number(Card, Card.kind == "health"),
        expired_cards=number(Card, Card.status == "active", Card.expires < today),
        lost_cards=number(Card, Card.status == "lost"),
        replaced_cards=number(Card, Card.status == "replaced"),
        open_claims=number(Claim, Claim.state == "open"),
        examples=examples,
        staff=staff,
    )


def has_data(session: Session) -> bool:
    """A database with borrowers or items is someone's: the demo leaves it alone."""
    return any(
        session.scalar(select(func.count()).select_from(model)) for model in (Borrower, Item)
    )


def fill_demo(
    ctx: DeskContext, borrowers: int = 2000, items: int = 20000, seed: int = 2017
) -> DemoSummary:
    """Fill an empty database with the demo, in one transaction.

    A database that already has borrowers or items is left exactly as it was
    (``created`` is False): the demo must never mix made-up people into real
    data. Raises ValueError for sizes too small to show every case.
    """
    if borrowers < MIN_BORROWERS or items < MIN_ITEMS:
        raise ValueError(
            f"the demo needs at least {MIN_BORROWERS} borrowers and {MIN_ITEMS} items "
            "to show every case"
        )
    now = ctx.now()
    today = now.date()
    with ctx.sessions.begin() as session:
        if has_data(session):
            return demo_counts(session, today, created=False)
        plan = _Plan(ctx.policy, today, ctx.cpr_key, seed, now)
        n_ill = max(3, round(0.006 * borrowers))
        plan.build_borrowers(borrowers)
        plan.build_items(items - n_ill, n_ill)
        plan.build_loans(borrowers, items - n_ill)
        upsert_institutes(session, policy_institutes(ctx.policy), ctx.policy)
        session.flush()
        _write(session, plan)
        staff = _add_demo_staff(session)
        summary = demo_counts(session, today, created=True, examples=plan.examples(), staff=staff)
    return replace(summary, courier=courier_work(ctx, today))


def courier_work(ctx: DeskContext, day: date) -> tuple[RouteWork, ...]:
    """Each route's manifest for ``day``, counted: the very manifests the
    desk prints (``services.transport``), so the summary cannot disagree."""
    work = []
    for route in transport.routes(ctx, _DEMO_READER):
        sheet = transport.manifest(ctx, _DEMO_READER, route.code, day, DEMO_ACTOR.desk)
        if not isinstance(sheet, ManifestData):
            continue
        first = next((line.item_barcode for s in sheet.stops for line in s.deliver), None)
        work.append(
            RouteWork(
                route.code,
                route.name,
                route.internal_courier,
                len(sheet.stops),
                sheet.deliver_count,
                sheet.collect_count,
                first,
            )
        )
    return tuple(work)


def _add_demo_staff(session: Session) -> tuple[DemoStaff, ...]:
    """Sign-in accounts for each role, so every screen can be tried. A name
    or card already taken (someone set up their own staff first) is skipped:
    the demo never changes a real account's PIN."""
    names = {name.casefold() for name in session.scalars(select(Staff.name))}
    cards = set(session.scalars(select(Staff.card).where(Staff.card.is_not(None))))
    added = []
    for member in DEMO_STAFF:
        if member.name.casefold() in names or member.card in cards:
            continue
        add_staff_record(session, member.name, member.role, member.pin, member.card)
        added.append(member)
    return tuple(added)
