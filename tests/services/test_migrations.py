"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from desk_app.store.engine import make_engine
from desk_app.store.migrate import current_revision, head_revision, upgrade
from desk_app.store.models import Base


def test_migrations_reach_head_and_match_the_models(backend_url):
    engine = make_engine(backend_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("loans")}
    assert "uq_loans_open_item" in indexes
    engine.dispose()


def test_upgrade_twice_is_harmless(backend_url):
    engine = make_engine(backend_url)
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
