"""The words printed on slips and manifests, in Danish and English.

Printing runs without Qt (a slip is rendered in a test, a benchmark or a
background job alike), so these are plain dicts rather than Qt
translations. The Danish words follow the desk's own translation (``bud``,
``eksemplar``, ``indlån``, ``afleveringsdato``) so the slip and the screen
say the same thing.

Dates are numeric ``21.11.2026`` in Danish and ``21 Nov 2026`` in English,
spelt out here and not with ``strftime("%b")``, which follows the process
locale and would print a Danish month on an English slip (or the reverse).
"""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType
from typing import Final

LANGUAGES: Final = ("da", "en")

# The two warnings a courier or borrower must never miss are printed in both
# languages on every slip, whatever the desk's language.
USE_AT_INSTITUTE_ONLY: Final = ("MÅ KUN BRUGES PÅ INSTITUTTET", "USE AT THE INSTITUTE ONLY")
READING_ROOM_ONLY: Final = ("KUN TIL LÆSESALEN", "READING ROOM ONLY")
READING_ROOM_NOTE: Final = ("Må ikke forlade læsesalen.", "May not leave the reading room.")

_DA: Final = {
    "transport_slip": "Transportseddel",
    "internal_courier": "Internt bud (KUB Frederiksberg)",
    "pickup_slip": "Afhentningsseddel",
    "reading_room_slip": "Læsesal",
    "route": "Rute",
    "stop": "Stop",
    "deliver_to": "Leveres til",
    "borrower": "Låner",
    "institute": "Institut",
    "title": "Titel",
    "author": "Forfatter",
    "call_number": "Opstilling",
    "item": "Eksemplar",
    "loan_date": "Udlånt",
    "due": "Afleveringsdato",
    "guaranteed_until": "Garanteret til",
    "slip_code": "Lånenummer",
    "ill": "INDLÅN",
    "shelf": "Afhentningshylde",
    "pickup_note": "Afhentes i udlånet",
    "reading_room": "Udleveres på",
    "desk": "Skranke",
    "printed": "Udskrevet",
    # manifests
    "manifest": "Kurerliste",
    "day": "Dato",
    "dispatched": "Afsendt",
    "manifest_code": "Kurerlistens nummer",
    "deliver": "Aflever",
    "collect": "Afhent",
    "deliver_heading": "Aflever",
    "collect_heading": "Afhent",
    "col_barcode": "Eksemplar",
    "col_title": "Titel",
    "col_call_number": "Opstilling",
    "col_borrower": "Låner",
    "col_due": "Afl.dato",
    "col_note": "Bemærkning",
    "use_at_institute_short": "KUN PÅ INSTITUTTET",
    "signature": "Underskrift",
    "time": "Tidspunkt",
    "continued": "(fortsat)",
    "page": "Side {page} af {pages}",
    "nothing": "Intet at aflevere eller afhente på denne dag.",
    "totals": "I alt",
    "stops": "stop",
    "to_deliver": "til aflevering",
    "to_collect": "til afhentning",
}

_EN: Final = {
    "transport_slip": "Transport slip",
    "internal_courier": "Internal courier (KUB Frederiksberg)",
    "pickup_slip": "Pickup slip",
    "reading_room_slip": "Reading room",
    "route": "Route",
    "stop": "Stop",
    "deliver_to": "Deliver to",
    "borrower": "Borrower",
    "institute": "Institute",
    "title": "Title",
    "author": "Author",
    "call_number": "Call number",
    "item": "Item",
    "loan_date": "Loan date",
    "due": "Due",
    "guaranteed_until": "Guaranteed until",
    "slip_code": "Loan no.",
    "ill": "ILL",
    "shelf": "Pickup shelf",
    "pickup_note": "Collect at the loan desk",
    "reading_room": "Available at",
    "desk": "Desk",
    "printed": "Printed",
    "manifest": "Courier manifest",
    "day": "Date",
    "dispatched": "Dispatched",
    "manifest_code": "Manifest no.",
    "deliver": "Deliver",
    "collect": "Collect",
    "deliver_heading": "Deliver",
    "collect_heading": "Collect",
    "col_barcode": "Item",
    "col_title": "Title",
    "col_call_number": "Call number",
    "col_borrower": "Borrower",
    "col_due": "Due",
    "col_note": "Note",
    "use_at_institute_short": "USE AT THE INSTITUTE ONLY",
    "signature": "Signature",
    "time": "Time",
    "continued": "(continued)",
    "page": "Page {page} of {pages}",
    "nothing": "Nothing to deliver or collect on this day.",
    "totals": "Total",
    "stops": "stops",
    "to_deliver": "to deliver",
    "to_collect": "to collect",
}

_REASONS: Final = {
    "da": {
        "recall": "Hjemkaldelse",
        "reminder": "Rykker",
        "suspension": "Suspension",
        "announced": "Meldt retur",
    },
    "en": {
        "recall": "Recall",
        "reminder": "Reminder",
        "suspension": "Suspension",
        "announced": "Announced return",
    },
}

_TEXTS: Final = {"da": MappingProxyType(_DA), "en": MappingProxyType(_EN)}
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def language_of(language: str) -> str:
    """``"da"``, ``"da_DK"``, ``"EN"`` ... to a language printed here.

    An unknown language prints Danish, the desk's own, rather than failing
    a checkout's slip over a setting.
    """
    code = language.strip().lower()[:2]
    return code if code in LANGUAGES else "da"


def texts(language: str) -> MappingProxyType[str, str]:
    return _TEXTS[language_of(language)]


def reason(code: str | None, language: str) -> str:
    """A collect line's reason in words; an unknown code is printed as it is."""
    if not code:
        return ""
    return _REASONS[language_of(language)].get(code, code)


