"""Build a :class:`DeskContext` from a database URL: the one place that wires
engine, migrations, policy, clock and secret together for CLI and GUI.

A database the desk cannot work with (a bad URL, a server that does not
answer, a file that is no database, a schema version it cannot trust, another
CPR key) is a :class:`StartupError` with a one-line message, before anything
is written: the CLI prints it and exits 2, the window shows it (issue 13).

The command line and the window reach the database only through here and the
services: :func:`institutes_at` reads one without opening it as a desk, and
:func:`one_transaction` makes a run's service calls all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from desk_app.clock import Clock, SystemClock
from desk_app.config import KEY_FILE, AppConfig
from desk_app.domain.policy import Policy
from desk_app.policy_file import load_policy
from desk_app.services.context import DeskContext
from desk_app.store.checkpoints import WalCheckpointer
from desk_app.store.engine import (
    MEMORY_URL,
    DatabaseUrlError,
    check_url,
    database_timeout,
    display_url,
    is_sqlite_file,
    make_engine,
    make_session_factory,
    migration_timeout,
)
from desk_app.store.key_check import CprKeyMismatch, check_cpr_key
from desk_app.store.migrate import MigrationError, SchemaError, upgrade
from desk_app.store.models import Base
from desk_app.store.peek import PeekError, institute_codes


class StartupError(Exception):
    """The desk cannot start on this database; the message says what and where."""


class DatabaseOpenError(StartupError):
    """The database cannot be opened, reached or trusted."""


class CprKeyError(StartupError):
    """This desk's CPR key is not the database's (B3, issue 13 point 6)."""


def open_desk(
    url: str,
    *,
    cpr_key: bytes,
    policy: Policy | None = None,
    clock: Clock | None = None,
    background_checkpoints: bool = False,
    key_source: str = "this desk's CPR key",
    url_source: str = "",
) -> DeskContext:
    """Open (and migrate) the database at ``url``. An in-memory database gets
    the schema straight from the models: it lives only for one run, and needs
    no CPR key check. Raises :class:`StartupError`.

    ``background_checkpoints``: a desk's SQLite file has its log checkpointed
    on a thread of its own (``ctx.checkpointer``, stopped by ``ctx.close()``),
    not in the commit of a scan; command-line tools leave it to SQLite.
    ``key_source``, ``url_source``: where ``cpr_key`` and ``url`` came from
    (the key file, --db, ...), for the messages."""
    background = background_checkpoints and is_sqlite_file(url)
    try:
        engine = make_engine(url, wal_autocheckpoint=not background)
    except DatabaseUrlError as problem:
        where = f" (the URL is from {url_source})" if url_source else ""
        raise DatabaseOpenError(f"{problem}{where}") from problem
    except ValueError as problem:  # a bad DESK_APP_DB_TIMEOUT
        raise DatabaseOpenError(str(problem)) from problem
    clock = clock or SystemClock()
    try:
        if url == MEMORY_URL:
            Base.metadata.create_all(engine)
        else:
            upgrade(engine, migrating=_migration_engine(url))
            check_cpr_key(engine, cpr_key, clock.now())
    except Exception as problem:
        engine.dispose()
        error = _startup_error(url, problem, key_source)
        if error is None:
            raise
        raise error from problem
    except BaseException:
        engine.dispose()
        raise
    return DeskContext(
        sessions=make_session_factory(engine),
        policy=policy or load_policy(),
        clock=clock,
        cpr_key=cpr_key,
        checkpointer=WalCheckpointer(engine).start() if background else None,
    )


def _migration_engine(url: str) -> Callable[[], Engine] | None:
    """What :func:`~desk_app.store.migrate.upgrade` migrates on when the schema
    is behind: an engine of its own with the long migration limit, so a slow
    migration or another desk's migration lock does not fail the start after
    the desk's few seconds (its connect still gives up after those). None for
    an SQLite database in memory: a second engine would be another database."""
    if not is_sqlite_file(url) and check_url(url).startswith("sqlite"):
        return None
    return lambda: make_engine(url, timeout=migration_timeout(), connect_timeout=database_timeout())


def _startup_error(url: str, problem: Exception, key_source: str) -> StartupError | None:
    """The one-line :class:`StartupError` for what went wrong opening ``url``;
    None for anything else (a bug stays a traceback)."""
    label = display_url(url)
    if isinstance(problem, CprKeyMismatch):
        return CprKeyError(
            f"the database {label} was set up with another CPR key than this desk's "
            f"({key_source}): this desk would not find the health cards enrolled there "
            "and would enrol those borrowers twice. Give every desk on this database "
            f"the same key: copy {KEY_FILE} from a desk that works into this desk's "
            "data folder, or set DESK_APP_CPR_KEY to that key, then start again"
        )
    if isinstance(problem, SchemaError | MigrationError):
        return DatabaseOpenError(f"the database {label}: {problem}")
    if isinstance(problem, DBAPIError):
        reason = _first_line(problem.orig) or type(problem.orig).__name__
        if url.startswith("sqlite"):
            return DatabaseOpenError(
                f"the SQLite database {label} cannot be opened: {reason} "
                "(is it a desk-app database, and may this user read and write it?)"
            )
        return DatabaseOpenError(f"cannot connect to the database {label}: {reason}")
    if isinstance(problem, SQLAlchemyError):
        return DatabaseOpenError(f"the database {label} cannot be opened: {_first_line(problem)}")
    return None


def _first_line(problem: object) -> str:
    lines = str(problem).strip().splitlines()
    return lines[0][:300] if lines else ""


def open_configured(
    config: AppConfig,
    clock: Clock | None = None,
    policy: Policy | None = None,
    background_checkpoints: bool = False,
) -> DeskContext:
    """:func:`open_desk` on the configured database, its messages naming
    where the URL and the CPR key came from."""
    return open_desk(
        config.database_url,
        cpr_key=config.cpr_key,
        policy=policy or load_policy(config.policy_path),
        clock=clock,
        background_checkpoints=background_checkpoints,
        key_source=config.cpr_key_source,
        url_source=config.database_url_source,
    )


def database_label(url: str) -> str:
    """What a screen may show of the database URL (no password)."""
    return display_url(url)


def institutes_at(url: str) -> frozenset[str]:
    """The institute codes of the database at ``url``, read without opening
    it as a desk: nothing migrated, written or created (none when the file
    or its table does not exist yet). Raises :class:`DatabaseOpenError`."""
    try:
        return institute_codes(url)
    except PeekError as problem:
        raise DatabaseOpenError(str(problem)) from problem


@dataclass(frozen=True)
class OneTransaction:
    """A desk whose service calls all join one database transaction."""

    ctx: DeskContext
    commit: Callable[[], None]


@contextmanager
def one_transaction(ctx: DeskContext) -> Iterator[OneTransaction]:
    """``ctx`` with every service's own ``ctx.sessions()`` / ``.begin()``
    made a SAVEPOINT of one outer transaction (SQLAlchemy's "joining a Session
    into an external transaction"): nothing is kept unless ``commit()`` is
    called, yet a service that rolls its own work back (a lost race at
    checkout) still does so alone. For a replay file, run all or nothing
    (issue 13 point 7)."""
    with ctx.sessions.kw["bind"].connect() as connection:
        transaction = connection.begin()
        joined = replace(
            ctx,
            sessions=sessionmaker(
                connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
            ),
        )
        try:
            yield OneTransaction(joined, transaction.commit)
        finally:
            if transaction.is_active:
                transaction.rollback()
