"""The campaign page with its results per wave passes axe-core, and the wide table scrolls by keyboard."""

import datetime as dt

import pytest
import sqlalchemy as sa

from campaign import demo
from campaign.dates import today_amsterdam
from campaign.escalation import create_step_letters
from campaign.models import Case, Wave
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in_demo
from tests.escalation_support import dispatch

pytestmark = pytest.mark.browser


def test_the_results_per_wave_pass_axe_and_their_table_region_takes_keyboard_focus(live_app, page):
    today = today_amsterdam()
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        campaign = demo.build_demo(session, clients=40, today=today).campaign
        wave = Wave(campaign_id=campaign.id, number=1, name="Pilot", size=10, launched_on=today - dt.timedelta(days=20))
        session.add(wave)
        session.flush()
        ids = session.scalars(
            sa.select(Case.id).where(Case.campaign_id == campaign.id, Case.status == "pool").limit(10)
        ).all()
        session.execute(sa.update(Case).where(Case.id.in_(ids)).values(wave_id=wave.id))
        dispatch(session, create_step_letters(session, campaign, ids, 1, wave.launched_on, None), wave.launched_on)
        campaign_id = campaign.id
    base = live_app.config["LIVE_URL"]
    log_in_demo(page, base, Role.PROJECTLEIDER)
    page.goto(f"{base}/campagnes/{campaign_id}")
    assert page.locator("#resultaten-per-golf tbody tr").count() == 1
    assert axe_violations(page) == []
    region = page.get_by_role("region", name="Tabel resultaten per golf")
    region.focus()
    assert region.evaluate("el => el === document.activeElement")
