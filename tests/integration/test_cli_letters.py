"""The waves and letters commands: launch, render, dispatch twice, returned mail, exit codes."""

from __future__ import annotations

import sqlalchemy as sa

from campaign.models import Case, Letter, PrintBatch
from tests.letters.support import make_people


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_a_wave_from_the_command_line_is_rendered_dispatched_once_and_mail_can_come_back(app, db):
    campaign_id = make_people(db, 3)
    result = run(app, "waves", "launch", str(campaign_id), "--size", "2", "--today", "2026-11-23", "--token", "abc")
    assert result.exit_code == 0, result.output
    assert "Golf 1 gestart: 2 uitnodigingen." in result.output
    assert "status klaar om te printen" in result.output
    again = run(app, "waves", "launch", str(campaign_id), "--size", "2", "--today", "2026-11-23", "--token", "abc")
    assert "al gestart" in again.output
    with db.transaction() as session:
        batch_id = session.scalar(sa.select(PrintBatch.id))
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 2
    first = run(app, "letters", "dispatch", str(batch_id), "--today", "2026-11-23")
    assert first.exit_code == 0 and "verzonden op 23 november 2026: 2 brieven" in first.output
    second = run(app, "letters", "dispatch", str(batch_id), "--today", "2026-11-23")
    assert second.exit_code == 0 and "was al als verzonden vastgelegd" in second.output
    with db.transaction() as session:
        letter = session.scalar(sa.select(Letter).order_by(Letter.id))
        reference = session.get(Case, letter.case_id).reference
    returned = run(app, "letters", "returned", "-", "--today", "2026-11-30", input=f"{reference}\nONBEKEND-1\n")
    assert returned.exit_code == 2
    assert "1 brieven als retour geregistreerd" in returned.output
    assert "Onbekende kenmerken: ONBEKEND-1" in returned.output
    listing = run(app, "letters", "batches", str(campaign_id))
    assert f"{batch_id}\tstap 1 (uitnodiging)\t2 brieven\tverzonden" in listing.output


def test_launching_with_a_sample_needs_a_seed(app, db):
    campaign_id = make_people(db, 1)
    result = run(app, "waves", "launch", str(campaign_id), "--size", "1", "--sample")
    assert result.exit_code == 2
    assert "seed" in result.output
