"""All text outside Qt widgets: message ids, catalogues, Danish dates and numbers.

ONE translation system for what the domain, the services, the printed
documents and the console say (issue 14; ``docs/translations.md`` says why
gettext and not the Qt ``.ts`` catalogue): a :class:`Text` is a message id (the
English sentence, with ``{name}`` placeholders) and its values; it becomes a
sentence only at the edge, in a language, through :func:`render`. The domain
builds Texts without knowing any language; adding a language is adding a
catalogue ``locale/<lang>.po``.

Values are formatted here, in one place, per language: dates, moments,
amounts (:mod:`desk_app.i18n.formats`), nested Texts, enums by their value.
This package imports nothing of the desk (it sits under the domain).
"""

from __future__ import annotations

from desk_app.i18n.catalogue import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    gettext,
    language_of,
    ngettext,
    npgettext,
    pgettext,
)
from desk_app.i18n.formats import format_amount, format_date, format_datetime
from desk_app.i18n.text import Text, join, literal, render, tx, txc, txn, txnc

__all__ = [
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "Text",
    "format_amount",
    "format_date",
    "format_datetime",
    "gettext",
    "join",
    "language_of",
    "literal",
    "ngettext",
    "npgettext",
    "pgettext",
    "render",
    "tx",
    "txc",
    "txn",
    "txnc",
]
