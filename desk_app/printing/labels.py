"""The words and sentences printed on slips, manifests and notice letters.

Printed documents speak through the desk's one translation system for text
outside Qt widgets (``desk_app.i18n``; ``docs/translations.md`` says why):
each word here is a :class:`~desk_app.i18n.Text` whose message id is the
English wording, and its Danish is in ``desk_app/i18n/locale/da.po``. A
renderer turns them into words in the document's language with
``render(text, lang)``, and dates with ``format_date(day, lang, style="print")``
(``21 Nov 2026`` / ``21.11.2026``). The Danish words follow the desk's own
(``bud``, ``eksemplar``, ``indlån``, ``afleveringsdato``) so the slip and the
screen say the same thing.

They are kept together rather than at each use because the slip, the
manifest, the letter and the letter's e-mail text share them (a column name,
"page x of y", a step's heading) and the tests read them from here.
"""

from __future__ import annotations

from typing import Final

from desk_app.i18n import SOURCE_LANGUAGE, Text, literal, tx, txc, txn
from desk_app.i18n import language_of as _i18n_language_of

DESK_LANGUAGE: Final = "da"


def language_of(language: str | None) -> str:
    """``"da"``, ``"da_DK"``, ``"EN"`` ... to the language a document is printed in.

    ``i18n.language_of`` answers English, the source language, for a code it
    does not know; a printed document answers Danish, the desk's own, as it
    always has: a checkout's slip should neither fail nor turn English over a
    mistyped setting.
    """
    lang = _i18n_language_of(language)
    if lang == SOURCE_LANGUAGE and not (language or "").strip().lower().startswith(lang):
        return DESK_LANGUAGE
    return lang


# The warnings a courier or borrower must never miss are printed in both
# languages on every slip, whatever the slip's language: the same Text
# rendered in Danish and in English (see ``slips.in_both_languages``).
USE_AT_INSTITUTE_ONLY: Final = tx("USE AT THE INSTITUTE ONLY")
READING_ROOM_ONLY: Final = tx("READING ROOM ONLY")
READING_ROOM_NOTE: Final = tx("May not leave the reading room.")
BOTH_LANGUAGES: Final = ("da", "en")

# --- slips ------------------------------------------------------------------------

TRANSPORT_SLIP: Final = tx("Transport slip")
PICKUP_SLIP: Final = tx("Pickup slip")
READING_ROOM_SLIP: Final = tx("Reading room")
INTERNAL_COURIER: Final = tx("Internal courier (KUB Frederiksberg)")
ILL: Final = tx("ILL")
ROUTE: Final = tx("Route")
STOP: Final = tx("Stop")
DELIVER_TO: Final = tx("Deliver to")
INSTITUTE: Final = tx("Institute")
BORROWER: Final = tx("Borrower")
TITLE: Final = tx("Title")
AUTHOR: Final = tx("Author")
CALL_NUMBER: Final = tx("Call number")
ITEM: Final = tx("Item")
LOAN_DATE: Final = tx("Loan date")
DUE: Final = tx("Due")
GUARANTEED_UNTIL: Final = tx("Guaranteed until")
LOAN_NUMBER: Final = tx("Loan no.")
PICKUP_SHELF: Final = tx("Pickup shelf")
PICKUP_NOTE: Final = tx("Collect at the loan desk")
AVAILABLE_AT: Final = tx("Available at")


def desk_line(desk: str) -> Text:
    return tx("Desk: {desk}", desk=desk)


def printed_line(moment: str) -> Text:
    """``moment`` already formatted in the print style (a Text value would
    get the message style, ``2026-11-21 10:42``)."""
    return tx("Printed {moment}", moment=moment)


def page_of(page: int | str, pages: int | str) -> Text:
    return tx("Page {page} of {pages}", page=page, pages=pages)


def continued(name: str | Text) -> Text:
    """A heading repeated on the next page."""
    return tx("{name} (continued)", name=name)


# --- manifests --------------------------------------------------------------------

MANIFEST: Final = tx("Courier manifest")
MANIFEST_NUMBER: Final = tx("Manifest no.")
DELIVER: Final = tx("Deliver")
COLLECT: Final = tx("Collect")
NOTE: Final = tx("Note")
SIGNATURE: Final = tx("Signature")
TIME: Final = tx("Time")
NOTHING: Final = tx("Nothing to deliver or collect on this day.")

