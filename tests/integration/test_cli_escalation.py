"""herinschrijving tick / report --json / the clock process."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from campaign.escalation import create_step_letters
from campaign.models import Letter, TickRun
from tests.escalation_support import dispatch, make_campaign, make_cases, uwv_list
from web.cli_escalation import clock_once

D1 = dt.date(2026, 9, 1)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def seed(db):
    with db.transaction() as session:
        campaign = make_campaign(session, "Rotterdam")
        cases = make_cases(session, campaign, 2)
        dispatch(session, create_step_letters(session, campaign, [c.id for c in cases], 1, D1, None), D1)
        uwv_list(session, campaign, D1 + dt.timedelta(days=13))


def test_tick_prints_a_summary_per_step_and_is_idempotent(app, db):
    seed(db)
    result = run(app, "tick", "--today", "2026-09-15")
    assert result.exit_code == 0, result.output
    assert "Stap 2 (Herinnering): 2 aan de beurt, 2 brieven aangemaakt" in result.output
    again = run(app, "tick", "--today", "2026-09-15")
    assert "Stap 2 (Herinnering): 0 aan de beurt, 0 brieven aangemaakt" in again.output
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter).where(Letter.step == 2)) == 2


def test_report_json_counts_cases_per_status_and_per_step(app, db):
    seed(db)
    result = run(app, "report", "Rotterdam", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["cases"] == 2
    assert data["per_status"]["aangeschreven"] == 2
    assert data["per_step"]["1"]["cases_at_step"] == 2
    assert data["per_step"]["1"]["letters"] == {"verzonden": 2}


def test_report_of_an_unknown_campaign_exits_2(app):
    result = run(app, "report", "Nergens", "--json")
    assert result.exit_code == 2
    assert "bestaat niet" in result.output


def test_the_clock_runs_the_tick_once_a_day_from_the_set_hour(app, db):
    seed(db)
    morning = dt.datetime(2026, 9, 15, 3, 0, tzinfo=dt.UTC)  # 05:00 in Amsterdam
    assert clock_once(db, morning, 6) is False
    assert clock_once(db, morning + dt.timedelta(hours=2), 6) is True
    assert clock_once(db, morning + dt.timedelta(hours=5), 6) is False
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(TickRun)) == 1


def test_a_campaign_set_to_launch_itself_gets_its_print_batch_made_after_the_tick(app, db):
    from campaign import jobs
    from campaign.models import Campaign, PrintBatch

    seed(db)
    with db.transaction() as session:
        session.scalar(sa.select(Campaign)).auto_launch_steps = True
    result = run(app, "tick", "--today", "2026-09-15")
    assert result.exit_code == 0, result.output
    assert "Printbatch" in result.output and "wordt gemaakt" in result.output
    jobs.wait_for_inprocess_jobs()
    with db.session() as session:
        batch = session.scalar(sa.select(PrintBatch).where(PrintBatch.step == 2))
        assert batch is not None and batch.letter_count == 2 and batch.letter_date == dt.date(2026, 9, 15)
        reminders = session.scalars(sa.select(Letter).where(Letter.step == 2)).all()
        assert {letter.batch_id for letter in reminders} == {batch.id}
    again = run(app, "tick", "--today", "2026-09-15")
    assert "Printbatch" not in again.output, "nothing new to batch the second time"


def test_without_the_setting_the_tick_leaves_new_letters_for_nog_te_printen(app, db):
    from campaign.models import PrintBatch

    seed(db)
    assert "Printbatch" not in run(app, "tick", "--today", "2026-09-15").output
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PrintBatch).where(PrintBatch.step == 2)) == 0
