"""Staff accounts: who may sign in at a desk, and with which role (issue 3).

Every transaction records who did it, so the desk needs to know who is at it:
staff sign in by name (or by scanning a staff card) and a PIN. The role then
decides what the desk offers (``domain.roles``): only a supervisor may
override a refusal.

A PIN is short, so it is kept only as a slow, salted scrypt hash, and wrong
guesses are limited in the database (not in one desk's memory): after
``MAX_WRONG_PINS`` wrong PINs in a row the account is locked for
``LOCKED_FOR``, and while it stays locked no PIN is even tried. A refusal
never says whether the name or the PIN was wrong. Staff names are no secret
(the sign-in screen lists them), so a locked account may say it is locked.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_app.domain.barcodes import (
    ScanError,
    ScanKind,
    ScanProblem,
    classify,
    is_ascii_digits,
    mask_cpr,
)
from desk_app.domain.roles import Action, Role
from desk_app.domain.staff_verdicts import SignInReason, sign_in_refused, signed_in
from desk_app.i18n import Text, render
from desk_app.services import audit
from desk_app.services.access import NOT_SIGNED_IN, require, shown_name
from desk_app.services.context import Actor, DeskContext
from desk_app.services.transactions import write_transaction
from desk_app.store.models import Card, Staff

# scrypt parameters: about 50 ms and 16 MiB per check, so a copied staff table
# cannot be searched through all 10^4..10^8 PINs in an afternoon.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
_SCHEME = "scrypt"
_MAXMEM = 64 * 1024 * 1024

PIN_LENGTHS = range(4, 9)  # 4 to 8 digits
MAX_WRONG_PINS = 5
LOCKED_FOR = timedelta(minutes=5)


# --------------------------------------------------------------------------
# PINs


def valid_pin(pin: str) -> bool:
    """A PIN is 4 to 8 ASCII digits (no other scripts' digits: a keypad types 0-9)."""
    return len(pin) in PIN_LENGTHS and is_ascii_digits(pin)


def hash_pin(pin: str) -> str:
    """``scrypt$16384$8$1$<salt hex>$<hash hex>``: the parameters travel with
    the hash, so they can be raised later without breaking stored PINs."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored``; False for a malformed stored value.
    The comparison takes the same time however many bytes match."""
    try:
        scheme, n, r, p, salt_hex, key_hex = stored.split("$")
        if scheme != _SCHEME:
            return False
        salt, key = bytes.fromhex(salt_hex), bytes.fromhex(key_hex)
        candidate = _scrypt(pin, salt, int(n), int(r), int(p), len(key))
    except ValueError:
        return False
    return hmac.compare_digest(candidate, key)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=length
    )


@functools.cache
def _decoy_hash() -> str:
    """A hash no PIN is checked against for real: an unknown name costs the
    same scrypt time as a known one, so timing does not tell them apart."""
    return hash_pin(secrets.token_hex(8))


# --------------------------------------------------------------------------
# Values the desk gets back


@dataclass(frozen=True)
class StaffMember:
    """A staff member as the desk sees them: never the PIN hash."""

    id: int
    name: str
    role: Role
    card: str | None

    def actor(self, desk: str) -> Actor:
        """Who performs the transactions of this shift, at ``desk``."""
        return Actor(self.name, desk)


@dataclass(frozen=True)
class SignInRefused:
    """Why a sign-in failed (``domain.staff_verdicts``); never which half was wrong."""

    text: Text

    def message(self, language: str = "en") -> str:
        return render(self.text, language)

    @property
    def message_en(self) -> str:
        return self.message("en")

    @property
    def message_da(self) -> str:
        return self.message("da")


def _member(staff: Staff) -> StaffMember:
    return StaffMember(staff.id, staff.name, Role(staff.role), staff.card)


# --------------------------------------------------------------------------
# Accounts


