"""A replay file and policy.toml are held to one set of bounds
(``domain/bounds.py``), and every text a replay file may hold fits the
column it is stored in (issue 13, points 7 and 13; issue 14)."""

from __future__ import annotations

import ast
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desk_app.domain import bounds, policy
from desk_app.policy_file import PolicyError, default_policy_text, parse_policy
from desk_app.replay_file import ReplayFormatError, parse_replay
from desk_app.store.models import Borrower, Institute, Item, Loan

CARD, BOOK = "20010000000013", "30010000000011"


def _document(
    institute: dict[str, Any] | None = None,
    borrower: dict[str, Any] | None = None,
    item: dict[str, Any] | None = None,
    event: dict[str, Any] | None = None,
) -> str:
    return json.dumps(
        {
            "institutes": [
                {
                    "code": "DIKU",
                    "name": "Computer Science",
                    "faculty": "SCIENCE",
                    **(institute or {}),
                }
            ],
            "borrowers": [
                {
                    "card": CARD,
                    "name": "Anne Jensen",
                    "category": "researcher",
                    "institute": "DIKU",
                    **(borrower or {}),
                }
            ],
            "items": [{"barcode": BOOK, "title": "Concrete Mathematics", **(item or {})}],
            "events": [{"at": "2026-01-05T10:00", "op": "status", "card": CARD, **(event or {})}],
        }
    )


def _length(column: Any) -> int:
    return column.property.columns[0].type.length or bounds.TEXT_LENGTH


# (where in the file, the column it lands in)
TEXTS = {
    "institutes[0].code": ("institute", "code", Institute.code),
    "institutes[0].name": ("institute", "name", Institute.name),
    "institutes[0].name_da": ("institute", "name_da", Institute.name_da),
    "institutes[0].route": ("institute", "route", Institute.route_code),
    "institutes[0].address": ("institute", "address", Institute.address),
    "borrowers[0].name": ("borrower", "name", Borrower.name),
    "borrowers[0].email": ("borrower", "email", Borrower.email),
    "items[0].title": ("item", "title", Item.title),
    "items[0].owner": ("item", "owner", Item.owner),
    "items[0].material_type": ("item", "material_type", Item.material_type),
    "items[0].call_number": ("item", "call_number", Item.call_number),
    "items[0].author": ("item", "author", Item.author),
    "event 0 (status): field staff": ("event", "staff", Loan.staff),
    "event 0 (status): field desk": ("event", "desk", Loan.desk),
}


@pytest.mark.parametrize("where", sorted(TEXTS))
def test_a_text_fits_its_column_and_one_character_more_is_refused(where):
    part, field, column = TEXTS[where]
    limit = _length(column)
    fits = "x" * limit
    known = {"DIKU"}  # the borrower's institute, when the declared one is renamed
    parse_replay(_document(**{part: {field: fits}}), known_institutes=known)
    with pytest.raises(ReplayFormatError) as refused:
        parse_replay(_document(**{part: {field: fits + "x"}}), known_institutes=known)
    assert refused.value.where == where
    assert f"longer than {limit} characters" in refused.value.reason


def _policy(old: str, new: str) -> str:
    text = default_policy_text()
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _policy_refuses(old: str, new: str) -> bool:
    try:
        parse_policy(_policy(old, new))
    except PolicyError:
        return True
    return False


def _replay_refuses(**parts: dict[str, Any]) -> bool:
    try:
        parse_replay(_document(**parts))
    except ReplayFormatError:
        return True
    return False


def test_an_amount_is_bounded_alike():
    top = bounds.LARGEST_AMOUNT
    over = top + Decimal("0.01")
    assert not _policy_refuses("collection_fee = 100", f"collection_fee = {top}")
    assert _policy_refuses("collection_fee = 100", f"collection_fee = {over}")
    assert not _replay_refuses(item={"price": float(top)})
    assert _replay_refuses(item={"price": float(over)})
    assert not _replay_refuses(item={"price": 0.5})
    assert _replay_refuses(item={"price": 0.005})  # more than AMOUNT_PLACES


@pytest.mark.parametrize("stop", [bounds.STOPS[0] - 1, bounds.STOPS[1] + 1])
def test_a_stop_out_of_bounds_is_refused_by_both(stop):
    old = 'stop = 1\naddress = "Blegdamsvej 17'
    assert _policy_refuses(old, f'stop = {stop}\naddress = "Blegdamsvej 17')
    assert _replay_refuses(institute={"stop": stop})


@pytest.mark.parametrize("stop", bounds.STOPS)
def test_a_stop_within_bounds_is_taken_by_both(stop):
    old = 'stop = 1\naddress = "Blegdamsvej 17'
    assert not _policy_refuses(old, f'stop = {stop}\naddress = "Blegdamsvej 17')
    assert not _replay_refuses(institute={"stop": stop})


@pytest.mark.parametrize("year", [bounds.YEARS[0] - 1, bounds.YEARS[1] + 1])
def test_a_year_out_of_bounds_is_refused_by_both(year):
    old = "ill_printed_after = 1900"
    assert _policy_refuses(old, f"ill_printed_after = {year}")
    assert _replay_refuses(item={"printed_year": year})


@pytest.mark.parametrize("year", bounds.YEARS)
def test_a_year_within_bounds_is_taken_by_both(year):
    assert not _policy_refuses("ill_printed_after = 1900", f"ill_printed_after = {year}")
    assert not _replay_refuses(item={"printed_year": year})


def test_the_policy_module_holds_no_bounds_of_its_own():
    """``domain.policy`` defines none of ``domain.bounds``' names: one set of
    bounds, not a second copy to keep equal."""
    tree = ast.parse(Path(policy.__file__).read_text("utf-8"))
    defined = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    shared = sorted(defined & {name for name in vars(bounds) if name.isupper()})
    assert not shared, f"domain.policy defines bounds of its own: {shared}"
