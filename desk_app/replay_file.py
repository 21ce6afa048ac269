"""Read and check a replay file (``shared/spec/replay-format.md``).

The whole file is checked before anything runs (and before the database is
opened), so a malformed file exits with a one-line message naming the place
and field, and writes nothing. Every value that passes fits its column and a
range the rules' date arithmetic can hold (issue 13, points 7 and 13): what
the parser once let through (``Infinity``, a name longer than its column, a
year 0) failed only after events had been committed. The ranges and
lengths are :mod:`desk_app.domain.bounds`, the same ``policy.toml`` is held
to. Values are echoed clipped and CPR-masked (B3).

Pure parsing: no database is touched here (``cli.replay`` looks up the
institutes a ``--db`` database already has).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from desk_app.clock import to_local_naive
from desk_app.domain.barcodes import (
    ECHO_CHARS,
    ScanError,
    ScanKind,
    classify,
    clip,
    echo,
    mask_if_cpr_like,
)
from desk_app.domain.bounds import (
    ADDRESS_LENGTH,
    AMOUNT_PLACES,
    CALL_NUMBER_LENGTH,
    CODE_LENGTH,
    EMAIL_LENGTH,
    FIRST_DAY,
    LARGEST_AMOUNT,
    LAST_DAY,
    MATERIAL_TYPE_LENGTH,
    NAME_LENGTH,
    OWNER_LENGTH,
    STAFF_LENGTH,
    STOPS,
    TEXT_LENGTH,
    YEARS,
)
from desk_app.domain.calendar import HalfYear
from desk_app.domain.facts import Capacity, Category, LoanRule
from desk_app.domain.policy import Delivery, Faculty
from desk_app.services.enrolment import BorrowerRecord, InstituteRecord, ItemRecord

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([+-][0-9]{2}:[0-9]{2}|Z)?"
)


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


def shown(value: Any) -> str:
    """A value of the file as a message may show it: JSON for text and
    numbers, clipped and CPR-masked (B3); only the kind of a list or object
    (one may be nested a thousand deep)."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):  # masked before quoting, or "\n" would split a run
        value = mask_if_cpr_like(clip(value, ECHO_CHARS - 2))
    quoted = json.dumps(value, ensure_ascii=False)
    return echo(quoted.encode("utf-8", "backslashreplace").decode("utf-8"))


# --- field checkers: (value, where) -> converted value -----------------------


