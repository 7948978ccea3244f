"""The demo campaign contains dispatched waves at different steps, with proof of dispatch, built once."""

from __future__ import annotations

import sqlalchemy as sa

from campaign.models import LIVE_EXCLUDED, Letter, PrintBatch, Wave


def test_the_demo_has_dispatched_waves_at_different_steps_and_is_built_once(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--clients", "120", "--today", "2026-11-23"]).exit_code == 0
    with db.transaction() as session:
        waves = session.scalars(sa.select(Wave).order_by(Wave.number)).all()
        assert [w.name for w in waves] == ["Pilot (steekproef)", "Golf 2", "Golf 3"]
        dispatched_steps = set(session.scalars(sa.select(Letter.step).where(Letter.status == "verzonden")))
        assert dispatched_steps == {1, 2, 3}
        assert (
            session.scalar(sa.select(sa.func.count()).where(Letter.status == "verzonden", Letter.sha256.is_(None))) == 0
        )
        assert session.scalar(sa.select(sa.func.count()).where(Letter.returned_on.is_not(None))) == 1
        followed_up = set(session.scalars(sa.select(Letter.status).where(Letter.status.in_(LIVE_EXCLUDED[1:]))))
        assert followed_up == {"vervangen", "ingetrokken"}  # a correction and a withdrawal wait to be printed
        assert session.scalar(sa.select(sa.func.count()).where(Letter.kind == "intrekking")) == 1
        statuses = set(session.scalars(sa.select(PrintBatch.status)))
        assert statuses == {"verzonden", "klaar"}
        count = session.scalar(sa.select(sa.func.count()).select_from(Letter))
    assert runner.invoke(args=["demo", "--clients", "120", "--today", "2026-11-23"]).exit_code == 0
    with db.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == count
