"""The escalation pages (ladder, daily tick, sanction queue, assessment form, ordinance) pass axe-core."""

import pytest
import sqlalchemy as sa

from campaign import demo
from campaign.dates import today_amsterdam
from campaign.models import SanctionProposal
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_app(live_app):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        result = demo.build_demo(session, clients=60, today=today_amsterdam())
        live_app.config["DEMO_CAMPAIGN_ID"] = result.campaign.id
        live_app.config["DEMO_PROPOSALS"] = {
            status: pid
            for pid, status in session.execute(sa.select(SanctionProposal.id, SanctionProposal.status)).all()
        }
    return live_app


@pytest.mark.parametrize("role", [Role.PROJECTLEIDER, Role.BESLISSER])
def test_escalation_pages_have_no_accessibility_violations(demo_app, page, role):
    base = demo_app.config["LIVE_URL"]
    campaign_id = demo_app.config["DEMO_CAMPAIGN_ID"]
    proposals = demo_app.config["DEMO_PROPOSALS"]
    log_in_demo(page, base, role)
    urls = [
        f"/campagnes/{campaign_id}/dagelijkse-verwerking",
        "/maatregelen/",
        "/maatregelen/verordening",
        *(f"/maatregelen/{pid}" for pid in proposals.values()),
    ]
    if role == Role.PROJECTLEIDER:
        urls.append(f"/campagnes/{campaign_id}/ladder")
    failures = {}
    for url in urls:
        page.goto(base + url)
        assert page.locator("h1").count() == 1, url
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    assert failures == {}