def _scan(value: Any, where: str) -> str:
    """A card or item as scanned: any text (B4 cleans it; a misread is an
    outcome, not a malformed file), but text the database and the output can
    hold."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ReplayFormatError(where, f"must be a string, not {shown(value)}")
    text = str(value)
    if not text.strip():
        raise ReplayFormatError(where, "must not be empty")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ReplayFormatError(where, f"holds a lone surrogate (not text): {shown(text)}")
    return text


def _text_up_to(limit: int, *, lines: bool = False) -> Callable[[Any, str], str]:
    """Text of at most ``limit`` characters without control characters
    (``lines``: tabs and line breaks allowed, for notes and titles)."""
    allowed = "\t\n\r" if lines else ""

    def check(value: Any, where: str) -> str:
        text = _scan(value, where)
        if len(text) > limit:
            raise ReplayFormatError(where, f"longer than {limit} characters: {shown(text)}")
        for ch in text:
            if unicodedata.category(ch) == "Cc" and ch not in allowed:
                raise ReplayFormatError(
                    where, f"holds a control character U+{ord(ch):04X}: {shown(text)}"
                )
        return text

    return check


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ReplayFormatError(where, f"must be true or false, not {shown(value)}")
    return value


def _int_in(low: int, high: int) -> Callable[[Any, str], int]:
    def check(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ReplayFormatError(where, f"must be a whole number, not {shown(value)}")
        if not low <= value <= high:
            raise ReplayFormatError(where, f"must be between {low} and {high}, not {shown(value)}")
        return value

    return check


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ReplayFormatError(where, f"must be an amount in DKK, not {shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ReplayFormatError(where, f"must be a finite amount in DKK, not {shown(value)}")
    amount = Decimal(str(value))
    if amount < 0:
        raise ReplayFormatError(where, "must not be negative")
    if amount > LARGEST_AMOUNT:
        raise ReplayFormatError(where, f"must be at most {LARGEST_AMOUNT} DKK, not {shown(value)}")
    if amount != amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
        raise ReplayFormatError(
            where, f"has more than {AMOUNT_PLACES} decimals (øre): {shown(value)}"
        )
    return amount


def _in_range(day: date, value: str, where: str) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ReplayFormatError(
            where, f"must be between {FIRST_DAY} and {LAST_DAY}, not {shown(value)}"
        )


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ReplayFormatError(where, f"not a date like 2026-01-31: {shown(value)}")
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ReplayFormatError(where, f"no such date: {shown(value)}") from exc
    _in_range(day, value, where)
    return day


def _datetime(value: Any, where: str) -> datetime:
    if not isinstance(value, str) or not _DATETIME_RE.fullmatch(value):
        raise ReplayFormatError(
            where, f"not a local date-time like 2026-01-05T10:00: {shown(value)}"
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ReplayFormatError(where, f"no such date-time: {shown(value)}") from exc
    _in_range(moment.date(), value, where)  # first: 0001-01-01+14:00 overflows
    local = to_local_naive(moment)
    _in_range(local.date(), value, where)
    return local


def _one_of(*allowed: str) -> Callable[[Any, str], str]:
    def check(value: Any, where: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ReplayFormatError(
                where, f"unknown value {shown(value)}; expected one of {', '.join(allowed)}"
            )
        return value

    return check


def _half_year(value: Any, where: str) -> HalfYear:
    try:
        period = HalfYear.parse(value)
    except ValueError as exc:
        raise ReplayFormatError(where, f"not a half-year like 2026H1: {shown(value)}") from exc
    if not FIRST_DAY.year <= period.year <= LAST_DAY.year:
        raise ReplayFormatError(
            where, f"must be between {FIRST_DAY.year}H1 and {LAST_DAY.year}H2, not {shown(value)}"
        )
    return period


def _country(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        raise ReplayFormatError(where, f"not an ISO country code like DK: {shown(value)}")
    return value.upper()


def _card_number(value: Any, where: str) -> str:
    """A declared card: a library card (B1, B2) or a CPR number; its
    canonical form (a CPR number without separator)."""
    text = _scan(value, where)
    scan = classify(text)
    if isinstance(scan, ScanError) or not scan.is_card:
        problem = (
            "wrong check digit (B2)"
            if isinstance(scan, ScanError) and scan.rule == "B2"
            else ("not a library card (14 digits, type 2) or a CPR number (B1)")
        )
        raise ReplayFormatError(where, f"{problem}: {echo(text)}")
    return scan.value


def _item_number(value: Any, where: str) -> str:
    text = _scan(value, where)
    scan = classify(text)
    if isinstance(scan, ScanError) or scan.kind is not ScanKind.ITEM:
        problem = (
            "wrong check digit (B2)"
            if isinstance(scan, ScanError) and scan.rule == "B2"
            else ("not an item barcode (14 digits, type 3, B1)")
        )
        raise ReplayFormatError(where, f"{problem}: {echo(text)}")
    return scan.value


Checker = Callable[[Any, str], Any]
REQUIRED, OPTIONAL = True, False

_staff_name = _text_up_to(STAFF_LENGTH)  # the staff and desk of a transaction
_code = _text_up_to(CODE_LENGTH)
_name = _text_up_to(NAME_LENGTH)
_long_text = _text_up_to(TEXT_LENGTH, lines=True)

# op -> {field: (required, checker)}; card and item values in events are scans:
# a misread there is an outcome (B2), not a malformed file.
OPS: dict[str, dict[str, tuple[bool, Checker]]] = {
    "checkout": {
        "card": (REQUIRED, _scan),
        "item": (REQUIRED, _scan),
        "capacity": (OPTIONAL, _one_of(*Capacity)),
    },
    "checkin": {"item": (REQUIRED, _scan), "damage": (OPTIONAL, _long_text)},
    "renew": {"item": (REQUIRED, _scan)},
    "request": {"card": (REQUIRED, _scan), "item": (REQUIRED, _scan)},
    "notices": {},
    "contact": {
        "card": (REQUIRED, _scan),
        "item": (REQUIRED, _scan),
        "note": (REQUIRED, _long_text),
        "agreed": (OPTIONAL, _date),
    },
    "lost": {"item": (REQUIRED, _scan), "amount": (OPTIONAL, _amount)},
    "found_on_shelf": {"item": (REQUIRED, _scan)},
    "claims": {"period": (REQUIRED, _half_year)},
    "card_lost": {"card": (REQUIRED, _scan), "new_card": (OPTIONAL, _scan)},
    "ill_receive": {
        "card": (REQUIRED, _scan),
        "item": (REQUIRED, _scan),
        "title": (REQUIRED, _long_text),
        "lender_country": (REQUIRED, _country),
        "reading_room_only": (OPTIONAL, _bool),
    },
    "status": {"card": (REQUIRED, _scan)},
    "cancel_request": {"card": (REQUIRED, _scan), "item": (REQUIRED, _scan)},
    "pick_list": {},
}

INSTITUTE_FIELDS: dict[str, tuple[bool, Checker]] = {
    "code": (REQUIRED, _code),
    "name": (REQUIRED, _name),
    "faculty": (REQUIRED, _one_of(*Faculty)),
    "delivery": (OPTIONAL, _one_of(*Delivery)),
    "route": (OPTIONAL, _code),
    "address": (OPTIONAL, _text_up_to(ADDRESS_LENGTH)),
    "name_da": (OPTIONAL, _name),
    "stop": (OPTIONAL, _int_in(*STOPS)),
}
BORROWER_FIELDS: dict[str, tuple[bool, Checker]] = {
    "card": (REQUIRED, _card_number),
    "name": (REQUIRED, _name),
    "category": (REQUIRED, _one_of(*Category)),
    "institute": (REQUIRED, _code),
    "own_office": (OPTIONAL, _bool),
    "e_resources": (OPTIONAL, _bool),
    "card_expires": (OPTIONAL, _date),
    "email": (OPTIONAL, _text_up_to(EMAIL_LENGTH)),
}
ITEM_FIELDS: dict[str, tuple[bool, Checker]] = {
    "barcode": (REQUIRED, _item_number),
    "title": (REQUIRED, _long_text),
    "loan_rule": (OPTIONAL, _one_of(*LoanRule)),
    "owner": (OPTIONAL, _text_up_to(OWNER_LENGTH)),
    "printed_year": (OPTIONAL, _int_in(*YEARS)),
    "danish_legal_deposit": (OPTIONAL, _bool),
    "price": (OPTIONAL, _amount),
    "material_type": (OPTIONAL, _text_up_to(MATERIAL_TYPE_LENGTH)),
    "call_number": (OPTIONAL, _text_up_to(CALL_NUMBER_LENGTH)),
    "author": (OPTIONAL, _name),
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


def load_json(text: str) -> Any:
    """The document, or a :class:`ReplayFormatError` for anything ``json``
    refuses: a syntax error, an integer of thousands of digits, nesting deeper
    than Python recurses."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReplayFormatError(
            f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise ReplayFormatError("(top)", "not valid JSON: nested too deeply") from exc
    except ValueError as exc:  # int("9" * 5000): Python's limit on digits
        raise ReplayFormatError("(top)", f"not valid JSON: {echo(str(exc))}") from exc


