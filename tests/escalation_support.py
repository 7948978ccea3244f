"""Small builders for escalation tests: a campaign, cases, dispatched letters, UWV lists, pauses."""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa

from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.cases import new_case
from campaign.dates import deadline_after
from campaign.escalation import create_step_letters
from campaign.lifecycle import refresh_cases
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
    refresh_cases(session, [letter.case_id for letter in letters], on, None)


def uwv_list(session, campaign: Campaign, peildatum: dt.date, registered: dict[int, dt.date] | None = None) -> UwvList:
    lst = UwvList(campaign_id=campaign.id, peildatum=peildatum, filename="uwv.xlsx")
    session.add(lst)
    session.flush()
    for case_id, on in (registered or {}).items():
        session.add(UwvRegistration(uwv_list_id=lst.id, case_id=case_id, registered_on=on))
    session.flush()
    # what the UWV import does after reading a list (contract: refresh_cases after changing facts)
    refresh_cases(session, session.scalars(sa.select(Case.id).where(Case.campaign_id == campaign.id)), peildatum, None)
    return lst


def statuses(session, cases) -> list[str]:
    ids = [c.id for c in cases]
    rows = dict(session.execute(sa.select(Case.id, Case.status).where(Case.id.in_(ids))).all())
    return [rows[i] for i in ids]


def make_user(session, role: str, name: str = ""):
    from campaign import accounts

    user = accounts.create_user(
        session, ACTOR, f"{role}{next(_names)}@gemeente.invalid", role, "een-lang-wachtwoord", name
    )
    session.flush()
    return user, Actor(user.id, user.email, "test", role)


def track_people(session) -> dict[str, Actor]:
    """A project leader (assesses) and two beslissers (four eyes: one approves, the other decides)."""
    return {
        "pl": make_user(session, "projectleider")[1],
        "b1": make_user(session, "beslisser")[1],
        "b2": make_user(session, "beslisser")[1],
    }


def ordinance(session, valid_from: dt.date = dt.date(2026, 1, 1)):
    from campaign.models import OrdinanceRule

    rule = OrdinanceRule(
        category="niet_ingeschreven", label="Niet ingeschreven", percentage=30, months=1, warning_allowed=True,
        recidive_percentage=30, recidive_months=3, valid_from=valid_from, source="Maatregelenverordening 2026",
    )  # fmt: skip
    session.add(rule)
    session.flush()
    return rule


def to_proposal(session, n: int = 1):
    """A campaign whose cases went through the ladder and got a sanction proposal; returns (campaign, cases, day)."""
    from campaign.tick import run_tick

    campaign = make_campaign(session)
    cases = make_cases(session, campaign, n)
    d1 = dt.date(2026, 9, 1)
    dispatch(session, create_step_letters(session, campaign, [c.id for c in cases], 1, d1, None), d1)
    day = d1
    for step in (2, 3):
        day += dt.timedelta(days=14)
        uwv_list(session, campaign, day)
        run_tick(session, campaign, day, ACTOR)
        dispatch(
            session,
            list(
                session.scalars(sa.select(Letter).where(Letter.step == step, Letter.case_id.in_([c.id for c in cases])))
            ),
            day,
        )
    deadline = deadline_after(day, 14)
    uwv_list(session, campaign, deadline)
    day = deadline + dt.timedelta(days=1)
    run_tick(session, campaign, day, ACTOR)
    return campaign, cases, day
