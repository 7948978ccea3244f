"""What a logged contact changes, at service level."""

import datetime as dt

import sqlalchemy as sa

from campaign import accounts, phone
from campaign.audit import Actor
from campaign.models import CaseEvent, SanctionProposal
from campaign.roles import Role
from tests.phone_helpers import make_campaign

TODAY = dt.date(2026, 11, 23)


def caller(session):
    user = accounts.create_user(
        session, Actor.system("test"), "tel@test.invalid", Role.TELEFOONTEAM, "een-lang-test-wachtwoord", "Tel"
    )
    session.flush()
    return Actor(user.id, user.email, "test", Role.TELEFOONTEAM.value)


def test_an_oral_view_during_a_notice_of_intent_lands_on_the_proposal_for_the_assessor(session):
    campaign, cases = make_campaign(session)
    case = cases[0]
    case.status = "beoordeeld"
    proposal = SanctionProposal(
        case_id=case.id, campaign_id=campaign.id, status="voornemen", proposed_on=TODAY, ultimatum_deadline=TODAY
    )
    session.add(proposal)
    session.flush()
    form = phone.ContactInput(channel="telefoon_in", reasons=["zienswijze"], view_report="Lag in het ziekenhuis")
    outcome = phone.log_contact(session, caller(session), case, form, expected_version=case.version, today=TODAY)
    assert "bij het voornemen" in " ".join(outcome.messages)
    assert "Lag in het ziekenhuis" in proposal.view_received
    assert outcome.contact.data["zienswijze"] == "Lag in het ziekenhuis"


def test_an_oral_view_without_a_notice_of_intent_is_kept_on_the_case(session):
    _, cases = make_campaign(session)
    form = phone.ContactInput(channel="balie", reasons=["zienswijze"], view_report="Wil eerst hulp bij DigiD")
    phone.log_contact(session, caller(session), cases[0], form, expected_version=cases[0].version, today=TODAY)
    summaries = session.scalars(sa.select(CaseEvent.summary).where(CaseEvent.kind == "zienswijze")).all()
    assert summaries == ["Zienswijze mondeling gegeven: Wil eerst hulp bij DigiD"]
