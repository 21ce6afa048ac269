"""Read and check a replay file (``shared/spec/replay-format.md``).

The whole file is checked before anything runs, so a malformed file exits
with a message naming the place and field, and writes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desk_app.clock import to_local_naive
from desk_app.domain.barcodes import ScanError, ScanKind, classify, mask_if_cpr_like
from desk_app.domain.calendar import HalfYear
from desk_app.services.enrolment import BorrowerRecord, InstituteRecord, ItemRecord
from desk_app.store.models import CATEGORIES, DELIVERIES, FACULTIES, LOAN_RULES

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


class ReplayFormatError(ValueError):
    def __init__(self, where: str, reason: str, unknown_institute: bool = False) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
        self.unknown_institute = unknown_institute


@dataclass(frozen=True)
class Event:
    index: int
    op: str
    at: datetime
    staff: str
    desk: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReplayFile:
    institutes: list[InstituteRecord]
    borrowers: list[BorrowerRecord]
    items: list[ItemRecord]
    events: list[Event]


# --- field checkers: (value, where) -> converted value -----------------------


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ReplayFormatError(where, f"must be a string, not {json.dumps(value)}")
    text = str(value)
    if not text.strip():
        raise ReplayFormatError(where, "must not be empty")
    return text


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ReplayFormatError(where, f"must be true or false, not {json.dumps(value)}")
    return value


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReplayFormatError(where, f"must be a whole number, not {json.dumps(value)}")
    return value


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ReplayFormatError(where, f"must be an amount in DKK, not {json.dumps(value)}")
    if value < 0:
        raise ReplayFormatError(where, "must not be negative")
    return Decimal(str(value))


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ReplayFormatError(where, f"not a date like 2026-01-31: {json.dumps(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ReplayFormatError(where, f"no such date: {value}") from exc


def _datetime(value: Any, where: str) -> datetime:
    if not isinstance(value, str) or not _DATETIME_RE.match(value):
        raise ReplayFormatError(
            where, f"not a local date-time like 2026-01-05T10:00: {json.dumps(value)}"
        )
    try:
        return to_local_naive(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError as exc:
        raise ReplayFormatError(where, f"no such date-time: {value}") from exc


def _one_of(*allowed: str) -> Callable[[Any, str], str]:
    def check(value: Any, where: str) -> str:
        if value not in allowed:
            raise ReplayFormatError(
                where, f"unknown value {json.dumps(value)}; expected one of {', '.join(allowed)}"
            )
        return value

    return check


def _half_year(value: Any, where: str) -> HalfYear:
    try:
        return HalfYear.parse(value)
    except ValueError as exc:
        raise ReplayFormatError(where, f"not a half-year like 2026H1: {json.dumps(value)}") from exc


def _country(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        raise ReplayFormatError(where, f"not an ISO country code like DK: {json.dumps(value)}")
    return value.upper()


def _card_number(value: Any, where: str) -> str:
    text = _text(value, where)
    scan = classify(text)
    if isinstance(scan, ScanError) or not scan.is_card:
        problem = (
            "wrong check digit (B2)"
            if isinstance(scan, ScanError) and scan.rule == "B2"
            else ("not a library card (14 digits, type 2) or a CPR number (B1)")
        )
        raise ReplayFormatError(where, f"{problem}: {mask_if_cpr_like(text)}")
    return text


def _item_number(value: Any, where: str) -> str:
    text = _text(value, where)
    scan = classify(text)
    if isinstance(scan, ScanError) or scan.kind is not ScanKind.ITEM:
        problem = (
            "wrong check digit (B2)"
            if isinstance(scan, ScanError) and scan.rule == "B2"
            else ("not an item barcode (14 digits, type 3, B1)")
        )
        raise ReplayFormatError(where, f"{problem}: {mask_if_cpr_like(text)}")
    return scan.value


Checker = Callable[[Any, str], Any]
REQUIRED, OPTIONAL = True, False

# op -> {field: (required, checker)}; card and item values in events are scans:
# a misread there is an outcome (B2), not a malformed file.
OPS: dict[str, dict[str, tuple[bool, Checker]]] = {
    "checkout": {
        "card": (REQUIRED, _text),
        "item": (REQUIRED, _text),
        "capacity": (OPTIONAL, _one_of("institute", "private")),
    },
    "checkin": {"item": (REQUIRED, _text), "damage": (OPTIONAL, _text)},
    "renew": {"item": (REQUIRED, _text)},
    "request": {"card": (REQUIRED, _text), "item": (REQUIRED, _text)},
    "notices": {},
    "contact": {
        "card": (REQUIRED, _text),
        "item": (REQUIRED, _text),
        "note": (REQUIRED, _text),
        "agreed": (OPTIONAL, _date),
    },
    "lost": {"item": (REQUIRED, _text), "amount": (OPTIONAL, _amount)},
    "found_on_shelf": {"item": (REQUIRED, _text)},
    "claims": {"period": (REQUIRED, _half_year)},
    "card_lost": {"card": (REQUIRED, _text), "new_card": (OPTIONAL, _text)},
    "ill_receive": {
        "card": (REQUIRED, _text),
        "item": (REQUIRED, _text),
        "title": (REQUIRED, _text),
        "lender_country": (REQUIRED, _country),
        "reading_room_only": (OPTIONAL, _bool),
    },
    "status": {"card": (REQUIRED, _text)},
}

INSTITUTE_FIELDS: dict[str, tuple[bool, Checker]] = {
    "code": (REQUIRED, _text),
    "name": (REQUIRED, _text),
    "faculty": (REQUIRED, _one_of(*FACULTIES)),
    "delivery": (OPTIONAL, _one_of(*DELIVERIES)),
    "route": (OPTIONAL, _text),
    "address": (OPTIONAL, _text),
    "name_da": (OPTIONAL, _text),
    "stop": (OPTIONAL, _int),
}
BORROWER_FIELDS: dict[str, tuple[bool, Checker]] = {
    "card": (REQUIRED, _card_number),
    "name": (REQUIRED, _text),
    "category": (REQUIRED, _one_of(*CATEGORIES)),
    "institute": (REQUIRED, _text),
    "own_office": (OPTIONAL, _bool),
    "e_resources": (OPTIONAL, _bool),
    "card_expires": (OPTIONAL, _date),
    "email": (OPTIONAL, _text),
}
ITEM_FIELDS: dict[str, tuple[bool, Checker]] = {
    "barcode": (REQUIRED, _item_number),
    "title": (REQUIRED, _text),
    "loan_rule": (OPTIONAL, _one_of(*LOAN_RULES)),
    "owner": (OPTIONAL, _text),
    "printed_year": (OPTIONAL, _int),
    "danish_legal_deposit": (OPTIONAL, _bool),
    "price": (OPTIONAL, _amount),
    "material_type": (OPTIONAL, _text),
    "call_number": (OPTIONAL, _text),
    "author": (OPTIONAL, _text),
}


def _fields(entry: Any, where: str, spec: dict[str, tuple[bool, Checker]]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ReplayFormatError(where, "must be a JSON object")
    out: dict[str, Any] = {}
    for name, (required, check) in spec.items():
        if name not in entry or entry[name] is None:
            if required:
                raise ReplayFormatError(f"{where}.{name}", "missing")
            continue
        out[name] = check(entry[name], f"{where}.{name}")
    return out


def _list(data: dict[str, Any], key: str, required: bool = False) -> list[Any]:
    if key not in data:
        if required:
            raise ReplayFormatError(key, "missing")
        return []
    if not isinstance(data[key], list):
        raise ReplayFormatError(key, "must be a JSON array")
    return data[key]


def parse_replay(
    text: str, known_institutes: set[str] | frozenset[str] = frozenset()
) -> ReplayFile:
    """Check the whole file; raise :class:`ReplayFormatError` at the first fault.

    ``known_institutes`` are codes already in the target database (``--db``).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReplayFormatError(
            f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise ReplayFormatError(
            "(top)", "must be a JSON object with institutes, borrowers, items, events"
        )

    institutes = []
    for i, entry in enumerate(_list(data, "institutes")):
        f = _fields(entry, f"institutes[{i}]", INSTITUTE_FIELDS)
        institutes.append(
            InstituteRecord(
                code=f["code"],
                name=f["name"],
                faculty=f["faculty"],
                delivery=f.get("delivery", "courier"),
                route=f.get("route"),
                address=f.get("address", ""),
                name_da=f.get("name_da"),
                stop=f.get("stop"),
            )
        )
    institute_codes = set(known_institutes) | {r.code for r in institutes}

    borrowers = []
    seen_cards: dict[str, int] = {}
    for i, entry in enumerate(_list(data, "borrowers")):
        where = f"borrowers[{i}]"
        f = _fields(entry, where, BORROWER_FIELDS)
        if f["institute"] not in institute_codes:
            raise ReplayFormatError(
                f"{where}.institute", f"unknown institute {json.dumps(f['institute'])}"
            )
        key = f["card"].replace("-", "")
        if key in seen_cards:
            raise ReplayFormatError(f"{where}.card", f"same card as borrowers[{seen_cards[key]}]")
        seen_cards[key] = i
        borrowers.append(
            BorrowerRecord(
                card=f["card"],
                name=f["name"],
                category=f["category"],
                institute=f["institute"],
                own_office=f.get("own_office", False),
                e_resources=f.get("e_resources", False),
                card_expires=f.get("card_expires"),
                email=f.get("email"),
            )
        )

    items = []
    for i, entry in enumerate(_list(data, "items")):
        f = _fields(entry, f"items[{i}]", ITEM_FIELDS)
        items.append(
            ItemRecord(
                barcode=f["barcode"],
                title=f["title"],
                loan_rule=f.get("loan_rule", "home"),
                owner=f.get("owner", "KUB"),
                printed_year=f.get("printed_year"),
                danish_legal_deposit=f.get("danish_legal_deposit", False),
                price=f.get("price"),
                material_type=f.get("material_type", "book"),
                call_number=f.get("call_number"),
                author=f.get("author"),
            )
        )

    events = []
    for i, entry in enumerate(_list(data, "events", required=True)):
        where = f"event {i}"
        if not isinstance(entry, dict):
            raise ReplayFormatError(where, "must be a JSON object")
        op = entry.get("op")
        if op not in OPS:
            raise ReplayFormatError(
                f"{where}: field op",
                f"unknown op {json.dumps(op)}; expected one of {', '.join(OPS)}",
            )
        if "at" not in entry:
            raise ReplayFormatError(f"{where} ({op}): field at", "missing")
        at = _datetime(entry["at"], f"{where} ({op}): field at")
        spec = {
            **OPS[op],
            "staff": (OPTIONAL, _text),
            "desk": (OPTIONAL, _text),
        }
        args = {}
        for name, (required, check) in spec.items():
            if name not in entry or entry[name] is None:
                if required:
                    raise ReplayFormatError(f"{where} ({op}): field {name}", "missing")
                continue
            args[name] = check(entry[name], f"{where} ({op}): field {name}")
        staff = args.pop("staff", "replay")
        desk = args.pop("desk", "replay")
        events.append(Event(index=i, op=op, at=at, staff=staff, desk=desk, args=args))
    return ReplayFile(institutes, borrowers, items, events)
