"""The people slice's verdicts, built in the domain (issue 14): the role
table's refusals, signing in, cards reported lost (U1), a borrower's status
(S2) and a case settled by contact (S5), in English and Danish."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desk_app.domain.access_verdicts import Why, not_permitted
from desk_app.domain.card_states import CARD, CardAction
from desk_app.domain.card_verdicts import card_lost_refusal, card_replaced, card_taken
from desk_app.domain.facts import CardFacts, CardStatus, Step
from desk_app.domain.roles import ALLOWED, DOING, ROLE_NAMES, Action, Job, Role, may
from desk_app.domain.staff_verdicts import (
    NOT_RECOGNISED,
    SignInReason,
    sign_in_refused,
    signed_in,
)
from desk_app.domain.supervision_verdicts import (
    borrower_status,
    case_refusal,
    settle_refusal,
    settled,
)
from desk_app.domain.verdict import Code
from desk_app.i18n import gettext, render

DAY = date(2026, 3, 2)


def test_every_action_and_role_has_words_in_danish() -> None:
    """A refusal names the action and the role in the desk's language."""
    assert set(DOING) == set(Action) and set(ROLE_NAMES) == {*Role, *Job}
    same_in_danish = {"supervisor"}
    for words in [*DOING.values(), *ROLE_NAMES.values()]:
        danish = gettext(words.message_id, "da")
        assert danish != words.message_id or danish in same_in_danish, words.message_id


def test_a_replay_may_what_a_supervisor_may_as_the_table_says() -> None:
    for action in Action:
        assert (Job.REPLAY in ALLOWED[action]) == (Role.SUPERVISOR in ALLOWED[action])
        assert may("replay", action) == may(Role.SUPERVISOR, action)
    assert not may(Job.REPLAY, Action.ADD_STAFF)


def test_a_refusal_for_the_role_names_role_and_action_in_each_language() -> None:
    refusal = not_permitted(Action.SEARCH_BORROWERS, Role.COURIER, Why.ROLE, "Kurt")
    assert refusal.code is Code.NOT_PERMITTED
    assert refusal.message_en == "Not permitted: a courier may not search borrowers."
    assert refusal.message_da == "Ikke tilladt: en kurer må ikke søge efter lånere."
    assert refusal.data == {
        "reason_key": "not_permitted",
        "action": "search_borrowers",
        "role": "courier",
        "why": "role",
    }


@pytest.mark.parametrize(
    ("why", "english", "danish"),
    [
        (Why.UNKNOWN, "Nobody is no active staff member", "Nobody er ikke en aktiv medarbejder"),
        (Why.NOT_SIGNED_IN, "only a signed-in staff member", "kun en logget ind medarbejder"),
        (Why.REPLAY_WITH_STAFF, "--staff NAME", "--staff NAVN"),
    ],
)
def test_a_refusal_without_a_role_says_why(why: Why, english: str, danish: str) -> None:
    refusal = not_permitted(Action.CHECK_OUT, None, why, "Nobody")
    assert english in refusal.message_en and "lend items" in refusal.message_en
    assert danish in refusal.message_da and "udlåne materialer" in refusal.message_da
    assert refusal.data["why"] == why.value and refusal.data["role"] is None


def test_S5_settling_refused_for_the_role_keeps_its_own_code_and_rule() -> None:
    refusal = not_permitted(Action.SETTLE_BY_CONTACT, Role.DESK, Why.ROLE, "Dorte")
    assert (refusal.code, refusal.rule) == (Code.SETTLE_REFUSED, "§5 S5")
    assert refusal.message_da == "Kun en supervisor må afgøre en sag ved henvendelse."


def test_a_sign_in_refusal_says_nothing_of_which_half_was_wrong() -> None:
    for reason in (SignInReason.UNKNOWN, SignInReason.WRONG_PIN):
        refused = sign_in_refused(reason, None)
        assert refused.text == NOT_RECOGNISED and refused.data["reason"] == reason.value
    assert render(NOT_RECOGNISED, "da") == "Navn eller PIN-kode blev ikke genkendt."


def test_a_lock_says_until_when_as_each_language_writes_the_time() -> None:
    refused = sign_in_refused(SignInReason.LOCKED_NOW, datetime(2026, 3, 2, 10, 5))
    assert refused.code is Code.SIGN_IN_REFUSED
    assert "locked until 10:05." in refused.message_en
    assert "spærret til kl. 10.05." in refused.message_da


