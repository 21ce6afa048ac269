"""What the desk typed into a search, read once: words, folded keys, a card (issue 15).

The desk finds borrowers and items by typing: a few words, a card number or
its first digits, a barcode, a call number. This module reads the text into
a query the services run, and folds words the way the search indexes fold
what they hold, so that "soren", "Søren" and "SØREN" find the same names,
and "muller" finds "Müller":

- :func:`fold` is the key of a word: Unicode case folding after NFKC
  (``search_key``, which ``borrowers.name_key`` holds), then :data:`FOLD`,
  which takes the accents off Latin letters and spells out the letters that
  have none to take off (ø → o, æ → ae, ß → ss, ł → l, ...).
- The databases fold with the same table: the search index's triggers
  (SQLite) and the ``desk_search_fold`` function (PostgreSQL) of migration
  0010 spell it out in SQL (``FOLD_SQL_*`` below are its inputs). The
  migration keeps a frozen copy; ``tests/services/test_search_index.py``
  holds the two equal, so a change here needs a migration that rebuilds the
  index.

Nothing here touches a database; a CPR number typed is recognised here
(``barcodes.classify``) and never becomes a word (B3).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from desk_app.domain.barcodes import ScanError, ScanKind, classify, mask_if_cpr_like
from desk_app.domain.scan import CardScan, HealthCard, LibraryCard
from desk_app.domain.search_key import search_key

# -- folding ------------------------------------------------------------------

_PLAIN = {
    "a": "àáâãäåāăą",
    "c": "çćĉċč",
    "d": "ďđð",
    "e": "èéêëēĕėęě",
    "g": "ĝğġģ",
    "h": "ĥħ",
    "i": "ìíîïĩīĭįı",
    "j": "ĵ",
    "k": "ķ",
    "l": "ĺļľŀł",
    "n": "ñńņň",
    "o": "òóôõöøōŏő",
    "r": "ŕŗř",
    "s": "śŝşš",
    "t": "ţťŧ",
    "u": "ùúûüũūŭůűų",
    "w": "ŵ",
    "y": "ýÿŷ",
    "z": "źżž",
}
_SPELT = {"æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"}

# The fold of a lower-case letter; every key is one character and every value
# plain ASCII, so replacing them one after the other (SQL) is the same as
# mapping each character (here).
FOLD: dict[str, str] = {
    **{accented: plain for plain, letters in _PLAIN.items() for accented in letters},
    **_SPELT,
}
# The same for capitals, for text that is not case-folded first (titles on
# PostgreSQL, where ``lower()`` may fold ASCII only).
FOLD_UPPER: dict[str, str] = {
    upper: plain
    for lower, plain in FOLD.items()
    if len(upper := lower.upper()) == 1 and upper != lower and not upper.isascii()
}
# Letters SQLite's unicode61 tokenizer does not fold itself (it takes off
# only the accents Unicode decomposes: é, å, ü, but not ø, æ, ß, ł, đ, ...):
# the items' index spells these out before the tokenizer sees the text.
UNDECOMPOSED: dict[str, str] = {
    letter: plain
    for letter, plain in (FOLD | FOLD_UPPER).items()
    if len(unicodedata.normalize("NFD", letter)) == 1
}
# Combining marks (U+0300-U+036F) a name may be typed with instead of a
# precomposed letter; NFKC composes most, PostgreSQL's fold drops them.
COMBINING = "".join(chr(c) for c in range(0x300, 0x370))


def fold(text: str) -> str:
    """``text`` as every search index holds it: case-folded beyond ASCII,
    accents off, ø/æ/ß/... spelt out ("Søren Ærø" → "soren aero")."""
    key = search_key(text)
    if key.isascii():
        return key
    folded = "".join(FOLD.get(char, char) for char in key)
    if any("\u0300" <= char < "\u0370" for char in folded):
        folded = "".join(c for c in folded if not "\u0300" <= c < "\u0370")
    return folded


# -- words ---------------------------------------------------------------------

# A desk types a name, a card or an institute: a few short words. A pasted
# page or a stuck key is cut to this, and the result says so (issue 13):
# SQLite refuses a query of ~1,000 terms or a 50,000-character pattern, and
# every word is one more condition on every row.
SEARCH_WORDS = 10
SEARCH_WORD_LENGTH = 100
# A word: no white space, no control character and no lone surrogate (which
# neither database takes; they separate words instead).
_WORD = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+")


def search_words(text: str) -> tuple[list[str], bool]:
    """The words of ``text`` a search looks for, and whether it had to cut
    them: the first ``SEARCH_WORDS``, each to ``SEARCH_WORD_LENGTH``
    characters. Reads no further than the words it keeps, so a megabyte
    pasted into the field costs no more than a name."""
    words: list[str] = []
    trimmed = False
    for match in _WORD.finditer(text):
        if len(words) == SEARCH_WORDS:
            trimmed = True
            break
        word = match.group()
        if len(word) > SEARCH_WORD_LENGTH:
            word, trimmed = word[:SEARCH_WORD_LENGTH], True
        words.append(word)
    return words, trimmed


# -- finding borrowers -----------------------------------------------------------

# A library card's number is searched from this many digits on (B1: 14 in
# all); fewer would match tens of thousands of cards, and a borrower's card
# is scanned or read off the card, never guessed from its first digits.
CARD_PREFIX_DIGITS = 6
_DIGITS = re.compile(r"[0-9]+")
# A name fragment of fewer letters is looked for as the start of a word only
# by the index; from this many letters anywhere in the name (trigrams).
SUBSTRING_LETTERS = 3


@dataclass(frozen=True)
class Institute:
    """An institute as a search may name it."""

    code: str
    name: str
    name_da: str | None = None


@dataclass(frozen=True)
class NameWord:
    """One typed word: its key, and the institutes it names (if any): a
    borrower matches it by name, or by being at one of those institutes."""

    typed: str
    key: str
    institutes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BorrowerQuery:
    """What a borrower search looks for: exactly one of a card (scanned or
    typed whole: by its number, or a health card by its keyed hash, B3), the
    first digits of a library card, or name words."""

    card: CardScan | None = None
    card_prefix: str | None = None
    words: tuple[NameWord, ...] = ()
    trimmed: bool = False  # only the first words were searched
    searched: str = ""  # the words searched for: what "no match for ..." may quote

    @property
    def empty(self) -> bool:
        return self.card is None and self.card_prefix is None and not self.words


def borrower_query(text: str, *, card_prefix: bool = True) -> BorrowerQuery:
    """Read what the desk typed to find a borrower.

    A whole card (``barcodes.classify``: a library card with its check digit,
    or a CPR number) is looked up as a card. Digits only, at least
    ``CARD_PREFIX_DIGITS`` of them, are the start of a library card's number
    (``card_prefix=False``: the supervisor's search, which takes whole cards
    only, reads them as words). A CPR number is never a word: typed whole it
    is a health card, and ten digits or more are never searched as a name
    (B3). Anything else is words: each must be in the borrower's name (case
    and accents aside), or name the borrower's institute
    (:func:`with_institutes`). ``searched`` never shows a CPR number.
    """
    words, trimmed = search_words(text)
    searched = mask_if_cpr_like(" ".join(words))
    compact = "".join(words)
    if not compact:
        return BorrowerQuery(trimmed=trimmed, searched=searched)
    if not trimmed:
        scan = classify(compact)
        if not isinstance(scan, ScanError) and scan.kind is ScanKind.LIBRARY_CARD:
            return BorrowerQuery(card=LibraryCard(scan.value), searched=searched)
        if not isinstance(scan, ScanError) and scan.kind is ScanKind.HEALTH_CARD:
            return BorrowerQuery(card=HealthCard(scan.value), searched=searched)
        if _DIGITS.fullmatch(compact) and len(compact) >= CARD_PREFIX_DIGITS:
            if card_prefix and len(compact) < 14:
                return BorrowerQuery(card_prefix=compact, searched=searched)
            if len(compact) >= 10:  # could be a CPR number: never a name (B3)
                return BorrowerQuery(searched=searched)
    keyed = tuple(NameWord(word, key) for word in words if (key := fold(word)))
    return BorrowerQuery(words=keyed, trimmed=trimmed, searched=searched)


def with_institutes(query: BorrowerQuery, institutes: Iterable[Institute]) -> BorrowerQuery:
    """``query`` with each word's institutes (:func:`institutes_named`)."""
    named = institutes_named([word.key for word in query.words], institutes)
    words = tuple(
        NameWord(word.typed, word.key, codes)
        for word, codes in zip(query.words, named, strict=True)
    )
    return replace(query, words=words)


