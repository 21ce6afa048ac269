"""The desk's scan loop, without Qt: what a scan means in the current mode.

The window only forwards what the scanner typed and paints the outcome; this
module decides whether a scan is a card (it sets the borrower) or an item (it
does the mode's action), keeps the shift log, and knows what may be undone or
overridden. Keeping it Qt-free lets the tests and the benchmark drive exactly
the path the desk staff use, and keeps the widgets free of rules.

A scan is classified here once (``domain.scan``) and flows down typed; each
scan or button is one transaction, which also reads the borrower panel and
the item's title the desk shows with the verdict (``services.desk_action``).

The order cycle (issue 15): a returned item with a queue is lent at once to
the first requester who may borrow it (Q3: the return and the checkout, two
transactions, one scan); a picked item (on the shelf, requested) scanned at
the checkout with no borrower at the desk is lent to its first requester
(Q1); the borrower at the desk may also be taken by id (found by name),
have requests placed and cancelled for them, and have all loans renewed
with one key. Each transaction is a line of the shift log naming its own
loan's borrower.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeGuard

from sqlalchemy import select

from desk_app.domain import roles
from desk_app.domain.barcodes import echo
from desk_app.domain.borrower_requests import BorrowerRequest
from desk_app.domain.checkin import held_for_queue, lent_on
from desk_app.domain.checkout import overridable
from desk_app.domain.loan_states import LoanState
from desk_app.domain.lookup_verdicts import need_card_first
from desk_app.domain.material import Alternative
from desk_app.domain.renew_all import renewed_all
from desk_app.domain.roles import Action, may
from desk_app.domain.scan import (
    CardScan,
    HealthCard,
    ItemBarcode,
    LibraryCard,
    Misread,
    SlipCode,
    expected_of_misread,
    read_scan,
    wrong_kind_verdict,
)
from desk_app.domain.verdict import Code, Verdict
from desk_app.i18n import Text, render
from desk_app.services import circulation, orders, requests, staff
from desk_app.services.access import NotPermitted, require
from desk_app.services.circulation import Authoriser
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import (
    BorrowerId,
    DeskView,
    ItemQueue,
    Served,
    borrower_at_desk,
    borrower_by_id,
    item_queue,
)
from desk_app.services.lookup import find_item
from desk_app.store.models import Item, Loan

log = logging.getLogger(__name__)

UNDO_WINDOW = circulation.UNDO_WITHIN
# Refusals of the requester, not of the book (Q3): the book may go to the next in the queue.
_REQUESTER_REFUSALS = frozenset(
    {Code.CARD_UNKNOWN, Code.CARD_INVALID, Code.NOT_ELIGIBLE, Code.SUSPENDED}
)


class Mode(StrEnum):
    CHECK_OUT = "check_out"
    CHECK_IN = "check_in"
    RENEW = "renew"


class Tone(StrEnum):
    """How the banner looks: green, amber, red, or neutral."""

    ACCEPTED = "accepted"
    CAUTION = "caution"
    REFUSED = "refused"
    INFO = "info"


def tone_of(outcome: Verdict) -> Tone:
    """Accepted with something to tell the borrower is amber: a shortened loan
    (L2), use at the institute only (M2), an override, an item to hold for the
    next borrower, a fee; a borrower who is suspended or whose card is invalid
    is amber at the card scan, red when a loan is then refused."""
    data = outcome.data
    if data.get("misread"):
        return Tone.CAUTION
    if not outcome.ok:
        return Tone.REFUSED
    if outcome.code is Code.STATUS:
        if data.get("suspended") or not data.get("card_valid", True):
            return Tone.CAUTION
        return Tone.INFO
    if outcome.code is Code.LOANED:
        # Q1/Q3: lent on to a requester: the banner says where the book goes
        caution = outcome.rule.endswith("L2") or data.get("use_at_institute")
        caution = caution or data.get("routed") or data.get("overridden")
        return Tone.CAUTION if caution else Tone.ACCEPTED
    if outcome.code is Code.RENEWED and data.get("refused"):
        return Tone.CAUTION  # renew all (L5): some were not renewed
    if outcome.code is Code.RETURNED:
        caution = data.get("next") or data.get("late_fee") or data.get("damage_charge")
        return Tone.CAUTION if caution else Tone.ACCEPTED
    if outcome.code is Code.UNDONE:
        return Tone.INFO
    if outcome.code is Code.LOADED and data.get("duplicate"):
        return Tone.CAUTION  # T4: scanned twice; nothing wrong, but look
    if outcome.code is Code.DISPATCHED and data.get("missing"):
        return Tone.CAUTION  # T4: some items stay behind for the next run
    return Tone.ACCEPTED


@dataclass(frozen=True)
class ItemName:
    """The item a verdict is about, as the banner names it (issue 13, point
    18): in a fast run of scans a bare "Refused" does not say which one."""

    barcode: str
    title: str | None  # None: no such item in the catalogue

    def label(self) -> str:
        return f"{self.title} ({self.barcode})" if self.title else self.barcode


@dataclass(frozen=True)
class DeskOutcome:
    """One scan or button, as the window shows it."""

    # card, check_out, check_in, renew, override, undo, order, misread; route
    # (Q3: a returned book lent on), picked (Q1), request, cancel_request, renew_all
    action: str
    read: str  # what was read, masked if it was a health card (B3)
    verdict: Verdict
    borrower: Verdict | None  # the borrower to show after this (a STATUS verdict)
    item: ItemName | None = None  # the item of an item action
    # the shown borrower's requests with their places in the queues (None: not read)
    requests: tuple[BorrowerRequest, ...] | None = None

    @property
    def tone(self) -> Tone:
        return tone_of(self.verdict)


@dataclass(frozen=True)
class OpenRefusal:
    """A scan that was not done, kept in view until the desk has seen it."""

    at: datetime
    outcome: DeskOutcome


@dataclass(frozen=True)
class ShiftEntry:
    at: datetime
    action: str
    read: str
    borrower: str
    code: str
    rule: str
    text: Text  # the verdict's message, rendered in whichever language the log is shown
    loan_id: int | None = None
    tone: Tone = Tone.INFO  # the line's own tint (a scan may write several lines)

    def message(self, language: str) -> str:
        return render(self.text, language)


@dataclass
class _Refusal:
    """The last checkout refusal: what a supervisor may override, or which
    M3 alternatives the borrower may order instead."""

    card: Served
    item: ItemBarcode
    shown: DeskOutcome  # as the banner showed it

    @property
    def outcome(self) -> Verdict:
        return self.shown.verdict


@dataclass
class DeskSession:
    """One signed-in shift at one desk."""

    ctx: DeskContext
    actor: Actor
    prefix: str = ""
    suffix: str = ""
    mode: Mode = Mode.CHECK_OUT
    log: list[ShiftEntry] = field(default_factory=list)
    borrower: Verdict | None = None
    _card: Served | None = None  # the current borrower's card (or id); memory only (B3)
    _refusal: _Refusal | None = None
    _last_loan: tuple[int, datetime] | None = None
    last_loan_id: int | None = None  # the shift's last checkout, for its slip (T4)
    # Refusals and misreads since this borrower stepped up (issue 13, point 18):
    # in a fast run of scans the banner shows only the last verdict, so these
    # stay listed until the next borrower, or until the desk dismisses them.
    open_refusals: list[OpenRefusal] = field(default_factory=list)
    # the requests last read for a borrower shown (by borrower id): the panel's list
    _requests: dict[int, tuple[BorrowerRequest, ...]] = field(default_factory=dict)

    # -- scanning ---------------------------------------------------------

    def scan(self, raw: str) -> DeskOutcome:
        """A scan or a typed barcode ended by Enter or Tab (B4)."""
        found = read_scan(raw, self.prefix, self.suffix)
        if isinstance(found, LibraryCard | HealthCard):
            return self._set_borrower(found)
        if isinstance(found, Misread | SlipCode):
            return self._unreadable(found)
        if self.mode is Mode.CHECK_OUT:
            return self._check_out(found)
        if self.mode is Mode.CHECK_IN:
            return self._check_in(found)
        view = circulation.renew_at_desk(self.ctx, self.actor, found, self._card)
        return self._shown(self._finish("renew", found, view))

    def take_borrower(self, borrower_id: int) -> DeskOutcome:
        """The borrower chosen by id (found by name) steps up: the same
        outcome as scanning their card. They are served through their card
        as scanned when it is a library card, else by id (a health card's
        number is not kept, B3)."""
        outcome = borrower_by_id(self.ctx, self.actor, borrower_id)
        self._refusal = None
        if outcome.code is Code.STATUS:
            shown = outcome.data.get("card") or ""
            card = read_scan(shown)
            self._card = card if isinstance(card, LibraryCard) else BorrowerId(borrower_id)
            self.borrower = outcome
            read = echo(shown)
        else:
            self._card, self.borrower = None, None
            read = str(borrower_id)
        return self._logged(DeskOutcome("card", read, outcome, self.borrower))

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self._refusal = None

    def clear_borrower(self) -> None:
        """The next borrower steps up: forget the current one."""
        self._card = None
        self.borrower = None
        self._refusal = None
        self.open_refusals = []
        self._requests = {}

    @property
    def serving(self) -> Verdict | None:
        """The borrower whose card was scanned: the one a checkout lends to
        (the panel may show another, whose loan was just returned)."""
        return self.borrower if self._card is not None else None

    @property
    def serving_id(self) -> int | None:
        """The id of the borrower served, or None."""
        return _borrower_id(self.serving)

    def requests_shown(self, status: Verdict | None) -> tuple[BorrowerRequest, ...] | None:
        """The requests last read for the borrower of ``status`` (the panel's
        list), or None when none were read."""
        borrower_id = _borrower_id(status)
        return self._requests.get(borrower_id) if borrower_id is not None else None

    def dismiss_refusals(self) -> None:
        """The desk has seen the refusals listed: stop showing them."""
        self.open_refusals = []

    def shown(self, raw: str) -> str:
        """What a message may show of something scanned: a health card masked
        (B3), anything else short and with no CPR-like run."""
        found = read_scan(raw, self.prefix, self.suffix)
        if isinstance(found, HealthCard):
            return found.shown
        return echo("".join(ch for ch in raw if ch.isprintable()).strip())

    def _unreadable(self, found: Misread | SlipCode) -> DeskOutcome:
        """B2/B4: nothing is looked up, nothing changes; the borrower stays.
        A slip's own code is no item barcode here (it is at the loading)."""
        expected = expected_of_misread(found) if isinstance(found, Misread) else "item"
        outcome = wrong_kind_verdict(found, expected)
        return self._logged(DeskOutcome("misread", found.shown, outcome, self.borrower))

    def _set_borrower(self, card: CardScan) -> DeskOutcome:
        outcome = borrower_at_desk(self.ctx, self.actor, card)
        self._refusal = None
        if outcome.code is Code.STATUS:
            self._card, self.borrower = card, outcome
        else:  # an unknown card: never leave the previous borrower in place
            self._card, self.borrower = None, None
        return self._logged(DeskOutcome("card", card.shown, outcome, self.borrower))

    def _check_out(self, item: ItemBarcode) -> DeskOutcome:
        if self._card is None:
            # Q1: a picked item (on the shelf, requested) goes to its first
            # requester without a card scan: the request says who.
            queue = item_queue(self.ctx, self.actor, item)
            if queue.requesters and not queue.on_loan and queue.may_lend:
                return self._lend_on("picked", item, queue)
            outcome = need_card_first()
            name = ItemName(item.barcode, queue.title)
            return self._logged(DeskOutcome("check_out", item.barcode, outcome, None, name))
        view = circulation.checkout_at_desk(self.ctx, self.actor, self._card, item)
        return self._after_checkout("check_out", self._card, item, view)

    def _check_in(self, item: ItemBarcode) -> DeskOutcome:
        """A return; Q3: when others wait for the item, it is lent at once to
        the first of them who may borrow it (the return and the loan, two
        transactions and two lines of the log, one banner)."""
        view = circulation.checkin_at_desk(self.ctx, self.actor, item, self._card)
        back = self._finish("check_in", item, view)
        if view.verdict.code is Code.RETURNED and view.verdict.data.get("next"):
            queue = item_queue(self.ctx, self.actor, item)
            if queue.requesters and not queue.on_loan and queue.may_lend:
                return self._lend_on("route", item, queue, returned=view.verdict, back=back)
        return self._shown(back)

    def _lend_on(
        self,
        action: str,
        item: ItemBarcode,
        queue: ItemQueue,
        *,
        returned: Verdict | None = None,
        back: DeskOutcome | None = None,
    ) -> DeskOutcome:
        """Q1/Q3: lend ``item`` to the first requester who may borrow it,
        each attempt its own checkout (audited, a line of the log naming that
        requester). A requester refused (suspended, card not valid, ...) is
        named with the rule, and the book goes to the next in the queue
        (those passed over still wait, so L2's 14 days apply); a refusal of
        the book itself stops. When no one may borrow it, the banner says
        to keep it at the desk."""
        title = queue.title or item.barcode
        passed: list[tuple[str, Verdict]] = []
        tried: list[int] = []
        for requester in queue.requesters:
            view = circulation.checkout_at_desk(
                self.ctx, self.actor, BorrowerId(requester.borrower_id), item, passed_over=tried
            )
            loan = view.verdict
            whose = view.borrower if _is_status(view.borrower) else None
            name = ItemName(item.barcode, view.title or queue.title)
            self._log(DeskOutcome(action, item.barcode, loan, whose, name))
            who = whose.data["name"] if whose is not None else requester.name
            if loan.code is Code.LOANED:
                self._last_loan = (loan.data["loan_id"], self.ctx.now())
                self.last_loan_id = loan.data["loan_id"]
                self._refusal = None
                if self._card is None:
                    self.borrower = whose
                outcome = lent_on(
                    title=title,
                    returned=returned,
                    loaned=loan,
                    borrower_id=requester.borrower_id,
                    borrower_name=who,
                    destination=view.destination,
                    passed=passed,
                )
                return self._shown(DeskOutcome(action, item.barcode, outcome, whose, name))
            passed.append((who, loan))
            if loan.code not in _REQUESTER_REFUSALS:
                break  # the book's own refusal (lent meanwhile, not for loan): no one may
            tried.append(requester.borrower_id)
        held = held_for_queue(title=title, returned=returned, passed=passed)
        shown = back.borrower if back is not None else self.borrower
        return self._shown(
            DeskOutcome(action, item.barcode, held, shown, ItemName(item.barcode, title))
        )

    def _after_checkout(
        self, action: str, card: Served, item: ItemBarcode, view: DeskView
    ) -> DeskOutcome:
        outcome = view.verdict
        if outcome.code is Code.LOANED:
            self._last_loan = (outcome.data["loan_id"], self.ctx.now())
            self.last_loan_id = outcome.data["loan_id"]
        self.borrower = view.borrower
        name = ItemName(item.barcode, view.title)
        done = self._logged(DeskOutcome(action, item.barcode, outcome, self.borrower, name))
        self._refusal = None if outcome.ok else _Refusal(card, item, done)
        return done

    def _finish(self, action: str, item: ItemBarcode, view: DeskView) -> DeskOutcome:
        """After a check-in or renewal, show whose loan it was (S4: whether the
        return lifted a suspension). That is the loan's borrower even while
        the desk serves someone else, who may bring back another person's
        item (issue 13, point 3): the panel and the shift log name the loan's
        borrower; the one being served stays the desk's borrower for the next
        checkout. All of it read in the action's own transaction."""
        outcome = view.verdict
        borrower_id = outcome.data.get("borrower_id")
        self._refusal = None
        if self._card is not None:
            self.borrower = view.borrower
        whose = self.borrower
        if borrower_id is not None and (self._card is None or _borrower_id(whose) != borrower_id):
            whose = view.whose
            if whose is not None and whose.code is not Code.STATUS:
                whose = None
            if self._card is None:
                self.borrower = whose
        # no loan (not on loan, unknown item): nobody's, whoever is at the desk
        return self._log(
            DeskOutcome(action, item.barcode, outcome, whose, ItemName(item.barcode, view.title)),
            anonymous=borrower_id is None,
        )

    # -- for the borrower at the desk: requests, renew all --------------------------

    def place_request(self, item: str) -> DeskOutcome:
        """L3-L4: a request on ``item`` (a barcode, as the item view gives
        it) for the borrower at the desk: the position, and an earlier due
        date of the item's loan (L4), in the banner."""
        return self._request_action("request", item, requests.place_request)

    def cancel_request(self, item: str) -> DeskOutcome:
        """Q2: the borrower at the desk's request on ``item`` is cancelled."""

        def cancel(ctx: DeskContext, actor: Actor, borrower_id: int, barcode: str) -> Verdict:
            return requests.cancel_request(ctx, actor, barcode, borrower_id=borrower_id)

        return self._request_action("cancel_request", item, cancel)

    def _request_action(
        self, action: str, raw: str, call: Callable[[DeskContext, Actor, int, str], Verdict]
    ) -> DeskOutcome:
        found = read_scan(raw, self.prefix, self.suffix)
        if isinstance(found, Misread | SlipCode):
            return self._unreadable(found)
        if not isinstance(found, ItemBarcode):
            wrong = wrong_kind_verdict(found, "item")
            return self._logged(DeskOutcome("misread", found.shown, wrong, self.borrower))
        borrower_id = self.serving_id
        if borrower_id is None:
            outcome = need_card_first()
            return self._logged(
                DeskOutcome(action, found.barcode, outcome, None, self._item_name(found))
            )
        return self._requests_changed(
            action, found, call(self.ctx, self.actor, borrower_id, found.barcode)
        )

    def note_request(self, item: str, outcome: Verdict) -> DeskOutcome:
        """A request the item view placed or cancelled itself for the
        borrower at the desk (``services.requests``, its ``outcome``): a line
        of the shift log, the banner, and their panel read again."""
        found = read_scan(item, self.prefix, self.suffix)
        cancel = outcome.code in (Code.CANCELLED, Code.NO_REQUEST)
        action = "cancel_request" if cancel else "request"
        if not isinstance(found, ItemBarcode):
            return self._logged(DeskOutcome(action, echo(item), outcome, self.borrower))
        return self._requests_changed(action, found, outcome)

    def _requests_changed(self, action: str, item: ItemBarcode, outcome: Verdict) -> DeskOutcome:
        borrower_id = self.serving_id
        if borrower_id is not None:
            self._requests.pop(borrower_id, None)
            self._refresh_served()  # the panel reads their requests again
        shown = self.borrower if _is_status(self.borrower) else None
        return self._logged(
            DeskOutcome(action, item.barcode, outcome, shown, self._item_name(item))
        )

    def _refresh_served(self) -> None:
        """The served borrower's panel, read again (kept as it was if it
        cannot be read)."""
        card = self._card
        if card is None:
            return
        if isinstance(card, BorrowerId):
            status = borrower_by_id(self.ctx, self.actor, card.borrower_id)
        else:
            status = borrower_at_desk(self.ctx, self.actor, card)
        if _is_status(status):
            self.borrower = status

    def renew_all(self) -> DeskOutcome:
        """L5 for every open loan of the borrower at the desk, one key: each
        renewal a line of the log (refusals listed, with their rule, until
        the next borrower), one banner saying how many and which not. (The
        window renews on its worker with :func:`renew_all`, then shows
        :meth:`renewed_all`.)"""
        borrower_id = self.serving_id
        if borrower_id is None:
            return self._logged(DeskOutcome("renew_all", "", need_card_first(), None))
        return self.renewed_all(borrower_id, renew_all(self.ctx, self.actor, borrower_id))

    def renewed_all(self, borrower_id: int, results: Sequence[tuple[str, Verdict]]) -> DeskOutcome:
        """What :func:`renew_all` did for ``borrower_id``: a line of the log
        per loan, naming them, and the banner; their panel read again."""
        if self.serving_id == borrower_id:
            self._refresh_served()
            whose = self.borrower
        else:  # the next borrower stepped up meanwhile: the lines still name this one
            whose = borrower_by_id(self.ctx, self.actor, borrower_id)
        whose = whose if _is_status(whose) else None
        loans = whose.data.get("loan_details") if whose is not None else None
        titles = {loan["item"]: loan["title"] for loan in loans or []}
        for barcode, outcome in results:
            name = ItemName(barcode, titles.get(barcode))
            self._log(DeskOutcome("renew", barcode, outcome, whose, name))
        summary = renewed_all(results, titles)
        return self._shown(DeskOutcome("renew_all", "", summary, whose))

    # -- after a refusal: override, alternatives ---------------------------

    def can_override(self) -> bool:
        return self._refusal is not None and overridable(self._refusal.outcome)

    def refused(self) -> DeskOutcome | None:
        """The refusal an override would set aside, as it was shown."""
        return self._refusal.shown if self._refusal is not None else None

    def override(self, reason: str, authoriser: Authoriser | None = None) -> DeskOutcome:
        """Lend despite the last refusal; the service checks the role and the
        reason, and audits both. With ``authoriser``, a supervisor standing at
        this desk authorises it with their PIN while the desk login stays
        signed in (issue 13, point 17): the borrower, the refusal and the
        shift log stay where they are."""
        if self._refusal is None:
            raise RuntimeError("nothing to override")
        refused = self._refusal
        view = circulation.checkout_at_desk(
            self.ctx,
            self.actor,
            refused.card,
            refused.item,
            override=circulation.Override(reason, authoriser),
        )
        if view.verdict.code is Code.OVERRIDE_REFUSED:
            # Keep the refusal: a supervisor may still come and override it.
            return self._logged(
                DeskOutcome(
                    "override",
                    refused.item.barcode,
                    view.verdict,
                    self.borrower,
                    refused.shown.item,
                )
            )
        return self._after_checkout("override", refused.card, refused.item, view)

    def supervisors(self) -> list[str]:
        """The names of the staff who may authorise an override here."""
        return [m.name for m in staff.staff_members(self.ctx) if may(m.role, Action.OVERRIDE)]

    def staff_card_holder(self, raw: str) -> str | None:
        """The staff member whose card ``raw`` is (a scan in the override
        dialog), or None for anything else."""
        member = staff.staff_by_card(self.ctx, raw, prefix=self.prefix, suffix=self.suffix)
        return member.name if member is not None else None

    def alternatives(self) -> list[Alternative]:
        """M3: what the borrower may order instead of the refused item (a
        borrower taken by id without a library card orders with the card, at
        the desk)."""
        if self._refusal is None or isinstance(self._refusal.card, BorrowerId):
            return []
        names = self._refusal.outcome.data.get("alternatives") or []
        return [Alternative(name) for name in names]

    def order(self, alternative: Alternative) -> DeskOutcome:
        if self._refusal is None:
            raise RuntimeError("no refused item to order an alternative for")
        refused = self._refusal
        if isinstance(refused.card, BorrowerId):
            raise RuntimeError("an alternative is ordered with a scanned card")
        outcome = orders.order_alternative(
            self.ctx, self.actor, refused.card, refused.item, alternative
        )
        item = refused.shown.item  # named when it was refused
        return self._logged(
            DeskOutcome("order", refused.item.barcode, outcome, self.borrower, item)
        )

    # -- undo ---------------------------------------------------------------

    def undo_deadline(self) -> datetime | None:
        """Until when the last checkout of this shift may be undone."""
        if self._last_loan is None:
            return None
        return self._last_loan[1] + UNDO_WINDOW

    def can_undo(self) -> bool:
        deadline = self.undo_deadline()
        return deadline is not None and self.ctx.now() < deadline

    def undo(self) -> DeskOutcome:
        if self._last_loan is None:
            raise RuntimeError("no checkout to undo")
        loan_id = self._last_loan[0]
        view = circulation.undo_at_desk(
            self.ctx, self.actor, loan_id, within=UNDO_WINDOW, card=self._card
        )
        self._last_loan = None
        if view.verdict.code is Code.UNDONE:
            self.last_loan_id = None
        if self._card is not None:
            self.borrower = view.borrower
        return self._logged(DeskOutcome("undo", str(loan_id), view.verdict, self.borrower))

    # -- the shift log ---------------------------------------------------------

    def _item_name(self, item: ItemBarcode) -> ItemName:
        """The item's title for the banner, when no action read it; the
        barcode alone when the catalogue does not know it (or the database
        cannot say)."""
        try:
            with self.ctx.sessions() as session:
                found = find_item(session, item).item
                return ItemName(item.barcode, found.title if found is not None else None)
        except Exception:  # the verdict is what matters; its name may go without
            return ItemName(item.barcode, None)

    def _shown(self, outcome: DeskOutcome) -> DeskOutcome:
        """``outcome`` with the shown borrower's requests, their places in
        the queues read (``services.requests``) when the panel has any."""
        status = outcome.borrower
        if not _is_status(status) or not status.data.get("requests"):
            return outcome
        borrower_id = status.data["borrower_id"]
        try:
            found = tuple(requests.requests_of(self.ctx, self.actor, borrower_id))
        except NotPermitted:
            return outcome
        except Exception:  # the verdict is what matters; the list may go without
            log.exception("the borrower's requests could not be read")
            return outcome
        self._requests[borrower_id] = found
        return replace(outcome, requests=found)

    def _track_refusal(self, outcome: DeskOutcome) -> None:
        """Keep refusals and misreads in view (issue 13, point 18): a new card
        starts afresh; a later success for an item takes its refusal away."""
        if outcome.action == "card":  # a card scanned, or a borrower taken by id
            self.open_refusals = []
        not_done = outcome.tone is Tone.REFUSED or outcome.action == "misread"
        same = outcome.item.barcode if outcome.item is not None else None
        if same is not None and (not_done or outcome.verdict.ok):
            self.open_refusals = [
                r
                for r in self.open_refusals
                if r.outcome.item is None or r.outcome.item.barcode != same
            ]
        if not_done:
            self.open_refusals.append(OpenRefusal(self.ctx.now(), outcome))

    def _logged(self, outcome: DeskOutcome, *, anonymous: bool = False) -> DeskOutcome:
        """Log ``outcome`` naming the borrower it shows, or nobody, and show
        it with that borrower's requests."""
        return self._shown(self._log(outcome, anonymous=anonymous))

    def _log(self, outcome: DeskOutcome, *, anonymous: bool = False) -> DeskOutcome:
        """One line of the shift log for ``outcome``, naming the borrower it
        shows (its loan's own borrower), or nobody."""
        named = None if anonymous else outcome.borrower
        shown = named.data.get("name", "") if named is not None else ""
        self._track_refusal(outcome)
        self.log.append(
            ShiftEntry(
                at=self.ctx.now(),
                action=outcome.action,
                read=outcome.read,
                borrower=shown,
                code=outcome.verdict.code.value,
                rule=outcome.verdict.rule,
                text=outcome.verdict.text,
                loan_id=outcome.verdict.data.get("loan_id"),
                tone=outcome.tone,
            )
        )
        return outcome


