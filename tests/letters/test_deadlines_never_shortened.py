"""A notice or decision printed later than it was approved never prints a shorter legal period."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from campaign.models import Campaign, Case, Letter
from letters import render
from tests.letters.support import TODAY, make_people

APPROVED_ON = TODAY  # Monday 23 November 2026
PRINTED_ON = dt.date(2026, 12, 7)  # two weeks later


def _letter(session, campaign_id: int, step: int, data: dict) -> tuple[Letter, Case, Campaign]:
    case = session.scalar(sa.select(Case).where(Case.campaign_id == campaign_id).limit(1))
    campaign = session.get(Campaign, campaign_id)
    letter = Letter(case_id=case.id, step=step, kind=campaign.step(step).kind, data=data)
    session.add(letter)
    session.flush()
    return letter, case, campaign


def test_the_view_period_of_a_notice_printed_later_runs_from_the_letter_date(db):
    campaign_id = make_people(db, 1)
    with db.transaction() as session:
        frozen = dt.date(2026, 12, 7)  # 14 days after approval
        letter, case, campaign = _letter(session, campaign_id, 4, {"view_deadline": frozen.isoformat()})
        values = render.letter_values(session, letter, case, campaign, render.municipality(session), PRINTED_ON)
    assert values["termijn"] == "21 december 2026"  # 14 days after the letter date


def test_the_objection_deadline_of_a_decision_printed_later_runs_from_the_letter_date(db):
    campaign_id = make_people(db, 1)
    with db.transaction() as session:
        data = {"objection_days": 42, "objection_deadline": "2027-01-04", "objection_deadline_text": "4 januari 2027"}
        letter, case, campaign = _letter(session, campaign_id, 5, data)
        on_time = render.letter_values(session, letter, case, campaign, render.municipality(session), APPROVED_ON)
        late = render.letter_values(session, letter, case, campaign, render.municipality(session), PRINTED_ON)
    assert on_time["bezwaartermijn"] == "4 januari 2027"
    assert late["bezwaartermijn"] == "18 januari 2027"  # six weeks after 7 December
