"""Load ``policy.toml`` into the frozen :class:`~desk_app.domain.policy.Policy`.

A malformed file must stop start-up with the key and the reason, so every
value is read through one checked accessor that knows its dotted key. The
bounds are :mod:`desk_app.domain.bounds`, the same a replay file is held to.
"""

from __future__ import annotations

import tomllib
import unicodedata
from decimal import Decimal, InvalidOperation
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from desk_app.domain.bounds import (
    ADDRESS_LENGTH,
    AGE_YEARS,
    AMOUNT_PLACES,
    CODE_LENGTH,
    LARGEST_AMOUNT,
    MATERIAL_TYPE_LENGTH,
    NAME_LENGTH,
    OWNER_LENGTH,
    STOPS,
    YEARS,
)
from desk_app.domain.calendar import Period
from desk_app.domain.policy import (
    LONGEST_PERIOD,
    SHORTEST_PERIOD,
    Delivery,
    Faculty,
    FeePolicy,
    IllPolicy,
    Institute,
    LadderPolicy,
    LoanPolicy,
    MaterialPolicy,
    Policy,
    PrivatePolicy,
    Route,
    TransportPolicy,
    period_in_bounds,
)

# How much of a bad value a message quotes: enough to find it in the file,
# never a screenful (a message is one line).
_SHOWN = 40


class PolicyError(ValueError):
    """The policy file is unusable; ``key`` says where, the message says why."""

    def __init__(self, key: str, reason: str, source: str = "policy") -> None:
        super().__init__(f"{source}: {key}: {reason}")
        self.key = key
        self.reason = reason


def default_policy_text() -> str:
    return resources.files("desk_app.resources").joinpath("policy.toml").read_text("utf-8")


def load_policy(path: Path | str | None = None) -> Policy:
    """The default KB/KU policy, or the file at ``path``."""
    if path is None:
        return parse_policy(default_policy_text(), source="resources/policy.toml")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError("(file)", f"cannot read {path}: {exc.strerror}", str(path)) from exc
    try:
        # utf-8-sig: Notepad's byte-order mark is not a TOML syntax error
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            "(file)",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            str(path),
        ) from exc
    return parse_policy(text, source=str(path))