def add_staff(
    ctx: DeskContext,
    name: str,
    role: Role | str,
    pin: str,
    card: str | None = None,
    *,
    by: Actor | None = None,
) -> StaffMember:
    """Create a staff account. Raises ValueError, with a message fit for the
    person typing, for a blank or taken name, an unknown role, a PIN that is
    not 4 to 8 digits, or a card that is no valid 14-digit card number (B1,
    B2), is another staff member's, or is a borrower's library card (a scan
    must never be able to mean two people).

    Once the database has an active admin, only an admin may add staff:
    ``by`` names the signed-in admin, and anyone else (or nobody) gets
    ``access.NotPermitted``, audited (issue 13, point 9). Until then anyone
    holding the database may, so the first admin can be created."""
    if admin_exists(ctx):
        require(ctx, by or NOT_SIGNED_IN, Action.ADD_STAFF)
    clean_name = " ".join(name.split())
    if not clean_name:
        raise ValueError("a staff member needs a name")
    if len(clean_name) > audit.NAME_KEPT:  # the loans' and the audit's staff hold the name
        raise ValueError(f"a staff name has at most {audit.NAME_KEPT} characters")
    try:
        staff_role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r}: one of {roles}") from None
    if not valid_pin(pin):
        raise ValueError("a PIN is 4 to 8 digits (0-9)")
    staff_card = _staff_card_number(card) if card is not None and card.strip() else None
    pin_hash = hash_pin(pin)  # slow by design: before the transaction, not in it
    try:
        with ctx.sessions.begin() as session:
            folded = clean_name.casefold()
            for existing in session.scalars(select(Staff.name)):
                if existing.casefold() == folded:
                    raise ValueError(f"there is already a staff member named {existing!r}")
            if staff_card is not None:
                holder = session.scalars(
                    select(Staff.name).where(Staff.card == staff_card)
                ).one_or_none()
                if holder is not None:
                    raise ValueError(f"card {staff_card} is already the staff card of {holder}")
                if session.scalars(select(Card.id).where(Card.lookup == staff_card)).first():
                    raise ValueError(f"card {staff_card} is a borrower's library card")
            return _insert_staff(session, clean_name, staff_role, pin_hash, staff_card)
    except IntegrityError:
        # Someone added the same name or card at another desk a moment ago.
        raise ValueError(f"the name {clean_name!r} or the card is already in use") from None


def add_staff_record(
    session: Session, name: str, role: Role, pin: str, card: str | None = None
) -> StaffMember:
    """Add a staff member inside a caller's transaction (the demo data), with
    no checks beyond the database's own: the caller knows the values are good."""
    return _insert_staff(session, name, Role(role), hash_pin(pin), card)


def _insert_staff(
    session: Session, name: str, role: Role, pin_hash: str, card: str | None
) -> StaffMember:
    staff = Staff(
        name=name,
        role=role.value,
        card=card,
        pin_hash=pin_hash,
        active=True,
        failed_attempts=0,
        locked_until=None,
    )
    session.add(staff)
    session.flush()
    return _member(staff)


def _staff_card_number(raw: str) -> str:
    """A staff card is a library-card-pattern number (B1) with a right check
    digit (B2), cleaned of scanner noise (B4)."""
    scan = classify(raw)
    if isinstance(scan, ScanError):
        if scan.problem is ScanProblem.MISREAD:
            raise ValueError(f"card {scan.read} has a wrong check digit (B2): scan it again")
        raise ValueError(
            f"{scan.read!r} is not a staff card number: 14 digits starting with 2 (B1)"
        )
    if scan.kind is not ScanKind.LIBRARY_CARD:
        shown = mask_cpr(scan.value) if scan.kind is ScanKind.HEALTH_CARD else scan.value
        raise ValueError(f"{shown} is not a staff card number: 14 digits starting with 2 (B1)")
    return scan.value


def admin_exists(ctx: DeskContext) -> bool:
    """Whether an active admin account exists: from then on adding staff
    needs one (``add_staff``)."""
    with ctx.sessions() as session:
        query = select(Staff.id).where(Staff.role == Role.ADMIN.value, Staff.active.is_(True))
        return session.scalars(query.limit(1)).first() is not None


def has_staff(ctx: DeskContext) -> bool:
    """Whether anyone can sign in: without an active account the desk must
    first create one (``desk-app staff add``)."""
    with ctx.sessions() as session:
        return session.scalars(select(Staff.id).where(Staff.active.is_(True))).first() is not None


def staff_members(ctx: DeskContext) -> list[StaffMember]:
    """The active staff, by name (for ``desk-app staff list``)."""
    with ctx.sessions() as session:
        rows = session.scalars(select(Staff).where(Staff.active.is_(True))).all()
        return sorted((_member(s) for s in rows), key=lambda m: m.name.casefold())


