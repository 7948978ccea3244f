"""The contracts other areas call: refresh_cases, letter_blockers, create_step_letters."""

from __future__ import annotations

import datetime as dt

from campaign.escalation import create_step_letters
from campaign.guards import letter_blockers
from campaign.lifecycle import refresh_cases
from campaign.models import CaseEvent, Pause
from tests.escalation_support import dispatch, make_campaign, make_cases, statuses, uwv_list

D = dt.date(2026, 11, 2)


def test_a_wave_gets_invitations_and_the_cases_become_written(session):
    campaign = make_campaign(session)
    cases = make_cases(session, campaign, 3)
    letters = create_step_letters(session, campaign, [c.id for c in cases], 1, D, None)
    assert [(lt.step, lt.status, lt.batch_id) for lt in letters] == [(1, "aangemaakt", None)] * 3
    assert letters[0].address[-1] == "3011 AD  ROTTERDAM"
    assert statuses(session, cases) == ["aangeschreven"] * 3
    events = session.query(CaseEvent).filter_by(case_id=cases[0].id).all()
    assert {e.kind for e in events} == {"brief", "status"}


def test_no_step_twice_and_no_step_before_the_previous_is_dispatched(session):
    campaign = make_campaign(session)
    (case,) = make_cases(session, campaign, 1)
    first = create_step_letters(session, campaign, [case.id], 1, D, None)
    assert create_step_letters(session, campaign, [case.id], 1, D, None) == []
    assert "De brief van stap 1 is nog niet verzonden." in letter_blockers(session, case, 2, D)
    dispatch(session, first, D)
    uwv_list(session, campaign, D + dt.timedelta(days=10))
    early = letter_blockers(session, case, 2, D + dt.timedelta(days=13))
    assert early == ["Stap 2 is pas aan de beurt op 16 november 2026."]
    assert letter_blockers(session, case, 2, D + dt.timedelta(days=14)) == []


def test_registered_paused_and_stale_list_block_the_reminder(session):
    campaign = make_campaign(session)
    a, b, c = make_cases(session, campaign, 3)
    dispatch(session, create_step_letters(session, campaign, [a.id, b.id, c.id], 1, D, None), D)
    day = D + dt.timedelta(days=14)
    uwv_list(session, campaign, day - dt.timedelta(days=2), {a.id: D})
    session.add(Pause(case_id=b.id, reason="retour", starts_on=D, until=None))
    session.flush()
    assert letter_blockers(session, a, 2, day)[0].startswith("Ingeschreven bij UWV volgens de lijst met peildatum")
    assert letter_blockers(session, b, 2, day) == ["Het dossier is gepauzeerd (Retour post)."]
    assert letter_blockers(session, c, 2, day) == []
    later = day + dt.timedelta(days=20)
    assert "is 22 dagen oud" in letter_blockers(session, c, 2, later)[0]
    created = create_step_letters(session, campaign, [a.id, b.id, c.id], 2, day, None)
    assert [lt.case_id for lt in created] == [c.id]
    refresh_cases(session, [a.id, b.id, c.id], day, None)
    assert statuses(session, [a, b, c]) == ["ingeschreven", "gepauzeerd", "aangeschreven"]
