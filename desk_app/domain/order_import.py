"""Orders from the library's order form, read from its CSV export (§4 L3, L4; Q1).

Borrowers order through the library's order form; the form exports the day's
orders as a CSV file, and ``desk-app orders import FILE.csv`` places each
order as a request (``services.order_import``). This module reads the file:
pure, bytes in, typed orders and bad lines out, nothing looked up. Whether
an order may be placed (an unknown or expired card, a suspended borrower, an
unknown item: E1, S3, U1, L3) is the request's rules' answer, per line, in
the service; here only the shape of each line is judged.

The file (``docs/orders-import.md``):

- a header row first, naming the columns (English or Danish names, any
  order, any case): the order form's number, the date ordered, the card
  number (a library card or a health card, B1), the item barcode, and an
  optional note; columns with other names are ignored;
- UTF-8 with or without a byte-order mark (UTF-16 with one, too); a file
  that is not UTF-8 is read as Windows-1252, what Excel's plain "CSV" writes
  on a Danish Windows;
- separated by semicolons (Danish Excel), commas or tabs, found from the
  header; surrounding spaces are ignored, quotes as in any CSV file;
- dates as YYYY-MM-DD, or DD-MM-YYYY (also with . or /), a time after them
  ignored.

Every bad line is found, not only the first (:class:`BadLine`: the line
number, the column, what was read and what to do), so a desk librarian can
correct the whole file at once. What a message shows of a card or item
column is masked past its sixth digit unless it is a 14-digit barcode, and
everything else read is CPR-masked (B3): a health card's number never
appears in clear, nor does one that lost its leading zero in Excel. An
order number is kept and shown as it is, so one with the shape of a CPR
number is a bad line (columns shifted, most likely).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from desk_app.domain.barcodes import ScanProblem, echo, is_ascii_digits
from desk_app.domain.bounds import FIRST_DAY
from desk_app.domain.scan import (
    CardScan,
    HealthCard,
    ItemBarcode,
    LibraryCard,
    Misread,
    read_scan,
)
from desk_app.domain.verdict import Verdict
from desk_app.i18n import Text, join, tx, txc, txn

ORDER_REF_LENGTH = 40  # the order form's number, as ``requests.order_ref`` keeps it
ORDER_NOTE_LENGTH = 200  # the order's note, as ``requests.order_note`` keeps it (cut)
MAX_ORDER_LINES = 100_000  # a day's orders are a few thousand: more is the wrong file
DELIMITERS = (";", ",", "\t")  # tried in this order on the header: Danish Excel first
SHOWN_CHARS = 40  # what a message shows of a value read, at most (``barcodes.echo``)


class Column(StrEnum):
    """The columns of an order file, by their English header name."""

    ORDER = "order number"
    ORDERED = "date ordered"
    CARD = "card number"
    ITEM = "item barcode"
    NOTE = "note"


REQUIRED = (Column.ORDER, Column.ORDERED, Column.CARD, Column.ITEM)
EXAMPLE_HEADER = "order number;date ordered;card number;item barcode;note"

# The names a header may give each column, compared after :func:`header_key`
# (case, spaces, - _ . : # folded): the English names, common variants, and
# the Danish an order form set up in Danish would export.
HEADER_NAMES: dict[Column, tuple[str, ...]] = {
    Column.ORDER: (
        "order number", "order no", "order nr", "order", "order id", "order ref",
        "ordrenummer", "ordre nr", "ordrenr", "ordre", "bestillingsnummer",
        "bestillingsnr", "bestilling nr", "bestilling",
    ),
    Column.ORDERED: (
        "date ordered", "ordered", "ordered on", "order date", "date",
        "bestilt", "bestilt den", "bestillingsdato", "ordredato", "dato",
    ),
    Column.CARD: (
        "card number", "card", "card no", "library card", "borrower card",
        "lånerkort", "lånerkortnummer", "lånernummer", "kortnummer", "kort nr", "kort",
    ),
    Column.ITEM: (
        "item barcode", "item", "barcode", "item number", "item no",
        "stregkode", "eksemplar", "eksemplarnummer", "eksemplar nr",
    ),
    Column.NOTE: (
        "note", "notes", "comment", "comments", "remark", "remarks",
        "bemærkning", "bemærkninger", "kommentar", "kommentarer",
    ),
}  # fmt: skip
_COLUMN_OF = {name: column for column, names in HEADER_NAMES.items() for name in names}

COLUMN_NAMES: dict[Column, Text] = {
    Column.ORDER: txc("order file column", "order number"),
    Column.ORDERED: txc("order file column", "date ordered"),
    Column.CARD: txc("order file column", "card number"),
    Column.ITEM: txc("order file column", "item barcode"),
    Column.NOTE: txc("order file column", "note"),
}

_ORDER_REF_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_/.:#]*$")
_ISO_DAY_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$")
_DANISH_DAY_RE = re.compile(r"^(\d{1,2})([-./])(\d{1,2})\2(\d+)(.*)$")
_TIME_AFTER_RE = re.compile(r"^(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?)?$")
# Excel shows a long number it has stored as a number like this: 2,0001E+13
_EXCEL_SHORTENED_RE = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")


class Encoding(StrEnum):
    UTF8 = "UTF-8"
    UTF16 = "UTF-16"
    WINDOWS_1252 = "Windows-1252"


@dataclass(frozen=True)
class OrderLine:
    """One order of the file, good in shape; ``line`` is where it begins (the
    header is line 1). The card is typed (a health card's repr hides the
    number, B3)."""

    line: int
    order_ref: str
    ordered_on: date
    card: CardScan
    item: ItemBarcode
    note: str | None = None  # cut to ORDER_NOTE_LENGTH, CPR-masked (B3)


@dataclass(frozen=True)
class BadLine:
    """Something wrong with one line (or the file, at the line where it
    shows): ``problem`` says what was read, what is wrong and what to do."""

    line: int
    problem: Text
    column: Column | None = None
    rule: str = ""  # "B2" (a check digit), "B4" (no card or barcode), else none

    @property
    def text(self) -> Text:
        """The problem with its line (and column), as the report shows it."""
        if self.column is None:
            return tx("Line {line}: {problem}", line=self.line, problem=self.problem)
        return tx(
            "Line {line}, {column}: {problem}",
            line=self.line,
            column=COLUMN_NAMES[self.column],
            problem=self.problem,
        )


@dataclass(frozen=True)
class OrderFile:
    """What :func:`read_order_file` found: the good orders, every bad line,
    and how the file was read."""

    orders: tuple[OrderLine, ...]
    bad: tuple[BadLine, ...]
    encoding: Encoding = Encoding.UTF8
    delimiter: str | None = None  # None: no header was found
    ignored_columns: tuple[str, ...] = ()  # header names of no order column
    header_ok: bool = True  # False: no line is read as an order (a bad header, or too many)

    @property
    def bad_lines(self) -> tuple[int, ...]:
        """The numbers of the lines with a problem, each once, in order."""
        return tuple(sorted({b.line for b in self.bad}))

    @property
    def clean(self) -> bool:
        return not self.bad


def read_order_file(data: bytes, today: date) -> OrderFile:
    """Every order and every bad line of an order form's CSV export.

    ``today`` bounds the date ordered (an order from the future is a wrong
    date). A header that lacks a column (or is no header) makes the whole
    file bad and its lines are not read."""
    text, encoding = decode(data)
    delimiter = _delimiter(text)
    records = list(_records(text, delimiter))
    header = next((r for r in records if not r.blank), None)
    if header is None:
        problem = tx("The file is empty: export the orders again, with the header row.")
        return OrderFile((), (BadLine(1, problem),), encoding, header_ok=False)
    columns, ignored, header_bad = _header(header)
    if header_bad:
        return OrderFile((), tuple(header_bad), encoding, delimiter, ignored, header_ok=False)
    orders: list[OrderLine] = []
    bad: list[BadLine] = []
    first_line_of: dict[str, int] = {}
    count = 0
    for record in records:
        if record.line <= header.line or record.blank:
            continue
        count += 1
        if count > MAX_ORDER_LINES:  # the wrong file: not even --skip-bad places from it
            too_many = (BadLine(record.line, _too_many()),)
            return OrderFile((), too_many, encoding, delimiter, ignored, header_ok=False)
        found = _order_line(record, columns, len(header.fields), today, delimiter)
        ref = found.order_ref
        if ref is not None:
            first = first_line_of.setdefault(ref, record.line)
            if first != record.line:
                found.problems.insert(
                    0,
                    BadLine(
                        record.line,
                        tx(
                            "order {order} is on line {first} already: remove one of the "
                            "two lines, or give this order its own number.",
                            order=ref,
                            first=first,
                        ),
                        Column.ORDER,
                    ),
                )
        if found.problems:
            bad.extend(found.problems)
        elif found.order is not None:
            orders.append(found.order)
    return OrderFile(tuple(orders), tuple(bad), encoding, delimiter, ignored)


def decode(data: bytes) -> tuple[str, Encoding]:
    """The file's text: UTF-8 (a byte-order mark dropped), UTF-16 with its
    mark, or else Windows-1252 (Excel's plain "CSV" on a Danish Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), Encoding.UTF16
    try:
        return data.decode("utf-8-sig"), Encoding.UTF8
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), Encoding.WINDOWS_1252


