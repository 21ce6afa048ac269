"""Issue 13, point 13 (search): the supervisor's search on a pasted page, a
stuck key, control characters or a lone surrogate. SQLite refused 1,000
words ("Expression tree is too large") and a 50,000-character word ("LIKE or
GLOB pattern too complex"); a lone surrogate could not be encoded. Now only
the first ``SEARCH_WORDS`` words of ``SEARCH_WORD_LENGTH`` characters are
searched, the result says it was cut, and the search stays fast."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import event

from desk_app.services.context import Actor, DeskContext
from desk_app.services.supervision_queries import (
    SEARCH_WORD_LENGTH,
    SEARCH_WORDS,
    search_borrowers,
    search_words,
)
from tests.helpers.people import seed_cast
from tests.helpers.staffing import ensure_staff

ANNE_NAME = "Anne Jensen"
# Generous for a shared CI machine; the searches here take milliseconds.
FAST_ENOUGH_S = 2.0


@pytest.fixture
def cast(ctx: DeskContext) -> DeskContext:
    seed_cast(ctx)
    return ctx


@pytest.fixture
def supervisor(cast: DeskContext) -> Actor:
    return ensure_staff(cast)


def _search(ctx: DeskContext, actor: Actor, text: str) -> Any:
    started = time.perf_counter()
    found = search_borrowers(ctx, actor, text)
    assert time.perf_counter() - started < FAST_ENOUGH_S, "the search must stay fast"
    return found


# --- the words searched -------------------------------------------------------


def test_h13_p13_search_words_keeps_the_first_words_and_says_it_cut():
    words, trimmed = search_words(" ".join(f"w{i}" for i in range(1000)))
    assert words == [f"w{i}" for i in range(SEARCH_WORDS)]
    assert trimmed


def test_h13_p13_search_words_cuts_a_long_word():
    words, trimmed = search_words("a" * 50_000)
    assert words == ["a" * SEARCH_WORD_LENGTH]
    assert trimmed


def test_h13_p13_search_words_leaves_a_normal_query_alone():
    assert search_words("  Søren   ÆRØ ") == (["Søren", "ÆRØ"], False)
    exactly = " ".join(["x" * SEARCH_WORD_LENGTH] * SEARCH_WORDS)
    assert search_words(exactly) == (exactly.split(), False)


def test_h13_p13_search_words_treats_control_characters_and_surrogates_as_spaces():
    assert search_words("An\x00ne\tJen\ud800sen\x1b") == (["An", "ne", "Jen", "sen"], False)
    assert search_words("\x00\x01\ud800\udfff") == ([], False)


def test_h13_p13_search_words_reads_no_further_than_it_keeps():
    """A megabyte pasted costs no more than its first words."""
    started = time.perf_counter()
    words, trimmed = search_words("word " * 2_000_000)
    assert time.perf_counter() - started < 0.1
    assert len(words) == SEARCH_WORDS and trimmed


# --- the search ---------------------------------------------------------------


def test_h13_p13_search_with_1000_words_answers_and_says_it_was_cut(cast, supervisor):
    found = _search(cast, supervisor, "anne " + " ".join(["jensen"] * 999))
    assert [hit.name for hit in found.hits] == [ANNE_NAME]
    assert found.trimmed


def test_h13_p13_search_with_a_50000_character_word_answers_and_says_it_was_cut(cast, supervisor):
    found = _search(cast, supervisor, "x" * 50_000)
    assert found.hits == ()
    assert found.trimmed
    assert found.searched == "x" * SEARCH_WORD_LENGTH, "what a 'no match' line may quote"
    found = _search(cast, supervisor, "a" * 50_000 + " jensen")
    assert found.trimmed and found.hits == ()


def test_h13_p13_search_sends_at_most_the_capped_words_to_the_database(cast, supervisor):
    engine = cast.sessions.kw["bind"]
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "FROM borrowers" in statement and "LIMIT" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        _search(cast, supervisor, " ".join(["q" * 60_000] * 5_000))
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    [(sql, parameters)] = statements
    texts = [p for p in (parameters.values() if isinstance(parameters, dict) else parameters)]
    patterns = [p for p in texts if isinstance(p, str) and "q" in p]
    assert len(patterns) <= SEARCH_WORDS
    assert all(len(p) <= SEARCH_WORD_LENGTH + 4 for p in patterns)  # + wildcards around it
    assert len(sql) < 20_000


def test_h13_p13_search_with_control_characters_and_a_lone_surrogate(cast, supervisor):
    found = _search(cast, supervisor, "An\x00ne\ud800 Jen\x7fsen")
    assert [hit.name for hit in found.hits] == [ANNE_NAME]
    assert not found.trimmed
    assert found.searched == "An ne Jen sen"
    assert _search(cast, supervisor, "\ud800\x00").hits == ()


def test_h13_p13_a_normal_search_is_not_marked_cut(cast, supervisor):
    found = _search(cast, supervisor, "anne jensen")
    assert [hit.name for hit in found.hits] == [ANNE_NAME]
    assert not found.trimmed
