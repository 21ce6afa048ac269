"""Finding borrowers and items at the desk, and where an item is (issue 15):
``services.search`` on SQLite (FTS5) and PostgreSQL (pg_trgm), with the
role table, B3 and every kind of item status."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event

from desk_app.clock import FixedClock
from desk_app.domain.facts import Capacity, Category
from desk_app.domain.loan_states import LoanState, Transit
from desk_app.domain.roles import Role
from desk_app.domain.search_results import Availability, ItemStatus
from desk_app.domain.verdict import Code, Verdict
from desk_app.i18n import render
from desk_app.services import circulation, claims, search, transport
from desk_app.services.access import NotPermitted
from desk_app.services.context import Actor, DeskContext
from desk_app.services.enrolment import BorrowerRecord, ItemRecord, declare
from desk_app.store.models import AuditEntry
from tests.helpers.people import ANNE, BO, CECILIE, INF_USER, TEST_CPR, card, item, seed_cast
from tests.helpers.staffing import ensure_staff, seeder, test_actor
from tests.helpers.supervision import SOREN_NAME, declare_soren

FAR = date(2031, 12, 31)
INGE_NBI, INGE_DIKU, JOSE = card(30), card(31), card(32)
KIERKEGAARD = item(30)
CALLED = item(31)


@pytest.fixture
def cast(ctx: DeskContext) -> DeskContext:
    seed_cast(ctx)
    declare_soren(ctx)
    declare(
        ctx,
        seeder(ctx),
        borrowers=[
            BorrowerRecord(INGE_NBI, "Inge Friis", "researcher", "NBI", card_expires=FAR),
            BorrowerRecord(INGE_DIKU, "Inge Friis", "teacher", "DIKU", card_expires=FAR),
            BorrowerRecord(JOSE, "José Müller-Øster", "researcher", "NFI", card_expires=FAR),
        ],
        items=[
            ItemRecord(
                KIERKEGAARD,
                "An introduction to Kierkegaard's ethics",
                author="Sørensen, Trine",
                call_number="B4377 .S67 2004",
                printed_year=2004,
            ),
            ItemRecord(CALLED, "Økologi i Vadehavet", call_number="46.4 Sør", printed_year=2010),
        ],
    )
    return ctx


@pytest.fixture
def supervisor(cast: DeskContext) -> Actor:
    return test_actor(cast)


@pytest.fixture
def desk(cast: DeskContext) -> Actor:
    return ensure_staff(cast, "dorte", Role.DESK)


@pytest.fixture
def courier(cast: DeskContext) -> Actor:
    return ensure_staff(cast, "kurt", Role.COURIER)


def _names(ctx: DeskContext, actor: Actor, text: str) -> list[str]:
    return [hit.name for hit in search.find_borrowers(ctx, actor, text)]


def _titles(ctx: DeskContext, actor: Actor, text: str) -> list[str]:
    return [hit.title for hit in search.find_items(ctx, actor, text)]


def _status(ctx: DeskContext, actor: Actor, barcode: str) -> ItemStatus:
    found = search.item_status(ctx, actor, barcode)
    assert isinstance(found, ItemStatus), found
    return found


# --- who may ---------------------------------------------------------------------------------


def test_a_courier_may_not_search_and_the_refusal_is_audited(cast, courier):
    for call in (
        lambda: search.find_borrowers(cast, courier, "anne"),
        lambda: search.find_items(cast, courier, "concrete"),
    ):
        with pytest.raises(NotPermitted) as refused:
            call()
        assert refused.value.verdict.code is Code.NOT_PERMITTED
    status = search.item_status(cast, courier, item(1))
    assert isinstance(status, Verdict) and status.code is Code.NOT_PERMITTED
    with cast.sessions() as session:
        refusals = session.query(AuditEntry).filter(AuditEntry.code == "NOT_PERMITTED").all()
    assert [(e.action, e.staff) for e in refusals] == [
        ("search_borrowers", "kurt"),
        ("search_items", "kurt"),
        ("search_items", "kurt"),
    ]


def test_a_desk_login_searches_but_sees_no_history(cast, desk):
    assert _names(cast, desk, "anne jensen") == ["Anne Jensen"]
    assert _titles(cast, desk, "concrete") == ["Concrete Mathematics"]
    assert _status(cast, desk, item(1)).history is None
    refused = search.item_history(cast, desk, item(1))
    assert isinstance(refused, Verdict) and refused.code is Code.NOT_PERMITTED


def test_an_unknown_name_may_do_nothing(cast):
    with pytest.raises(NotPermitted):
        search.find_borrowers(cast, Actor("nobody", "desk"), "anne")


# --- borrowers: names --------------------------------------------------------------------------


def test_fragments_in_any_order_any_case(cast, supervisor):
    assert _names(cast, supervisor, "jens") == ["Anne Jensen"]
    assert _names(cast, supervisor, "  JENSEN   anne ") == ["Anne Jensen"]
    assert _names(cast, supervisor, "ansen") == ["Cecilie Hansen"], "anywhere in the name"
    assert _names(cast, supervisor, "inge fri") == ["Inge Friis", "Inge Friis"]
    assert _names(cast, supervisor, "nobody like this") == []
    assert _names(cast, supervisor, "   ") == []


def test_accents_and_danish_letters_either_way(cast, supervisor):
    for typed in ("søren", "SOREN", "ærø", "aero", "åberg", "Aberg", "soren aero"):
        assert _names(cast, supervisor, typed) == [SOREN_NAME], typed
    for typed in ("jose", "JOSÉ", "muller", "müll", "oster", "øster", "müller-øster"):
        assert _names(cast, supervisor, typed) == ["José Müller-Øster"], typed
    assert _names(cast, supervisor, "A\u030aberg") == [SOREN_NAME], "a combining ring is å"


def test_one_or_two_letters_alone_start_a_word(cast, supervisor):
    """As the desk types: "b" and "bo n" find Bo Nielsen, not every name with
    a b or an n in it; beside a longer fragment they match anywhere."""
    assert _names(cast, supervisor, "b") == ["Bo Nielsen"]
    assert _names(cast, supervisor, "bo n") == ["Bo Nielsen"]
    assert _names(cast, supervisor, "ie") == []
    assert _names(cast, supervisor, "An ne Jen sen") == ["Anne Jensen"]


def test_wildcards_are_literal(cast, supervisor):
    for typed in ("a_n", "%", "an?e", "a*e", "[a]nne", "[", "jen\\", "50%", '"anne"', "an'ne"):
        assert _names(cast, supervisor, typed) == [], typed


def test_a_rename_is_found_by_its_new_name_only(cast, supervisor):
    """The index follows every change of a name (the triggers, SQLite)."""
    declare(
        cast,
        seeder(cast),
        borrowers=[BorrowerRecord(ANNE, "Anne Bohr", "researcher", "DIKU", card_expires=FAR)],
    )
    assert _names(cast, supervisor, "jensen") == []
    assert _names(cast, supervisor, "bohr anne") == ["Anne Bohr"]


# --- borrowers: cards and institutes -------------------------------------------------------------


def test_a_library_card_whole_or_from_its_sixth_digit(cast, supervisor):
    [anne] = search.find_borrowers(cast, supervisor, ANNE)
    assert (anne.name, anne.card, anne.institute_code) == ("Anne Jensen", ANNE, "DIKU")
    assert _names(cast, supervisor, ANNE[:-1]) == ["Anne Jensen"]
    everyone = _names(cast, supervisor, ANNE[:6])
    assert "Anne Jensen" in everyone and "Cecilie Hansen" in everyone
    assert _names(cast, supervisor, ANNE[:5]) == [], "five digits are no card (nor a name)"
    assert _names(cast, supervisor, f" {ANNE[:7]} {ANNE[7:13]} ") == ["Anne Jensen"]


def test_B3_a_cpr_number_finds_its_health_card_and_is_never_shown_nor_sent(cast, supervisor):
    engine = cast.sessions.kw["bind"]
    sent: list[str] = []

    def keep(*args: Any) -> None:
        sent.append(f"{args[2]} {args[3]}")

    digits = TEST_CPR.replace("-", "")
    event.listen(engine, "before_cursor_execute", keep)
    try:
        for typed in (TEST_CPR, digits, f"{digits[:6]} {digits[6:]}"):
            [ida] = search.find_borrowers(cast, supervisor, typed)
            assert (ida.name, ida.card) == ("Ida Health", "010190-XXXX")
        assert search.find_borrowers(cast, supervisor, digits[:-1] + "9") == []
        assert search.find_borrowers(cast, supervisor, "1234567890") == []
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert not any(digits[6:] in statement for statement in sent), "the CPR went to the database"


def test_words_that_name_an_institute_narrow_to_it(cast, supervisor):
    [inge] = search.find_borrowers(cast, supervisor, "Inge Friis NBI")
    assert (inge.name, inge.institute_code) == ("Inge Friis", "NBI")
    assert render(inge.institute_name, "da") == "Niels Bohr Institutet"
    [diku] = search.find_borrowers(cast, supervisor, "inge datalogisk")
    assert diku.institute_code == "DIKU"
    assert _names(cast, supervisor, "nfi") == [
        "Cecilie Hansen",
        "Erik Andersen",
        "José Müller-Øster",
    ]
    assert _names(cast, supervisor, "nordic") == _names(cast, supervisor, "NFI")
    assert len(_names(cast, supervisor, "department")) == 0, "a word every institute has names none"


def test_hits_carry_category_suspension_and_an_expired_card(cast, supervisor):
    hits = {hit.name: hit for hit in search.find_borrowers(cast, supervisor, "datalogisk")}
    assert hits["Karl Mortensen"].card_expired and not hits["Anne Jensen"].card_expired
    assert hits["Bo Nielsen"].category is Category.PHD_STUDENT
    assert not any(hit.suspended for hit in hits.values())


def test_the_limit_says_there_are_more(cast, supervisor):
    assert len(search.find_borrowers(cast, supervisor, "DIKU", limit=2)) == 2
    assert len(search.find_borrowers(cast, supervisor, "DIKU")) == 6


# --- items ---------------------------------------------------------------------------------


def test_items_by_the_start_of_title_and_author_words(cast, supervisor):
    assert _titles(cast, supervisor, "conc math") == ["Concrete Mathematics"]
    assert _titles(cast, supervisor, "math conc") == ["Concrete Mathematics"]
    assert _titles(cast, supervisor, "oncrete") == [], "the start of a word, not inside it"
    assert _titles(cast, supervisor, "kierkegaard eth") == [
        "An introduction to Kierkegaard's ethics"
    ]
    assert _titles(cast, supervisor, "sorensen") == ["An introduction to Kierkegaard's ethics"]
    assert _titles(cast, supervisor, "ØKOLOGI vade") == ["Økologi i Vadehavet"]
    assert _titles(cast, supervisor, "okologi") == ["Økologi i Vadehavet"]
    assert _titles(cast, supervisor, "odegaard aeb al") == ["Ødegaards Æbler og Ål"]


def test_items_by_call_number_and_barcode(cast, supervisor):
    assert _titles(cast, supervisor, "B4377 .S6") == ["An introduction to Kierkegaard's ethics"]
    assert _titles(cast, supervisor, "b4377") == ["An introduction to Kierkegaard's ethics"]
    assert _titles(cast, supervisor, "46.4 S") == ["Økologi i Vadehavet"]
    assert _titles(cast, supervisor, "46.5") == []
    [hit] = search.find_items(cast, supervisor, item(2))
    assert (hit.barcode, hit.availability) == (item(2), Availability.ON_SHELF)
    assert search.find_items(cast, supervisor, item(99)) == []
    assert search.find_items(cast, supervisor, ANNE) == [], "a card is no item"


# --- one item's status ---------------------------------------------------------------------------


def test_B1_B2_B4_an_unknown_or_misread_barcode_says_so(cast, supervisor):
    unknown = search.item_status(cast, supervisor, item(99))
    assert isinstance(unknown, Verdict) and unknown.code is Code.ITEM_UNKNOWN
    assert item(99) in unknown.message_en and "not in the catalogue" in unknown.message_en
    wrong = str((int(item(1)[-1]) + 1) % 10)
    misread = search.item_status(cast, supervisor, item(1)[:-1] + wrong)
    assert isinstance(misread, Verdict) and misread.rule == "B2"
    typed = search.item_status(cast, supervisor, "concrete")
    assert isinstance(typed, Verdict) and typed.rule == "B4" and "concrete" in typed.message_en


def test_on_the_shelf(cast, supervisor):
    status = _status(cast, supervisor, item(1))
    assert (status.availability, status.loan, status.requests) == (Availability.ON_SHELF, None, 0)
    assert status.reprint_loan_id is None and status.history == ()
    assert render(status.summary) == "On the shelf."


def test_T3_T4_lent_to_an_institute_in_transit_then_delivered(cast, supervisor, clock):
    assert circulation.checkout(cast, supervisor, ANNE, item(1)).code is Code.LOANED
    status = _status(cast, supervisor, item(1))
    assert status.availability is Availability.IN_TRANSIT
    assert status.loan is not None and status.loan.transit is Transit.AWAITING_DISPATCH
    assert status.loan.capacity is Capacity.INSTITUTE and status.loan.institute_code == "DIKU"
    assert status.loan.borrower_name == "Anne Jensen", "a supervisor sees who has it"
    assert status.reprint_loan_id == status.loan.loan_id
    assert "waiting for the courier" in render(status.summary)
    route = next(i.route for i in cast.policy.institutes if i.code == "DIKU")
    day = clock.now().date()
    assert transport.dispatch(cast, supervisor, route, day, [item(1)]).ok
    assert _status(cast, supervisor, item(1)).availability is Availability.IN_TRANSIT
    assert transport.confirm_delivered(cast, supervisor, route, day).ok
    delivered = _status(cast, supervisor, item(1))
    assert delivered.availability is Availability.ON_LOAN
    assert delivered.loan is not None and delivered.loan.transit is Transit.DELIVERED
    assert render(delivered.summary).startswith("On loan until")


def test_a_desk_login_sees_the_loan_but_not_the_borrower(cast, supervisor, desk):
    assert circulation.checkout(cast, supervisor, ANNE, item(1)).ok
    status = _status(cast, desk, item(1))
    assert status.loan is not None and status.loan.borrower_name is None
    assert status.loan.borrower_id is None and status.history is None
    assert status.reprint_loan_id is not None


def test_P1_a_private_loan(cast, supervisor):
    assert circulation.checkout(cast, supervisor, ANNE, item(2), Capacity.PRIVATE).ok
    status = _status(cast, supervisor, item(2))
    assert status.availability is Availability.ON_LOAN
    assert status.loan is not None and status.loan.capacity is Capacity.PRIVATE
    assert "private loan" in render(status.summary)


def test_T2_lent_for_pickup_says_collection_is_not_recorded(cast, supervisor):
    assert circulation.checkout(cast, supervisor, INF_USER, item(1)).ok
    status = _status(cast, supervisor, item(1))
    assert status.availability is Availability.PICKUP
    said = render(status.summary)
    assert "pickup shelf unless collected" in said and "not recorded" in said
    assert render(status.summary, "da") != said


def test_L3_requested_by_n_with_the_first_requester(cast, supervisor, clock):
    assert circulation.checkout(cast, supervisor, ANNE, item(1)).ok
    clock.set(datetime(2026, 3, 3, 9))
    assert circulation.request(cast, supervisor, BO, item(1)).code is Code.REQUESTED
    clock.set(datetime(2026, 3, 4, 9))
    assert circulation.request(cast, supervisor, CECILIE, item(1)).code is Code.REQUESTED
    status = _status(cast, supervisor, item(1))
    assert (status.requests, status.first_requester) == (2, "Bo Nielsen")
    assert "Requested by 2 borrowers" in render(status.summary)
    [hit] = search.find_items(cast, supervisor, item(1))
    assert hit.requests == 2 and hit.availability is Availability.IN_TRANSIT


def test_Q1_requested_on_the_shelf_is_on_the_pick_list(cast, supervisor, desk):
    assert circulation.request(cast, supervisor, BO, item(2)).code is Code.REQUESTED
    status = _status(cast, desk, item(2))
    assert status.availability is Availability.PICK_LIST
    assert status.first_requester == "Bo Nielsen", "staff see who it is for"
    assert "pick list" in render(status.summary)


def test_C2_declared_lost(cast, supervisor):
    assert circulation.checkout(cast, supervisor, ANNE, item(1)).ok
    assert claims.declare_lost(cast, supervisor, item(1)).code is Code.LOST
    status = _status(cast, supervisor, item(1))
    assert status.availability is Availability.LOST and status.loan is None
    assert status.lost_since is not None and "Lost" in render(status.summary)
    [hit] = search.find_items(cast, supervisor, "concrete")
    assert hit.availability is Availability.LOST


def test_history_for_a_supervisor_only_newest_first(cast, supervisor, desk, clock):
    for hour, who in ((10, ANNE), (12, BO)):
        clock.set(datetime(2026, 3, 2, hour))
        assert circulation.checkout(cast, supervisor, who, item(2)).ok
        clock.set(datetime(2026, 3, 2, hour, 30))
        assert circulation.checkin(cast, supervisor, item(2)).code is Code.RETURNED
    status = _status(cast, supervisor, item(2))
    assert status.history is not None
    assert [(p.borrower_name, p.state) for p in status.history] == [
        ("Bo Nielsen", LoanState.RETURNED),
        ("Anne Jensen", LoanState.RETURNED),
    ]
    assert all(p.ended_at is not None for p in status.history)
    assert search.item_history(cast, supervisor, item(2)) == status.history
    assert _status(cast, desk, item(2)).history is None


def test_a_slips_own_code_finds_its_item(cast, supervisor):
    assert circulation.checkout(cast, supervisor, ANNE, item(1)).ok
    loan_id = _status(cast, supervisor, item(1)).reprint_loan_id
    assert loan_id is not None
    by_slip = search.item_status(cast, supervisor, f"L{loan_id:08d}")
    assert isinstance(by_slip, ItemStatus) and by_slip.barcode == item(1)


# --- a database without the index ------------------------------------------------------------


def test_a_database_made_from_the_models_searches_by_scanning(policy):
    from desk_app.wiring import open_desk
    from tests.conftest import TEST_CPR_KEY

    memory = open_desk(
        "sqlite://", cpr_key=TEST_CPR_KEY, policy=policy, clock=FixedClock(datetime(2026, 3, 2))
    )
    try:
        seed_cast(memory)
        actor = test_actor(memory)
        assert _names(memory, actor, "jensen anne") == ["Anne Jensen"]
        assert _names(memory, actor, "bo n") == ["Bo Nielsen"]
        assert _titles(memory, actor, "conc math") == ["Concrete Mathematics"]
    finally:
        memory.close()
