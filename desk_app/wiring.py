"""Build a :class:`DeskContext` from a database URL: the one place that wires
engine, migrations, policy, clock and secret together for CLI and GUI."""

from __future__ import annotations

from desk_app.clock import Clock, SystemClock
from desk_app.config import AppConfig
from desk_app.domain.policy import Policy
from desk_app.policy_file import load_policy
from desk_app.services.context import DeskContext
from desk_app.store.checkpoints import WalCheckpointer
from desk_app.store.engine import (
    MEMORY_URL,
    display_url,
    is_sqlite_file,
    make_engine,
    make_session_factory,
)
from desk_app.store.migrate import upgrade
from desk_app.store.models import Base


def open_desk(
    url: str,
    *,
    cpr_key: bytes,
    policy: Policy | None = None,
    clock: Clock | None = None,
    background_checkpoints: bool = False,
) -> DeskContext:
    """Open (and migrate) the database at ``url``. An in-memory database gets
    the schema straight from the models: it lives only for one run.

    ``background_checkpoints``: a desk's SQLite file has its log checkpointed
    on a thread of its own (``ctx.checkpointer``, stopped by ``ctx.close()``),
    not in the commit of a scan; command-line tools leave it to SQLite."""
    background = background_checkpoints and is_sqlite_file(url)
    engine = make_engine(url, wal_autocheckpoint=not background)
    if url == MEMORY_URL:
        Base.metadata.create_all(engine)
    else:
        upgrade(engine)
    return DeskContext(
        sessions=make_session_factory(engine),
        policy=policy or load_policy(),
        clock=clock or SystemClock(),
        cpr_key=cpr_key,
        checkpointer=WalCheckpointer(engine).start() if background else None,
    )


def open_configured(config: AppConfig, clock: Clock | None = None) -> DeskContext:
    return open_desk(
        config.database_url,
        cpr_key=config.cpr_key,
        policy=load_policy(config.policy_path),
        clock=clock,
    )


def database_label(url: str) -> str:
    """What a screen may show of the database URL (no password)."""
    return display_url(url)