def parse_replay(
    text: str, known_institutes: set[str] | frozenset[str] = frozenset()
) -> ReplayFile:
    """Check the whole file; raise :class:`ReplayFormatError` at the first fault.

    ``known_institutes`` are codes already in the target database (``--db``).
    A borrower of an institute neither declared nor known is reported last,
    with ``unknown_institute`` set, once everything else has been checked: the
    caller may then look the code up in the database and parse again.
    """
    data = load_json(text)
    if not isinstance(data, dict):
        raise ReplayFormatError(
            "(top)", "must be a JSON object with institutes, borrowers, items, events"
        )
    institutes = _institutes(data)
    borrowers, unknown = _borrowers(data, set(known_institutes) | {r.code for r in institutes})
    items = _items(data)
    events = _events(data)
    if unknown:
        where, code = unknown
        raise ReplayFormatError(where, f"unknown institute {shown(code)}", unknown_institute=True)
    return ReplayFile(institutes, borrowers, items, events)


def _institutes(data: dict[str, Any]) -> list[InstituteRecord]:
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
    return institutes


def _borrowers(
    data: dict[str, Any], institute_codes: set[str]
) -> tuple[list[BorrowerRecord], tuple[str, str] | None]:
    """The borrowers, and the first reference to an unknown institute."""
    borrowers = []
    unknown: tuple[str, str] | None = None
    seen_cards: dict[str, int] = {}
    for i, entry in enumerate(_list(data, "borrowers")):
        where = f"borrowers[{i}]"
        f = _fields(entry, where, BORROWER_FIELDS)
        if f["institute"] not in institute_codes and unknown is None:
            unknown = (f"{where}.institute", f["institute"])
        if f["card"] in seen_cards:  # canonical: 101079-1009 is 101079–1009
            raise ReplayFormatError(
                f"{where}.card", f"same card as borrowers[{seen_cards[f['card']]}]"
            )
        seen_cards[f["card"]] = i
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
    return borrowers, unknown


def _items(data: dict[str, Any]) -> list[ItemRecord]:
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
    return items


def _events(data: dict[str, Any]) -> list[Event]:
    return [_event(i, entry) for i, entry in enumerate(_list(data, "events", required=True))]


def _event(i: int, entry: Any) -> Event:
    where = f"event {i}"
    if not isinstance(entry, dict):
        raise ReplayFormatError(where, "must be a JSON object")
    op = entry.get("op")
    if not isinstance(op, str) or op not in OPS:
        raise ReplayFormatError(
            f"{where}: field op",
            f"unknown op {shown(op)}; expected one of {', '.join(OPS)}",
        )
    if "at" not in entry:
        raise ReplayFormatError(f"{where} ({op}): field at", "missing")
    at = _datetime(entry["at"], f"{where} ({op}): field at")
    spec = {
        **OPS[op],
        "staff": (OPTIONAL, _staff_name),
        "desk": (OPTIONAL, _staff_name),
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
    return Event(index=i, op=op, at=at, staff=staff, desk=desk, args=args)