# A word of institutes' names that starts a word in more names than this
# ("department", "institut", "for") names none of them.
DISTINCT_INSTITUTES = 2


def institutes_named(keys: list[str], institutes: Iterable[Institute]) -> list[frozenset[str]]:
    """For each folded word, the codes of the institutes it names: its code
    ("nbi", "DIKU"), or, from ``SUBSTRING_LETTERS`` letters, the start of a
    word of its English or Danish name that few institutes share
    ("datalogisk", "nordic", "miljøvidenskab", "saxo-instituttet"; not
    "department"). The whole text names an institute too when it is part of
    its name ("niels bohr"): then every word does. Matched among the few
    institutes here, so the query is a plain ``institute_code IN (...)``
    beside the name."""
    known = [
        (
            institute.code,
            fold(institute.code),
            [fold(institute.name), fold(institute.name_da or "")],
        )
        for institute in institutes
    ]
    whole = " ".join(keys)
    everywhere = frozenset(
        code
        for code, _, names in known
        if len(whole) >= SUBSTRING_LETTERS and " " in whole and any(whole in n for n in names)
    )
    if len(everywhere) > DISTINCT_INSTITUTES:
        everywhere = frozenset()
    found: list[frozenset[str]] = []
    for key in keys:
        by_code = {code for code, code_key, _ in known if key == code_key}
        by_name = {
            code
            for code, _, names in known
            if len(key) >= SUBSTRING_LETTERS
            and any(word.startswith(key) for name in names for word in name.split())
        }
        if len(by_name) > DISTINCT_INSTITUTES:
            by_name = set()
        found.append(frozenset(by_code | by_name) | everywhere)
    return found


