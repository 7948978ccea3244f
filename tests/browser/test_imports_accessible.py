"""The import pages (upload, an applied list, a checked list with errors and the mapping form) pass axe-core."""

import pytest

from campaign import demo
from campaign.dates import today_amsterdam
from campaign.roles import Role
from imports.demo import add_imports_demo
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in_demo

pytestmark = pytest.mark.browser


def test_import_pages_have_no_accessibility_violations(live_app, page):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        result = demo.build_demo(session, clients=40, today=today_amsterdam())
        add_imports_demo(session, result.campaign, today_amsterdam())
        campaign_id = result.campaign.id
    base = live_app.config["LIVE_URL"]
    log_in_demo(page, base, Role.PROJECTLEIDER)
    page.goto(f"{base}/campagnes/{campaign_id}")
    page.get_by_role("link", name="Lijsten inlezen (cliëntenlijst, uitstroom)").click()
    page.wait_for_url(f"{base}/campagnes/{campaign_id}/lijsten/")
    runs = page.eval_on_selector_all("main table a", "els => els.map(e => e.href)")
    assert len(runs) == 2
    failures = {}
    for url in [page.url, *runs]:
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    assert failures == {}
    page.goto(runs[0])  # the newest: checked, with errors
    assert page.get_by_label("Pas de geldige regels toe en laat de").count() == 1
