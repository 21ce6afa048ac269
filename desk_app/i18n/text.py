"""A :class:`Text`: a message id and its values, rendered in a language at the edge.

The message id is the English sentence with ``{name}`` placeholders
(``tx("Loan until {due}.", due=day)``); the catalogue maps it to the other
languages, with the same placeholders (``tools/update_catalogues.py`` checks
that). Values are formatted per language when rendered: a date in the
"message" style, a Decimal as an amount, a nested Text in the same language,
an enum by its value. A Text is a frozen value, so a verdict that holds one
can be compared, cached and replayed.

One English word can need two translations, by where it is said: a slip's
"Due" is "Afleveringsdato" in Danish, a narrow manifest column's "Afl.dato".
gettext tells such twins apart by a context (``msgctxt``): ``txc("table
column", "Due")`` is its own catalogue entry beside ``tx("Due")``.

``tx``, ``txn``, ``txc`` and ``txnc`` are the names the catalogue tool
extracts; call them with a literal context and message id, never a variable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from desk_app.i18n.catalogue import (
    SOURCE_LANGUAGE,
    gettext,
    language_of,
    ngettext,
    npgettext,
    pgettext,
)
from desk_app.i18n.formats import format_amount, format_date, format_datetime


@dataclass(frozen=True)
class Text:
    message_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None  # the plural message id, counted by values["n"]
    parts: tuple[Text, ...] = ()  # a join: the parts rendered and put together
    separator: str = ""
    fixed: Mapping[str, str] | None = None  # a literal: already a sentence per language
    context: str | None = None  # the msgctxt telling this id apart from its twin elsewhere

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        return render(self, language)

    def __str__(self) -> str:  # English, for logs and exceptions
        return render(self, SOURCE_LANGUAGE)

    def __add__(self, other: Text) -> Text:
        return join((self, other))


def tx(message_id: str, /, **values: Any) -> Text:
    """A translatable message: ``tx("Item {item} is not in the catalogue.", item=read)``."""
    return Text(message_id, values)


def txn(singular: str, plural: str, /, n: int, **values: Any) -> Text:
    """A message with a plural: ``txn("{n} item", "{n} items", n=3)``."""
    return Text(singular, {"n": n, **values}, plural=plural)


def txc(context: str, message_id: str, /, **values: Any) -> Text:
    """A message said differently in ``context``: ``txc("table column", "Due")``."""
    return Text(message_id, values, context=context)


def txnc(context: str, singular: str, plural: str, /, n: int, **values: Any) -> Text:
    """A plural message in ``context``: ``txnc("shelf label", "{n} item", "{n} items", n=3)``."""
    return Text(singular, {"n": n, **values}, plural=plural, context=context)


def join(parts: Iterable[Text], separator: str = "") -> Text:
    """Texts put together in every language (a sentence built step by step)."""
    return Text("", parts=tuple(parts), separator=separator)


def literal(text: str, **per_language: str) -> Text:
    """Text that is no message: a name, a barcode, or words already in each
    language (``literal("bus", da="bus")``); the same in every language unless given."""
    return Text("", fixed={SOURCE_LANGUAGE: text, **per_language})


def render(text: Text | str, language: str = SOURCE_LANGUAGE) -> str:
    """``text`` as a sentence in ``language`` (English if there is no catalogue for it)."""
    if isinstance(text, str):
        return text
    lang = language_of(language)
    if text.fixed is not None:
        return text.fixed.get(lang, text.fixed[SOURCE_LANGUAGE])
    if text.parts or not text.message_id:  # a join, maybe of nothing (never the .po's header)
        return text.separator.join(render(part, lang) for part in text.parts)
    template = _template(text, lang)
    if not text.values:
        return template
    shown = {name: _shown(value, lang) for name, value in text.values.items()}
    return template.format_map(shown)


def _template(text: Text, language: str) -> str:
    """The message in ``language``, with its placeholders still to fill."""
    if text.plural is not None:
        n = int(text.values["n"])
        if text.context is not None:
            return npgettext(text.context, text.message_id, text.plural, n, language)
        return ngettext(text.message_id, text.plural, n, language)
    if text.context is not None:
        return pgettext(text.context, text.message_id, language)
    return gettext(text.message_id, language)


def _shown(value: Any, language: str) -> Any:
    if isinstance(value, Text):
        return render(value, language)
    if isinstance(value, datetime):
        return format_datetime(value, language)
    if isinstance(value, date):
        return format_date(value, language)
    if isinstance(value, Decimal):
        return format_amount(value, language)
    if isinstance(value, Enum):
        return value.value
    return value
