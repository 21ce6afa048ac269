"""The scheme's local practice as one typed, frozen value.

Every period, interval, fee and price the rules use lives here, loaded from
``resources/policy.toml`` (see ``desk_app.policy_file``); rules never hold a
number of their own, so a library changes practice by editing that file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from desk_app.domain.calendar import Period, add_period

# --------------------------------------------------------------------------
# Sane bounds for periods (issue 13): a value outside them is a slip of the
# keyboard ("P9000Y" for "P90D"), refused when the file is loaded rather than
# found by a checkout that adds it to a date. The other bounds (amounts,
# years, stops, text lengths) are ``domain.bounds``', shared with the replay.

SHORTEST_PERIOD = Period(days=1)
LONGEST_PERIOD = Period(years=10)

# Lengths are measured from one fixed day, so a period's place in the bounds
# does not depend on when the file is read (10 years = 3653 days from it).
_REFERENCE_DAY = date(2000, 1, 1)
# Larger parts cannot be in bounds; checked first, so the date arithmetic
# below never leaves the calendar (date.max is 9999-12-31).
_MAX_PARTS = Period(years=1000, months=12_000, days=366_000)


def period_days(period: Period) -> int:
    """The period's length in days, counted from a fixed reference day."""
    return (add_period(_REFERENCE_DAY, period) - _REFERENCE_DAY).days


def period_in_bounds(
    period: Period, shortest: Period = SHORTEST_PERIOD, longest: Period = LONGEST_PERIOD
) -> bool:
    """Whether ``period`` is at least ``shortest`` and at most ``longest`` long."""
    if (
        period.years > _MAX_PARTS.years
        or period.months > _MAX_PARTS.months
        or period.days > _MAX_PARTS.days
    ):
        return False
    return period_days(shortest) <= period_days(period) <= period_days(longest)


class Faculty(StrEnum):
    SCIENCE = "SCIENCE"
    HUM = "HUM"
    SAMF = "SAMF"
    JUR = "JUR"
    SUND = "SUND"
    TEO = "TEO"


class Delivery(StrEnum):
    """§3: how an institute receives its loans (T1 to T3)."""

    COURIER = "courier"
    SELF_PICKUP = "self_pickup"
    INTERNAL_COURIER = "internal_courier"


@dataclass(frozen=True)
class LoanPolicy:
    standard: Period  # L1
    guaranteed: Period  # L2
    guaranteed_if_requested: Period  # L2, L3
    renewal_extension: Period  # L5
    renewal_horizon: Period  # L5


@dataclass(frozen=True)
class LadderPolicy:
    recall_deadline: Period  # §5 RECALL
    reminder_interval: Period  # §5 REMINDER_1..3
    agreed_after_contact: Period  # S5


@dataclass(frozen=True)
class MaterialPolicy:
    """§2 year limits and the owner code of KUB's own collections."""

    kub_owner: str
    reading_room_first_year: int  # M2: printed 1800 ..
    reading_room_age_years: int  # M2: .. current year - 100
    digital_copy_years: tuple[int, int]  # M3: legal deposit 1701..1916
    ill_printed_after: int  # M3: ILL for books printed after 1900


@dataclass(frozen=True)
class IllPolicy:
    home_country: str  # I2: lenders in this country lend longer
    period_abroad: Period
    period_home: Period


@dataclass(frozen=True)
class FeePolicy:
    collection_fee: Decimal  # C2
    default_replacement_price: Decimal  # C2
    replacement_price_by_material: dict[str, Decimal]  # C2, by material type
    copy_price_per_page: Decimal  # K3
    damage_charge: Decimal  # U2 (price list)


@dataclass(frozen=True)
class PrivatePolicy:
    loan_period: Period  # P1
    late_fee_per_started_week: Decimal  # P1


@dataclass(frozen=True)
class TransportPolicy:
    """Where items wait that do not travel (T2, I3); names as printed on slips."""

    reading_room: str = "Reading Room West, the Black Diamond"  # I3
    reading_room_da: str = "Læsesal Vest, Den Sorte Diamant"  # I3


@dataclass(frozen=True)
class Route:
    code: str
    name: str
    delivery: Delivery  # courier or internal_courier


@dataclass(frozen=True)
class Institute:
    code: str
    name: str
    name_da: str
    faculty: Faculty
    delivery: Delivery
    route: str | None
    stop: int | None
    address: str


@dataclass(frozen=True)
class Policy:
    loan: LoanPolicy
    ladder: LadderPolicy
    material: MaterialPolicy
    ill: IllPolicy
    fees: FeePolicy
    private: PrivatePolicy
    faculties: dict[str, str] = field(default_factory=dict)  # code -> name
    routes: tuple[Route, ...] = ()
    institutes: tuple[Institute, ...] = ()
    transport: TransportPolicy = field(default_factory=TransportPolicy)

    def replacement_price(self, material_type: str | None) -> Decimal:
        """C2: the default price for an item that carries none of its own."""
        if material_type and material_type in self.fees.replacement_price_by_material:
            return self.fees.replacement_price_by_material[material_type]
        return self.fees.default_replacement_price
