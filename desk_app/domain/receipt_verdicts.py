"""What the desk says when it e-mails a borrower their receipt (issue 15).

The receipt (open loans, due dates, requests) goes by e-mail only to the
address the borrower gave; when there is none, or the desk's e-mail is not
set up, or the mail server will not take it, the desk says so plainly and
the receipt can be printed instead. Nothing is changed either way.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain.verdict import Code, Verdict, verdict
from desk_app.i18n import tx


class NotSent(StrEnum):
    """Why a receipt was not e-mailed (``data["reason_key"]``)."""

    NO_ADDRESS = "no_address"  # the borrower has no e-mail address
    UNCONFIGURED = "unconfigured"  # no mail server in the desk's settings
    UNREACHABLE = "unreachable"  # no connection, or the login was refused
    REFUSED = "refused"  # the server refused the message or the address
    UNCERTAIN = "uncertain"  # the line dropped after the message went out


def receipt_sent(name: str, address: str, loans: int, requests: int) -> Verdict:
    return verdict(
        Code.RECEIPT_SENT,
        "",
        tx("Receipt e-mailed to {name} ({address}).", name=name, address=address),
        address=address,
        loans=loans,
        requests=requests,
    )


def receipt_not_sent(why: NotSent, name: str, address: str = "", detail: str = "") -> Verdict:
    """The refusal, worded for the desk; ``detail`` is the mail server's own
    answer (one line), shown as it came."""
    if why is NotSent.NO_ADDRESS:
        text = tx(
            "No receipt sent: {name} has no e-mail address. Print the receipt instead.",
            name=name,
        )
    elif why is NotSent.UNCONFIGURED:
        text = tx(
            "No receipt sent: e-mail is not set up (Settings → Notices and e-mail). "
            "Print the receipt instead."
        )
    elif why is NotSent.UNREACHABLE:
        text = tx(
            "No receipt sent: the mail server could not be reached ({why}). "
            "Try again later, or print the receipt.",
            why=detail,
        )
    elif why is NotSent.REFUSED:
        text = tx(
            "No receipt sent: the mail server refused the message to {address} ({why}). "
            "Check the address, or print the receipt.",
            address=address,
            why=detail,
        )
    else:
        text = tx(
            "The mail server stopped answering after the receipt to {address} went out "
            "({why}): it may have arrived. Ask the borrower before sending it again.",
            address=address,
            why=detail,
        )
    return verdict(Code.RECEIPT_NOT_SENT, "", text, reason_key=why.value, address=address)