def format_date(day: date, language: str) -> str:
    if language_of(language) == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def format_datetime(moment: datetime, language: str) -> str:
    return f"{format_date(moment.date(), language)} {moment:%H:%M}"


# --- notice letters (§5 S6) ---------------------------------------------------
# Kept apart from the slip words: a letter speaks to the borrower in whole
# sentences. ``{rule}`` marks where a step's rule id goes; every text names
# the rule it rests on, so a complaint can be checked against the rules.

_LETTER_DA: Final = {
    "subject_RECALL": "Hjemkaldelse af lånte materialer",
    "subject_REMINDER_1": "1. rykker: hjemkaldte materialer skal afleveres",
    "subject_REMINDER_2": "2. rykker: hjemkaldte materialer skal afleveres",
    "subject_REMINDER_3": "3. og sidste rykker før suspension",
    "subject_SUSPENSION": "Du er suspenderet som låner",
    "heading_RECALL": "Hjemkaldelse",
    "heading_REMINDER_1": "1. rykker",
    "heading_REMINDER_2": "2. rykker",
    "heading_REMINDER_3": "3. rykker",
    "heading_SUSPENSION": "Suspension",
    "body_RECALL": (
        "Lånetiden for materialerne nedenfor er udløbet, og de er kaldt hjem. "
        "Aflever dem senest på den returfrist, der står ud for hvert eksemplar."
    ),
    "body_REMINDER_1": (
        "Vi har endnu ikke fået materialerne nedenfor tilbage, selv om de er kaldt hjem. "
        "Aflever dem senest på den nye returfrist."
    ),
    "body_REMINDER_2": (
        "Materialerne nedenfor er stadig ikke afleveret efter hjemkaldelse og 1. rykker. "
        "Aflever dem senest på den nye returfrist."
    ),
    "body_REMINDER_3": (
        "Materialerne nedenfor er stadig ikke afleveret efter hjemkaldelse og to rykkere. "
        "Aflever dem senest på returfristen. Ellers bliver du suspenderet som låner (S2)."
    ),
    "body_SUSPENSION": (
        "Materialerne nedenfor er ikke afleveret trods hjemkaldelse og tre rykkere. "
        "Du er derfor suspenderet: du kan ikke låne, forny eller bestille, før "
        "materialerne er afleveret (S3). Når de er afleveret, ophæves suspensionen "
        "automatisk (S4)."
    ),
    "no_fee": "Der opkræves intet gebyr for denne meddelelse (S1).",
    "greeting": "Kære {name}",
    "col_loan_date": "Udlånt",
    "col_deadline": "Returfrist",
    "rule": "regel",
    "internal_mail": "Intern post",
    "items": "eksemplarer",
    "item_one": "eksemplar",
    "closing_return": (
        "Du kan aflevere materialerne i udlånet eller sende dem med instituttets "
        "interne bud til biblioteket."
    ),
    "closing_contact": (
        "Har du spørgsmål, eller kan du ikke aflevere til fristen, så kontakt udlånet "
        "({desk}) og oplys eksemplarets nummer. Vi aftaler gerne en ny frist."
    ),
    "regards": "Med venlig hilsen",
    "letter_footer": "{name} · {day}",
}

_LETTER_EN: Final = {
    "subject_RECALL": "Recall of borrowed items",
    "subject_REMINDER_1": "First reminder: recalled items must be returned",
    "subject_REMINDER_2": "Second reminder: recalled items must be returned",
    "subject_REMINDER_3": "Third and final reminder before suspension",
    "subject_SUSPENSION": "Your borrowing rights are suspended",
    "heading_RECALL": "Recall",
    "heading_REMINDER_1": "First reminder",
    "heading_REMINDER_2": "Second reminder",
    "heading_REMINDER_3": "Third reminder",
    "heading_SUSPENSION": "Suspension",
    "body_RECALL": (
        "The loan period of the items below has ended and they are recalled. "
        "Please return them by the return deadline shown for each item."
    ),
    "body_REMINDER_1": (
        "We have not yet received the items below, although they have been recalled. "
        "Please return them by the new return deadline."
    ),
    "body_REMINDER_2": (
        "The items below have still not been returned after the recall and the first "
        "reminder. Please return them by the new return deadline."
    ),
    "body_REMINDER_3": (
        "The items below have still not been returned after the recall and two reminders. "
        "Please return them by the return deadline, or your borrowing rights will be "
        "suspended (S2)."
    ),
    "body_SUSPENSION": (
        "The items below have not been returned despite the recall and three reminders. "
        "You are therefore suspended: you may not borrow, renew or request until the "
        "items are returned (S3). Returning them lifts the suspension automatically (S4)."
    ),
    "no_fee": "No fee is charged for this notice (S1).",
    "greeting": "Dear {name}",
    "col_loan_date": "Loan date",
    "col_deadline": "Return by",
    "rule": "rule",
    "internal_mail": "Internal mail",
    "items": "items",
    "item_one": "item",
    "closing_return": (
        "You can return the items at the loan desk or send them to the library with "
        "your institute's internal courier."
    ),
    "closing_contact": (
        "If you have questions, or cannot return the items by the deadline, please "
        "contact the loan desk ({desk}) and quote the item number. We are happy to "
        "agree on a new date."
    ),
    "regards": "Kind regards",
    "letter_footer": "{name} · {day}",
}

_LETTER_TEXTS: Final = {"da": MappingProxyType(_LETTER_DA), "en": MappingProxyType(_LETTER_EN)}


def letter_texts(language: str) -> MappingProxyType[str, str]:
    """The notice letter's sentences (``texts`` has the column words)."""
    return _LETTER_TEXTS[language_of(language)]
