"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, inspect, text
from sqlalchemy.exc import IntegrityError

from desk_app.domain.loan_states import LoanState, Transit
from desk_app.domain.material import Alternative
from desk_app.domain.roles import Role
from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.context import DeskContext
from desk_app.store import models
from desk_app.store.engine import make_engine, make_session_factory
from desk_app.store.migrate import (
    current_revision,
    head_revision,
    script_head,
    stamped_revisions,
    upgrade,
)
from desk_app.store.models import Base
from desk_app.store.search_index import include_name
from tests.conftest import TEST_CPR_KEY
from tests.helpers.people import ANNE, BO, CECILIE, item, seed_cast
from tests.helpers.staffing import ensure_staff


def test_migrations_reach_head_and_match_the_models(backend_url):
    engine = make_engine(backend_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        # the search index (migration 0010) is no model: store.search_index
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
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


def test_the_start_up_check_reads_the_head_as_alembic_does():
    assert script_head() == head_revision()


def _scripts(folder, *pairs: tuple[str, str]):  # type: ignore[no-untyped-def]
    """Migration scripts with these (revision, down_revision) lines."""
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for number, (revision, down) in enumerate(pairs):
        (folder / f"{number}_step.py").write_text(
            f'"""step\n\nRevision ID: x\n"""\n\nrevision = {revision}\n'
            f"down_revision: str | None = {down}\nbranch_labels = None\n"
        )
    return folder


def test_the_head_is_read_from_the_scripts_only_when_they_say_it_plainly(tmp_path):
    chain = _scripts(tmp_path / "chain", ("'a1'", "None"), ('"b2"', "'a1'"), ("'c3'", "'b2'"))
    assert script_head(chain) == "c3"
    merged = _scripts(
        tmp_path / "merged", ("'a'", "None"), ("'b'", "'a'"), ("'c'", "'a'"), ("'d'", "('b', 'c')")
    )
    assert script_head(merged) == "d"
    # Alembic decides: two heads, a revision that is no plain literal
    assert (
        script_head(_scripts(tmp_path / "two", ("'a'", "None"), ("'b'", "'a'"), ("'c'", "'a'")))
        is None
    )
    assert script_head(_scripts(tmp_path / "odd", ("'a'", "None"), ("make_id()", "'a'"))) is None


def test_a_database_at_head_opens_without_loading_alembic(backend_url, monkeypatch):
    """Every desk start checks the schema; an up-to-date one must not cost
    Alembic's imports (about 0.15 s), and a behind one still migrates."""
    engine = make_engine(backend_url)
    assert stamped_revisions(engine) == []
    upgrade(engine, "0001")
    assert stamped_revisions(engine) == ["0001"]
    upgrade(engine)
    head = head_revision()
    monkeypatch.setitem(sys.modules, "alembic", None)  # any import of it fails now
    upgrade(engine)
    assert stamped_revisions(engine) == [head]
    engine.dispose()


# Tables the desk has filled since 0001, parents first.
_COPIED = (
    "faculties",
    "routes",
    "institutes",
    "borrowers",
    "cards",
    "items",
    "loans",
    "requests",
    "audit",
)


def _copy_rows(source, target) -> None:  # type: ignore[no-untyped-def]
    """Copy rows made at head into a database at an older revision, keeping
    the columns that revision has: old data without driving old code."""
    with source.connect() as src, target.begin() as dst:
        for table in _COPIED:
            reflected = inspect(dst).get_columns(table)
            columns = [c["name"] for c in reflected]
            flags = [c["name"] for c in reflected if isinstance(c["type"], Boolean)]
            names = ", ".join(columns)
            rows = [
                {**row, **{f: None if row[f] is None else bool(row[f]) for f in flags}}
                for row in src.execute(text(f"SELECT {names} FROM {table} ORDER BY 1")).mappings()
            ]
            if rows:
                marks = ", ".join(f":{c}" for c in columns)
                dst.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), rows)


def test_later_migrations_keep_the_loans_and_every_row_that_points_at_them(
    backend_url, tmp_path, clock, policy
):
    """0002 and 0003 alter ``loans`` (on SQLite by copying the table): the copy
    keeps the rows, the references to them, the partial unique index on open
    loans, and foreign keys are enforced again afterwards."""
    made = make_engine(f"sqlite:///{tmp_path / 'made.db'}")
    upgrade(made)
    made_ctx = DeskContext(make_session_factory(made), policy, clock, TEST_CPR_KEY)
    seed_cast(made_ctx)
    actor = ensure_staff(made_ctx, "kari", desk="KUB Nord")  # services check the role
    assert circulation.checkout(made_ctx, actor, ANNE, item(1)).code is Code.LOANED
    assert circulation.request(made_ctx, actor, BO, item(1)).code is Code.REQUESTED
    assert circulation.checkout(made_ctx, actor, BO, item(2)).code is Code.LOANED
    assert circulation.checkin(made_ctx, actor, item(2)).code is Code.RETURNED
    engine = make_engine(backend_url)
    upgrade(engine, "0001")
    _copy_rows(made, engine)
    made.dispose()
    if engine.dialect.name == "postgresql":  # rows came with their ids
        with engine.begin() as conn:
            for table in ("borrowers", "cards", "items", "loans", "requests", "audit"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    ctx = DeskContext(make_session_factory(engine), policy, clock, TEST_CPR_KEY)
    loans = text("SELECT id, item_id, state FROM loans ORDER BY id")
    with engine.connect() as conn:
        before = conn.execute(loans).all()
        audit_before = conn.execute(text("SELECT count(*) FROM audit")).scalar()
    assert len(before) == 2

    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(loans).all() == before
        assert conn.execute(text("SELECT count(*) FROM audit")).scalar() == audit_before
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    ensure_staff(ctx, actor.staff)  # the staff table was not copied: kari anew
    # The partial unique index still allows one open loan per item, and only one.
    assert circulation.checkout(ctx, actor, ANNE, item(2)).code is Code.LOANED
    with pytest.raises(IntegrityError), ctx.sessions.begin() as session:
        session.execute(text("UPDATE loans SET state = 'open', ended_at = NULL WHERE id = 2"))
    # ... and 'cancelled' is a state the database now accepts.
    loan_id = circulation.checkout(ctx, actor, CECILIE, item(6)).data["loan_id"]
    assert circulation.undo_checkout(ctx, actor, loan_id).code is Code.UNDONE
    with pytest.raises(IntegrityError), ctx.sessions.begin() as session:
        session.execute(text("UPDATE loans SET state = 'gone' WHERE id = 1"))
    with pytest.raises(IntegrityError), ctx.sessions.begin() as session:
        session.execute(text("UPDATE requests SET loan_id = 4711"))
    engine.dispose()


def test_the_check_constraints_list_the_domain_values():
    """The models spell the values out (the migrations freeze them); they must
    be the domain's."""
    assert tuple(state.value for state in LoanState) == models.LOAN_STATES
    assert tuple(role.value for role in Role) == models.STAFF_ROLES
    assert tuple(a.value for a in Alternative) == models.ALTERNATIVES
    assert tuple(t.value for t in Transit) == models.TRANSITS
