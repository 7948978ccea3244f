"""Small builders for escalation tests: a campaign, cases, dispatched letters, UWV lists, pauses."""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa

from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.cases import new_case
from campaign.dates import deadline_after
from campaign.models import Campaign, Case, Letter, UwvList, UwvRegistration

_names = itertools.count(1)
ACTOR = Actor.system("test")


def make_campaign(session, name: str | None = None) -> Campaign:
    campaign = create_campaign(session, ACTOR, name or f"Campagne {next(_names)}")
    session.flush()
    return campaign


def make_cases(session, campaign: Campaign, n: int) -> list[Case]:
    cases = []
    for i in range(n):
        case = new_case(
            campaign,
            {"bsn": f"{100000000 + len(cases) + 1000 * campaign.id:09d}", "surname": f"Jansen{i}", "initials": "A.",
             "street": "Coolsingel", "house_number": 40 + i, "postcode": "3011AD", "city": "Rotterdam"},
        )  # fmt: skip
        session.add(case)
        cases.append(case)
    session.flush()
    return cases


def dispatch(session, letters: list[Letter], on: dt.date) -> None:
    """What the letters area does on dispatch: status, date and the deadline of the step."""
    for letter in letters:
        case = session.get(Case, letter.case_id)
        step = case.campaign.step(letter.step)
        letter.status = "verzonden"
        letter.dispatched_on = on
        letter.letter_date = on
        if step.deadline_days:
            letter.deadline = deadline_after(on, step.deadline_days)
    session.flush()


def uwv_list(session, campaign: Campaign, peildatum: dt.date, registered: dict[int, dt.date] | None = None) -> UwvList:
    lst = UwvList(campaign_id=campaign.id, peildatum=peildatum, filename="uwv.xlsx")
    session.add(lst)
    session.flush()
    for case_id, on in (registered or {}).items():
        session.add(UwvRegistration(uwv_list_id=lst.id, case_id=case_id, registered_on=on))
    session.flush()
    return lst


def statuses(session, cases) -> list[str]:
    ids = [c.id for c in cases]
    rows = dict(session.execute(sa.select(Case.id, Case.status).where(Case.id.in_(ids))).all())
    return [rows[i] for i in ids]
