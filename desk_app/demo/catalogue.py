"""What is on the shelves: books above all, some journals, maps, scores and
recordings; most for home loan, some for the reading room only (M2, M3), a
few only against a reading-room ID card (M4); most KUB's own, some the
national collections' (KB, SA); and, at the demo's scale, interlibrary loans
from abroad and at home (I2, I3) and one book for each rule a newcomer tries.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from desk_app.demo.people import INSTITUTION
from desk_app.demo.words import (
    DK5,
    FEMALE,
    INTERNATIONAL_LAST,
    LC,
    MALE,
    OLD_SHELVES,
    PATTERNS_AV,
    PATTERNS_DA,
    PATTERNS_EN,
    PATTERNS_JOURNAL,
    PATTERNS_MAP,
    PATTERNS_OLD,
    PLACES_OLD,
    SCORES,
    SPECIAL_TITLES,
    SURNAMES,
    TOPICS_DA,
    TOPICS_EN,
    ascii_of,
    capitalised,
)
from desk_app.domain.barcodes import with_check_digit
from desk_app.domain.facts import Capacity, ItemFacts, LoanRule
from desk_app.domain.material import Lendable, check_lendable
from desk_app.domain.policy import Policy

if TYPE_CHECKING:
    from desk_app.demo.plan import DemoPlan

OTHER_OWNERS = ("KB", "SA")  # the Royal Library's national collections, not KUB
ILL_COUNTRIES = ("DK", "DK", "DE", "SE", "NO", "GB", "US", "NL")
MATERIALS = {"book": 80, "journal": 8, "map": 4, "score": 4, "av": 4}  # relative shares
HOME_SHARE, READING_ROOM_SHARE = 0.88, 0.10  # the rest: reading room against an ID card (M4)
ILL_BARCODES = 90_000_000  # ILL items' sequence numbers start here


def item_barcode(sequence: int) -> str:
    """Item number ``sequence``: the B1 item pattern with its check digit (B2)."""
    return with_check_digit(f"3{INSTITUTION}{sequence:08d}")


@dataclass(eq=False)
class ItemPlan:
    barcode: str
    title: str
    author: str | None
    call_number: str | None
    material_type: str
    loan_rule: LoanRule
    owner: str
    printed_year: int | None
    danish_legal_deposit: bool
    price: Decimal | None
    is_ill: bool = False
    ill_lender_country: str | None = None
    reading_room_only: bool = False
    id: int = 0

    def facts(self) -> ItemFacts:
        """The item as the domain's rules see it (§2)."""
        return ItemFacts(
            barcode=self.barcode,
            title=self.title,
            loan_rule=self.loan_rule,
            owner=self.owner,
            printed_year=self.printed_year,
            danish_legal_deposit=self.danish_legal_deposit,
            is_ill=self.is_ill,
        )


ITEM_COLUMNS = (
    "barcode",
    "title",
    "author",
    "call_number",
    "material_type",
    "loan_rule",
    "owner",
    "printed_year",
    "danish_legal_deposit",
    "price",
    "is_ill",
    "ill_lender_country",
    "reading_room_only",
)


def item_values(i: ItemPlan) -> tuple[Any, ...]:
    """The item's row, in ``ITEM_COLUMNS`` order."""
    return (
        i.barcode,
        i.title,
        i.author,
        i.call_number,
        i.material_type,
        i.loan_rule,
        i.owner,
        i.printed_year,
        i.danish_legal_deposit,
        i.price,
        i.is_ill,
        i.ill_lender_country,
        i.reading_room_only,
    )


class Shelves:
    """Makes items the way a research library's catalogue holds them, for a
    policy (its materials, its owner) in a year."""

    def __init__(self, policy: Policy, year_now: int) -> None:
        self.year_now = year_now
        self.kub = policy.material.kub_owner
        materials = [m for m in MATERIALS if m in policy.fees.replacement_price_by_material]
        self.material_cum = list(accumulate(MATERIALS[m] for m in materials)) or [1]
        self.materials = materials or ["book"]

    def random_item(
        self,
        rng: random.Random,
        barcode: str,
        *,
        rule: LoanRule | None = None,
        title: str | None = None,
    ) -> ItemPlan:
        """An item of the catalogue's mix: its loan rule (unless given), age,
        owner and material."""
        if rule is None:
            draw = rng.random()
            rule = (
                LoanRule.HOME
                if draw < HOME_SHARE
                else LoanRule.READING_ROOM
                if draw < HOME_SHARE + READING_ROOM_SHARE
                else LoanRule.READING_ROOM_ID
            )
        if rule is not LoanRule.HOME:
            year = rng.randint(1650, 2020)  # M2 and M3 both occur
        elif rng.random() < 0.05:
            year = rng.randint(1800, 1950)
        else:
            year = self.year_now - int(rng.triangular(0, 75, 0))
        other = rng.random() < (0.10 if rule is LoanRule.HOME else 0.15)
        owner = rng.choice(OTHER_OWNERS) if other else self.kub
        cum = self.material_cum
        material = self.materials[bisect_left(cum, rng.random() * cum[-1])]
        return make_item(rng, barcode, material, rule, owner, year, None, title)


