"""The desk's scan loop, without Qt: what a scan means in the current mode.

The window only forwards what the scanner typed and paints the outcome; this
module decides whether a scan is a card (it sets the borrower) or an item (it
does the mode's action), keeps the shift log, and knows what may be undone or
overridden. Keeping it Qt-free lets the tests and the benchmark drive exactly
the path the desk staff use, and keeps the widgets free of rules.

A scan is classified here once (``domain.scan``) and flows down typed; each
scan or button is one transaction, which also reads the borrower panel and
the item's title the desk shows with the verdict (``services.desk_action``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from desk_app.domain.barcodes import echo
from desk_app.domain.checkout import overridable
from desk_app.domain.lookup_verdicts import need_card_first
from desk_app.domain.material import Alternative
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
from desk_app.services import circulation, orders, staff
from desk_app.services.circulation import Authoriser
from desk_app.services.context import Actor, DeskContext
from desk_app.services.desk_action import DeskView, borrower_at_desk
from desk_app.services.lookup import find_item

UNDO_WINDOW = circulation.UNDO_WITHIN


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
        caution = outcome.rule.endswith("L2") or data.get("use_at_institute")
        return Tone.CAUTION if caution or data.get("overridden") else Tone.ACCEPTED
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

    action: str  # card, check_out, check_in, renew, override, undo, order, misread
    read: str  # what was read, masked if it was a health card (B3)
    verdict: Verdict
    borrower: Verdict | None  # the borrower to show after this (a STATUS verdict)
    item: ItemName | None = None  # the item of an item action

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

    def message(self, language: str) -> str:
        return render(self.text, language)


@dataclass
class _Refusal:
    """The last checkout refusal: what a supervisor may override, or which
    M3 alternatives the borrower may order instead."""

    card: CardScan
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
    _card: CardScan | None = None  # the current borrower's card; memory only (B3)
    _refusal: _Refusal | None = None
    _last_loan: tuple[int, datetime] | None = None
    last_loan_id: int | None = None  # the shift's last checkout, for its slip (T4)
    # Refusals and misreads since this borrower stepped up (issue 13, point 18):
    # in a fast run of scans the banner shows only the last verdict, so these
    # stay listed until the next borrower, or until the desk dismisses them.
    open_refusals: list[OpenRefusal] = field(default_factory=list)

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
            view = circulation.checkin_at_desk(self.ctx, self.actor, found, self._card)
            return self._finish("check_in", found, view)
        view = circulation.renew_at_desk(self.ctx, self.actor, found, self._card)
        return self._finish("renew", found, view)

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self._refusal = None

    def clear_borrower(self) -> None:
        """The next borrower steps up: forget the current one."""
        self._card = None
        self.borrower = None
        self._refusal = None
        self.open_refusals = []

    @property
    def serving(self) -> Verdict | None:
        """The borrower whose card was scanned: the one a checkout lends to
        (the panel may show another, whose loan was just returned)."""
        return self.borrower if self._card is not None else None

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
            outcome = need_card_first()
            return self._logged(
                DeskOutcome("check_out", item.barcode, outcome, None, self._item_name(item))
            )
        view = circulation.checkout_at_desk(self.ctx, self.actor, self._card, item)
        return self._after_checkout("check_out", self._card, item, view)

    def _after_checkout(
        self, action: str, card: CardScan, item: ItemBarcode, view: DeskView
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
        return self._logged(
            DeskOutcome(action, item.barcode, outcome, whose, ItemName(item.barcode, view.title)),
            anonymous=borrower_id is None,
        )

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
        """M3: what the borrower may order instead of the refused item."""
        if self._refusal is None:
            return []
        names = self._refusal.outcome.data.get("alternatives") or []
        return [Alternative(name) for name in names]

    def order(self, alternative: Alternative) -> DeskOutcome:
        if self._refusal is None:
            raise RuntimeError("no refused item to order an alternative for")
        refused = self._refusal
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

    def _track_refusal(self, outcome: DeskOutcome) -> None:
        """Keep refusals and misreads in view (issue 13, point 18): a new card
        starts afresh; a later success for an item takes its refusal away."""
        if outcome.action == "card":
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
        """Log ``outcome`` naming the borrower it shows, or nobody."""
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
            )
        )
        return outcome


def _borrower_id(status: Verdict | None) -> int | None:
    return status.data.get("borrower_id") if status is not None else None