def parse_policy(text: str, source: str = "policy") -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("(syntax)", str(exc), source) from exc
    except ValueError as exc:  # an integer beyond Python's 4300 digits
        raise PolicyError("(syntax)", "a number too long to read", source) from exc
    except RecursionError as exc:  # arrays or tables nested thousands deep
        raise PolicyError("(syntax)", "arrays or tables nested too deeply", source) from exc
    r = _Reader(data, source)
    faculties = {f.value: f.value for f in Faculty}
    for i, fac in enumerate(r.list("faculties", required=False)):
        code = r.enum(fac, f"faculties[{i}].code", Faculty)
        faculties[code.value] = r.str(fac, f"faculties[{i}].name", NAME_LENGTH)
    routes = tuple(
        Route(
            code=r.str(rt, f"routes[{i}].code", CODE_LENGTH),
            name=r.str(rt, f"routes[{i}].name", NAME_LENGTH),
            delivery=r.enum(rt, f"routes[{i}].delivery", Delivery),
        )
        for i, rt in enumerate(r.list("routes", required=False))
    )
    _no_duplicates(routes, "routes", source)
    for i, rt in enumerate(routes):
        if not (rt.code.isascii() and rt.code.isalnum() and rt.code.upper() == rt.code):
            # T4: the code is printed in the manifest's barcode and on every slip
            raise PolicyError(
                f"routes[{i}].code", f"{rt.code!r}: use capital letters A-Z and digits", source
            )
    route_delivery = {rt.code: rt.delivery for rt in routes}
    route_codes = set(route_delivery)
    institutes = []
    for i, inst in enumerate(r.list("institutes", required=False)):
        key = f"institutes[{i}]"
        delivery = r.enum(inst, f"{key}.delivery", Delivery)
        route = r.opt_str(inst, f"{key}.route", CODE_LENGTH)
        if delivery is not Delivery.SELF_PICKUP and route is None:
            raise PolicyError(f"{key}.route", f"needed for delivery {delivery.value}", source)
        if route is not None and route not in route_codes:
            raise PolicyError(f"{key}.route", f"no route with code {_show(route)}", source)
        if (
            route is not None
            and route_delivery[route] is not delivery
            and delivery is not Delivery.SELF_PICKUP
        ):
            raise PolicyError(
                f"{key}.route",
                f"route {route!r} is {route_delivery[route].value}, "
                f"the institute is {delivery.value}",
                source,
            )
        institutes.append(
            Institute(
                code=r.str(inst, f"{key}.code", CODE_LENGTH),
                name=r.str(inst, f"{key}.name", NAME_LENGTH),
                name_da=r.opt_str(inst, f"{key}.name_da", NAME_LENGTH)
                or r.str(inst, f"{key}.name", NAME_LENGTH),
                faculty=r.enum(inst, f"{key}.faculty", Faculty),
                delivery=delivery,
                route=route,
                stop=r.opt_int(inst, f"{key}.stop", STOPS),
                address=r.opt_str(inst, f"{key}.address", ADDRESS_LENGTH) or "",
            )
        )
    _no_duplicates(institutes, "institutes", source)
    by_material = r.table("fees.replacement_price_by_material", required=False)
    for k in by_material:
        if not (0 < len(k) <= MATERIAL_TYPE_LENGTH and k.isprintable()):
            raise PolicyError(
                "fees.replacement_price_by_material",
                f"{_show(k)} is not a material type "
                f"(1 to {MATERIAL_TYPE_LENGTH} printable characters)",
                source,
            )
    transport = r.table("transport", required=False)
    default_transport = TransportPolicy()
    return Policy(
        loan=LoanPolicy(
            standard=r.period(data, "loan.standard"),
            guaranteed=r.period(data, "loan.guaranteed"),
            guaranteed_if_requested=r.period(data, "loan.guaranteed_if_requested"),
            renewal_extension=r.period(data, "loan.renewal_extension"),
            renewal_horizon=r.period(data, "loan.renewal_horizon"),
        ),
        ladder=LadderPolicy(
            recall_deadline=r.period(data, "ladder.recall_deadline"),
            reminder_interval=r.period(data, "ladder.reminder_interval"),
            agreed_after_contact=r.period(data, "ladder.agreed_after_contact"),
        ),
        material=MaterialPolicy(
            kub_owner=r.str(data, "material.kub_owner", OWNER_LENGTH),
            reading_room_first_year=r.int(data, "material.reading_room_first_year", YEARS),
            reading_room_age_years=r.int(data, "material.reading_room_age_years", AGE_YEARS),
            digital_copy_years=r.year_span(
                data, "material.digital_copy_first_year", "material.digital_copy_last_year"
            ),
            ill_printed_after=r.int(data, "material.ill_printed_after", YEARS),
        ),
        ill=IllPolicy(
            home_country=r.country(data, "ill.home_country"),
            period_abroad=r.period(data, "ill.period_abroad"),
            period_home=r.period(data, "ill.period_home"),
        ),
        fees=FeePolicy(
            collection_fee=r.money(data, "fees.collection_fee"),
            default_replacement_price=r.money(data, "fees.default_replacement_price"),
            replacement_price_by_material={
                k: r.money(by_material, f"fees.replacement_price_by_material.{k}")
                for k in by_material
            },
            copy_price_per_page=r.money(data, "fees.copy_price_per_page"),
            damage_charge=r.money(data, "fees.damage_charge"),
        ),
        private=PrivatePolicy(
            loan_period=r.period(data, "private.loan_period"),
            late_fee_per_started_week=r.money(data, "private.late_fee_per_started_week"),
        ),
        faculties=faculties,
        routes=routes,
        institutes=tuple(institutes),
        transport=TransportPolicy(
            reading_room=r.opt_str(transport, "transport.reading_room", NAME_LENGTH)
            or default_transport.reading_room,
            reading_room_da=r.opt_str(transport, "transport.reading_room_da", NAME_LENGTH)
            or default_transport.reading_room_da,
        ),
    )


