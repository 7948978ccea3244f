"""Builders for letter tests: a campaign with people, a launched wave rendered by the real job runner."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from campaign import runtime
from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.cases import new_case
from campaign.jobs import wait_for_inprocess_jobs
from campaign.models import Campaign
from letters import batches, waves

ACTOR = Actor.system("test")
TODAY = dt.date(2026, 11, 23)  # a Monday
BSNS = ["111222333", "123456782", "012345672", "100000009", "100000010"]


@pytest.fixture
def letters_runtime(settings, db):
    runtime.configure(settings, db)
    yield settings
    wait_for_inprocess_jobs()
    runtime.reset()


def make_people(db, n: int = 3, *, name: str = "Golfcampagne") -> int:
    with db.transaction() as session:
        campaign = create_campaign(session, ACTOR, name)
        for i in range(n):
            case = new_case(
                campaign,
                {
                    "bsn": f"{200000000 + i:09d}" if i >= len(BSNS) else BSNS[i],
                    "initials": "J.",
                    "prefix": "de" if i % 2 else "",
                    "surname": f"Vries{i}",
                    "street": "Coolsingel",
                    "house_number": 40 + i,
                    "house_letter": "a" if i == 0 else "",
                    "house_addition": "2" if i == 0 else "",
                    "postcode": f"30{11 + i}AD",
                    "city": "Rotterdam",
                    "team": "Noord" if i % 2 else "Zuid",
                    "birth_date": dt.date(1980 + i, 5, 1),
                },
            )
            session.add(case)
        session.flush()
        return campaign.id


def launch_wave(db, campaign_id: int, size: int, *, token: str = "t1", today: dt.date = TODAY, **plan):
    with db.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        result = waves.launch(
            session, ACTOR, campaign, waves.WavePlan(size=size, **plan), today, token=token, letter_date=today
        )
        return result.wave.id, (result.batch.id if result.batch else None), result.letters


def render(batch_id: int) -> None:
    batches.start_rendering(batch_id, None)
    wait_for_inprocess_jobs()


def replace_settings(settings, **changes):
    return dataclasses.replace(settings, **changes)