def header_key(name: str) -> str:
    """A header name as :data:`HEADER_NAMES` spells it: case, surrounding
    quotes and spaces, and runs of ``- _ . : #`` and spaces folded."""
    folded = name.replace("\ufeff", "").strip().strip('"').casefold()
    return " ".join(re.sub(r"[\s\-_.:#]+", " ", folded).split())


# --- the records of the file ------------------------------------------------------


@dataclass
class _Record:
    line: int  # where it begins
    last_line: int  # where it ends (a quoted field may hold line breaks)
    fields: list[str]

    @property
    def blank(self) -> bool:
        return not any(f.strip() for f in self.fields)


def _records(text: str, delimiter: str) -> Iterator[_Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field beyond csv's limit (128 KiB): no order line
            fields = ["\n"]  # read as a line whose quotes do not pair up
        yield _Record(start, max(start, reader.line_num), fields)


def _delimiter(text: str) -> str:
    """The separator under which the first line names the most order columns
    (a tie goes to the earlier of :data:`DELIMITERS`)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = DELIMITERS[0], 0
    for candidate in DELIMITERS:
        fields = next(csv.reader([first], delimiter=candidate, skipinitialspace=True), [])
        known = sum(1 for f in fields if header_key(f) in _COLUMN_OF)
        if known > most:
            best, most = candidate, known
    return best


def _header(header: _Record) -> tuple[dict[Column, int], tuple[str, ...], list[BadLine]]:
    """The column of each order field, the names ignored, and what is wrong."""
    columns: dict[Column, int] = {}
    ignored: list[str] = []
    bad: list[BadLine] = []
    for index, name in enumerate(header.fields):
        column = _COLUMN_OF.get(header_key(name))
        if column is None:
            if name.strip():
                ignored.append(echo(name.strip(), SHOWN_CHARS))
            continue
        if column in columns:
            bad.append(
                BadLine(
                    header.line,
                    tx(
                        "the header names this column twice, as column {first} and "
                        "column {second}: keep one of them.",
                        first=columns[column] + 1,
                        second=index + 1,
                    ),
                    column,
                )
            )
            continue
        columns[column] = index
    missing = [c for c in REQUIRED if c not in columns]
    if len(missing) == len(REQUIRED):
        problem = tx(
            "this is not a header. The file must begin with a line naming the "
            "columns, e.g. {header}",
            header=EXAMPLE_HEADER,
        )
        return columns, tuple(ignored), [BadLine(header.line, problem)]
    for column in missing:
        problem = tx(
            "the header has no column for it. Name it '{name}' in the first line (see {header}).",
            name=column.value,
            header=EXAMPLE_HEADER,
        )
        if ignored:
            problem = join(
                (problem, tx("Columns not recognised: {names}.", names=", ".join(ignored))), " "
            )
        bad.append(BadLine(header.line, problem, column))
    return columns, tuple(ignored), bad


# --- one line ---------------------------------------------------------------------


@dataclass
class _Found:
    order: OrderLine | None = None
    order_ref: str | None = None  # also on a bad line, to find a number given twice
    problems: list[BadLine] = field(default_factory=list)


def _order_line(
    record: _Record, columns: dict[Column, int], width: int, today: date, delimiter: str
) -> _Found:
    found = _Found()
    fields = [f.strip() for f in record.fields]
    if len(fields) > width and not any(fields[width:]):
        fields = fields[:width]  # empty fields after the last column (a trailing separator)

    def value(column: Column) -> str:
        return fields[columns[column]] if column in columns else ""

    # A quote left open takes the lines after it into one field: say so,
    # rather than count its fields (a note may hold line breaks, in quotes).
    spans = record.last_line > record.line
    if spans and (len(fields) != width or any("\n" in value(c) for c in REQUIRED)):
        found.problems.append(BadLine(record.line, _quotes(record.last_line)))
        return found
    if len(fields) != width:
        found.problems.append(BadLine(record.line, _field_count(len(fields), width, delimiter)))
        return found
    line = record.line
    ref = _order_ref(value(Column.ORDER), line, found)
    day = _ordered_on(value(Column.ORDERED), today, line, found)
    card = _card(value(Column.CARD), line, found)
    item = _item(value(Column.ITEM), line, found)
    note = _note(value(Column.NOTE))
    if ref is not None and day is not None and card is not None and item is not None:
        found.order = OrderLine(line, ref, day, card, item, note)
    return found


def _field_count(count: int, width: int, delimiter: str) -> Text:
    return txn(
        "{n} field where the header has {width}: check the separators ({separator}) "
        "on this line; a note that holds one needs quotes around it.",
        "{n} fields where the header has {width}: check the separators ({separator}) "
        "on this line; a note that holds one needs quotes around it.",
        n=count,
        width=width,
        separator=_separator_name(delimiter),
    )


def _separator_name(delimiter: str) -> Text | str:
    return txc("order file separator", "tab") if delimiter == "\t" else delimiter


def _quotes(last_line: int) -> Text:
    return tx(
        'a quote (") opened on this line is not closed before line {last}: correct the quotes.',
        last=last_line,
    )


def _too_many() -> Text:
    return tx(
        "more than {limit} orders in one file: this is not a day's export. Split it, "
        "or check that it is the right file.",
        limit=MAX_ORDER_LINES,
    )


def _order_ref(raw: str, line: int, found: _Found) -> str | None:
    if not raw:
        problem = tx("empty. Every order needs the order form's number: fill it in.")
    elif len(raw) > ORDER_REF_LENGTH:
        problem = tx(
            "'{read}' is longer than {limit} characters: is it the order number?",
            read=_shown(raw),
            limit=ORDER_REF_LENGTH,
        )
    elif not _ORDER_REF_RE.match(raw):
        problem = tx(
            "'{read}' is not an order number: letters, digits and - _ / . : # only, "
            "beginning with a letter or digit.",
            read=_shown(raw),
        )
    elif isinstance(read_scan(raw), HealthCard):
        problem = tx(
            "{read} has the shape of a CPR number, which an order number must not have "
            "(it is stored as it is, B3): are the columns shifted?",
            read=shown_number(raw),
        )
    else:
        found.order_ref = raw  # shown as it is from here on: it is no CPR number
        return raw
    found.problems.append(BadLine(line, problem, Column.ORDER))
    return None


def _ordered_on(raw: str, today: date, line: int, found: _Found) -> date | None:
    day = parse_day(raw)
    if day is not None and FIRST_DAY <= day <= today:
        return day
    if not raw:
        problem = tx("empty. Fill in the day the order was made, as YYYY-MM-DD.")
    elif day is None:
        problem = tx(
            "'{read}' is not a date: write it as YYYY-MM-DD (e.g. 2026-03-02) or DD-MM-YYYY.",
            read=_shown(raw),
        )
    elif day > today:
        problem = tx("{day} is after today: check the date.", day=day)
    else:
        problem = tx("{day} is too long ago to be an order's date: check it.", day=day)
    found.problems.append(BadLine(line, problem, Column.ORDERED))
    return None


def parse_day(raw: str) -> date | None:
    """YYYY-MM-DD, or DD-MM-YYYY with - . or / (the Danish order), a time
    after it ignored; None for anything else (two-digit years too)."""
    iso = _ISO_DAY_RE.match(raw)
    if iso:
        year, month, day, rest = int(iso[1]), int(iso[2]), int(iso[3]), iso[4]
    else:
        danish = _DANISH_DAY_RE.match(raw)
        if danish is None or len(danish[4]) != 4:
            return None
        year, month, day, rest = int(danish[4]), int(danish[3]), int(danish[1]), danish[5]
    if not _TIME_AFTER_RE.match(rest):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _card(raw: str, line: int, found: _Found) -> CardScan | None:
    scan = read_scan(raw) if raw else None
    if isinstance(scan, LibraryCard | HealthCard):
        return scan
    read = shown_number(raw)
    if scan is None:
        problem = tx("empty. Look up the borrower's card number and fill it in.")
    elif _EXCEL_SHORTENED_RE.match(raw):
        problem = _excel_shortened(read)
    elif isinstance(scan, ItemBarcode):
        problem = tx(
            "{read} is an item barcode, not a card: are the card and item columns swapped?",
            read=read,
        )
    elif isinstance(scan, Misread) and scan.error.problem is ScanProblem.MISREAD:
        problem = tx(
            "{read} has a wrong check digit (B2): compare it with the order and correct it.",
            read=read,
        )
    else:
        problem = tx(
            "'{read}' is no card number (a 14-digit library card or a CPR number, B1): correct it.",
            read=read,
        )
    found.problems.append(BadLine(line, problem, Column.CARD, _rule_of(scan)))
    return None


def _item(raw: str, line: int, found: _Found) -> ItemBarcode | None:
    scan = read_scan(raw) if raw else None
    if isinstance(scan, ItemBarcode):
        return scan
    read = shown_number(raw)
    if scan is None:
        problem = tx("empty. Fill in the barcode of the item ordered.")
    elif _EXCEL_SHORTENED_RE.match(raw):
        problem = _excel_shortened(read)
    elif isinstance(scan, LibraryCard | HealthCard):
        problem = tx(
            "{read} is a card number, not an item barcode: are the card and item columns swapped?",
            read=read,
        )
    elif isinstance(scan, Misread) and scan.error.problem is ScanProblem.MISREAD:
        problem = tx(
            "{read} has a wrong check digit (B2): compare it with the order and correct it.",
            read=read,
        )
    else:
        problem = tx(
            "'{read}' is no item barcode (14 digits beginning with 3, B1): correct it.",
            read=read,
        )
    found.problems.append(BadLine(line, problem, Column.ITEM, _rule_of(scan)))
    return None


def _excel_shortened(read: str) -> Text:
    return tx(
        "'{read}' is a number Excel has shortened: format the column as text in "
        "Excel and export the orders again.",
        read=read,
    )


def _rule_of(scan: object) -> str:
    if isinstance(scan, Misread):
        return scan.error.rule
    return "B4" if scan is not None else ""


def _note(raw: str) -> str | None:
    """The note, on one line, cut to what is kept and CPR-masked (B3)."""
    flat = " ".join(raw.split())
    return echo(flat, ORDER_NOTE_LENGTH) if flat else None


def shown_number(raw: str) -> str:
    """What a message shows of a card or item column: a barcode-like number
    (12 to 16 digits beginning with 2 or 3: a barcode, or one a digit short
    or long) as it is, it is no personal data; anything else with every
    digit after the sixth as X, so a CPR number typed wrong, one that lost
    its leading zero in Excel, or one with a digit too many never shows
    whole (B3); then clipped."""
    text = " ".join(raw.split())
    if 12 <= len(text) <= 16 and is_ascii_digits(text) and text[0] in "23":
        return text
    digits = 0
    kept = []
    for char in text:
        if char.isdigit():
            digits += 1
            char = char if digits <= 6 else "X"
        kept.append(char)
    return echo("".join(kept), SHOWN_CHARS)


def _shown(raw: str) -> str:
    return echo(raw, SHOWN_CHARS)


# --- what the report says -----------------------------------------------------------


class LineOutcome(StrEnum):
    """What became of one good order line."""

    PLACED = "placed"  # a new request, with the order's number
    ALREADY_IMPORTED = "already_imported"  # a request has this order's number already
    ALREADY_REQUESTED = "already_requested"  # the borrower has an active request on it
    REFUSED = "refused"  # a rule refused it (the verdict says which): nothing placed


def already_imported(placed_on: date) -> Text:
    """A re-import: the order's request exists (whatever became of it since)."""
    return tx(
        "imported already (request placed {day}): nothing placed again.",
        day=placed_on,
    )


def order_line_text(line: int, order_ref: str, outcome: Text) -> Text:
    return tx(
        "Line {line}, order {order}: {outcome}",
        line=line,
        order=order_ref,
        outcome=outcome,
    )


def counts_text(placed: int, already: int, refused: int, skipped: int) -> Text:
    """The report's last line: how many orders became what."""
    parts = [
        tx(
            "Placed: {placed}. Already there: {already}. Refused by the rules: {refused}.",
            placed=placed,
            already=already,
            refused=refused,
        )
    ]
    if skipped:
        parts.append(
            txn(
                "Skipped as bad: {n} line.",
                "Skipped as bad: {n} lines.",
                n=skipped,
            )
        )
    return join(parts, " ")


def malformed_text(bad_lines: Sequence[int], header_ok: bool) -> Text:
    """Why nothing was placed: the file has bad lines."""
    if not header_ok:
        return tx(
            "The file cannot be read as orders: nothing was placed. Correct what is "
            "said above and import the file again."
        )
    return txn(
        "{n} bad line: nothing was placed. Correct it and import the file again "
        "(or leave it out with --skip-bad).",
        "{n} bad lines: nothing was placed. Correct them and import the file again "
        "(or leave them out with --skip-bad).",
        n=len(bad_lines),
    )


def read_as_text(order_file: OrderFile) -> Text:
    """How the file was read, for the report's first line."""
    separator = _separator_name(order_file.delimiter or DELIMITERS[0])
    parts = [
        tx(
            "Read as {encoding}, separated by {separator}.",
            encoding=order_file.encoding.value,
            separator=separator,
        )
    ]
    if order_file.ignored_columns:
        parts.append(
            tx(
                "Columns ignored: {names}.",
                names=", ".join(order_file.ignored_columns),
            )
        )
    return join(parts, " ")


NOTHING_PLACED_CHECK = tx("Checked only (--check): nothing was placed.")
NO_ORDERS = tx("The file holds no orders.")


def outcome_text(outcome: LineOutcome, decided: Verdict) -> Text:
    """What the request's verdict made of a line, with its rule (and, for a
    refusal, its code): "refused (§5 S3, SUSPENDED): ..."."""
    if outcome is LineOutcome.REFUSED:
        return tx(
            "refused ({rule}, {code}): {message}",
            rule=decided.rule,
            code=decided.code.value,
            message=decided.text,
        )
    if outcome is LineOutcome.ALREADY_REQUESTED:
        return tx("nothing placed: {message} ({rule})", message=decided.text, rule=decided.rule)
    return tx("placed: {message} ({rule})", message=decided.text, rule=decided.rule)
