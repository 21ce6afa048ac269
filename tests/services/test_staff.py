"""Staff accounts and signing in: PINs hashed, refusals that give nothing away,
and a lock-out kept in the database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk_app.cli.demo import format_summary
from desk_app.cli.staff import staff_add_command, staff_list_command
from desk_app.demo import DEMO_STAFF, fill_demo
from desk_app.domain.barcodes import with_check_digit
from desk_app.domain.roles import Role
from desk_app.domain.staff_verdicts import NOT_RECOGNISED
from desk_app.services import staff
from desk_app.services.staff import (
    MAX_WRONG_PINS,
    SignInRefused,
    StaffMember,
    add_staff,
    hash_pin,
    sign_in,
    valid_pin,
    verify_pin,
)
from desk_app.store.models import AuditEntry, Staff
from tests.helpers.desk_cli import desk
from tests.helpers.people import ANNE, TEST_CPR, item, seed_cast


def staff_card(n: int) -> str:
    return with_check_digit(f"29990{n:08d}")


def _audit(ctx) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# -- PINs ----------------------------------------------------------------------


def test_pin_hash_is_salted_scrypt_with_its_parameters_and_verifies_only_the_pin():
    stored = hash_pin("4711")
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(key)) == 32
    assert "4711" not in stored
    assert verify_pin("4711", stored)
    assert not verify_pin("4712", stored)
    assert hash_pin("4711") != stored  # a fresh salt each time


@pytest.mark.parametrize("stored", ["", "4711", "bcrypt$1$2$3$00$00", "scrypt$x$8$1$00$00"])
def test_a_malformed_stored_hash_verifies_nothing(stored):
    assert verify_pin("4711", stored) is False


@pytest.mark.parametrize(
    ("pin", "ok"),
    [
        ("1234", True),
        ("12345678", True),
        ("0000", True),
        ("123", False),
        ("123456789", False),
        ("12a4", False),
        (" 1234", False),
        ("１２３４", False),  # full-width digits: str.isdigit says yes, a keypad never types them
        ("", False),
    ],
)
def test_a_pin_is_4_to_8_ascii_digits(pin, ok):
    assert valid_pin(pin) is ok


# -- accounts ------------------------------------------------------------------


def test_add_staff_keeps_the_cleaned_card_and_only_a_hash_of_the_pin(ctx):
    member = add_staff(ctx, "  Dorte   Desk ", "desk", "1111", f" A{staff_card(1)}B\r\n")
    assert member == StaffMember(member.id, "Dorte Desk", Role.DESK, staff_card(1))
    with ctx.sessions() as session:
        row = session.scalars(select(Staff)).one()
    assert (row.active, row.failed_attempts, row.locked_until) == (True, 0, None)
    assert row.pin_hash.startswith("scrypt$") and verify_pin("1111", row.pin_hash)


@pytest.mark.parametrize(
    ("name", "role", "pin", "card", "message"),
    [
        ("", "desk", "1111", None, "needs a name"),
        ("x" * 61, "desk", "1111", None, "at most 60"),
        ("Bo", "boss", "1111", None, "unknown role 'boss'"),
        ("Bo", "desk", "11", None, "4 to 8 digits"),
        ("Bo", "desk", "1111", staff_card(1)[:-1] + "0", "wrong check digit (B2)"),
        ("Bo", "desk", "1111", item(1), "not a staff card number"),
        ("Bo", "desk", "1111", "12345", "not a staff card number"),
        ("Bo", "desk", "1111", ANNE, "is a borrower's library card"),
        ("Søren", "desk", "1111", None, "already a staff member named 'Søren Supervisor'"),
        ("SØREN SUPERVISOR", "desk", "1111", None, "already a staff member named"),
        ("Bo", "desk", "1111", staff_card(2), "already the staff card of Søren Supervisor"),
    ],
)
def test_add_staff_refuses_with_a_clear_message(ctx, name, role, pin, card, message):
    seed_cast(ctx)
    add_staff(ctx, "Søren Supervisor", Role.SUPERVISOR, "2222", staff_card(2))
    if name == "Søren":
        name = "Søren Supervisor"
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        add_staff(ctx, name, role, pin, card)
    with ctx.sessions() as session:
        assert session.scalars(select(Staff.name)).all() == ["Søren Supervisor"]


def test_a_health_card_is_never_a_staff_card_and_the_error_shows_it_masked(ctx):
    with pytest.raises(ValueError) as refused:
        add_staff(ctx, "Bo", "desk", "1111", TEST_CPR)
    assert "010190-XXXX" in str(refused.value) and TEST_CPR not in str(refused.value)


def test_staff_names_are_the_active_staff_sorted_and_has_staff_says_whether_any(ctx):
    assert staff.has_staff(ctx) is False and staff.staff_names(ctx) == []
    for name in ("Kaj Courier", "anna Admin", "Dorte Desk"):
        add_staff(ctx, name, "desk", "1111")
    with ctx.sessions.begin() as session:
        session.scalars(select(Staff).where(Staff.name == "Kaj Courier")).one().active = False
    assert staff.has_staff(ctx) is True
    assert staff.staff_names(ctx) == ["anna Admin", "Dorte Desk"]


def test_staff_by_card_cleans_the_scan_and_finds_only_active_staff(ctx):
    dorte = add_staff(ctx, "Dorte Desk", "desk", "1111", staff_card(1))
    assert staff.staff_by_card(ctx, f"  a{staff_card(1)}d\t") == dorte
    assert staff.staff_by_card(ctx, f"#{staff_card(1)}!", prefix="#", suffix="!") == dorte
    assert staff.staff_by_card(ctx, staff_card(2)) is None  # unknown
    assert staff.staff_by_card(ctx, staff_card(1)[:-1] + "0") is None  # misread (B2)
    assert staff.staff_by_card(ctx, TEST_CPR) is None
    with ctx.sessions.begin() as session:
        session.scalars(select(Staff)).one().active = False
    assert staff.staff_by_card(ctx, staff_card(1)) is None


# -- signing in ----------------------------------------------------------------


def test_sign_in_by_name_or_card_returns_the_member_and_is_audited(ctx, clock):
    soren = add_staff(ctx, "Søren Supervisor", "supervisor", "2222", staff_card(2))
    assert sign_in(ctx, name="Søren Supervisor", pin="2222", desk="Main desk") == soren
    assert sign_in(ctx, card=f"A{staff_card(2)}B", pin="2222", desk="Main desk") == soren
    entries = _audit(ctx)
    assert [(e.staff, e.desk, e.action, e.code, e.rule, e.at) for e in entries] == [
        ("Søren Supervisor", "Main desk", "sign_in", "SIGNED_IN", None, clock.now())
    ] * 2
    assert soren.actor("Main desk").staff == "Søren Supervisor"


def test_a_wrong_pin_and_an_unknown_name_or_card_get_the_same_refusal(ctx):
    add_staff(ctx, "Dorte Desk", "desk", "1111", staff_card(1))
    wrong_pin = sign_in(ctx, name="Dorte Desk", pin="9999", desk="d")
    unknown_name = sign_in(ctx, name="Nobody", pin="1111", desk="d")
    unknown_card = sign_in(ctx, card=staff_card(9), pin="1111", desk="d")
    assert wrong_pin == unknown_name == unknown_card
    assert isinstance(wrong_pin, SignInRefused)
    assert wrong_pin.text == NOT_RECOGNISED
    assert wrong_pin.message_en == "Name or PIN not recognised."
    assert wrong_pin.message("da") == "Navn eller PIN-kode blev ikke genkendt."
    codes = [(e.code, json.loads(e.detail)["reason"]) for e in _audit(ctx)]
    assert codes == [
        ("SIGN_IN_REFUSED", "wrong_pin"),
        ("SIGN_IN_REFUSED", "unknown"),
        ("SIGN_IN_REFUSED", "unknown"),
    ]


def test_an_inactive_account_cannot_sign_in(ctx):
    add_staff(ctx, "Dorte Desk", "desk", "1111")
    with ctx.sessions.begin() as session:
        session.scalars(select(Staff)).one().active = False
    refused = sign_in(ctx, name="Dorte Desk", pin="1111", desk="d")
    assert isinstance(refused, SignInRefused) and refused.text == NOT_RECOGNISED


def test_five_wrong_pins_in_a_row_lock_the_account_for_five_minutes(ctx, clock):
    add_staff(ctx, "Dorte Desk", "desk", "1111")
    start = clock.now()
    for _ in range(MAX_WRONG_PINS - 1):
        refused = sign_in(ctx, name="Dorte Desk", pin="0000", desk="d")
        assert refused.text == NOT_RECOGNISED
    locked = sign_in(ctx, name="Dorte Desk", pin="0000", desk="d")
    assert isinstance(locked, SignInRefused)
    assert "locked until 10:05" in locked.message_en and "kl. 10.05" in locked.message_da
    # While locked, even the right PIN is refused (and no PIN is tried).
    clock.set(start + timedelta(minutes=4, seconds=59))
    assert isinstance(sign_in(ctx, name="Dorte Desk", pin="1111", desk="d"), SignInRefused)
    clock.set(start + timedelta(minutes=5))
    assert isinstance(sign_in(ctx, name="Dorte Desk", pin="1111", desk="d"), StaffMember)
    with ctx.sessions() as session:
        row = session.scalars(select(Staff)).one()
    assert (row.failed_attempts, row.locked_until) == (0, None)  # a success resets the count
    reasons = [json.loads(e.detail)["reason"] for e in _audit(ctx) if e.code != "SIGNED_IN"]
    assert reasons == ["wrong_pin"] * 4 + ["locked_now", "locked"]


def test_after_a_lock_runs_out_the_next_wrong_pin_locks_again(ctx, clock):
    add_staff(ctx, "Dorte Desk", "desk", "1111")
    for _ in range(MAX_WRONG_PINS):
        sign_in(ctx, name="Dorte Desk", pin="0000", desk="d")
    clock.set(clock.now() + timedelta(minutes=6))
    again = sign_in(ctx, name="Dorte Desk", pin="0000", desk="d")
    assert "locked until 10:11" in again.message_en


def test_a_success_resets_the_count_of_wrong_pins(ctx):
    add_staff(ctx, "Dorte Desk", "desk", "1111")
    for _ in range(MAX_WRONG_PINS - 1):
        sign_in(ctx, name="Dorte Desk", pin="0000", desk="d")
    assert isinstance(sign_in(ctx, name="Dorte Desk", pin="1111", desk="d"), StaffMember)
    for _ in range(MAX_WRONG_PINS - 1):
        refused = sign_in(ctx, name="Dorte Desk", pin="0000", desk="d")
        assert refused.text == NOT_RECOGNISED  # not locked: the count restarted


def test_sign_in_needs_exactly_one_of_name_and_card(ctx):
    with pytest.raises(ValueError):
        sign_in(ctx, pin="1111", desk="d")
    with pytest.raises(ValueError):
        sign_in(ctx, name="Dorte Desk", card=staff_card(1), pin="1111", desk="d")


def test_what_was_typed_as_a_name_reaches_the_audit_only_when_it_cannot_be_a_pin_or_cpr(ctx):
    sign_in(ctx, name="1234", pin="1234", desk="d")  # the PIN typed into the name field
    sign_in(ctx, name=TEST_CPR, pin="1234", desk="d")
    sign_in(ctx, card=TEST_CPR, pin="1234", desk="d")
    entries = _audit(ctx)
    assert [e.staff for e in entries] == ["?", "?", "?"]
    assert all(TEST_CPR not in (e.detail or "") and "1234" not in (e.detail or "") for e in entries)


# -- demo accounts and the command line -----------------------------------------


def test_the_demo_staff_sign_in_with_the_printed_pins_and_cards(ctx):
    summary = fill_demo(ctx, borrowers=50, items=300, seed=3)
    assert summary.staff == DEMO_STAFF
    assert {m.role for m in summary.staff} == set(Role)
    assert len({m.card for m in summary.staff}) == 4
    printed = format_summary(summary, "db", 3, 1.0)
    for name, role, pin, card in summary.staff:
        assert f"PIN {pin}  staff card {card}" in printed and name in printed
        by_name = sign_in(ctx, name=name, pin=pin, desk="demo")
        by_card = sign_in(ctx, card=card, pin=pin, desk="demo")
        assert isinstance(by_name, StaffMember) and by_name == by_card and by_name.role is role


def test_the_demo_leaves_a_staff_account_made_first_alone(ctx):
    own = add_staff(ctx, "Anna Admin", "admin", "9876")
    summary = fill_demo(ctx, borrowers=50, items=300, seed=3)
    assert "Anna Admin" not in [m.name for m in summary.staff] and len(summary.staff) == 3
    assert sign_in(ctx, name="Anna Admin", pin="9876", desk="d") == own


def test_cli_staff_add_and_list_as_a_user_runs_them(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'desk.sqlite3'}"]
    card = staff_card(2)
    added = desk("staff", *db, "add", "Dorte Desk", "--role", "desk", "--pin", "1111")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added Dorte Desk (desk).\n"
    args = ("add", "Søren S", "--role", "supervisor", "--card", card, "--pin", "2222")
    assert desk("staff", *db, *args).stdout == f"Added Søren S (supervisor, staff card {card}).\n"
    again = desk("staff", *db, "add", "Dorte Desk", "--role", "admin", "--pin", "1111")
    assert again.returncode == 2
    assert "already a staff member named 'Dorte Desk'" in again.stderr
    assert desk("staff", *db, "add", "Bo", "--role", "boss", "--pin", "1111").returncode == 2
    listed = desk("staff", *db, "list")
    assert listed.stdout.splitlines() == [
        "Dorte Desk  desk        -",
        f"Søren S     supervisor  {card}",
    ]


def test_cli_staff_add_asks_for_the_pin_twice_without_echo(ctx, capsys, monkeypatch):
    answers = iter(["2222", "2222", "3333", "3334"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert staff_add_command(ctx, "Søren S", "supervisor", None, None) == 0
    assert staff_add_command(ctx, "Kaj C", "courier", None, None) == 2
    assert "the two PINs differ" in capsys.readouterr().err
    assert staff.staff_names(ctx) == ["Søren S"]
    assert isinstance(sign_in(ctx, name="Søren S", pin="2222", desk="d"), StaffMember)
    assert staff_list_command(ctx) == 0
    assert capsys.readouterr().out == "Søren S  supervisor  -\n"
