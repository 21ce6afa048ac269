"""Keep the gettext catalogues (``desk_app/i18n/locale/*.po``) in step with the code.

    python tools/update_catalogues.py [--add PAIRS.json] [--check] [--prune]

Extracts every ``tx("...")``, ``txn("...", "...")``, ``txc("context", "...")``
and ``txnc("context", "...", "...")`` message id from ``desk_app/``, merges
them into each language's ``.po`` (new ids get an empty translation; ids no
longer in the code are kept as obsolete ``#~`` entries until ``--prune``),
and fills translations from ``--add``. ``--lang`` picks the language the
pairs are for (default ``da``). The pairs are a JSON object:

- ``{"message id": "oversættelse"}``;
- a plural: the singular id maps to the list of plural forms,
  ``{"{n} item": ["{n} eksemplar", "{n} eksemplarer"]}``;
- a message with a context (``txc``): gettext's own key, the context, the
  character U+0004 and the id, ``{"table column\\u0004Due": "Afl.dato"}``,
  or a context mapping to its ids, ``{"table column": {"Due": "Afl.dato"}}``
  (an object as the value says it is a context, never a translation).

Checks, and exits 1 on any: a translation whose ``{placeholders}`` differ
from its message id's, and (with ``--check``) a message id without a
translation. A problem names the id and, if it has one, its context. The
file is locked while it is rewritten, so several people (or helpers) may run
this at once.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog, Message  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from desk_app.i18n.catalogue import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE  # noqa: E402

KEYWORDS = {
    "tx": (1,),
    "txn": (1, 2),
    "txc": ((1, "c"), 2),
    "txnc": ((1, "c"), 2, 3),
}
CONTEXT_SEPARATOR = "\x04"  # gettext's: "context\x04id" is the key of a message in a context
_FIELD = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


class MessageKey(NamedTuple):
    """A message as the code uses it: its id (a plural's: singular and
    plural) and its context (None for ``tx``/``txn``)."""

    id: str | tuple[str, str]
    context: str | None = None

    @property
    def singular(self) -> str:
        return self.id[0] if isinstance(self.id, tuple) else self.id

    @property
    def key(self) -> str:
        """Its translation's key: the singular id, in a context ``context\\x04id``."""
        return pair_key(self.singular, self.context)


def pair_key(singular: str, context: str | None) -> str:
    return singular if context is None else f"{context}{CONTEXT_SEPARATOR}{singular}"


def described(key: str) -> str:
    """A translation's key as a problem names it: the id, and its context."""
    context, sep, singular = key.rpartition(CONTEXT_SEPARATOR)
    return f"{singular!r} (context {context!r})" if sep else repr(key)


def extract() -> dict[MessageKey, list[tuple[str, int]]]:
    """Every message in the code, with where it is used."""
    found: dict[MessageKey, list[tuple[str, int]]] = {}
    package = ROOT / "desk_app"
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        key = MessageKey(message if isinstance(message, str) else tuple(message), context)
        found.setdefault(key, []).append((f"desk_app/{filename}", lineno))
    return found


def placeholders(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def pairs_of(document: dict[str, object]) -> dict[str, object]:
    """The ``--add`` JSON as translations by key (see the module's docstring):
    a context's object unfolded into ``context\\x04id`` keys, a list of
    plural forms as a tuple."""
    pairs: dict[str, object] = {}
    for key, value in document.items():
        if isinstance(value, dict):
            for singular, string in value.items():
                pairs[pair_key(singular, key)] = string
        else:
            pairs[key] = value
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in pairs.items()}


def _known(catalog: Catalog, obsolete: bool = True) -> dict[str, object]:
    """Translations by key (see :func:`pair_key`); ``obsolete``: also those
    kept as ``#~`` (what a rewrite would bring back), else only what a desk
    loads (no fuzzy)."""
    known: dict[str, object] = {}
    kept = [*catalog.obsolete.values()] if obsolete else []
    for message in [*catalog, *kept]:
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if (
            singular
            and message.string
            and (not isinstance(message.string, tuple) or all(message.string))
            and (obsolete or not message.fuzzy)
        ):
            known[pair_key(singular, message.context)] = message.string
    return known


