"""Finding borrowers and items at the desk, as it is typed, and where an item is (issue 15).

Three questions, each checked against the actor's role first
(``domain.roles``), each read in one short read-only transaction (on
SQLite it begins DEFERRED: a search neither takes nor waits for the write
lock of a desk that is lending):

- :func:`find_borrowers`: a name fragment or several ("inge fri"), a card
  (scanned or typed whole, a health card by its keyed hash, B3) or the first
  digits of a library card, an institute (its code or a word of its name:
  "Inge Friis NBI" finds Inge Friis of NBI);
- :func:`find_items`: a barcode, words of the title or author (each the
  start of a word), the start of a call number;
- :func:`item_status`: where one item is (``search_results.Availability``),
  its open loan (whose slip can be reprinted), its queue, and, for a
  supervisor only, who has it and who had it before.

What the desk typed is read once by ``domain.search_text`` (words, keys
folded for case and accents, cards); the matching runs in the index made
for it by migration 0010 (``store.search_index``): FTS5 on SQLite, trigram
GIN indexes on PostgreSQL. Results come in the index's order up to the
limit, then sorted for the list (by name, by title); a search that finds
more than the limit says so by returning the limit in full ("type more").

The supervisor's search (``supervision_queries.search_borrowers``) is this
search with its own columns: :func:`borrower_matches` is the one place a
borrower is matched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desk_app.domain import roles
from desk_app.domain.facts import Capacity, Category, Step
from desk_app.domain.ill import HandOver
from desk_app.domain.loan_states import ENDED, LoanState, Transit
from desk_app.domain.lookup_verdicts import not_on_loan
from desk_app.domain.request_states import RequestState
from desk_app.domain.scan import Scanned, SlipCode, card_lookup, scanned
from desk_app.domain.search_key import search_key
from desk_app.domain.search_results import (
    LOST_CLAIMS,
    BorrowerHit,
    ItemHit,
    ItemStatus,
    OpenLoan,
    PastLoan,
    availability,
)
from desk_app.domain.search_text import (
    SUBSTRING_LETTERS,
    BorrowerQuery,
    ItemQuery,
    NameWord,
    borrower_query,
    item_query,
    with_institutes,
)
from desk_app.domain.search_text import (
    Institute as NamedInstitute,
)
from desk_app.domain.transport import institute_name
from desk_app.domain.verdict import Verdict
from desk_app.services.access import authorize, principal, require
from desk_app.services.context import Actor, DeskContext
from desk_app.services.lookup import card_preference, find_item
from desk_app.store import search_index
from desk_app.store.engine import READS_ONLY
from desk_app.store.models import Borrower, Card, Claim, Institute, Item, Loan, Request

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 50  # rows a search answers with (the dialog's list)
MAX_LIMIT = 500
HISTORY_LIMIT = 100  # past loans an item's status lists, newest first

T = TypeVar("T")

# -- reading, the role checked in the same transaction ----------------------------


@contextmanager
def reading(ctx: DeskContext) -> Iterator[Session]:
    """A session whose transaction only reads: DEFERRED on SQLite, so a
    search reads the last committed state at once instead of queueing for
    the write lock behind a checkout (``store.engine.READS_ONLY``)."""
    with ctx.sessions() as session:
        session.connection(execution_options={READS_ONLY: True})
        yield session


def _read(
    ctx: DeskContext,
    actor: Actor,
    action: roles.Action,
    work: Callable[[Session, roles.Principal], T],
) -> T:
    """``work`` in one read-only transaction, the actor's role asked there
    first. A refusal is worded and audited by ``access.require`` (raises
    ``NotPermitted``); nothing is read for it."""
    with reading(ctx) as session:
        who, _ = principal(session, actor)
        if who is not None and roles.may(who, action):
            return work(session, who)
    require(ctx, actor, action)
    return _read(ctx, actor, action, work)  # granted meanwhile


def _bounded(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


# -- borrowers -----------------------------------------------------------------------


def find_borrowers(
    ctx: DeskContext, actor: Actor, text: str, limit: int = DEFAULT_LIMIT
) -> list[BorrowerHit]:
    """The borrowers ``text`` finds, at most ``limit``, by name then id.

    ``text`` is what the desk typed (``search_text.borrower_query``): name
    fragments (each anywhere in the name from three letters, case and
    accents aside; one or two letters alone match the start of a word), a
    card (a scanned or typed whole library card, a CPR number by its keyed
    hash, B3), the first six or more digits of a library card, an institute
    code or word of its name (which narrows to it). ``limit`` hits means
    there may be more. Raises ``access.NotPermitted`` for a role that may
    not search borrowers (audited). Never shows a CPR number: the card of a
    hit is its display form, a health card masked."""
    limit = _bounded(limit)

    def work(session: Session, _who: roles.Principal) -> list[BorrowerHit]:
        query = borrower_query(text)
        if query.words:
            query = with_institutes(query, institutes(session))

        def run(fts5: bool) -> list[BorrowerHit]:
            found = borrower_matches(session, query, ctx.cpr_key, limit, fts5=fts5)
            return [] if found is None else _borrower_hits(session, found, ctx, limit)

        return with_index(session, run)

    return _read(ctx, actor, roles.Action.SEARCH_BORROWERS, work)


def with_index(session: Session, run: Callable[[bool], T]) -> T:
    """``run(fts5)``: with SQLite's FTS5 tables (``fts5=True``) unless the
    database has none, which it finds out by asking (no look first, so a
    desk pays nothing for it) and remembers (``store.search_index``). On
    PostgreSQL always False: the trigram indexes need no other queries."""
    engine = session.get_bind()
    if engine.dialect.name != "sqlite" or search_index.fts5_missing(engine):  # type: ignore[arg-type]
        return run(False)
    try:
        return run(True)
    except OperationalError as error:
        if not search_index.missing_table(error):
            raise
        search_index.note_fts5_missing(engine)  # type: ignore[arg-type]
        return run(False)


def institutes(session: Session) -> list[NamedInstitute]:
    """The institutes a search may name (a few dozen), with their names."""
    return [
        NamedInstitute(code, name, name_da)
        for code, name, name_da in session.execute(
            select(Institute.code, Institute.name, Institute.name_da)
        )
    ]


def _borrower_hits(
    session: Session, found: Select[Any], ctx: DeskContext, limit: int
) -> list[BorrowerHit]:
    suspended = exists().where(
        Loan.borrower_id == Borrower.id,
        Loan.state == LoanState.OPEN,
        Loan.step == Step.SUSPENSION.value,
        Loan.settled.is_(False),
    )
    rows = session.execute(
        select(
            Borrower.id,
            Borrower.name,
            Borrower.category,
            Institute.code,
            Institute.name,
            Institute.name_da,
            suspended,
        )
        .join(Institute, Institute.code == Borrower.institute_code)
        .where(Borrower.id.in_(found.scalar_subquery()))
    ).all()
    rows = sorted(rows, key=lambda r: (r[1], r[0]))[:limit]
    cards = _shown_cards(session, [r[0] for r in rows])
    today = ctx.today()
    hits = []
    for borrower_id, name, category, code, inst_name, inst_name_da, is_suspended in rows:
        display, expires = cards.get(borrower_id, (None, None))
        hits.append(
            BorrowerHit(
                borrower_id=borrower_id,
                name=name,
                card=display,
                institute_code=code,
                institute_name=institute_name(inst_name, inst_name_da),
                category=Category(category),
                suspended=bool(is_suspended),
                card_expired=expires is not None and expires < today,
            )
        )
    return hits


def _shown_cards(
    session: Session, borrower_ids: Sequence[int]
) -> dict[int, tuple[str, date | None]]:
    """Each borrower's card to show (``lookup.card_preference``: an active
    library card first; a health card only masked, B3) and its expiry."""
    if not borrower_ids:
        return {}
    best: dict[int, tuple[tuple[int, int, int], str, date | None]] = {}
    for borrower_id, kind, status, display, card_id, expires in session.execute(
        select(Card.borrower_id, Card.kind, Card.status, Card.display, Card.id, Card.expires).where(
            Card.borrower_id.in_(borrower_ids)
        )
    ):
        rank = card_preference(status, kind, card_id)
        if borrower_id not in best or rank > best[borrower_id][0]:
            best[borrower_id] = (rank, display, expires)
    return {k: (v[1], v[2]) for k, v in best.items()}


# The FTS5 table of borrowers' folded names (migration 0010): ``key`` is the
# name as "  soren  aero  aberg" (two spaces before each word).
_NAMES = table("borrower_search", column("rowid", Integer), column("key", Text))
# ``+key``: the same column, but not a constraint the FTS5 table is asked to
# use. Fragments of fewer than three letters go this way: SQLite 3.40's
# trigram index crashes on some of them beside longer ones, and cannot use
# them anyway.
_NAMES_KEY_READ = literal_column("+borrower_search.key", Text)


def borrower_matches(
    session: Session, query: BorrowerQuery, cpr_key: bytes, limit: int, *, fts5: bool
) -> Select[Any] | None:
    """The ids of the borrowers ``query`` finds, at most ``limit`` + 1 (one
    more says there are more), in no particular order; None when it can find
    no one (nothing typed). The one matching of borrowers: the desk's search
    and the supervisor's select their columns for these ids. ``fts5``: use
    SQLite's FTS5 tables (:func:`with_index` says whether)."""
    if query.card is not None:
        return select(Card.borrower_id).where(Card.lookup == card_lookup(query.card, cpr_key))
    if query.card_prefix is not None:
        return _card_prefix(query.card_prefix, limit)
    if not query.words:
        return None
    if fts5:
        return _names_fts5(query.words, limit)
    if session.get_bind().dialect.name == "sqlite":
        return _names_scan_sqlite(query.words, limit)
    return _names_trigram(query.words, limit)


