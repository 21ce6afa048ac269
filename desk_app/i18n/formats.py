"""Dates, moments and amounts per language, from one place (Babel, CLDR data).

Two date styles, because the desk already speaks both and staff know them:
``"message"`` (what a banner, a refusal, the replay output's reason say:
ISO ``2026-12-16`` in English, ``16.12.2026`` in Danish) and ``"print"``
(slips, manifests, letters: ``16 Dec 2026`` in English, ``16.12.2026`` in
Danish). Babel's patterns take the month names from CLDR, never from the
process locale, so an English slip on a Danish PC says "Dec".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

from desk_app.i18n.catalogue import language_of

_LOCALES = {"en": "en", "da": "da_DK"}  # "en": "Sep", where en_GB says "Sept"
_DATE_PATTERNS = {
    ("en", "message"): "yyyy-MM-dd",
    ("en", "print"): "d MMM yyyy",
    ("da", "message"): "dd.MM.yyyy",
    ("da", "print"): "dd.MM.yyyy",
}


def _locale(language: str) -> str:
    return _LOCALES[language_of(language)]


def format_date(day: date, language: str, style: str = "message") -> str:
    lang = language_of(language)
    return _babel_date(day, _DATE_PATTERNS[(lang, style)], locale=_LOCALES[lang])


def format_datetime(moment: datetime, language: str, style: str = "message") -> str:
    return f"{format_date(moment.date(), language, style)} {moment:%H:%M}"


def format_amount(amount: Decimal | float | int, language: str) -> str:
    """DKK with two decimals and the language's separators (``1.234,50`` / ``1,234.50``)."""
    return _babel_decimal(Decimal(str(amount)), "#,##0.00", locale=_locale(language))
