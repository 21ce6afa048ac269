"""B3, issue 13 point 6: every desk on a database hashes health cards with the
same key, or refuses to start.

Health cards are stored as an HMAC of the CPR number under a secret kept
outside the database (``DESK_APP_CPR_KEY`` or the data folder's key file). A
second desk with another key finds none of the first desk's health cards and
enrols the borrowers again. The database keeps a fingerprint of the key, an
HMAC of a fixed text under it: equal keys give equal fingerprints, and the
fingerprint tells nothing about the key or any CPR number. The first desk to
open the database writes it; every later start compares.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from desk_app.store.models import KeyFingerprint

CPR_PURPOSE = "cpr"
_CHECK_TEXT = b"desk-app: fingerprint of the CPR hashing key (B3)"


class CprKeyMismatch(RuntimeError):
    """This desk's CPR key is not the one the database's health cards use."""


def cpr_key_fingerprint(key: bytes) -> str:
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).hexdigest()


def check_cpr_key(engine: Engine, key: bytes, now: datetime) -> bool:
    """Compare ``key`` with the database's fingerprint, writing it when there
    is none yet (then True: this desk was the first). Raises
    :class:`CprKeyMismatch`, having written nothing, for another key."""
    fingerprint = cpr_key_fingerprint(key)
    stored = _stored(engine)
    if stored is None:
        try:
            with engine.begin() as connection:
                connection.execute(
                    insert(KeyFingerprint).values(
                        purpose=CPR_PURPOSE, fingerprint=fingerprint, written_at=now
                    )
                )
            return True
        except IntegrityError:  # another desk wrote it a moment ago: compare with that
            stored = _stored(engine)
    if stored is None or not hmac.compare_digest(stored, fingerprint):
        raise CprKeyMismatch(
            "this desk's CPR key is not the one the database's health cards are hashed with"
        )
    return False


def _stored(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(
            select(KeyFingerprint.fingerprint).where(KeyFingerprint.purpose == CPR_PURPOSE)
        ).scalar()
