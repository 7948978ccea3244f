"""The sanction track: assessment, four eyes, notice of intent, decision with the ordinance, review, undo."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from campaign import sanctions
from campaign.errors import Forbidden, IllegalTransition, InvalidInput
from campaign.models import Letter, ReviewTask, SanctionProposal, UwvRegistration
from tests.escalation_support import dispatch, make_user, ordinance, statuses, to_proposal, track_people, uwv_list

ANSWERS = {
    "bereikt": "ja", "kon_inschrijven": "ja", "zienswijze": "", "dringende_redenen": "geen",
    "blame": "volledig", "proposed_outcome": "verlaging", "motivation": "Drie brieven ontvangen, geen reactie.",
}  # fmt: skip


@pytest.fixture
def people(session):
    return track_people(session)


def proposal_of(session, case):
    return session.scalar(sa.select(SanctionProposal).where(SanctionProposal.case_id == case.id))


def test_the_whole_track_from_proposal_to_decision_letter_and_review(session, people):
    ordinance(session)
    campaign, (case,), day = to_proposal(session)
    proposal = proposal_of(session, case)
    sanctions.assess(session, proposal, people["pl"], ANSWERS, day)
    assert statuses(session, [case]) == ["beoordeeld"]

    intent = sanctions.approve(session, proposal, people["b1"], day)
    assert (intent.kind, intent.status, intent.batch_id) == ("voornemen", "aangemaakt", None)
    assert day == dt.date(2026, 10, 14)
    assert intent.data["view_deadline"] == "2026-10-28"  # Wednesday, 14 days later
    assert intent.data["percentage"] == 30
    assert statuses(session, [case]) == ["voornemen"]

    dispatch(session, [intent], day)
    with pytest.raises(IllegalTransition, match="zienswijze loopt tot en met"):
        sanctions.decide(session, proposal, people["b2"], day, "verlaging", "Niet ingeschreven ondanks drie brieven.")
    later = intent.deadline + dt.timedelta(days=1)
    besluit = sanctions.decide(
        session, proposal, people["b2"], later, "verlaging", "Niet ingeschreven ondanks drie brieven."
    )
    assert besluit.data["percentage"] == 30 and besluit.data["months"] == 1
    assert besluit.data["uwv_peildatum"] == proposal.uwv_list.peildatum.isoformat()
    assert besluit.data["objection_deadline"] >= (later + dt.timedelta(days=42)).isoformat()
    assert "bezwaar" in besluit.data["objection_clause"]
    assert statuses(session, [case]) == ["besluit"]
    review = session.scalar(sa.select(ReviewTask))
    assert later == dt.date(2026, 10, 29)
    assert review.due_on == dt.date(2027, 1, 29)
    rows = sanctions.decision_rows(session, campaign.id)
    assert rows[0][0] == case.reference and rows[0][4] == "Verlaging van de uitkering" and rows[0][5] == 30


def test_the_assessor_may_not_approve_and_only_a_beslisser_approves(session, people):
    ordinance(session)
    _campaign, (case,), day = to_proposal(session)
    proposal = proposal_of(session, case)
    pl_user, pl_as_beslisser = make_user(session, "beslisser")
    # a beslisser account that assessed (simulated: same user id as assessor)
    sanctions.assess(session, proposal, people["pl"], ANSWERS, day)
    proposal.assessed_by = pl_user.id
    with pytest.raises(Forbidden, match="vier ogen"):
        sanctions.approve(session, proposal, pl_as_beslisser, day)
    with pytest.raises(Forbidden, match="beslisser"):
        sanctions.approve(session, proposal, people["pl"], day)


def test_no_blame_means_no_sanction(session, people):
    _campaign, (case,), day = to_proposal(session)
    proposal = proposal_of(session, case)
    with pytest.raises(sanctions.AssessmentInvalid) as exc:
        sanctions.assess(session, proposal, people["pl"], {**ANSWERS, "blame": "geen"}, day)
    assert "negende lid" in exc.value.errors["proposed_outcome"]


def test_a_repeat_within_12_months_gets_the_recidive_terms_and_no_warning(session, people):
    ordinance(session)
    _c1, (first,), day = to_proposal(session)
    _c2, (second,), _day = to_proposal(session)
    second.bsn = first.bsn  # the same person in another campaign
    p1 = proposal_of(session, first)
    p1.status, p1.outcome, p1.decided_on = "besluit", "waarschuwing", day - dt.timedelta(days=30)
    session.flush()
    p2 = proposal_of(session, second)
    with pytest.raises(InvalidInput, match="eerder een waarschuwing"):
        sanctions.decision_terms(session, p2, second, "waarschuwing", day)
    _rule, recidive, percentage, months = sanctions.decision_terms(session, p2, second, "verlaging", day)
    assert (recidive, percentage, months) == (True, 30, 3)
    long_after = day + dt.timedelta(days=400)
    assert sanctions.decision_terms(session, p2, second, "verlaging", long_after)[1:] == (False, 30, 1)


def test_undo_before_dispatch_and_not_after(session, people):
    ordinance(session)
    _campaign, (case,), day = to_proposal(session)
    proposal = proposal_of(session, case)
    sanctions.assess(session, proposal, people["pl"], ANSWERS, day)
    intent = sanctions.approve(session, proposal, people["b1"], day)
    with pytest.raises(InvalidInput):
        sanctions.undo(session, proposal, people["pl"], "", day)
    assert sanctions.undo(session, proposal, people["pl"], "Verkeerde uitkomst gekozen", day) == "beoordeeld"
    assert session.get(Letter, intent.id).status == "geannuleerd"
    assert statuses(session, [case]) == ["beoordeeld"]
    intent = sanctions.approve(session, proposal, people["b1"], day)
    dispatch(session, [intent], day)
    with pytest.raises(IllegalTransition, match="correctie- of intrekkingsbrief"):
        sanctions.undo(session, proposal, people["pl"], "Toch niet", day)


def test_no_notice_of_intent_when_a_newer_list_shows_a_registration_in_time(session, people):
    ordinance(session)
    campaign, (case,), day = to_proposal(session)
    proposal = proposal_of(session, case)
    sanctions.assess(session, proposal, people["pl"], ANSWERS, day)
    newer = uwv_list(session, campaign, day, {case.id: proposal.ultimatum_deadline})
    registration = session.scalar(sa.select(UwvRegistration).where(UwvRegistration.uwv_list_id == newer.id))
    registration.ended_on = day  # ended again, so the person is not registered now
    session.flush()
    with pytest.raises(IllegalTransition, match="Op tijd ingeschreven"):
        sanctions.approve(session, proposal, people["b1"], day)
    assert session.scalars(sa.select(Letter).where(Letter.kind == "voornemen")).all() == []
