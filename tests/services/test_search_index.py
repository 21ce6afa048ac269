"""The search index of migration 0010 (issue 15): it folds as the desk folds
what is typed, follows every write, survives the bulk loader, and comes and
goes with its migration on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import logging
import string
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, inspect, text

from desk_app.clock import FixedClock
from desk_app.demo import Scale, generate
from desk_app.domain import search_text
from desk_app.domain.roles import Role
from desk_app.domain.search_text import FOLD, FOLD_UPPER, UNDECOMPOSED, fold
from desk_app.services import search
from desk_app.services.context import Actor, DeskContext
from desk_app.store import search_index
from desk_app.store.engine import make_engine
from desk_app.store.migrate import alembic_config, upgrade
from desk_app.store.models import Borrower, Item
from desk_app.wiring import open_desk
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import seed_cast
from tests.helpers.staffing import test_actor

MIGRATION = (
    Path(search_index.__file__).parent / "migrations" / "versions" / "0010_search_indexes.py"
)
NAMES = [
    "Søren Ærø Åberg",
    "José Müller-Øster",
    "Łukasz Dąbrowski",
    "Þóra Ðís Straße",
    "Zoë Œuvre Đorđe",
    "A\u030age Vest",
]


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0010", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migrations_frozen_fold_is_the_domains():
    """A change to ``search_text.FOLD`` needs a migration that rebuilds the
    index: until then the two must agree letter for letter."""
    m = _migration()
    assert dict(zip(m._LOWER_FROM, m._LOWER_TO, strict=True)) | m._SPELT == FOLD
    assert dict(zip(m._UPPER_FROM, m._UPPER_TO, strict=True)) | m._SPELT_UPPER == FOLD_UPPER
    assert "".join(UNDECOMPOSED) == m._UNDECOMPOSED
    assert m._COMBINING == search_text.COMBINING


def test_the_database_folds_names_as_the_desk_folds_what_is_typed(ctx: DeskContext):
    engine = ctx.sessions.kw["bind"]
    seed_cast(ctx)
    with ctx.sessions.begin() as session:
        session.execute(
            insert(Borrower),
            [{"name": n, "category": "researcher", "institute_code": "DIKU"} for n in NAMES],
        )
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            got = dict(
                conn.execute(
                    text(
                        "SELECT b.name, s.key FROM borrowers b "
                        "JOIN borrower_search s ON s.rowid = b.id"
                    )
                ).all()
            )
            for name in NAMES:
                assert got[name] == "  " + fold(name).replace(" ", "  "), name
        else:
            for name in NAMES:
                folded = conn.execute(
                    text("SELECT desk_search_fold(name_key) FROM borrowers WHERE name = :n"),
                    {"n": name},
                ).scalar()
                assert folded == fold(name), name
                raw = conn.execute(text("SELECT desk_search_fold(:n)"), {"n": name}).scalar()
                assert raw == fold(name), f"capitals too: {name}"


# --- the index follows every write ------------------------------------------------------------


def _integrity(ctx: DeskContext) -> None:
    """SQLite's own check of both FTS5 tables against their content."""
    with ctx.sessions.begin() as session:
        for table in search_index.SQLITE_TABLES:
            session.execute(text(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')"))


def test_inserts_updates_and_deletes_keep_the_index_in_step(ctx: DeskContext):
    seed_cast(ctx)
    actor = test_actor(ctx)
    with ctx.sessions.begin() as session:
        session.execute(
            text("UPDATE items SET title = 'Ødegaards æbler' WHERE title LIKE 'Concrete%'")
        )
        session.execute(
            text(
                "UPDATE borrowers SET name = 'Åse Ørsted', name_key = 'åse ørsted' "
                "WHERE name = 'Bo Nielsen'"
            )
        )
        session.execute(
            text(
                "DELETE FROM cards WHERE borrower_id = "
                "(SELECT id FROM borrowers WHERE name = 'Gustav Holm')"
            )
        )
        session.execute(text("DELETE FROM borrowers WHERE name = 'Gustav Holm'"))
        session.execute(text("DELETE FROM items WHERE title LIKE 'Manuscript%'"))
    assert [h.title for h in search.find_items(ctx, actor, "odegaard aeb")] == ["Ødegaards æbler"]
    assert search.find_items(ctx, actor, "concrete") == []
    assert search.find_items(ctx, actor, "manuscript") == []
    assert [h.name for h in search.find_borrowers(ctx, actor, "orsted")] == ["Åse Ørsted"]
    assert search.find_borrowers(ctx, actor, "nielsen") == []
    assert search.find_borrowers(ctx, actor, "gustav") == []
    if ctx.sessions.kw["bind"].dialect.name == "sqlite":
        _integrity(ctx)


# --- the migration up and down --------------------------------------------------------------------


def test_downgrade_removes_the_index_and_upgrade_fills_it_from_the_rows(backend_url, policy):
    desk = open_desk(
        backend_url, cpr_key=TEST_CPR_KEY, policy=policy, clock=FixedClock(datetime(2026, 3, 2))
    )
    seed_cast(desk)
    actor = test_actor(desk)
    engine = desk.sessions.kw["bind"]
    _downgrade(engine, "0009")
    names = set(inspect(engine).get_table_names())
    assert not names & {"borrower_search", "item_search", "borrower_search_data"}
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            indexes = conn.execute(text("SELECT indexname FROM pg_indexes")).scalars().all()
            assert not set(indexes) & set(search_index.PG_INDEXES)
            assert (
                conn.execute(
                    text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'desk_search_%'")
                ).scalar()
                == 0
            )
        else:
            views = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'view'")).all()
            triggers = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            assert views == [] and triggers == []
    with engine.begin() as conn:  # written while the index is gone
        conn.execute(
            text(
                "INSERT INTO items (barcode, title, material_type, loan_rule, owner, "
                "danish_legal_deposit, is_ill, reading_room_only) VALUES "
                "('30009999999990', 'Ålborg bys historie', 'book', 'home', 'KUB', "
                "false, false, false)"
            )
        )
    upgrade(engine)
    assert [h.title for h in search.find_items(desk, actor, "alborg")] == ["Ålborg bys historie"]
    assert [h.name for h in search.find_borrowers(desk, actor, "jensen")] == ["Anne Jensen"]
    if engine.dialect.name == "sqlite":
        _integrity(desk)
    else:
        with engine.connect() as conn:
            assert search_index.has_trigram_indexes(conn)
    desk.close()


def _downgrade(engine: Engine, revision: str) -> None:
    """Alembic's downgrade on ``engine`` (SQLite: foreign keys off, as
    ``migrate.upgrade`` runs the upgrades)."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
        if conn.dialect.name == "sqlite":
            driver.execute("PRAGMA foreign_keys = ON")


def test_without_pg_trgm_the_migration_still_succeeds_and_says_so(backend_url, caplog):
    """The extension cannot be made (here: one that does not exist): the
    transaction goes on, the log says the search will scan."""
    engine = make_engine(backend_url)
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's extension")
    upgrade(engine)
    m = _migration()
    with caplog.at_level(logging.WARNING), engine.begin() as conn:
        assert m._trigrams_available(conn, "no_such_extension_h15") is False
        assert conn.execute(text("SELECT 1")).scalar() == 1, "the transaction is usable"
        assert m._trigrams_available(conn) is True
    assert "no_such_extension_h15 could not be created" in caplog.text
    assert "scans" in caplog.text
    engine.dispose()


def test_the_search_index_is_no_model_for_alembic():
    assert not search_index.include_name("item_search_data", "table")
    assert not search_index.include_name("borrower_search", "table")
    assert not search_index.include_name("ix_search_items_words", "index")
    assert search_index.include_name("items", "table")
    assert search_index.include_name("ix_loans_ladder", "index")


# --- the bulk loader leaves it complete -----------------------------------------------------


def test_a_generated_library_is_searchable_through_the_index(ctx: DeskContext):
    """``demo.generate`` writes in bulk with the triggers dropped (SQLite) or
    the GIN indexes dropped (PostgreSQL) and leaves the index complete."""
    staff = (("benchmark", Role.SUPERVISOR),)
    made = generate(ctx, Scale().times(0.0005), seed=3, day=date(2026, 3, 2), staff=staff)
    engine = ctx.sessions.kw["bind"]
    with ctx.sessions() as session:
        borrowers = session.query(Borrower).count()
        items = session.query(Item).count()
        named = session.execute(text("SELECT id, name FROM borrowers WHERE id = 7")).one()
        titled = session.execute(text("SELECT id, title FROM items WHERE id = 11")).one()
    assert made.rows["borrowers"] == borrowers and made.rows["items"] == items
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            indexed = conn.execute(text("SELECT count(*) FROM borrower_search")).scalar()
            assert indexed == borrowers
            triggers = conn.execute(
                text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            ).scalar()
            assert triggers == 6, "the triggers are back"
        else:
            assert search_index.has_trigram_indexes(conn)
    if engine.dialect.name == "sqlite":
        _integrity(ctx)
    actor = Actor("benchmark", "desk")
    found = search.find_borrowers(ctx, actor, named.name, limit=500)
    assert named.id in {h.borrower_id for h in found}
    first = " ".join(named.name.split()[:2])
    assert named.id in {h.borrower_id for h in search.find_borrowers(ctx, actor, first, 500)}
    words = " ".join(titled.title.split()[:2])
    assert titled.id in {h.item_id for h in search.find_items(ctx, actor, words, 500)}


# --- SQLite 3.40's trigram index ----------------------------------------------------------------

_FRAGMENT = st.text(alphabet=string.ascii_lowercase + "æøå*?[_% ", min_size=0, max_size=6)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(_FRAGMENT, min_size=1, max_size=5))
def test_any_mix_of_short_and_long_fragments_answers(ctx_with_cast, words):
    """SQLite 3.40's trigram index crashed the process on a GLOB of fewer than
    three letters beside a longer one; such fragments never reach it."""
    ctx, actor = ctx_with_cast
    found = search.find_borrowers(ctx, actor, " ".join(words))
    assert all(hit.name for hit in found)


@pytest.fixture
def ctx_with_cast(ctx: DeskContext):  # type: ignore[no-untyped-def]
    seed_cast(ctx)
    return ctx, test_actor(ctx)
