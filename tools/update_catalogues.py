"""Keep the gettext catalogues (``desk_app/i18n/locale/*.po``) in step with the code.

    python tools/update_catalogues.py [--add PAIRS.json] [--check] [--prune]

Extracts every ``tx("...")`` and ``txn("...", "...")`` message id from
``desk_app/``, merges them into each language's ``.po`` (new ids get an
empty translation; ids no longer in the code are kept as obsolete ``#~``
entries until ``--prune``), and fills translations from ``--add``: a JSON
object ``{"message id": "oversættelse"}`` (for a plural id, the value is a
list of the plural forms, keyed by the singular id). ``--lang`` picks the
language the pairs are for (default ``da``).

Checks, and exits 1 on any: a translation whose ``{placeholders}`` differ
from its message id's, and (with ``--check``) a message id without a
translation. The file is locked while it is rewritten, so several people
(or helpers) may run this at once.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from desk_app.i18n.catalogue import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE  # noqa: E402

KEYWORDS = {"tx": (1,), "txn": (1, 2)}
_FIELD = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


def extract() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    """Every message id in the code, with where it is used."""
    found: dict[str | tuple[str, str], list[tuple[str, int]]] = {}
    package = ROOT / "desk_app"
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append((f"desk_app/{filename}", lineno))
    return found


def placeholders(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def _known(catalog: Catalog, obsolete: bool = True) -> dict[str, object]:
    """Translations by singular id; ``obsolete``: also those kept as ``#~``
    (what a rewrite would bring back), else only what a desk loads (no fuzzy)."""
    known: dict[str, object] = {}
    kept = [*catalog.obsolete.values()] if obsolete else []
    for message in [*catalog, *kept]:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if (
            key
            and message.string
            and (not isinstance(message.string, tuple) or all(message.string))
            and (obsolete or not message.fuzzy)
        ):
            known[key] = message.string
    return known


def update(language: str, pairs: dict[str, object], check: bool, prune: bool) -> list[str]:
    path = LOCALE_DIR / f"{language}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=True)
    with path.open("r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        old = read_po(handle, locale=language) if path.stat().st_size else Catalog(locale=language)
        known = _known(old) | {
            k: (tuple(v) if isinstance(v, list) else v) for k, v in pairs.items()
        }
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
    """The catalogue for the ids in the code, translated from ``known``, and
    its problems: placeholders a translation has that its id has not, and
    (``check``) ids without a translation."""
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
    for key, where in sorted(used.items(), key=lambda kv: str(kv[0])):
        singular = key[0] if isinstance(key, tuple) else key
        string = known.get(singular, ("", "") if isinstance(key, tuple) else "")
        new.add(key, string, locations=where)
        ids = key if isinstance(key, tuple) else (key,)
        strings = string if isinstance(string, tuple) else (string,)
        wanted = set().union(*(placeholders(i) for i in ids))
        for form in strings:
            if form and placeholders(form) - wanted:
                shown = sorted(placeholders(form))
                problems.append(f"{language}: {singular!r}: placeholders {shown} not in the id")
        if check and not all(strings):
            problems.append(
                f"{language}: no translation: {singular!r} ({where[0][0]}:{where[0][1]})"
            )
    if not prune:
        in_code = {k[0] if isinstance(k, tuple) else k for k in used}
        for key, string in known.items():
            if key not in in_code:
                new.obsolete[key] = new._messages.get(key) or _obsolete(key, string)
    return new, problems


def _obsolete(key: str, string: object):
    from babel.messages.catalog import Message

    return Message(key, string)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=Path, help="JSON of message id -> translation")
    parser.add_argument("--lang", default="da")
    parser.add_argument("--check", action="store_true", help="fail on a missing translation")
    parser.add_argument("--prune", action="store_true", help="drop ids no longer in the code")
    args = parser.parse_args(argv)
    pairs = json.loads(args.add.read_text("utf-8")) if args.add else {}
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