def _show(value: Any) -> str:
    """``value`` as a message quotes it: its repr (so control characters and
    lone surrogates are escaped), cut to a few dozen characters."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's 4300-digit conversion limit
        return "a number too long to show"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _range(bounds: tuple[int, int]) -> str:
    return f"{bounds[0]} to {bounds[1]}"


def _no_duplicates(entries: list[Any] | tuple[Any, ...], key: str, source: str) -> None:
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.code in seen:
            raise PolicyError(
                f"{key}[{i}].code", f"{entry.code!r} repeats {key}[{seen[entry.code]}]", source
            )
        seen[entry.code] = i


# The reader's methods are named for what they read (``r.str``, ``r.int``), so
# inside its class those names are the methods: its annotations use these.
_Table = dict[str, Any]
_Text = str
_Whole = int
_Bounds = tuple[int, int]


class _Reader:
    """Checked access by dotted key; every failure names the key."""

    def __init__(self, data: _Table, source: _Text) -> None:
        self.data = data
        self.source = source

    def _fail(self, key: _Text, reason: _Text) -> PolicyError:
        return PolicyError(key, reason, self.source)

    def _get(self, table: _Table, key: _Text, required: bool = True) -> Any:
        node: Any = table
        # Top-level keys are dotted paths; inside a list entry or sub-table
        # only the last part is looked up (the rest names it for messages).
        parts = key.split(".") if table is self.data else [key.rsplit(".", 1)[-1]]
        for part in parts:
            if not isinstance(node, dict) or part not in node:
                if required:
                    raise self._fail(key, "missing")
                return None
            node = node[part]
        return node

    def table(self, key: _Text, required: bool = True) -> _Table:
        value = self._get(self.data, key, required)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._fail(key, "must be a table")
        return value

    def list(self, key: _Text, required: bool = True) -> list[_Table]:
        value = self._get(self.data, key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, "must be an array of tables ([[...]])")
        return value

    def _text(self, value: _Text, key: _Text, max_length: _Whole) -> _Text:
        """A text the desk stores and prints: within its column, no control
        characters or lone surrogates (which no database or printer takes)."""
        if len(value) > max_length:
            raise self._fail(key, f"{_show(value)} is longer than {max_length} characters")
        if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
            raise self._fail(key, f"{_show(value)} holds a control character")
        return value

    def str(self, table: _Table, key: _Text, max_length: _Whole = NAME_LENGTH) -> _Text:
        value = self._get(table, key)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "must be a non-empty string")
        return self._text(value, key, max_length)

    def opt_str(self, table: _Table, key: _Text, max_length: _Whole = NAME_LENGTH) -> _Text | None:
        value = self._get(table, key, required=False)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._fail(key, "must be a string")
        return self._text(value, key, max_length) or None

    def int(self, table: _Table, key: _Text, bounds: _Bounds) -> _Whole:
        value = self._get(table, key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(key, f"must be a whole number, not {_show(value)}")
        if not bounds[0] <= value <= bounds[1]:
            raise self._fail(key, f"{_show(value)} is outside the allowed range {_range(bounds)}")
        return value

    def opt_int(self, table: _Table, key: _Text, bounds: _Bounds) -> _Whole | None:
        if self._get(table, key, required=False) is None:
            return None
        return self.int(table, key, bounds)

    def year_span(self, table: _Table, first: _Text, last: _Text) -> _Bounds:
        span = (self.int(table, first, YEARS), self.int(table, last, YEARS))
        if span[0] > span[1]:
            raise self._fail(last, f"{span[1]} is before {first} ({span[0]})")
        return span

    def country(self, table: _Table, key: _Text) -> _Text:
        value = self.str(table, key, 3)
        if not (value.isascii() and value.isalpha() and len(value) >= 2):
            raise self._fail(key, f"{_show(value)} is not a country code like DK")
        return value.upper()

    def money(self, table: _Table, key: _Text) -> Decimal:
        value = self._get(table, key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self._fail(key, f"must be an amount in DKK, not {_show(value)}")
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError) as exc:
            raise self._fail(key, f"must be an amount in DKK, not {_show(value)}") from exc
        if not amount.is_finite():
            raise self._fail(key, f"must be a finite amount in DKK, not {_show(value)}")
        if amount < 0:
            raise self._fail(key, "must not be negative")
        if amount > LARGEST_AMOUNT:
            raise self._fail(
                key, f"{_show(value)} is outside the allowed range 0 to {LARGEST_AMOUNT} DKK"
            )
        if amount != amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
            raise self._fail(key, f"{_show(value)} has more than {AMOUNT_PLACES} decimals (øre)")
        return amount

    def period(self, table: _Table, key: _Text) -> Period:
        value = self._get(table, key)
        try:
            period = Period.parse(value)
        except ValueError as exc:
            raise self._fail(key, f"not a period like P1Y, P1M or P14D: {_show(value)}") from exc
        if period == Period():
            raise self._fail(key, "must be longer than zero")
        if not period_in_bounds(period):
            raise self._fail(
                key,
                f"{_show(value)} is outside the allowed range {SHORTEST_PERIOD.iso()} to "
                f"{LONGEST_PERIOD.iso()} ({SHORTEST_PERIOD.describe()} to "
                f"{LONGEST_PERIOD.describe()})",
            )
        return period

    def enum(self, table: _Table, key: _Text, enum_type: type[Enum]) -> Any:
        value = self._get(table, key)
        try:
            return enum_type(value)
        except ValueError as exc:
            allowed = ", ".join(e.value for e in enum_type)
            raise self._fail(key, f"{_show(value)} is not one of {allowed}") from exc
