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


def test_a_dispatched_letter_is_corrected_and_withdrawn_from_the_command_line_and_twice_is_refused(app, db):
    import datetime as dt

    from campaign.escalation import create_step_letters
    from tests.escalation_support import dispatch, make_campaign, make_cases

    with db.transaction() as session:
        campaign = make_campaign(session)
        (case,) = make_cases(session, campaign, 1)
        (letter,) = create_step_letters(session, campaign, [case.id], 1, dt.date(2026, 9, 1), None)
        dispatch(session, [letter], dt.date(2026, 9, 1))
        letter_id = letter.id
    corrected = run(app, "letters", "correct", str(letter_id), "--reason", "Het telefoonnummer klopte niet")
    assert corrected.exit_code == 0 and f"brief {letter_id} is vervangen" in corrected.output
    again = run(app, "letters", "correct", str(letter_id), "--reason", "Het telefoonnummer klopte niet")
    assert again.exit_code == 2 and "al vervangen door brief" in again.output
    with db.transaction() as session:
        new_id = session.scalar(sa.select(Letter.id).where(Letter.replaces_id == letter_id))
    early = run(app, "letters", "withdraw", str(new_id), "--reason", "Verkeerde persoon")
    assert early.exit_code == 2 and "nog niet verzonden" in early.output
    withdrawn = run(app, "letters", "withdraw", str(letter_id), "--reason", "Verkeerde persoon")
    assert withdrawn.exit_code == 2 and "al vervangen" in withdrawn.output
    missing = run(app, "letters", "withdraw", "999999", "--reason", "Verkeerde persoon")
    assert missing.exit_code == 2 and "Brief 999999 bestaat niet" in missing.output
