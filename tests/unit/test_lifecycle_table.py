"""The transition table of campaign.lifecycle, one row per rule, in the order of domain.md "A case and its life"."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign.case_facts import CaseFacts, Ladder, LetterFact, StepRule, UwvFact
from campaign.errors import IllegalTransition
from campaign.lifecycle import RULES, check_transition, derive
from campaign.status import Status

TODAY = dt.date(2026, 11, 30)  # a Monday
LADDER = Ladder(
    campaign_id=1,
    open=True,
    steps=(
        StepRule(1, "uitnodiging", "Uitnodiging", 0, None),
        StepRule(2, "herinnering", "Herinnering", 14, None),
        StepRule(3, "ultimatum", "Laatste oproep", 14, 14),
        StepRule(4, "voornemen", "Voornemen maatregel", 0, 14),
        StepRule(5, "besluit", "Besluit", 0, None),
    ),
    freshness_days=10,
    pause_days=28,
    view_period_days=14,
)
FRESH = UwvFact(7, TODAY - dt.timedelta(days=3))


def sent(step: int, on: dt.date, deadline: dt.date | None = None) -> LetterFact:
    return LetterFact(step, "verzonden", on, deadline, None)


def facts(**kw) -> CaseFacts:
    base = {"case_id": 1, "campaign_id": 1, "no_action_reason": None, "latest_list": FRESH}
    base.update(kw)
    return CaseFacts(**base)


ULTIMATUM_OUT = {
    1: sent(1, dt.date(2026, 10, 1)),
    2: sent(2, dt.date(2026, 10, 15)),
    3: sent(3, dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 16)),
}

# (the situation in words, the facts, the expected status)
TABLE = [
    ("a decision was made: stays decided even if registered later",
     facts(proposal_status="besluit", registered=True, letters=ULTIMATUM_OUT), Status.BESLUIT),
    ("a notice of intent was made: stays on the track while the view period runs",
     facts(proposal_status="voornemen", letters=ULTIMATUM_OUT), Status.VOORNEMEN),
    ("a no-action reason beats everything before the sanction track",
     facts(no_action_reason="OVERLEDEN", registered=True), Status.GEEN_ACTIE),
    ("registered according to the latest UWV list",
     facts(registered=True, letters={1: sent(1, dt.date(2026, 11, 1))}), Status.INGESCHREVEN),
    ("an active exemption", facts(exemption_active=True, exemption_pending=True), Status.ONTHEFFING),
    ("a pending exemption request", facts(exemption_pending=True, pause_reason="retour"),
     Status.ONTHEFFING_AANGEVRAAGD),
    ("a pause (returned mail, detention, says registered ...)", facts(pause_reason="retour"), Status.GEPAUZEERD),
    ("an assessed proposal waits for a beslisser", facts(proposal_status="beoordeeld", letters=ULTIMATUM_OUT),
     Status.BEOORDEELD),
    ("a proposal waits for assessment", facts(proposal_status="voorstel", letters=ULTIMATUM_OUT),
     Status.MAATREGEL_VOORSTEL),
    ("the ultimatum's deadline has passed", facts(letters=ULTIMATUM_OUT), Status.TERMIJN_VERSTREKEN),
    ("a letter was made or dispatched", facts(letters={1: LetterFact(1, "aangemaakt", None, None, None)}),
     Status.AANGESCHREVEN),
    ("nothing yet: in the pool", facts(), Status.POOL),
]  # fmt: skip


@pytest.mark.parametrize("situation,given,expected", TABLE, ids=[row[0] for row in TABLE])
def test_each_rule_of_the_transition_table(situation, given, expected):
    assert derive(given, LADDER, TODAY).status == expected


def test_the_table_has_one_row_per_rule_in_rule_order():
    assert [row[2] for row in TABLE] == [rule.status for rule in RULES]


def test_the_deadline_has_not_passed_on_the_deadline_day_itself():
    f = facts(letters=ULTIMATUM_OUT)
    assert derive(f, LADDER, dt.date(2026, 11, 16)).status == Status.AANGESCHREVEN
    assert derive(f, LADDER, dt.date(2026, 11, 17)).status == Status.TERMIJN_VERSTREKEN


def test_the_next_step_is_due_its_delay_after_the_previous_dispatch():
    d = derive(facts(letters={1: sent(1, dt.date(2026, 11, 2))}), LADDER, TODAY)
    assert d.current_step == 1
    assert d.next_step_due == dt.date(2026, 11, 16)


def test_an_ultimatum_without_a_stored_deadline_gets_the_working_day_rule():
    # dispatched Friday 11 December 2026 + 14 = Friday 25 December (Christmas) -> Monday 28 December
    d = derive(facts(letters={3: sent(3, dt.date(2026, 12, 11))}), LADDER, TODAY)
    assert d.deadline == dt.date(2026, 12, 28)


def test_a_says_registered_pause_is_a_pause():
    assert derive(facts(pause_reason="zegt_ingeschreven"), LADDER, TODAY).status == Status.GEPAUZEERD


ILLEGAL = [
    (Status.POOL, Status.BESLUIT),
    (Status.MAATREGEL_VOORSTEL, Status.VOORNEMEN),  # approval needs an assessment first
    (Status.TERMIJN_VERSTREKEN, Status.VOORNEMEN),
    (Status.BESLUIT, Status.POOL),
    (Status.BESLUIT, Status.AANGESCHREVEN),  # a decision never goes back before the ultimatum
    (Status.TERMIJN_VERSTREKEN, Status.POOL),  # nothing returns to the pool after the ultimatum
    (Status.POOL, Status.MAATREGEL_VOORSTEL),  # no proposal without letters
]
LEGAL = [
    (Status.POOL, Status.AANGESCHREVEN),
    (Status.AANGESCHREVEN, Status.POOL),  # first letter cancelled before dispatch
    (Status.AANGESCHREVEN, Status.INGESCHREVEN),
    (Status.INGESCHREVEN, Status.AANGESCHREVEN),  # registration ended
    (Status.TERMIJN_VERSTREKEN, Status.MAATREGEL_VOORSTEL),
    (Status.MAATREGEL_VOORSTEL, Status.BEOORDEELD),
    (Status.BEOORDEELD, Status.VOORNEMEN),
    (Status.VOORNEMEN, Status.BEOORDEELD),  # notice undone before dispatch
    (Status.VOORNEMEN, Status.BESLUIT),
    (Status.BESLUIT, Status.VOORNEMEN),  # decision undone before dispatch
    (Status.BESLUIT, Status.TERMIJN_VERSTREKEN),  # decision withdrawn after dispatch
    (Status.BESLUIT, Status.INGESCHREVEN),  # decision withdrawn; registered meanwhile
    (Status.MAATREGEL_VOORSTEL, Status.INGESCHREVEN),  # proposal withdrawn: registered after all
]


@pytest.mark.parametrize("old,new", ILLEGAL)
def test_illegal_moves_raise_a_domain_error(old, new):
    with pytest.raises(IllegalTransition, match="kan niet van"):
        check_transition(old, new)


@pytest.mark.parametrize("old,new", LEGAL)
def test_legal_moves_pass(old, new):
    check_transition(old, new)
