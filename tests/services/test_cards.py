"""U1 at the desk: a card reported lost stops working, may be replaced later
by a new card, and is not reported lost twice (the card table, issue 14)."""

from __future__ import annotations

from sqlalchemy import select

from desk_app.domain.facts import CardStatus
from desk_app.domain.verdict import Code
from desk_app.services import circulation
from desk_app.services.cards import card_lost
from desk_app.services.context import Actor, DeskContext
from desk_app.store.models import Card
from tests.helpers.people import ANNE, BO, card, item, seed_cast

NEW = card(90)


def _status(ctx: DeskContext, number: str) -> str | None:
    with ctx.sessions() as session:
        return session.scalars(select(Card.status).where(Card.display == number)).one_or_none()


def test_U1_a_card_reported_lost_is_replaced_on_a_later_visit(
    ctx: DeskContext, actor: Actor
) -> None:
    seed_cast(ctx)
    lost = card_lost(ctx, actor, ANNE)
    assert (lost.code, lost.data["new_card"]) == (Code.CARD_REPLACED, None)
    assert _status(ctx, ANNE) == CardStatus.LOST
    assert circulation.checkout(ctx, actor, ANNE, item(1)).code is Code.CARD_INVALID
    replaced = card_lost(ctx, actor, ANNE, NEW)
    assert (replaced.code, replaced.data["new_card"]) == (Code.CARD_REPLACED, NEW)
    assert (_status(ctx, ANNE), _status(ctx, NEW)) == (CardStatus.REPLACED, CardStatus.ACTIVE)
    assert circulation.checkout(ctx, actor, NEW, item(1)).code is Code.LOANED


def test_U1_a_card_lost_or_replaced_already_is_refused_and_left_as_it_is(
    ctx: DeskContext, actor: Actor
) -> None:
    seed_cast(ctx)
    assert card_lost(ctx, actor, ANNE).ok
    again = card_lost(ctx, actor, ANNE)
    assert (again.code, again.data["reason_key"]) == (Code.CARD_INVALID, "lost")
    assert card_lost(ctx, actor, BO, NEW).ok
    for new in (None, card(91)):
        refused = card_lost(ctx, actor, BO, new)
        assert (refused.code, refused.data["reason_key"]) == (Code.CARD_INVALID, "replaced")
    assert (_status(ctx, BO), _status(ctx, card(91))) == (CardStatus.REPLACED, None)


def test_U1_a_new_card_already_issued_is_refused(ctx: DeskContext, actor: Actor) -> None:
    seed_cast(ctx)
    refused = card_lost(ctx, actor, ANNE, BO)
    assert refused.code is Code.CARD_INVALID and "already issued" in refused.message_en
    assert (_status(ctx, ANNE), _status(ctx, BO)) == (CardStatus.ACTIVE, CardStatus.ACTIVE)