# Two words have a shorter Danish in a narrow place than the same English
# elsewhere ("Due" on a slip is "Afleveringsdato", in a column of the
# manifest or the letter "Afl.dato"; the slip's M2 band is "MÅ KUN BRUGES PÅ
# INSTITUTTET", a manifest line's note "KUN PÅ INSTITUTTET"): the same
# message id in a context (msgctxt) of its own, translated apart.
DUE_COLUMN: Final = txc("table column", "Due")
USE_AT_INSTITUTE_SHORT: Final = txc("manifest note", "USE AT THE INSTITUTE ONLY")

# A collect line's reason (``ManifestLine.reason``).
REASONS: Final = {
    "recall": tx("Recall"),
    "reminder": tx("Reminder"),
    "suspension": tx("Suspension"),
    "announced": tx("Announced return"),
}


def reason(code: str | None) -> Text:
    """A collect line's reason in words; an unknown code is printed as it is."""
    if not code:
        return literal("")
    return REASONS.get(code) or literal(code)


def route(code: str) -> Text:
    return tx("Route {route}", route=code)


def dispatched(moment: str) -> Text:
    """``moment`` formatted in the print style, as for :func:`printed_line`."""
    return tx("Dispatched {moment}", moment=moment)


def stop_counts(deliver: int, collect: int) -> Text:
    return tx("Deliver {deliver} · Collect {collect}", deliver=deliver, collect=collect)


def totals(stops: int, deliver: int, collect: int) -> Text:
    return tx(
        "Total: {stops} stops · {deliver} to deliver · {collect} to collect",
        stops=stops,
        deliver=deliver,
        collect=collect,
    )


# --- notice letters (§5 S6) -------------------------------------------------------
# A letter speaks to the borrower in whole sentences. Every step's text names
# the rule it rests on, so a complaint can be checked against the rules.

SUBJECTS: Final = {
    "RECALL": tx("Recall of borrowed items"),
    "REMINDER_1": tx("First reminder: recalled items must be returned"),
    "REMINDER_2": tx("Second reminder: recalled items must be returned"),
    "REMINDER_3": tx("Third and final reminder before suspension"),
    "SUSPENSION": tx("Your borrowing rights are suspended"),
}

HEADINGS: Final = {
    "RECALL": tx("Recall"),
    "REMINDER_1": tx("First reminder"),
    "REMINDER_2": tx("Second reminder"),
    "REMINDER_3": tx("Third reminder"),
    "SUSPENSION": tx("Suspension"),
}

BODIES: Final = {
    "RECALL": tx(
        "The loan period of the items below has ended and they are recalled. "
        "Please return them by the return deadline shown for each item."
    ),
    "REMINDER_1": tx(
        "We have not yet received the items below, although they have been recalled. "
        "Please return them by the new return deadline."
    ),
    "REMINDER_2": tx(
        "The items below have still not been returned after the recall and the first "
        "reminder. Please return them by the new return deadline."
    ),
    "REMINDER_3": tx(
        "The items below have still not been returned after the recall and two reminders. "
        "Please return them by the return deadline, or your borrowing rights will be "
        "suspended (S2)."
    ),
    "SUSPENSION": tx(
        "The items below have not been returned despite the recall and three reminders. "
        "You are therefore suspended: you may not borrow, renew or request until the "
        "items are returned (S3). Returning them lifts the suspension automatically (S4)."
    ),
}

NO_FEE: Final = tx("No fee is charged for this notice (S1).")
INTERNAL_MAIL: Final = tx("Internal mail")
RETURN_BY: Final = tx("Return by")
CLOSING_RETURN: Final = tx(
    "You can return the items at the loan desk or send them to the library with "
    "your institute's internal courier."
)
REGARDS: Final = tx("Kind regards")


def greeting(name: str) -> Text:
    return tx("Dear {name}", name=name)


def item_count(n: int) -> Text:
    return txn("{n} item", "{n} items", n=n)


def step_with_rule(step: Text, rule: str) -> Text:
    """A step's heading in the e-mail text, with the rule it rests on."""
    return tx("{step} (rule {rule})", step=step, rule=rule)


def closing_contact(desk: str) -> Text:
    return tx(
        "If you have questions, or cannot return the items by the deadline, please "
        "contact the loan desk ({desk}) and quote the item number. We are happy to "
        "agree on a new date.",
        desk=desk,
    )