def update(language: str, pairs: dict[str, object], check: bool, prune: bool) -> list[str]:
    path = LOCALE_DIR / f"{language}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=True)
    with path.open("r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        old = read_po(handle, locale=language) if path.stat().st_size else Catalog(locale=language)
        known = _known(old) | pairs
        new, problems = merge(language, old, known, check, prune)
        handle.seek(0)
        handle.truncate()
        write_po(handle, new, width=100, sort_output=True, ignore_obsolete=prune, omit_header=False)
        fcntl.flock(handle, fcntl.LOCK_UN)
    return problems


def check_only(language: str) -> list[str]:
    """What ``--check`` reports for ``language``, without writing anything:
    the catalogue as it is on disk (its live, not fuzzy entries: what a desk
    loads) against the message ids in the code now (for the tests)."""
    path = LOCALE_DIR / f"{language}.po"
    old = Catalog(locale=language)
    if path.is_file():
        with path.open("rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)  # not half-way through another's rewrite
            old = read_po(handle, locale=language)
    return merge(language, old, _known(old, obsolete=False), check=True, prune=True)[1]


def merge(
    language: str, old: Catalog, known: dict[str, object], check: bool, prune: bool
) -> tuple[Catalog, list[str]]:
    """The catalogue for the messages in the code, translated from ``known``
    (by :func:`pair_key`), and its problems: placeholders a translation has
    that its id has not, and (``check``) messages without a translation."""
    problems: list[str] = []
    new = Catalog(
        locale=language,
        domain="desk_app",
        project="desk-app",
        charset="utf-8",
        fuzzy=False,
        creation_date=old.creation_date,  # no churn in git from a re-run
        revision_date=old.revision_date,
        last_translator="desk-app developers",
        language_team="Danish",
    )
    used = extract()
    for message, where in sorted(used.items(), key=lambda kv: (kv[0].key, str(kv[0].id))):
        plural = isinstance(message.id, tuple)
        string = known.get(message.key, ("", "") if plural else "")
        new.add(message.id, string, locations=where, context=message.context)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = string if isinstance(string, tuple) else (string,)
        wanted = set().union(*(placeholders(i) for i in ids))
        for form in strings:
            if form and placeholders(form) - wanted:
                shown = sorted(placeholders(form))
                problems.append(
                    f"{language}: {described(message.key)}: placeholders {shown} not in the id"
                )
        if check and not all(strings):
            problems.append(
                f"{language}: no translation: {described(message.key)} "
                f"({where[0][0]}:{where[0][1]})"
            )
    if not prune:
        in_code = {message.key for message in used}
        ids = {  # a plural's whole id (singular and plural), from the catalogue
            pair_key(m.id[0], m.context): m.id
            for m in [*old, *old.obsolete.values()]
            if isinstance(m.id, tuple)
        }
        for key, string in known.items():
            if key in in_code:
                continue
            context, sep, singular = key.rpartition(CONTEXT_SEPARATOR)
            msgid = ids.get(key, singular) if isinstance(string, tuple) else singular
            if isinstance(string, tuple) != isinstance(msgid, tuple):
                problems.append(
                    f"{language}: {described(key)}: plural forms for an id that is neither "
                    "in the code nor a plural in the catalogue: not kept"
                )
                continue
            kept = Message(msgid, string, context=context if sep else None)
            new.obsolete[key] = kept
    return new, problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=Path, help="JSON of message id -> translation (see above)")
    parser.add_argument("--lang", default="da")
    parser.add_argument("--check", action="store_true", help="fail on a missing translation")
    parser.add_argument("--prune", action="store_true", help="drop ids no longer in the code")
    args = parser.parse_args(argv)
    pairs = pairs_of(json.loads(args.add.read_text("utf-8"))) if args.add else {}
    problems: list[str] = []
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        problems += update(language, pairs if language == args.lang else {}, args.check, args.prune)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
