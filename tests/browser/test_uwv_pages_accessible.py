"""The UWV pages (campaign page with upload form and lists, a check report with errors) pass axe-core."""

import pytest
import sqlalchemy as sa

from campaign import demo
from campaign.dates import today_amsterdam
from campaign.models import UwvUpload
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in_demo

pytestmark = pytest.mark.browser


def test_the_uwv_pages_have_no_accessibility_violations(live_app, page):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        result = demo.build_demo(session, clients=30, today=today_amsterdam())
        campaign_id = result.campaign.id
        uploads = session.scalars(sa.select(UwvUpload.id).order_by(UwvUpload.id)).all()
    base = live_app.config["LIVE_URL"]
    log_in_demo(page, base, Role.UWV)
    failures = {}
    urls = ["/uwv-lijsten/", f"/uwv-lijsten/campagnes/{campaign_id}"] + [f"/uwv-lijsten/controles/{u}" for u in uploads]
    for url in urls:
        page.goto(base + url)
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    assert failures == {}
