"""The key a name is searched by: case-folded beyond ASCII.

The supervisor finds "Søren Ærø" by typing "SØREN" or "ærø". SQLite's
``lower()``, ``LIKE`` and ``upper()`` fold ASCII letters only, and
PostgreSQL's ``ILIKE`` folds as the database's locale says (none beyond
ASCII under the "C" locale), so neither can be asked to fold in the query.
Instead the folded name is stored beside the name (``borrowers.name_key``)
and every fragment typed is folded the same way here: a plain,
case-sensitive "contains" on the key then matches any case, on either
database, without a function call per row.
"""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """``text`` as it is stored and searched: Unicode case folding ("SØREN" →
    "søren", "Straße" → "strasse"), after NFKC, so a name typed with a
    combining ring ("a" + U+030A) matches one stored with "å"."""
    return unicodedata.normalize("NFKC", text).casefold()
