"""Composing a wave: filters, a reproducible sample, held-back reasons, and one launch per form token."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from campaign.errors import InvalidInput
from campaign.models import Campaign, Case, Letter, Wave
from letters import waves
from tests.letters.support import TODAY, launch_wave, make_people


def plan(**values) -> waves.WavePlan:
    return waves.parse_plan({"size": "10", **values})


def test_filters_by_team_postcode_and_age_select_the_right_people(db):
    campaign_id = make_people(db, 5)  # postcodes 3011..3015, teams Zuid/Noord alternating, born 1980..1984
    with db.transaction() as session:
        campaign = session.get(Campaign, campaign_id)

        def surnames(p):
            ids = waves.preview(session, campaign, p, TODAY).selected_ids
            return sorted(session.scalars(sa.select(Case.surname).where(Case.id.in_(ids))))

        assert surnames(plan(team="noord")) == ["Vries1", "Vries3"]
        assert surnames(plan(postcode_from="3012", postcode_to="3013")) == ["Vries1", "Vries2"]
        assert surnames(plan(age_min="45", age_max="45")) == ["Vries1"]  # born 1 May 1981, 45 on 23 Nov 2026


def test_a_sample_with_the_same_seed_draws_the_same_people(db):
    campaign_id = make_people(db, 12)
    with db.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        one = waves.preview(session, campaign, plan(size="4", sample="1", seed="2012"), TODAY).selected_ids
        two = waves.preview(session, campaign, plan(size="4", sample="1", seed="2012"), TODAY).selected_ids
        other = waves.preview(session, campaign, plan(size="4", sample="1", seed="7"), TODAY).selected_ids
    assert one == two and len(one) == 4
    assert one != other


def test_held_back_people_are_counted_with_their_reason_and_not_written_to(db):
    campaign_id = make_people(db, 3)
    with db.transaction() as session:
        first = session.scalar(sa.select(Case).where(Case.campaign_id == campaign_id).order_by(Case.id))
        first.no_action_reason = "VERHUISD"
    with db.transaction() as session:
        found = waves.preview(session, session.get(Campaign, campaign_id), plan(), TODAY)
        assert (found.matching, found.eligible, found.held_rows) == (3, 2, [("Reden geen actie", 1)])
    _wave, _batch, count = launch_wave(db, campaign_id, 10)
    assert count == 2


def test_the_same_token_launches_once_and_a_new_wave_takes_the_next_people(db):
    campaign_id = make_people(db, 4)
    assert launch_wave(db, campaign_id, 2, token="a")[2] == 2
    assert launch_wave(db, campaign_id, 2, token="a")[2] == 2
    assert launch_wave(db, campaign_id, 2, token="b")[2] == 2
    with db.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Wave)) == 2
        per_case = session.execute(sa.select(Letter.case_id, sa.func.count()).group_by(Letter.case_id)).all()
        assert sorted(c for _, c in per_case) == [1, 1, 1, 1]
    with pytest.raises(InvalidInput, match="niemand in de pool"):
        launch_wave(db, campaign_id, 2, token="c")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"size": ""}, "size"),
        ({"size": "0"}, "size"),
        ({"size": "5", "sample": "1"}, "seed"),
        ({"size": "5", "postcode_from": "30AB"}, "postcode_from"),
        ({"size": "5", "postcode_from": "3020", "postcode_to": "3010"}, "postcode_to"),
        ({"size": "5", "age_min": "60", "age_max": "30"}, "age_max"),
    ],
)
def test_a_wrong_plan_names_the_field(values, field):
    with pytest.raises(InvalidInput) as error:
        waves.parse_plan(values)
    assert error.value.location == field
