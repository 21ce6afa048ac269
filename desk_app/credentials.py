"""The SMTP password in the system's credential store (``keyring``), never in
``settings.json`` (issue 13 point 11).

The store is the desktop's (Secret Service on Linux, the Keychain on macOS,
the Credential Manager on Windows). A headless desk or CI machine has none:
then nothing is stored, the settings dialog says so, and the password comes
from ``DESK_APP_SMTP_PASSWORD``. ``keyring`` is imported on first use only:
the desk's start does not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from desk_app.settings import SMTP_PASSWORD_ENV

if TYPE_CHECKING:
    from desk_app.settings import DeskSettings

log = logging.getLogger(__name__)

SERVICE = "desk-app"  # the keyring "service" under which every desk secret is kept


class Credentials(Protocol):
    """Where secrets are kept: :class:`SystemCredentials`, or a test's own."""

    def available(self) -> bool: ...

    def lookup(self, account: str) -> str | None: ...

    def store(self, account: str, secret: str) -> bool: ...


class SystemCredentials:
    """The ``keyring`` module's store; every failure of it counts as "none"
    (logged), never as a desk that stops."""

    def available(self) -> bool:
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
        except Exception:
            log.exception("the credential store cannot be used")
            return False
        if isinstance(backend, fail.Keyring):
            return False
        try:
            from keyring.backends import null
        except ImportError:  # pragma: no cover - every keyring has it
            return True
        return not isinstance(backend, null.Keyring)

    def lookup(self, account: str) -> str | None:
        if not self.available():
            return None
        import keyring

        try:
            return keyring.get_password(SERVICE, account)
        except Exception as problem:  # keyring.errors.KeyringError, D-Bus errors alike
            log.warning("cannot read the credential store: %s", problem)
            return None

    def store(self, account: str, secret: str) -> bool:
        if not self.available():
            return False
        import keyring

        try:
            keyring.set_password(SERVICE, account, secret)
        except Exception as problem:
            log.warning("cannot write to the credential store: %s", problem)
            return False
        return True


def smtp_account(settings: DeskSettings) -> str:
    """The name the password is kept under: one per login and server, so a
    desk that moves to another server does not send the old password there."""
    return f"smtp:{settings.smtp_user.strip()}@{settings.smtp_host.strip()}"


def smtp_password(
    settings: DeskSettings, env: Mapping[str, str], credentials: Credentials | None = None
) -> str:
    """The SMTP password to log in with: one just typed (still in memory),
    else the credential store's, else ``DESK_APP_SMTP_PASSWORD``. No user
    name means no login, and the store is not asked."""
    if settings.smtp_password:
        return settings.smtp_password
    if not settings.smtp_user.strip():
        return env.get(SMTP_PASSWORD_ENV, "")
    store = credentials if credentials is not None else SystemCredentials()
    return store.lookup(smtp_account(settings)) or env.get(SMTP_PASSWORD_ENV, "")