def _card_prefix(prefix: str, limit: int) -> Select[Any]:
    """Library cards whose number starts with ``prefix`` (digits): a range of
    the cards' unique index (any collation orders digits as digits)."""
    upper = str(int(prefix) + 1).zfill(len(prefix))
    bounds = [Card.lookup >= prefix, Card.lookup.like(f"{prefix}%")]
    if len(upper) == len(prefix):  # "999..." has no upper bound
        bounds.append(Card.lookup < upper)
    return (
        select(Card.borrower_id)
        .where(Card.kind == "library", *bounds)
        .order_by(Card.lookup)
        .limit(limit + 1)
    )


def _glob(key: str) -> str:
    """``key`` for a GLOB, its wildcards literal."""
    return "".join(f"[{char}]" if char in "*?[" else char for char in key)


def _like(key: str) -> str:
    """``key`` for a LIKE with ``escape='\\'``, its wildcards literal."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _word_starts(words: Sequence[NameWord]) -> bool:
    """One or two letters typed alone (no longer fragment beside them) match
    the start of a word only: as the desk types "b", "bo", "bo n"."""
    return all(len(word.key) < SUBSTRING_LETTERS for word in words)


def _names_fts5(words: Sequence[NameWord], limit: int) -> Select[Any]:
    """SQLite: the trigram index finds the candidates (every fragment of
    three letters or more that names no institute; or, failing one, the
    first fragment's names and institutes together), the rest is checked
    on each candidate until ``limit`` + 1 are found."""
    starts = _word_starts(words)

    def pattern(word: NameWord) -> str:
        return f"*  {_glob(word.key)}*" if starts else f"*{_glob(word.key)}*"

    def indexed(word: NameWord) -> bool:
        """Whether the trigram index may be asked for ``word``: its pattern
        holds three plain characters in a row. SQLite 3.40 crashes (a
        segmentation fault, not an error) on a GLOB without them beside
        another GLOB on the index, e.g. "*an*" then "*jen*", or "*c[?]p*":
        those are checked on each candidate instead."""
        plain = not any(char in word.key for char in "*?[")
        return plain and (starts or len(word.key) >= SUBSTRING_LETTERS)

    driving = [w for w in words if indexed(w) and not w.institutes]
    where: list[ColumnElement[bool]] = [_NAMES.c.key.op("GLOB")(pattern(w)) for w in driving]
    first = next((w for w in words if indexed(w)), None)
    if not driving and first is not None:  # its names, or its institutes'
        by_name = select(_NAMES.c.rowid).where(_NAMES.c.key.op("GLOB")(pattern(first)))
        by_institute = select(Borrower.id).where(Borrower.institute_code.in_(first.institutes))
        where.append(_NAMES.c.rowid.in_(union_all(by_name, by_institute)))
        driving = [first]
    for word in words:
        if any(word is w for w in driving) and not word.institutes:
            continue
        check: ColumnElement[bool] = _NAMES_KEY_READ.op("GLOB")(pattern(word))
        if word.institutes:
            check = or_(check, Borrower.institute_code.in_(word.institutes))
        where.append(check)
    return (
        select(Borrower.id)
        .select_from(_NAMES)
        .join(Borrower, Borrower.id == _NAMES.c.rowid)
        .where(*where)
        .limit(limit + 1)
    )


def _names_trigram(words: Sequence[NameWord], limit: int) -> Select[Any]:
    """PostgreSQL: every fragment in the folded name (``desk_search_fold``,
    the GIN trigram index of migration 0010), or its institutes."""
    folded = func.desk_search_fold(Borrower.name_key)
    starts = _word_starts(words)
    where = []
    for word in words:
        key = _like(word.key)
        if starts:
            check = or_(folded.like(f"{key}%", escape="\\"), folded.like(f"% {key}%", escape="\\"))
        else:
            check = folded.like(f"%{key}%", escape="\\")
        if word.institutes:
            check = or_(check, Borrower.institute_code.in_(word.institutes))
        where.append(check)
    return select(Borrower.id).where(*where).limit(limit + 1)


def _names_scan_sqlite(words: Sequence[NameWord], limit: int) -> Select[Any]:
    """SQLite without the FTS5 tables (a database made from the models, in
    memory): the case-folded name (``name_key``), row by row; accents count."""
    starts = _word_starts(words)
    spaced = literal_column("(' ' || borrowers.name_key)", Text)
    where = []
    for word in words:
        key = _glob(search_key(word.typed))
        check: ColumnElement[bool] = (
            spaced.op("GLOB")(f"* {key}*") if starts else Borrower.name_key.op("GLOB")(f"*{key}*")
        )
        if word.institutes:
            check = or_(check, Borrower.institute_code.in_(word.institutes))
        where.append(check)
    return select(Borrower.id).where(*where).limit(limit + 1)


# -- items -----------------------------------------------------------------------------


def find_items(
    ctx: DeskContext, actor: Actor, text: str, limit: int = DEFAULT_LIMIT
) -> list[ItemHit]:
    """The items ``text`` finds, at most ``limit``, each with where it is.

    ``text`` (``search_text.item_query``) is a barcode (exact), or words of
    the title and author, each the start of a word (case and accents
    aside: "kierk eth" finds "Kierkegaard's ethics"), and, as a whole, the
    start of a call number ("PT8175 .H3"): the call numbers first, then the
    titles, each by title. ``limit`` hits means there may be more. Raises
    ``access.NotPermitted`` for a role that may not search items (audited)."""
    limit = _bounded(limit)

    def work(session: Session, _who: roles.Principal) -> list[ItemHit]:
        query = item_query(text)
        ids = with_index(session, lambda fts5: item_matches(session, query, limit, fts5=fts5))
        return _item_hits(session, ids)[:limit]

    return _read(ctx, actor, roles.Action.SEARCH_ITEMS, work)


def item_matches(session: Session, query: ItemQuery, limit: int, *, fts5: bool) -> list[int]:
    """The ids of the items ``query`` finds: by barcode; else by call number,
    then by title and author words, at most ``limit`` in all (``fts5``: as
    :func:`borrower_matches`)."""
    if query.barcode is not None:
        return list(session.scalars(select(Item.id).where(Item.barcode == query.barcode)))
    found: list[int] = []
    dialect = session.get_bind().dialect.name
    if query.call_number is not None and query.call_tokens:
        if fts5:
            statement = _call_numbers_fts5(query, limit)
        else:
            statement = _call_numbers(query, limit, dialect)
        found.extend(int(i) for i in session.scalars(statement))
    if query.words and len(found) < limit:
        statement = _titles_fts5(query, limit) if fts5 else _titles(query, limit, dialect)
        seen = set(found)
        found.extend(int(i) for i in session.scalars(statement) if i not in seen)
    return found[:limit]


_ITEM_WORDS = table("item_search", column("rowid", Integer), column("item_search", Text))


def _fts5_phrase(tokens: Sequence[str]) -> str:
    """The tokens as an FTS5 phrase, the last one a prefix: tokens hold
    letters and digits only (``search_text``), so no quoting is needed."""
    return '"' + " ".join(tokens) + '"*'


def _titles_fts5(query: ItemQuery, limit: int) -> Select[Any]:
    terms = " AND ".join(_fts5_phrase([word]) for word in query.words)
    return (
        select(_ITEM_WORDS.c.rowid)
        .where(_ITEM_WORDS.c.item_search.op("MATCH")(f"{{title author}} : ({terms})"))
        .limit(limit)
    )


def _call_numbers_fts5(query: ItemQuery, limit: int) -> Select[Any]:
    """The call numbers whose first words are the tokens typed (the index),
    and that start with the text as typed (checked on each)."""
    assert query.call_number is not None
    return (
        select(Item.id)
        .select_from(_ITEM_WORDS)
        .join(Item, Item.id == _ITEM_WORDS.c.rowid)
        .where(
            _ITEM_WORDS.c.item_search.op("MATCH")(
                f"{{call_number}} : ^ {_fts5_phrase(query.call_tokens)}"
            ),
            Item.call_number.like(f"{_like(query.call_typed)}%", escape="\\"),
        )
        .limit(limit)
    )


def _titles(query: ItemQuery, limit: int, dialect: str) -> Select[Any]:
    """PostgreSQL: every word the start of a word of title and author
    (``desk_search_words``, the GIN trigram index of migration 0010); SQLite
    without its FTS5 tables: the same on the lower-cased text, row by row."""
    words: ColumnElement[str]
    if dialect == "sqlite":
        words = literal_column(
            "(' ' || lower(items.title) || ' ' || lower(coalesce(items.author, '')))", Text
        )
    else:
        words = func.desk_search_words(Item.title, Item.author)
    where = [words.like(f"% {_like(word)}%", escape="\\") for word in query.words]
    return select(Item.id).where(*where).limit(limit)


def _call_numbers(query: ItemQuery, limit: int, dialect: str) -> Select[Any]:
    assert query.call_number is not None
    if dialect == "sqlite":
        prefix = Item.call_number.like(f"{_like(query.call_typed)}%", escape="\\")
    else:
        folded = func.desk_search_fold(Item.call_number)
        prefix = folded.like(f"{_like(query.call_number)}%", escape="\\")
    return select(Item.id).where(prefix).limit(limit)


def _item_hits(session: Session, ids: Sequence[int]) -> list[ItemHit]:
    """The items with where each is: its open loan, its queue, a lost claim;
    one query for all. In the order found."""
    if not ids:
        return []
    queue = (
        select(func.count())
        .where(Request.item_id == Item.id, Request.state == RequestState.ACTIVE)
        .scalar_subquery()
    )
    lost = exists().where(Claim.item_id == Item.id, Claim.state.in_(LOST_CLAIMS))
    rows = session.execute(
        select(
            Item.id,
            Item.barcode,
            Item.title,
            Item.author,
            Item.call_number,
            Loan.id,
            Loan.due,
            Loan.capacity,
            Loan.delivery,
            Loan.transit,
            queue,
            lost,
        )
        .outerjoin(Loan, and_(Loan.item_id == Item.id, Loan.state == LoanState.OPEN))
        .where(Item.id.in_(ids))
    ).all()
    by_id = {row[0]: row for row in rows}
    hits = []
    for item_id in ids:
        row = by_id.get(item_id)
        if row is None:
            continue
        (
            _,
            barcode,
            title,
            author,
            call,
            loan_id,
            due,
            capacity,
            delivery,
            transit,
            waiting,
            lost_,
        ) = row
        where = availability(
            on_loan=loan_id is not None,
            capacity=Capacity(capacity) if capacity else None,
            hand_over=HandOver(delivery) if delivery else None,
            transit=Transit(transit) if transit else None,
            lost=bool(lost_),
            requests=int(waiting or 0),
        )
        hits.append(
            ItemHit(
                item_id=item_id,
                barcode=barcode,
                title=title,
                author=author,
                call_number=call,
                availability=where,
                due=due,
                requests=int(waiting or 0),
            )
        )
    return hits


# -- one item's status --------------------------------------------------------------------


def item_status(
    ctx: DeskContext, actor: Actor, item: Scanned | str, history_limit: int = HISTORY_LIMIT
) -> ItemStatus | Verdict:
    """Where the item is and what waits for it; a Verdict instead when
    ``item`` is no barcode of the catalogue (a misread, B2/B4; an unknown
    barcode, B1, each worded as at the desk), or the actor may not look
    items up (the refusal, audited). A slip's own code (T4) finds its loan's
    item.

    Every role that searches items sees where it is, the open loan's due
    date, capacity and institute, and the queue with the first requester's
    name (who is to get it). Only a supervisor (``VIEW_ITEM_HISTORY``) sees
    who has it and ``history``, the past loans with their borrowers; for
    anyone else those are None."""
    scan = scanned(item) if isinstance(item, str) else item
    with reading(ctx) as session:
        who, _ = principal(session, actor)
        if who is not None and roles.may(who, roles.Action.SEARCH_ITEMS):
            supervisor = roles.may(who, roles.Action.VIEW_ITEM_HISTORY)
            return _status(session, scan, supervisor, max(0, history_limit))
    refused = authorize(ctx, actor, roles.Action.SEARCH_ITEMS)
    return refused if refused is not None else item_status(ctx, actor, item, history_limit)


def _status(
    session: Session, scan: Scanned, supervisor: bool, history_limit: int
) -> ItemStatus | Verdict:
    found = _item_of(session, scan)
    if isinstance(found, Verdict):
        return found
    loan_row = session.execute(
        select(Loan, Borrower.name, Institute.code, Institute.name, Institute.name_da)
        .join(Borrower, Borrower.id == Loan.borrower_id)
        .join(Institute, Institute.code == Borrower.institute_code)
        .where(Loan.item_id == found.id, Loan.state == LoanState.OPEN)
    ).first()
    loan = None
    if loan_row is not None:
        open_loan, name, code, inst_name, inst_name_da = loan_row
        loan = OpenLoan(
            loan_id=open_loan.id,
            loan_date=open_loan.loan_date,
            due=open_loan.due,
            capacity=Capacity(open_loan.capacity),
            hand_over=HandOver(open_loan.delivery),
            transit=Transit(open_loan.transit) if open_loan.transit else None,
            institute_code=code,
            institute_name=institute_name(inst_name, inst_name_da),
            borrower_id=open_loan.borrower_id if supervisor else None,
            borrower_name=name if supervisor else None,
        )
    queue = session.execute(
        select(Request.borrower_id, Borrower.name)
        .join(Borrower, Borrower.id == Request.borrower_id)
        .where(Request.item_id == found.id, Request.state == RequestState.ACTIVE)
        .order_by(Request.placed_at, Request.id)
    ).all()
    lost_since = session.scalar(
        select(func.max(Claim.opened_on)).where(
            Claim.item_id == found.id, Claim.state.in_(LOST_CLAIMS)
        )
    )
    where = availability(
        on_loan=loan is not None,
        capacity=loan.capacity if loan else None,
        hand_over=loan.hand_over if loan else None,
        transit=loan.transit if loan else None,
        lost=lost_since is not None,
        requests=len(queue),
    )
    return ItemStatus(
        item_id=found.id,
        barcode=found.barcode,
        title=found.title,
        author=found.author,
        call_number=found.call_number,
        availability=where,
        loan=loan,
        requests=len(queue),
        first_requester=queue[0][1] if queue else None,
        first_requester_id=queue[0][0] if queue else None,
        lost_since=lost_since if loan is None else None,
        history=_history(session, found.id, history_limit) if supervisor else None,
    )


def item_history(
    ctx: DeskContext, actor: Actor, item: Scanned | str, limit: int = HISTORY_LIMIT
) -> tuple[PastLoan, ...] | Verdict:
    """The item's past loans with their borrowers, newest first (at most
    ``limit``): for a supervisor only (``VIEW_ITEM_HISTORY``; anyone else
    gets the refusal, audited), as ``item_status`` includes them for one. A
    Verdict too for a misread or unknown barcode."""
    scan = scanned(item) if isinstance(item, str) else item
    with reading(ctx) as session:
        who, _ = principal(session, actor)
        if who is not None and roles.may(who, roles.Action.VIEW_ITEM_HISTORY):
            found = _item_of(session, scan)
            if isinstance(found, Verdict):
                return found
            return _history(session, found.id, max(0, limit))
    refused = authorize(ctx, actor, roles.Action.VIEW_ITEM_HISTORY)
    return refused if refused is not None else item_history(ctx, actor, item, limit)


def _item_of(session: Session, scan: Scanned) -> Item | Verdict:
    """The scanned item (a slip's code: its loan's), or why there is none."""
    if isinstance(scan, SlipCode):
        row = session.get(Loan, scan.loan_id)
        found = session.get(Item, row.item_id) if row is not None else None
        return found if found is not None else not_on_loan(scan.shown)
    hit = find_item(session, scan)
    return hit.item if hit.item is not None else hit.refusal()


# A checkout undone at once never happened (``LoanState.CANCELLED``): not history.
_PAST = tuple(sorted(ENDED - {LoanState.CANCELLED}))


def _history(session: Session, item_id: int, limit: int) -> tuple[PastLoan, ...]:
    rows = session.execute(
        select(
            Loan.id,
            Loan.borrower_id,
            Borrower.name,
            Loan.capacity,
            Loan.loaned_at,
            Loan.ended_at,
            Loan.state,
        )
        .join(Borrower, Borrower.id == Loan.borrower_id)
        .where(Loan.item_id == item_id, Loan.state.in_(_PAST))
        .order_by(Loan.loaned_at.desc(), Loan.id.desc())
        .limit(limit)
    ).all()
    return tuple(
        PastLoan(
            loan_id=loan_id,
            borrower_id=borrower_id,
            borrower_name=name,
            capacity=Capacity(capacity),
            loaned_at=loaned_at,
            ended_at=ended_at,
            state=LoanState(state),
        )
        for loan_id, borrower_id, name, capacity, loaned_at, ended_at, state in rows
    )


__all__ = [
    "DEFAULT_LIMIT",
    "HISTORY_LIMIT",
    "borrower_matches",
    "find_borrowers",
    "find_items",
    "institutes",
    "item_history",
    "item_matches",
    "item_status",
    "reading",
    "with_index",
]