def staff_names(ctx: DeskContext) -> list[str]:
    """The names the sign-in screen offers: active staff, sorted."""
    return [member.name for member in staff_members(ctx)]


def staff_by_card(
    ctx: DeskContext, raw: str, *, prefix: str = "", suffix: str = ""
) -> StaffMember | None:
    """The active staff member whose card was scanned, after cleaning the scan
    (B4); None for an unknown card, a misread, or anything that is no card."""
    number = _card_from_scan(raw, prefix, suffix)
    if number is None:
        return None
    with ctx.sessions() as session:
        staff = session.scalars(
            select(Staff).where(Staff.card == number, Staff.active.is_(True))
        ).one_or_none()
        return _member(staff) if staff else None


def _card_from_scan(raw: str, prefix: str = "", suffix: str = "") -> str | None:
    scan = classify(raw, prefix, suffix)
    if isinstance(scan, ScanError) or scan.kind is not ScanKind.LIBRARY_CARD:
        return None
    return scan.value


# --------------------------------------------------------------------------
# Signing in


def sign_in(
    ctx: DeskContext,
    *,
    pin: str,
    name: str | None = None,
    card: str | None = None,
    desk: str,
    audit_action: str = "sign_in",
) -> StaffMember | SignInRefused:
    """Sign in at ``desk`` by ``name`` or staff ``card`` (a scan, cleaned here)
    and ``pin``. Every attempt is audited (SIGNED_IN or SIGN_IN_REFUSED).

    A wrong PIN and an unknown name or card get the same refusal, and take the
    same time. ``MAX_WRONG_PINS`` wrong PINs in a row lock the account for
    ``LOCKED_FOR`` (by the injected clock); once the lock has run out, the
    next wrong PIN locks it again, as only a correct PIN resets the count.

    ``audit_action`` names the attempt in the audit trail when the PIN is
    checked for something other than taking the desk: a supervisor
    authorising an override at another's login (issue 13, point 17).
    """
    if (name is None) == (card is None):
        raise ValueError("sign in with a name or a staff card (one of them)")
    with write_transaction(ctx) as (session, now):
        query = select(Staff).where(Staff.active.is_(True)).with_for_update()
        if name is not None:
            wanted = " ".join(name.split())
            staff = session.scalars(query.where(Staff.name == wanted)).one_or_none()
            attempted = _shown_attempt(wanted)
            detail: dict[str, object] = {}
        else:
            number = _card_from_scan(card or "")
            staff = (
                session.scalars(query.where(Staff.card == number)).one_or_none() if number else None
            )
            attempted = "?"
            detail = {"card": number or "unreadable"}
        if staff is None:
            verify_pin(pin, _decoy_hash())
            unknown = Actor(attempted, desk)
            return _refused(session, unknown, now, SignInReason.UNKNOWN, detail, audit_action)
        actor = Actor(staff.name, desk)
        if staff.locked_until is not None and now < staff.locked_until:
            reason = SignInReason.LOCKED
            return _refused(session, actor, now, reason, detail, audit_action, staff.locked_until)
        if not verify_pin(pin, staff.pin_hash):
            staff.failed_attempts += 1
            detail["failed_attempts"] = staff.failed_attempts
            if staff.failed_attempts >= MAX_WRONG_PINS:
                staff.locked_until = now + LOCKED_FOR
                reason = SignInReason.LOCKED_NOW
                return _refused(
                    session, actor, now, reason, detail, audit_action, staff.locked_until
                )
            return _refused(session, actor, now, SignInReason.WRONG_PIN, detail, audit_action)
        staff.failed_attempts = 0
        staff.locked_until = None
        member = _member(staff)
        outcome = signed_in(member.name, member.role, **detail)
        audit.record(session, actor, now, audit_action, outcome)
        return member


def _shown_attempt(name: str) -> str:
    """What the audit keeps of a name typed at sign-in: not a mistyped PIN or
    anything that might be a CPR number (B3), and no more than fits."""
    if any(ch.isdigit() for ch in name):
        return "?"
    return shown_name(name)


def _refused(
    session: Session,
    actor: Actor,
    now: datetime,
    reason: SignInReason,
    detail: dict[str, object],
    audit_action: str = "sign_in",
    locked_until: datetime | None = None,
) -> SignInRefused:
    outcome = sign_in_refused(reason, locked_until, **detail)
    audit.record(session, actor, now, audit_action, outcome)
    return SignInRefused(outcome.text)
