"""Small builders for the phone team's tests: a campaign with people in it."""

from __future__ import annotations

import datetime as dt

from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.cases import new_case

PEOPLE = [
    {
        "bsn": "123456782",
        "initials": "A.",
        "first_names": "Ayşe",
        "prefix": "",
        "surname": "Öztürk",
        "birth_date": dt.date(1980, 3, 12),
        "street": "Coolsingel",
        "house_number": 12,
        "house_letter": "a",
        "postcode": "3011 AB",
        "city": "Rotterdam",
        "phone": "0612345678",
    },
    {
        "bsn": "111222333",
        "initials": "J.",
        "first_names": "Jan",
        "prefix": "van den",
        "surname": "Berg",
        "birth_date": dt.date(1975, 6, 1),
        "street": "Kleiweg",
        "house_number": 5,
        "postcode": "3051 GH",
        "city": "Rotterdam",
    },
    {
        "bsn": "012345672",
        "initials": "P.",
        "first_names": "Pieter",
        "prefix": "",
        "surname": "Bergman",
        "birth_date": dt.date(1990, 1, 30),
        "street": "Slinge",
        "house_number": 100,
        "house_addition": "2",
        "postcode": "3085 AA",
        "city": "Rotterdam",
    },
]


def make_campaign(session, name="Herinschrijving 2026", people=PEOPLE):
    campaign = create_campaign(session, Actor.system("test"), name)
    cases = []
    for person in people:
        case = new_case(campaign, person)
        session.add(case)
        cases.append(case)
    session.flush()
    return campaign, cases