def test_signed_in_names_the_member_and_role() -> None:
    outcome = signed_in("Dorte Desk", Role.DESK, card="x")
    assert outcome.ok and outcome.message_da == "Logget ind: Dorte Desk (desk)."
    assert outcome.data == {"role": "desk", "card": "x"}


def _card(status: CardStatus) -> CardFacts:
    return CardFacts("20001000000011", status, date(2031, 12, 31), DAY)


def test_U1_a_lost_card_may_still_be_replaced_at_the_desk() -> None:
    lost = _card(CardStatus.LOST)
    assert card_lost_refusal(lost, CardAction.REPLACE, DAY) is None
    assert CARD.step(CardStatus.LOST, CardAction.REPLACE) is CardStatus.REPLACED


@pytest.mark.parametrize(
    ("status", "action", "reason"),
    [
        (CardStatus.LOST, CardAction.REPORT_LOST, "lost"),
        (CardStatus.REPLACED, CardAction.REPORT_LOST, "replaced"),
        (CardStatus.REPLACED, CardAction.REPLACE, "replaced"),
    ],
)
def test_U1_a_card_lost_or_replaced_already_is_refused_not_changed(
    status: CardStatus, action: CardAction, reason: str
) -> None:
    refusal = card_lost_refusal(_card(status), action, DAY)
    assert refusal is not None and refusal.code is Code.CARD_INVALID
    assert refusal.data["reason_key"] == reason


def test_U1_an_active_card_may_be_reported_lost_or_replaced() -> None:
    for action in (CardAction.REPORT_LOST, CardAction.REPLACE):
        assert card_lost_refusal(_card(CardStatus.ACTIVE), action, DAY) is None


def test_U1_card_verdicts_in_each_language() -> None:
    replaced = card_replaced("20001000000011", "20001000000029")
    assert (replaced.code, replaced.data["new_card"]) == (Code.CARD_REPLACED, "20001000000029")
    assert replaced.message_da.startswith("Kortet 20001000000011 er erstattet af 20001000000029")
    lost = card_replaced("20001000000011", None)
    assert lost.data["new_card"] is None and "meldt bortkommet" in lost.message_da
    taken = card_taken("20001000000029")
    assert (taken.code, taken.rule) == (Code.CARD_INVALID, "U1")
    assert "allerede udstedt" in taken.message_da


def test_S5_a_settlement_needs_a_note_and_an_agreed_date_not_passed() -> None:
    no_note = settle_refusal("  ", None, DAY)
    assert no_note is not None and no_note.data["reason_key"] == "no_note"
    passed = settle_refusal("called", date(2026, 3, 1), DAY)
    assert passed is not None and passed.data["reason_key"] == "agreed_passed"
    assert "2026-03-01" in passed.message_en and "01.03.2026" in passed.message_da
    assert settle_refusal("called", DAY, DAY) is None


def test_S5_only_a_suspension_is_a_case_to_settle() -> None:
    assert case_refusal(Step.SUSPENSION) is None
    for step in (None, Step.RECALL, Step.REMINDER_3):
        refusal = case_refusal(step)
        assert refusal is not None and refusal.code is Code.NO_CASE


def test_S5_settled_says_the_agreed_date_in_each_language() -> None:
    outcome = settled(date(2026, 3, 16), reinstated=True)
    assert outcome.ok and outcome.data == {"agreed": date(2026, 3, 16), "reinstated": True}
    assert outcome.message_en.endswith("by 2026-03-16.")
    assert outcome.message_da.endswith("senest 16.03.2026.")


def test_S2_status_counts_the_loans_and_names_the_causes() -> None:
    one = borrower_status("Anne", ["30001"], [], borrower_id=1)
    assert one.message_en == "Anne: 1 loan." and one.message_da == "Anne: 1 lån."
    assert one.data["suspended"] is False and one.data["loans"] == ["30001"]
    two = borrower_status("Anne", ["30001", "30002"], ["30001"])
    assert two.message_en == "Anne: 2 loans; SUSPENDED for 30001."
    assert two.message_da == "Anne: 2 lån; SUSPENDERET for 30001."
    assert (two.code, two.rule, two.data["suspended"]) == (Code.STATUS, "§5 S2", True)
