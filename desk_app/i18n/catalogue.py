"""The catalogues: one gettext ``.po`` file per language beside this module.

Only the ``.po`` source lives in git; it is compiled in memory (Babel reads
it, ``gettext`` answers from it) the first time a language is asked for, so
there is no ``.mo`` build step to forget. English is the source language:
its "catalogue" is the message ids themselves. A missing or unreadable
catalogue falls back to English with a warning: a missing translation never
stops a desk or a print run.
"""

from __future__ import annotations

import gettext as _gettext
import io
import logging
from functools import cache
from pathlib import Path

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "da")  # a new language: add its code here and locale/<code>.po
DOMAIN = "desk_app"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_log = logging.getLogger(__name__)


def language_of(language: str | None) -> str:
    """``"da"``, ``"da_DK"``, ``"EN"`` ... to a language the desk speaks.

    Unknown or empty: English, the source language.
    """
    code = (language or "").strip().lower().replace("-", "_").split("_")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / f"{language}.po"


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue for ``language`` (cached for the process)."""
    lang = language_of(language)
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    path = catalogue_path(lang)
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with path.open("rb") as source:
            catalog = read_po(source, locale=lang, domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        return _gettext.GNUTranslations(compiled)
    except (OSError, ValueError, SyntaxError) as exc:
        _log.warning("cannot read the %s catalogue %s (%s); using English", lang, path, exc)
        return _gettext.NullTranslations()


def gettext(message_id: str, language: str) -> str:
    return translations(language_of(language)).gettext(message_id)


def ngettext(singular: str, plural: str, n: int, language: str) -> str:
    return translations(language_of(language)).ngettext(singular, plural, n)


def pgettext(context: str, message_id: str, language: str) -> str:
    """``message_id`` as said in ``context`` (its ``msgctxt``): the same English
    that needs other words in another place (a slip's "Due", a column's)."""
    return translations(language_of(language)).pgettext(context, message_id)


def npgettext(context: str, singular: str, plural: str, n: int, language: str) -> str:
    return translations(language_of(language)).npgettext(context, singular, plural, n)
