"""The demo shows the escalation area: tick runs, letters per step, proposals assessed and approved."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from campaign import demo
from campaign.models import Letter, SanctionProposal, TickRun

TODAY = dt.date(2026, 11, 30)


def test_the_demo_climbs_the_ladder_to_proposals_and_is_idempotent(session):
    demo.build_demo(session, clients=120, today=TODAY)
    steps = dict(session.execute(sa.select(Letter.step, sa.func.count()).group_by(Letter.step)).all())
    assert steps[1] >= 40 and steps[2] > 0 and steps[3] > 0 and steps[4] == 2
    statuses = dict(
        session.execute(sa.select(SanctionProposal.status, sa.func.count()).group_by(SanctionProposal.status)).all()
    )
    assert statuses["voornemen"] == 2 and statuses["beoordeeld"] == 1 and statuses["voorstel"] > 0
    runs = session.scalar(sa.select(sa.func.count()).select_from(TickRun))
    demo.build_demo(session, clients=120, today=TODAY)
    assert session.scalar(sa.select(sa.func.count()).select_from(TickRun)) == runs
    assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == sum(steps.values())
