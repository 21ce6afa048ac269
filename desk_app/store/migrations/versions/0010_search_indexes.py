"""search indexes for finding borrowers and items at the desk (issue 15)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The desk finds a borrower by a fragment of the name and an item by the
start of its title's words, as it is typed, among 100,000 borrowers and
1,000,000 items, in under 20 ms (``services/search.py``). Both databases
fold what they index as ``domain.search_text.fold`` folds what is typed:
case, accents, and ø/æ/ß/... spelt out (the tables below are a frozen copy;
``tests/services/test_search_index.py`` holds them equal to the domain's).

SQLite: two FTS5 tables, each over a view that folds (external content, so
the text is not stored twice), kept in step by triggers on inserts, updates
and deletes, and filled here from the rows already there:

- ``borrower_search (key)``, filled from the view ``borrower_search_source``
  (its own copy of the short keys, which the GLOB checks read): the
  trigram tokenizer on the borrower's ``name_key`` folded, so a fragment of
  three letters or more anywhere in a name is found by the index (GLOB),
  and one or two letters at the start of a word too (the key has two
  spaces before each word);
- ``item_search (title, author, call_number)`` over ``item_search_source``
  (external content): the unicode61 tokenizer, diacritics removed, with
  prefix indexes for the first one to six letters of every word, so the
  start of any word is found by the index without merging the lists of
  every word it starts (a 4-letter "stud" took 5-11 ms without them, 0.2 ms
  with; 1 M items: 145 MB of index with prefixes 1-3, 203 MB with 1-6).

PostgreSQL: ``pg_trgm`` (``CREATE EXTENSION IF NOT EXISTS``) and GIN trigram
indexes on the folded name and on the folded words of title and author
(``desk_search_fold``, ``desk_search_words``: immutable SQL functions made
here), and a b-tree on the folded call number for its prefix. If the
extension cannot be made (not installed, no right to), the migration still
succeeds without the GIN indexes, says so in the log, and the search scans
instead (the same queries, slower). The downgrade leaves the extension:
other things may use it.
"""

from __future__ import annotations

import logging

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# -- the fold, frozen (domain.search_text.FOLD, FOLD_UPPER, UNDECOMPOSED, COMBINING)

# one letter for one letter, lower case
_LOWER_FROM = (
    "àáâãäåāăąçćĉċčďđðèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž"
)
_LOWER_TO = (
    "aaaaaaaaacccccdddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzz"
)
# the same letters' capitals
_UPPER_FROM = (
    "ÀÁÂÃÄÅĀĂĄÇĆĈĊČĎĐÐÈÉÊËĒĔĖĘĚĜĞĠĢĤĦÌÍÎÏĨĪĬĮĴĶĹĻĽĿŁÑŃŅŇÒÓÔÕÖØŌŎŐŔŖŘŚŜŞŠŢŤŦÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽ"
)
_UPPER_TO = (
    "aaaaaaaaacccccdddeeeeeeeeegggghhiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzz"
)
# letters spelt with two
_SPELT = {"æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"}
_SPELT_UPPER = {"Æ": "ae", "Œ": "oe", "Þ": "th"}
# the letters SQLite's unicode61 tokenizer leaves as they are (no decomposition)
_UNDECOMPOSED = "đðħıŀłøŧæœßþĐÐĦĿŁØŦÆŒÞ"
# combining marks, dropped (a title catalogued decomposed, NFD)
_COMBINING = "".join(chr(c) for c in range(0x300, 0x370))
# what separates words in a title or an author's name on PostgreSQL (SQLite's
# tokenizer has its own): punctuation becomes a space
_PUNCTUATION = "-.,;:!?()[]{}\"'/\\&+*#=<>|~^`@$%_«»„“”‘’–—…·§©®°"


def _fold_map(lower_only: bool) -> dict[str, str]:
    found = dict(zip(_LOWER_FROM, _LOWER_TO, strict=True)) | _SPELT
    if not lower_only:
        found |= dict(zip(_UPPER_FROM, _UPPER_TO, strict=True)) | _SPELT_UPPER
    return found


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replaced(expression: str, letters: dict[str, str]) -> str:
    """SQLite: ``expression`` with each letter replaced, one after the other."""
    for letter, plain in letters.items():
        expression = f"replace({expression}, {_quoted(letter)}, {_quoted(plain)})"
    return expression


