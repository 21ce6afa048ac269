"""§2 M3: ordering an alternative for a reading-room item the desk may not lend."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk_app.domain.material import Alternative
from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.orders import order_alternative
from desk_app.store.models import AlternativeOrder, AuditEntry
from tests.helpers.people import ANNE, EXPIRED, STUDENT, card, item, seed_cast

HOLBERG = item(4)  # reading room, Danish legal deposit, printed 1731
RIGES_HISTORIE = item(3)  # reading room, printed 1905


def _orders(ctx) -> list[AlternativeOrder]:  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return list(session.scalars(select(AlternativeOrder)))


def test_M3_a_digital_copy_is_ordered_for_a_legal_deposit_book(ctx, actor, clock):
    seed_cast(ctx)
    refused = circulation.checkout(ctx, actor, ANNE, HOLBERG)
    assert refused.data["alternatives"] == ["DIGITAL_COPY", "READING_ROOM_WEST"]
    ordered = order_alternative(ctx, actor, ANNE, HOLBERG, Alternative.DIGITAL_COPY)
    assert ordered.code is Code.ORDERED and ordered.ok and ordered.rule == "§2 M3"
    assert ordered.message_en == "Ordered: a digital copy of Holbergs Comoedier."
    assert ordered.message_da == "Bestilt: en digital kopi af Holbergs Comoedier."
    [order] = _orders(ctx)
    assert (order.alternative, order.state) == ("DIGITAL_COPY", "open")
    assert order.placed_at == clock.now()
    assert (order.staff, order.desk) == ("test-staff", "test-desk")
    assert ordered.data["order_id"] == order.id and ordered.data["duplicate"] is False
    with ctx.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "order_alternative")
        ).one()
    assert (entry.code, entry.borrower_id, entry.item_id) == (
        "ORDERED",
        order.borrower_id,
        order.item_id,
    )


@pytest.mark.parametrize(
    ("alternative", "words"),
    [
        (Alternative.ILL, "another copy of Danmarks Riges Historie from another library (ILL)"),
        (Alternative.READING_ROOM_WEST, "Danmarks Riges Historie to Reading Room West"),
    ],
)
def test_M3_ill_and_reading_room_west_for_a_book_printed_after_1900(ctx, actor, alternative, words):
    seed_cast(ctx)
    ordered = order_alternative(ctx, actor, ANNE, RIGES_HISTORIE, alternative)
    assert ordered.code is Code.ORDERED and words in ordered.message_en


def test_M3_an_alternative_the_item_does_not_offer_is_refused(ctx, actor):
    seed_cast(ctx)
    refused = order_alternative(ctx, actor, ANNE, HOLBERG, "ILL")  # printed 1731: no ILL
    assert refused.code is Code.ALTERNATIVE_NOT_OFFERED and not refused.ok
    assert refused.rule == "§2 M3"
    assert refused.data["alternatives"] == ["DIGITAL_COPY", "READING_ROOM_WEST"]
    assert "DIGITAL_COPY, READING_ROOM_WEST" in refused.message_en
    assert _orders(ctx) == []


@pytest.mark.parametrize(("n", "rule"), [(1, "§2 M1"), (5, "§2 M4")])
def test_home_and_id_card_items_offer_nothing_to_order(ctx, actor, n, rule):
    seed_cast(ctx)
    refused = order_alternative(ctx, actor, ANNE, item(n), Alternative.READING_ROOM_WEST)
    assert (refused.code, refused.rule) == (Code.ALTERNATIVE_NOT_OFFERED, rule)
    assert _orders(ctx) == []


@pytest.mark.parametrize(
    ("who", "what", "code"),
    [
        (card(99), HOLBERG, Code.CARD_UNKNOWN),
        (EXPIRED, HOLBERG, Code.CARD_INVALID),  # U1
        (STUDENT, HOLBERG, Code.NOT_ELIGIBLE),  # E1
        (ANNE, item(99), Code.ITEM_UNKNOWN),
        (ANNE[:-1] + str((int(ANNE[-1]) + 1) % 10), HOLBERG, Code.CARD_UNKNOWN),  # B2
    ],
)
def test_an_order_needs_a_known_valid_card_and_a_known_item(ctx, actor, who, what, code):
    seed_cast(ctx)
    refused = order_alternative(ctx, actor, who, what, Alternative.READING_ROOM_WEST)
    assert refused.code is code
    assert _orders(ctx) == []


def test_the_same_order_twice_is_placed_once(ctx, actor, clock):
    seed_cast(ctx)
    first = order_alternative(ctx, actor, ANNE, HOLBERG, Alternative.READING_ROOM_WEST)
    again = order_alternative(ctx, actor, ANNE, HOLBERG, Alternative.READING_ROOM_WEST)
    assert again.code is Code.ORDERED and again.data["duplicate"] is True
    assert again.data["order_id"] == first.data["order_id"]
    assert again.message_en.startswith("Already ordered: Holbergs Comoedier to Reading Room West")
    assert len(_orders(ctx)) == 1
    other = order_alternative(ctx, actor, ANNE, HOLBERG, Alternative.DIGITAL_COPY)
    assert other.data["duplicate"] is False and len(_orders(ctx)) == 2
