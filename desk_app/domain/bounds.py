"""Sane bounds for the values the desk reads from files: one set for all.

``policy.toml`` (:mod:`desk_app.policy_file`) and a replay file
(:mod:`desk_app.replay_file`) name the same kinds of value (amounts, printed
years, a stop on a route, institute codes and names); both refuse what falls
outside these bounds when the file is read, with the key and the range, so a
value one file takes the other takes too. A value outside them is a slip of
the keyboard ("P9000Y" for "P90D", a year of five digits) or a broken file,
found before anything is written rather than by a checkout that adds it to a
date or stores it (issue 13, points 7 and 13).

The text lengths are the columns' (``store.models`` takes them from here), so
every text that passes fits where it is stored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Days: a due date a year on, a half-year's last day stay in the calendar.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

LARGEST_AMOUNT = Decimal(100_000)  # DKK: every fee and price is far below it
AMOUNT_PLACES = 2  # øre
YEARS = (1000, 9999)  # printed years (M2, M3): four digits
AGE_YEARS = (0, 1000)  # M2: how old reading-room material must be
STOPS = (1, 9999)  # T4: a stop's place on its route, from 1

# Column lengths, in characters.
CODE_LENGTH = 32  # institute and route codes
NAME_LENGTH = 200  # names of institutes, routes, faculties, borrowers; authors
ADDRESS_LENGTH = 300  # an institute's address
EMAIL_LENGTH = 200
OWNER_LENGTH = 20  # an item's owner code ("KUB")
MATERIAL_TYPE_LENGTH = 20
CALL_NUMBER_LENGTH = 60
STAFF_LENGTH = 60  # the staff member and the desk a transaction records
TEXT_LENGTH = 2000  # a title, a note, a damage report: Text columns have no length of their own