# SQLite's parser takes about 90 nested calls, and the name's fold has more:
# it is made in stages of this many, each a view over the one before.
_STAGE = 24


def _name_stages() -> list[tuple[str, str]]:
    """SQLite: the views that fold a borrower's ``name_key`` (case-folded
    already), ``(name, SELECT)``, the last one ``borrower_search_source``.

    The key it gives starts with two spaces and has two between words
    ("  soren  aero  aberg"): the start of a word is then a trigram of its
    own (two spaces and a letter), so one or two letters typed find the
    names with a word that starts so through the index."""
    pairs = list(_fold_map(lower_only=True).items())
    chunks = [dict(pairs[i : i + _STAGE]) for i in range(0, len(pairs), _STAGE)]
    views: list[tuple[str, str]] = []
    source, column = "borrowers", "name_key"
    for number, chunk in enumerate(chunks, start=1):
        name = f"borrower_search_fold{number}"
        views.append((name, f"SELECT id, {_replaced(column, chunk)} AS key FROM {source}"))
        source, column = name, "key"
    spaced = "'  ' || replace(key, ' ', '  ')"
    views.append(("borrower_search_source", f"SELECT id, {spaced} AS key FROM {source}"))
    return views


def _sqlite_words(column: str) -> str:
    """A title or author as the unicode61 tokenizer should see it: the
    letters it cannot fold spelt out (it folds case and the rest)."""
    both = _fold_map(lower_only=False)
    return _replaced(column, {letter: both[letter] for letter in _UNDECOMPOSED})


# -- SQLite ------------------------------------------------------------------------

_SQLITE_OBJECTS = (
    # borrowers: trigrams of the folded name, own copy of the key (the GLOB
    # checks read it per candidate row; 100,000 short keys)
    *(f"CREATE VIEW {name} AS {select}" for name, select in _name_stages()),
    """CREATE VIRTUAL TABLE borrower_search USING fts5(
        key, tokenize = 'trigram case_sensitive 1')""",
    # AFTER the write: the view folds the row as it now stands
    """CREATE TRIGGER search_borrower_insert AFTER INSERT ON borrowers BEGIN
        INSERT INTO borrower_search (rowid, key)
        SELECT id, key FROM borrower_search_source WHERE id = new.id;
    END""",
    """CREATE TRIGGER search_borrower_delete AFTER DELETE ON borrowers BEGIN
        DELETE FROM borrower_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER search_borrower_update AFTER UPDATE OF id, name_key ON borrowers BEGIN
        DELETE FROM borrower_search WHERE rowid = old.id;
        INSERT INTO borrower_search (rowid, key)
        SELECT id, key FROM borrower_search_source WHERE id = new.id;
    END""",
    # items: words of title, author and call number, external content
    f"""CREATE VIEW item_search_source AS
        SELECT id, {_sqlite_words("title")} AS title, {_sqlite_words("author")} AS author,
               call_number
        FROM items""",
    """CREATE VIRTUAL TABLE item_search USING fts5(
        title, author, call_number,
        content = 'item_search_source', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6')""",
    f"""CREATE TRIGGER search_item_insert AFTER INSERT ON items BEGIN
        INSERT INTO item_search (rowid, title, author, call_number)
        VALUES (new.id, {_sqlite_words("new.title")}, {_sqlite_words("new.author")},
                new.call_number);
    END""",
    f"""CREATE TRIGGER search_item_delete AFTER DELETE ON items BEGIN
        INSERT INTO item_search (item_search, rowid, title, author, call_number)
        VALUES ('delete', old.id, {_sqlite_words("old.title")}, {_sqlite_words("old.author")},
                old.call_number);
    END""",
    f"""CREATE TRIGGER search_item_update
        AFTER UPDATE OF id, title, author, call_number ON items BEGIN
        INSERT INTO item_search (item_search, rowid, title, author, call_number)
        VALUES ('delete', old.id, {_sqlite_words("old.title")}, {_sqlite_words("old.author")},
                old.call_number);
        INSERT INTO item_search (rowid, title, author, call_number)
        VALUES (new.id, {_sqlite_words("new.title")}, {_sqlite_words("new.author")},
                new.call_number);
    END""",
)

_SQLITE_FILL = (
    "INSERT INTO borrower_search (rowid, key) SELECT id, key FROM borrower_search_source",
    "INSERT INTO item_search (item_search) VALUES ('rebuild')",
)

