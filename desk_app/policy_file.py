"""Load ``policy.toml`` into the frozen :class:`~desk_app.domain.policy.Policy`.

A malformed file must stop start-up with the key and the reason, so every
value is read through one checked accessor that knows its dotted key.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from desk_app.domain.calendar import Period
from desk_app.domain.policy import (
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
)


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
        text = path.read_text("utf-8")
    except OSError as exc:
        raise PolicyError("(file)", f"cannot read {path}: {exc.strerror}", str(path)) from exc
    return parse_policy(text, source=str(path))


def parse_policy(text: str, source: str = "policy") -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("(syntax)", str(exc), source) from exc
    r = _Reader(data, source)
    faculties = {f.value: f.value for f in Faculty}
    for i, fac in enumerate(r.list("faculties", required=False)):
        code = r.enum(fac, f"faculties[{i}].code", Faculty)
        faculties[code.value] = r.str(fac, f"faculties[{i}].name")
    routes = tuple(
        Route(
            code=r.str(rt, f"routes[{i}].code"),
            name=r.str(rt, f"routes[{i}].name"),
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
        route = r.opt_str(inst, f"{key}.route")
        if delivery is not Delivery.SELF_PICKUP and route is None:
            raise PolicyError(f"{key}.route", f"needed for delivery {delivery.value}", source)
        if route is not None and route not in route_codes:
            raise PolicyError(f"{key}.route", f"no route with code {route!r}", source)
        mismatch = route is not None and route_delivery[route] is not delivery
        if mismatch and delivery is not Delivery.SELF_PICKUP:
            raise PolicyError(
                f"{key}.route",
                f"route {route!r} is {route_delivery[route].value}, "
                f"the institute is {delivery.value}",
                source,
            )
        institutes.append(
            Institute(
                code=r.str(inst, f"{key}.code"),
                name=r.str(inst, f"{key}.name"),
                name_da=r.opt_str(inst, f"{key}.name_da") or r.str(inst, f"{key}.name"),
                faculty=r.enum(inst, f"{key}.faculty", Faculty),
                delivery=delivery,
                route=route,
                stop=r.opt_int(inst, f"{key}.stop"),
                address=r.opt_str(inst, f"{key}.address") or "",
            )
        )
    _no_duplicates(institutes, "institutes", source)
    by_material = r.table("fees.replacement_price_by_material", required=False)
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
            kub_owner=r.str(data, "material.kub_owner"),
            reading_room_first_year=r.int(data, "material.reading_room_first_year"),
            reading_room_age_years=r.int(data, "material.reading_room_age_years"),
            digital_copy_years=(
                r.int(data, "material.digital_copy_first_year"),
                r.int(data, "material.digital_copy_last_year"),
            ),
            ill_printed_after=r.int(data, "material.ill_printed_after"),
        ),
        ill=IllPolicy(
            home_country=r.str(data, "ill.home_country").upper(),
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
            reading_room=r.opt_str(transport, "transport.reading_room")
            or default_transport.reading_room,
            reading_room_da=r.opt_str(transport, "transport.reading_room_da")
            or default_transport.reading_room_da,
        ),
    )


def _no_duplicates(entries: list[Any] | tuple[Any, ...], key: str, source: str) -> None:
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.code in seen:
            raise PolicyError(
                f"{key}[{i}].code", f"{entry.code!r} repeats {key}[{seen[entry.code]}]", source
            )
        seen[entry.code] = i


class _Reader:
    """Checked access by dotted key; every failure names the key."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def _fail(self, key: str, reason: str) -> PolicyError:
        return PolicyError(key, reason, self.source)

    def _get(self, table: dict[str, Any], key: str, required: bool = True) -> Any:
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

    def table(self, key: str, required: bool = True) -> dict[str, Any]:
        value = self._get(self.data, key, required)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._fail(key, "must be a table")
        return value

    def list(self, key: str, required: bool = True) -> list[dict[str, Any]]:
        value = self._get(self.data, key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, "must be an array of tables ([[...]])")
        return value

    def str(self, table: dict[str, Any], key: str) -> str:
        value = self._get(table, key)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "must be a non-empty string")
        return value

    def opt_str(self, table: dict[str, Any], key: str) -> str | None:
        value = self._get(table, key, required=False)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._fail(key, "must be a string")
        return value or None

    def int(self, table: dict[str, Any], key: str) -> int:
        value = self._get(table, key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(key, f"must be a whole number, not {value!r}")
        return value

    def opt_int(self, table: dict[str, Any], key: str) -> int | None:
        if self._get(table, key, required=False) is None:
            return None
        return self.int(table, key)

    def money(self, table: dict[str, Any], key: str) -> Decimal:
        value = self._get(table, key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self._fail(key, f"must be an amount in DKK, not {value!r}")
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise self._fail(key, f"must be an amount in DKK, not {value!r}") from exc
        if not amount.is_finite():
            raise self._fail(key, f"must be a finite amount in DKK, not {value!r}")
        if amount < 0:
            raise self._fail(key, "must not be negative")
        return amount

    def period(self, table: dict[str, Any], key: str) -> Period:
        value = self._get(table, key)
        try:
            period = Period.parse(value)
        except ValueError as exc:
            raise self._fail(key, str(exc)) from exc
        if period == Period():
            raise self._fail(key, "must be longer than zero")
        return period

    def enum(self, table: dict[str, Any], key: str, enum_type: type) -> Any:
        value = self._get(table, key)
        try:
            return enum_type(value)
        except ValueError as exc:
            allowed = ", ".join(e.value for e in enum_type)
            raise self._fail(key, f"{value!r} is not one of {allowed}") from exc