def make_item(
    rng: random.Random,
    barcode: str,
    material: str,
    rule: LoanRule,
    owner: str,
    year: int,
    deposit: bool | None,
    title: str | None,
) -> ItemPlan:
    """An item with an author, title, shelf mark and price that fit its age
    and language."""
    danish = rng.random() < (0.9 if year < 1900 else 0.45)
    first = rng.choice(FEMALE + MALE)
    last = rng.choice(SURNAMES if danish else INTERNATIONAL_LAST + SURNAMES[:8])
    author: str | None = f"{last}, {first}"
    if title is None:
        title, author = make_title(rng, material, danish, year, author)
    call = call_number(rng, year, danish, last)
    if deposit is None:  # the Danish legal deposit: Danish imprints
        deposit = danish and rng.random() < 0.9
    price = None
    if rng.random() < 0.7:
        price = Decimal(rng.randrange(95, 1800, 5)) + (Decimal("0.95") if rng.random() < 0.2 else 0)
    return ItemPlan(barcode, title, author, call, material, rule, owner, year, deposit, price)


def call_number(rng: random.Random, year: int, danish: bool, author: str) -> str:
    """Old KB shelf marks before 1900, DK5 for Danish books, LC otherwise."""
    if year < 1900:
        size = rng.choice(("4°", "8°", "fol."))
        return f"{rng.choice(OLD_SHELVES)} {rng.randint(10, 4999)} {size}"
    if danish:
        return f"{rng.choice(DK5)} {capitalised(ascii_of(author)[:3])}"
    cutter = f"{author[0].upper()}{rng.randint(10, 99)}"
    return f"{rng.choice(LC)}{rng.randint(1, 999)}.{rng.randint(1, 99)} .{cutter} {year}"


def make_title(
    rng: random.Random, material: str, danish: bool, year: int, author: str | None
) -> tuple[str, str | None]:
    """A title of the material's kind (a journal, map, score or recording has
    no personal author)."""
    t_da, u_da = rng.sample(TOPICS_DA, 2)
    t_en, u_en = rng.sample(TOPICS_EN, 2)
    y1 = rng.randint(1500, 1950)
    fill = {
        "t": t_da if danish else t_en,
        "T": capitalised(t_da if danish else t_en),
        "u": u_da if danish else u_en,
        "y1": y1,
        "y2": y1 + rng.choice((25, 50, 75, 100)),
        "p": rng.choice(PLACES_OLD),
        "e": t_en,
        "E": capitalised(t_en),
        "n": rng.randint(1, 6),
    }
    if material == "journal":
        return rng.choice(PATTERNS_JOURNAL).format(**fill) + f", årg. {year}", None
    if material == "map":
        return rng.choice(PATTERNS_MAP).format(**fill), None
    if material == "score":
        return rng.choice(SCORES).format(**fill), None
    if material == "av":
        return rng.choice(PATTERNS_AV).format(**fill), None
    if year < 1900 and danish:
        return rng.choice(PATTERNS_OLD).format(**fill), author
    return rng.choice(PATTERNS_DA if danish else PATTERNS_EN).format(**fill), author


def plan_items(plan: DemoPlan, n_catalogue: int, n_ill: int) -> None:
    """The demo's catalogue: the showcase first (one book per rule a newcomer
    tries), then the mix, then the ILL items on loan from other libraries."""
    rng = plan.rng
    year_now = plan.today.year
    m2_last = year_now - plan.policy.material.reading_room_age_years
    kub = plan.policy.material.kub_owner
    showcase = {  # name: (loan rule, owner, year, legal deposit, title or None)
        "special": (LoanRule.HOME, kub, 1998, True, SPECIAL_TITLES[0]),
        "try1": (LoanRule.HOME, kub, 2011, False, None),
        "try2": (LoanRule.HOME, kub, 2016, True, None),
        "try3": (LoanRule.HOME, kub, 2004, False, None),
        "m2": (LoanRule.READING_ROOM, kub, max(1800, min(1856, m2_last)), True, None),
        "m3_digital": (LoanRule.READING_ROOM, kub, 1756, True, None),
        "m3_ill": (LoanRule.READING_ROOM, kub, year_now - 40, True, None),
        "m3_other_owner": (LoanRule.READING_ROOM, OTHER_OWNERS[0], 1872, True, None),
        "m4": (LoanRule.READING_ROOM_ID, kub, 1788, True, None),
    }
    shelves = Shelves(plan.policy, year_now)
    sequence = rng.randrange(1_000_000, 5_000_000)
    for i in range(n_catalogue):
        sequence += rng.randint(1, 4)
        barcode = item_barcode(sequence)
        if i < len(showcase):
            name, (rule, owner, year, deposit, title) = list(showcase.items())[i]
            plan.showcase[name] = make_item(rng, barcode, "book", rule, owner, year, deposit, title)
            plan.items.append(plan.showcase[name])
            continue
        title = SPECIAL_TITLES[1] if i == len(showcase) else None
        item = shelves.random_item(rng, barcode, title=title)
        plan.items.append(item)
        if item.loan_rule is LoanRule.HOME:
            plan.home_pool.append(item)
        elif isinstance(
            check_lendable(item.facts(), Capacity.INSTITUTE, plan.today, plan.policy.material),
            Lendable,
        ):
            plan.m2_pool.append(item)
    for i in range(n_ill):
        country = ILL_COUNTRIES[i % len(ILL_COUNTRIES)]
        barcode = item_barcode(ILL_BARCODES + i)
        year = rng.randint(1960, year_now)
        item = make_item(rng, barcode, "book", LoanRule.HOME, f"ILL:{country}", year, False, None)
        item.is_ill, item.ill_lender_country = True, country
        item.reading_room_only = i % 4 == 3
        plan.items.append(item)
    rng.shuffle(plan.home_pool)
    rng.shuffle(plan.m2_pool)