def _borrower_id(status: Verdict | None) -> int | None:
    return status.data.get("borrower_id") if status is not None else None


def _is_status(status: Verdict | None) -> TypeGuard[Verdict]:
    return status is not None and status.code is Code.STATUS


def renew_all(ctx: DeskContext, actor: Actor, borrower_id: int) -> list[tuple[str, Verdict]]:
    """L5 for each of the borrower's open loans (both capacities), by due
    date: (item barcode, the renewal's verdict), refusals included.

    One transaction per loan, each the renewal a scan in renew mode makes
    (``circulation.renew``: role, lock, L5, audit): a refusal or a failure
    of one never undoes the others, each holds its item's lock a moment
    only (a borrower with hundreds of loans does not lock them all), and a
    loan returned at another desk meanwhile answers NOT_ON_LOAN. Raises
    ``NotPermitted`` when the actor may not renew."""
    require(ctx, actor, roles.Action.RENEW)
    with ctx.sessions() as session:
        barcodes = session.scalars(
            select(Item.barcode)
            .join(Loan, Loan.item_id == Item.id)
            .where(Loan.borrower_id == borrower_id, Loan.state == LoanState.OPEN)
            .order_by(Loan.due, Item.barcode)
        ).all()
    return [(barcode, circulation.renew(ctx, actor, barcode)) for barcode in barcodes]
