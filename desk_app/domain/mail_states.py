"""A notice e-mail (§5 S6) as a state table: never lost, never sent twice.

``services.notice_mail`` explains the why of each row (claim before send,
at most once after the DATA went out, a letter when e-mail cannot be sure).
The states a printed letter follows from are :data:`POSTAL`.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain import roles
from desk_app.domain.state_machine import Machine, Step

_P = roles.Action


class MailState(StrEnum):
    PENDING = "pending"  # waiting to be sent
    SENDING = "sending"  # claimed by one desk, being sent now
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # the address was refused for good: a letter
    POSTAL = "postal"  # no address: a letter
    UNCERTAIN = "uncertain"  # lost after the DATA went out: a letter, never again by e-mail
    EXPIRED = "expired"  # not taken within LETTER_AFTER: a letter
    SUPERSEDED = "superseded"  # every notice in it has a newer one: neither sent nor printed


class MailAction(StrEnum):
    QUEUE = "queue"
    CLAIM = "claim"
    SEND = "send"
    RETRY = "retry"  # dropped before the DATA, or refused for now
    REFUSE = "refuse"
    NO_ADDRESS = "no_address"
    LOSE_TRACK = "lose_track"
    EXPIRE = "expire"
    SUPERSEDE = "supersede"


_S, _A = MailState, MailAction
_SEND = _P.SEND_NOTICE_MAIL

MAIL: Machine[MailState, MailAction] = Machine(
    "notice e-mail",
    MailState,
    [
        Step(None, _A.QUEUE, _S.PENDING, _P.RUN_NOTICES, "S6"),
        # a borrower without an address: the run queues a letter, not an e-mail
        Step(None, _A.NO_ADDRESS, _S.POSTAL, _P.RUN_NOTICES, "S6"),
        Step(_S.PENDING, _A.CLAIM, _S.SENDING, _SEND, "S6"),
        Step(_S.SENDING, _A.SEND, _S.SENT, _SEND, "S6"),
        Step(_S.SENDING, _A.RETRY, _S.PENDING, _SEND, "S6"),
        Step(_S.SENDING, _A.REFUSE, _S.FAILED, _SEND, "S6"),
        Step(_S.SENDING, _A.NO_ADDRESS, _S.POSTAL, _SEND, "S6"),
        Step(_S.SENDING, _A.LOSE_TRACK, _S.UNCERTAIN, _SEND, "S6"),
        Step(_S.PENDING, _A.EXPIRE, _S.EXPIRED, _SEND, "S6"),
        Step(_S.PENDING, _A.SUPERSEDE, _S.SUPERSEDED, _SEND, "S6"),
        Step(_S.SENDING, _A.SUPERSEDE, _S.SUPERSEDED, _SEND, "S6"),
    ],
)

POSTAL = frozenset({_S.FAILED, _S.POSTAL, _S.UNCERTAIN, _S.EXPIRED})  # printed as letters
