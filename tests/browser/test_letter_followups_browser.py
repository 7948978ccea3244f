"""Withdrawing a dispatched letter and ending an address research, by keyboard; the pages pass axe-core."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign.escalation import create_step_letters
from letters import returned
from tests.browser.conftest import axe_violations
from tests.browser.test_letters_browser import login
from tests.escalation_support import ACTOR, dispatch, make_campaign, make_cases

pytestmark = pytest.mark.browser
D1 = dt.date(2026, 9, 1)


def test_a_letter_is_withdrawn_and_an_address_research_ended_by_keyboard(live_app, page):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        campaign = make_campaign(session)
        first, second = make_cases(session, campaign, 2)
        letters = create_step_letters(session, campaign, [first.id, second.id], 1, D1, None)
        dispatch(session, letters, D1)
        returned.register_returned(session, ACTOR, campaign.id, second.reference, D1)
        ids = campaign.id, first.id, second.id, letters[0].id
    campaign_id, case_id, returned_id, letter_id = ids
    base = login(live_app, page)
    page.goto(f"{base}/dossiers/{case_id}")
    assert axe_violations(page) == []
    page.focus(f"#brief-{letter_id} a[href$='/intrekken']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/brieven/{letter_id}/intrekken")
    assert axe_violations(page) == []
    page.focus("#reason")
    page.keyboard.type("Verkeerde persoon aangeschreven")
    page.focus("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dossiers/{case_id}")
    assert "ingetrokken op" in page.inner_text(f"#brief-{letter_id}")
    assert axe_violations(page) == []
    page.goto(f"{base}/campagnes/{campaign_id}/retour")
    assert axe_violations(page) == []
    page.focus(f"a[href$='/retour/{returned_id}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/retour/{returned_id}")
    assert axe_violations(page) == []
    page.focus("section[aria-labelledby=adres-onbekend] button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/campagnes/{campaign_id}/retour")
    assert "Er zijn geen dossiers met retourpost" in page.inner_text("main")
