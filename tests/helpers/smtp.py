"""A real SMTP server on loopback for the e-mail tests (aiosmtpd), keeping
what it receives; it can refuse addresses, demand STARTTLS and a login,
refuse every login, and hang up around chosen messages (issue 13, point 12)."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "desk", "s3cret-æø"


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)  # recipients per message
    refuse: set[str] = field(default_factory=set)  # answered 550 at RCPT
    # Message numbers (1 = the first this server stores) after which it hangs up:
    drop_before_reply: set[int] = field(default_factory=set)  # stored; the 250 never sent
    drop_after_reply: set[int] = field(default_factory=set)  # stored, 250 sent, then gone
    refuse_login: bool = False  # every login answered 535, right password or not
    logins: int = 0  # logins tried
    login_required: bool = False  # MAIL answered 530 before a login (set by smtp_server)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if self.login_required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append(list(envelope.rcpt_tos))
        number = len(self.messages)
        if number in self.drop_before_reply:
            server.transport.abort()  # the client waits for a reply that never comes
            await asyncio.Future()  # ended (cancelled) by the lost connection
        if number in self.drop_after_reply:
            asyncio.get_running_loop().call_soon(server.transport.close)  # after the 250
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> Any:
        self.logins += 1
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok and not self.refuse_login, handled=False)  # 535 if not


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(
    port: int | None = None,
    tls: ssl.SSLContext | None = None,
    inbox: Inbox | None = None,
    *,
    login: bool = False,
    implicit_tls: ssl.SSLContext | None = None,
) -> Iterator[tuple[Inbox, int]]:
    """Plain SMTP, or with ``tls``: STARTTLS required and a login required;
    ``login`` alone: a login required on the plain connection;
    ``implicit_tls``: TLS from the first byte (port 465 style). ``inbox``
    carries what a server on the same port kept before (a restart)."""
    inbox = inbox or Inbox()
    port = port or free_port()
    options: dict[str, Any] = {}
    if tls is not None or login:
        options = {
            "authenticator": inbox.authenticate,
            "auth_required": True,
            # PLAIN only: the desk sends a non-ASCII password as UTF-8 PLAIN
            "auth_exclude_mechanism": ["LOGIN"],
        }
    if tls is not None:
        options |= {"tls_context": tls, "require_starttls": True}
    elif login:
        # aiosmtpd warns about auth_required without TLS: ask for it at MAIL
        options |= {"auth_required": False, "auth_require_tls": False}
        inbox.login_required = True
    if implicit_tls is not None:
        options["ssl_context"] = implicit_tls
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def self_signed(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A certificate for 127.0.0.1 made with the openssl tool, and the server
    context that uses it; the client trusts the certificate file as its CA."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert
