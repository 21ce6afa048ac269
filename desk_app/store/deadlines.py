"""A client-side deadline on every PostgreSQL round trip (issue 13 point 8).

Why the server's own limits are not enough: ``statement_timeout`` and
``lock_timeout`` are enforced by the server, so a server that does not run at
all (stopped with SIGSTOP, swapped out, a VM paused) never sends the error.
Neither do TCP keepalives or libpq's ``tcp_user_timeout`` help: the server's
kernel still acknowledges every packet and answers keepalive probes; measured
against a SIGSTOPped postmaster, a query with ``tcp_user_timeout=2000`` and
1-second keepalives was still waiting after 8 s. A cancel request
(``conn.cancel_safe()``) goes to the stopped postmaster too and times out.

What works: a watchdog thread that, once a round trip has waited its
deadline, shuts the connection's socket down (``shutdown(2)`` wakes the
blocked ``poll`` at once; the connection is then *broken* and SQLAlchemy
throws it away). What was sent but not committed is rolled back by the server
when it runs again (it reads end-of-file). One case stays in doubt: a COMMIT
that reached the server's socket before the deadline is carried out when the
server runs again (measured), although the desk was told "not done".

One watchdog thread per engine, started on first use; it ends when nothing
has been waited for a while. Arming and disarming cost a lock and a dict
operation per round trip, no thread per statement.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import Engine, event

# After this long with nothing to watch the thread ends (a new one starts on
# the next round trip); it looks at least this often.
_IDLE_EXIT_SECONDS = 30.0
_NAP_SECONDS = 1.0


class DatabaseTimeout(psycopg.OperationalError):
    """The server did not answer in time; the connection was cut (broken)."""


class Watchdog:
    """Cuts the socket of a round trip that has waited past its deadline.

    The thread is not woken per round trip (that cost ~45 us each): it naps
    at most ``_NAP_SECONDS`` at a time, or until the earliest deadline it
    knows of, and ``arm`` wakes it only for a deadline before that."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._armed: dict[int, tuple[float, int]] = {}  # token -> (deadline, fd)
        self._fired: set[int] = set()
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None
        self._wake_at = 0.0

    def arm(self, fd: int, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        with self._cond:
            token = next(self._tokens)
            self._armed[token] = (deadline, fd)
            if self._thread is None:
                self._wake_at = 0.0
                self._thread = threading.Thread(
                    target=self._watch, name="desk-db-watchdog", daemon=True
                )
                self._thread.start()
            elif deadline < self._wake_at:
                self._cond.notify()
        return token

    def disarm(self, token: int) -> bool:
        """Stop watching; True if the deadline had passed and the socket was cut."""
        with self._cond:
            if self._armed.pop(token, None) is not None:
                return False
            self._fired.discard(token)
            return True

    def _watch(self) -> None:
        idle_since: float | None = None
        with self._cond:
            while True:
                now = time.monotonic()
                if self._armed:
                    idle_since = None
                    token, (deadline, fd) = min(self._armed.items(), key=lambda kv: kv[1][0])
                    if deadline <= now:
                        del self._armed[token]
                        self._fired.add(token)
                        _cut(fd)
                        continue
                    self._wake_at = min(deadline, now + _NAP_SECONDS)
                else:
                    idle_since = now if idle_since is None else idle_since
                    if now - idle_since >= _IDLE_EXIT_SECONDS:
                        self._thread = None
                        return
                    self._wake_at = now + _NAP_SECONDS
                self._cond.wait(self._wake_at - now)


def _cut(fd: int) -> None:
    """Shut the socket down for both directions; the owner still closes it.
    (A duplicate descriptor: closing it leaves the owner's one open.)"""
    try:
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or shut: nothing left to wake


@contextmanager
def _answer_within(conn: DeadlineConnection) -> Iterator[None]:
    watchdog = getattr(conn, "desk_watchdog", None)
    if watchdog is None or conn.closed:
        yield  # not (yet) watched, or psycopg will say it is closed
        return
    seconds: float = conn.desk_deadline
    token = watchdog.arm(conn.fileno(), seconds)
    try:
        yield
    except psycopg.Error as error:
        if watchdog.disarm(token):
            raise DatabaseTimeout(f"the database did not answer within {seconds:g} s") from error
        raise
    else:
        watchdog.disarm(token)


class DeadlineCursor(psycopg.Cursor[Any]):
    """A client-side cursor whose round trips are watched (SQLAlchemy's
    statements and its pool's pre-ping all go through ``execute``). Named
    (server-side) cursors are not: desk_app streams no results."""

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        with _answer_within(self.connection):  # type: ignore[arg-type]
            return super().execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        with _answer_within(self.connection):  # type: ignore[arg-type]
            return super().executemany(*args, **kwargs)


class DeadlineConnection(psycopg.Connection[Any]):
    """psycopg's connection with watched commit and rollback (the other round
    trips SQLAlchemy makes outside a cursor)."""

    desk_watchdog: Watchdog | None = None
    desk_deadline: float = 0.0

    def commit(self) -> None:
        with _answer_within(self):
            super().commit()

    def rollback(self) -> None:
        with _answer_within(self):
            super().rollback()


def install(engine: Engine, seconds: float) -> None:
    """Make every connection of ``engine`` a :class:`DeadlineConnection` whose
    round trips give up after ``seconds``."""
    watchdog = Watchdog()

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        conn = DeadlineConnection.connect(*cargs, cursor_factory=DeadlineCursor, **cparams)
        conn.desk_watchdog = watchdog
        conn.desk_deadline = seconds
        return conn

    @event.listens_for(engine, "handle_error")
    def _no_reconnect_to_a_hung_server(context: Any) -> None:
        # The pool's pre-ping treats a broken connection as stale and connects
        # again at once; when the ping timed out the server is hung, and that
        # connect would wait connect_timeout more. Give up now instead (the
        # pool still throws this connection away).
        if context.is_pre_ping and isinstance(context.original_exception, DatabaseTimeout):
            context.is_disconnect = False