_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_item_update",
    "DROP TRIGGER IF EXISTS search_item_delete",
    "DROP TRIGGER IF EXISTS search_item_insert",
    "DROP TABLE IF EXISTS item_search",
    "DROP VIEW IF EXISTS item_search_source",
    "DROP TRIGGER IF EXISTS search_borrower_update",
    "DROP TRIGGER IF EXISTS search_borrower_delete",
    "DROP TRIGGER IF EXISTS search_borrower_insert",
    "DROP TABLE IF EXISTS borrower_search",
    *(f"DROP VIEW IF EXISTS {name}" for name, _ in reversed(_name_stages())),
)

# -- PostgreSQL --------------------------------------------------------------------


def _pg_fold_body() -> str:
    """``$1`` lower-cased, one-letter folds and combining marks by
    ``translate`` (capitals too: ``lower()`` folds ASCII only under the C
    locale), the two-letter ones by ``replace``."""
    single_from = _LOWER_FROM + _UPPER_FROM + _COMBINING
    single_to = _LOWER_TO + _UPPER_TO  # the combining marks have none: dropped
    expression = f"translate(lower($1), {_quoted(single_from)}, {_quoted(single_to)})"
    for letter, plain in (_SPELT | _SPELT_UPPER).items():
        expression = f"replace({expression}, {_quoted(letter)}, {_quoted(plain)})"
    return expression


_PG_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION desk_search_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT {_pg_fold_body()} $$""",
    # ' ' before every word: LIKE '% word%' is "a word starts with"; the
    # punctuation becomes spaces (each typed word's parts are searched alike)
    f"""CREATE OR REPLACE FUNCTION desk_search_words(title text, author text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT ' ' || translate(
            desk_search_fold(coalesce(title, '') || ' ' || coalesce(author, '')),
            {_quoted(_PUNCTUATION)}, {_quoted(" " * len(_PUNCTUATION))}) $$""",
)

_PG_PREFIX_INDEX = (
    "CREATE INDEX ix_search_items_call_number "
    "ON items (desk_search_fold(call_number) text_pattern_ops)"
)
_PG_TRIGRAM_INDEXES = (
    "CREATE INDEX ix_search_borrowers_name "
    "ON borrowers USING gin (desk_search_fold(name_key) gin_trgm_ops)",
    "CREATE INDEX ix_search_items_words "
    "ON items USING gin (desk_search_words(title, author) gin_trgm_ops)",
)


def _trigrams_available(connection: sa.Connection, extension: str = "pg_trgm") -> bool:
    """Make ``extension`` (pg_trgm) if it is not there; False, with the
    transaction still usable, when it cannot be made."""
    installed = connection.execute(
        sa.text("SELECT 1 FROM pg_extension WHERE extname = :name"), {"name": extension}
    ).first()
    if installed is not None:
        return True
    try:
        with connection.begin_nested():  # a failed CREATE must not abort the migration
            connection.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS "{extension}"')
    except sa.exc.DBAPIError as problem:
        log.warning(
            "search indexes: the PostgreSQL extension %s could not be created (%s); "
            "the desk's search scans the borrowers and items instead of using trigram "
            "indexes (slower at library scale). To have them: CREATE EXTENSION %s as a "
            "superuser, then downgrade this database to 0009 and upgrade it again.",
            extension,
            str(problem.orig or problem).strip().splitlines()[0],
            extension,
        )
        return False
    return True


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_OBJECTS + _SQLITE_FILL:
            connection.exec_driver_sql(statement)
        return
    for statement in _PG_FUNCTIONS:
        connection.exec_driver_sql(statement.replace("%", "%%"))  # psycopg's placeholders
    connection.exec_driver_sql(_PG_PREFIX_INDEX)
    if _trigrams_available(connection):
        for statement in _PG_TRIGRAM_INDEXES:
            connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            connection.exec_driver_sql(statement)
        return
    for name in (
        "ix_search_items_words",
        "ix_search_borrowers_name",
        "ix_search_items_call_number",
    ):
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    connection.exec_driver_sql("DROP FUNCTION IF EXISTS desk_search_words(text, text)")
    connection.exec_driver_sql("DROP FUNCTION IF EXISTS desk_search_fold(text)")