# -- finding items -------------------------------------------------------------


@dataclass(frozen=True)
class ItemQuery:
    """What an item search looks for: a barcode (exact), or words of the
    title and author (each the start of a word), and the whole text as the
    start of a call number."""

    barcode: str | None = None
    # the letters-and-digits runs of the text, folded: each the start of a
    # word of the title or the author ("kierkegaard's" is "kierkegaard", "s")
    words: tuple[str, ...] = ()
    call_number: str | None = None  # the text folded, one space between words
    call_typed: str = ""  # the text as typed, one space between words
    call_tokens: tuple[str, ...] = ()  # its words, as ``words``
    trimmed: bool = False
    searched: str = ""

    @property
    def empty(self) -> bool:
        return self.barcode is None and not self.words and not self.call_tokens


# the letters and digits of a word (what SQLite's unicode61 tokenizer keeps)
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> tuple[str, ...]:
    """The folded letters-and-digits runs of ``text``."""
    return tuple(_TOKEN.findall(fold(text)))


def item_query(text: str) -> ItemQuery:
    """Read what the desk typed to find an item. A barcode (B1, with its
    check digit) is looked up by itself; anything else is title and author
    words, and the whole text the start of a call number ("PT8175 .H3",
    "61.3 Han"). A CPR number typed here finds nothing and goes nowhere (B3)."""
    words, trimmed = search_words(text)
    searched = mask_if_cpr_like(" ".join(words))
    compact = "".join(words)
    if not compact:
        return ItemQuery(trimmed=trimmed, searched=searched)
    scan = classify(compact)
    if not isinstance(scan, ScanError):
        if scan.kind is ScanKind.ITEM:
            return ItemQuery(barcode=scan.value, searched=searched)
        return ItemQuery(searched=searched)  # a card: no item's
    if _DIGITS.fullmatch(compact) and len(compact) >= 10:
        return ItemQuery(searched=searched)  # a 14-digit misread, or CPR-like (B3)
    typed = " ".join(words)
    return ItemQuery(
        words=tokens(typed),
        call_number=fold(typed),
        call_typed=typed,
        call_tokens=tokens(typed),
        trimmed=trimmed,
        searched=searched,
    )
