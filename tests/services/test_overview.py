"""The first-start check agrees with the counts, without counting."""

from __future__ import annotations

from desk_app.services.overview import holds_nothing, overview
from tests.helpers.people import seed_cast


def test_holds_nothing_until_the_database_has_borrowers_and_items(ctx):
    assert holds_nothing(ctx) and overview(ctx).empty
    seed_cast(ctx)
    assert not holds_nothing(ctx) and not overview(ctx).empty
