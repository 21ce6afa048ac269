"""The supervisor's borrower search at library scale (issue 6): names are
searched by ``borrowers.name_key``, the name folded beyond ASCII, which every
way of writing a borrower keeps current; the search finds the same borrowers
as before on SQLite and PostgreSQL, in a fixed number of queries, and
through the search index of migration 0010 (issue 15: the desk's search,
``services.search``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, insert, inspect, select, text

from desk_app.domain.search_key import search_key
from desk_app.services.context import DeskContext
from desk_app.services.enrolment import BorrowerRecord, declare
from desk_app.services.supervision_queries import search_borrowers
from desk_app.store.engine import make_engine
from desk_app.store.migrate import upgrade
from desk_app.store.models import Borrower
from tests.helpers.people import card, seed_cast
from tests.helpers.staffing import seeder, test_actor
from tests.helpers.supervision import SOREN_NAME, declare_soren

FAR = date(2031, 12, 31)


@pytest.fixture
def cast(ctx: DeskContext) -> DeskContext:
    seed_cast(ctx)
    declare_soren(ctx)
    return ctx


def _names(ctx: DeskContext, text: str) -> list[str]:
    return [h.name for h in search_borrowers(ctx, test_actor(ctx), text).hits]


def _key_of(ctx: DeskContext, name: str) -> str | None:
    with ctx.sessions() as session:
        return session.scalar(select(Borrower.name_key).where(Borrower.name == name))


def test_search_key_folds_case_beyond_ascii() -> None:
    assert search_key("SØREN ÆRØ ÅBERG") == "søren ærø åberg"
    assert search_key("Straße") == "strasse"
    assert search_key("A\u030aberg") == search_key("Åberg"), "a combining ring is å"


def test_names_and_danish_institute_names_fold_beyond_ascii(cast: DeskContext) -> None:
    assert _names(cast, "SØREN") == [SOREN_NAME]
    assert _names(cast, "ærø SØR") == [SOREN_NAME]
    # PLEN: "Institut for Plante- og Miljøvidenskab"
    assert _names(cast, "MILJØVIDENSKAB") == ["Hanne Krogh"]
    assert _names(cast, "saxo-INSTITUTTET") == ["Ida Health"]


def test_wildcards_and_backslashes_in_the_text_are_literal(cast: DeskContext) -> None:
    """LIKE's (PostgreSQL) and GLOB's (SQLite) alike."""
    assert _names(cast, "a_n") == [], "_ would match the 'nn' of Anne"
    assert _names(cast, "%") == []
    assert _names(cast, "an?e") == [] and _names(cast, "a*e") == []
    assert _names(cast, "[a]nne") == [] and _names(cast, "[") == []
    assert _names(cast, "jen\\") == []


def test_enrolment_and_rename_keep_the_key(cast: DeskContext) -> None:
    declare(
        cast,
        seeder(cast),
        borrowers=[BorrowerRecord(card(40), "Åse Ørsted", "researcher", "DIKU", card_expires=FAR)],
    )
    assert _key_of(cast, "Åse Ørsted") == "åse ørsted"
    assert _names(cast, "ØRSTED") == ["Åse Ørsted"]

    # the same card declared again with a new name: a rename
    declare(
        cast,
        seeder(cast),
        borrowers=[BorrowerRecord(card(40), "Åse Bohr", "researcher", "DIKU", card_expires=FAR)],
    )
    assert _key_of(cast, "Åse Bohr") == "åse bohr"
    assert _names(cast, "ørsted") == []
    assert _names(cast, "BOHR åse") == ["Åse Bohr"]


def test_a_core_insert_without_the_key_gets_it(cast: DeskContext) -> None:
    """Bulk loads (the demo data, benchmarks) insert rows without the ORM."""
    rows = [
        {"name": "Straße Øst", "category": "researcher", "institute_code": "DIKU"},
        {"name": "A\u030age Vest", "category": "teacher", "institute_code": "NFI"},
    ]
    with cast.sessions.begin() as session:
        ids = session.scalars(
            insert(Borrower).returning(Borrower.id, sort_by_parameter_order=True), rows
        ).all()
    with cast.sessions() as session:
        keys = session.scalars(select(Borrower.name_key).where(Borrower.id.in_(ids))).all()
    assert sorted(keys) == ["strasse øst", "åge vest"]
    assert _names(cast, "STRASSE") == ["Straße Øst"]
    assert _names(cast, "åge") == ["A\u030age Vest"]


def test_a_search_is_a_fixed_number_of_queries(cast: DeskContext) -> None:
    """The institutes, the borrowers with their open loans, their cards:
    however many borrowers are found (and a card first, for a card)."""
    engine = cast.sessions.kw["bind"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        if not args[2].lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(args[2])

    actor = test_actor(cast)
    event.listen(engine, "before_cursor_execute", count)
    try:
        # one more each: the searcher's role (issue 13, point 9)
        for query, expected in (("DIKU", 4), ("sen", 4), ("nobody", 3)):
            statements.clear()
            search_borrowers(cast, actor, query)
            assert len(statements) == expected, (query, statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_sqlite_finds_borrowers_through_the_search_index(
    cast: DeskContext,
) -> None:
    """The plan the 20 ms rests on (issue 15: the desk's search, migration
    0010): the trigram index finds the candidates, the borrowers are read by
    their key only, never scanned."""
    engine = cast.sessions.kw["bind"]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    found: list[tuple[str, Any]] = []

    def keep(*args: Any) -> None:
        if "FROM borrowers" in args[2] and "LIMIT" in args[2]:
            found.append((args[2], args[3]))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        search_borrowers(cast, test_actor(cast), "nielsen bo")
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    [(sql, params)] = found
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert any(step.startswith("SCAN borrower_search VIRTUAL TABLE INDEX 0:G") for step in plan), (
        plan
    )
    assert not any(step.startswith("SCAN borrowers") for step in plan), plan


def test_migration_fills_the_key_of_borrowers_enrolled_before(backend_url: str) -> None:
    engine = make_engine(backend_url)
    upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO faculties (code, name) VALUES ('HUM', 'Humanities')"))
        conn.execute(
            text(
                "INSERT INTO institutes (code, name, name_da, faculty_code, delivery, address)"
                " VALUES ('NFI', 'Nordic Studies', NULL, 'HUM', 'courier', '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO borrowers (name, category, institute_code, own_office, e_resources)"
                " VALUES (:name, 'researcher', 'NFI', false, false)"
            ),
            [{"name": "SØREN ÆRØ"}, {"name": "Straße"}, {"name": "Bo Nielsen"}],
        )
    upgrade(engine)
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT name, name_key FROM borrowers")).all())
    assert keys == {"SØREN ÆRØ": "søren ærø", "Straße": "strasse", "Bo Nielsen": "bo nielsen"}
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("borrowers")}
    assert "ix_borrowers_search" in indexes and "ix_borrowers_name" not in indexes
    engine.dispose()
