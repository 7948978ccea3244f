"""Every page in every role's navigation passes axe-core, on the demo campaign, reached by keyboard-visible links."""

import pytest

from campaign import demo
from campaign.dates import today_amsterdam
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_app(live_app):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        demo.build_demo(session, clients=40, today=today_amsterdam())
    return live_app


@pytest.mark.parametrize("role", list(Role))
def test_every_navigation_page_of_each_role_has_no_accessibility_violations(demo_app, page, role):
    base = demo_app.config["LIVE_URL"]
    log_in_demo(page, base, role)
    links = page.eval_on_selector_all("nav[aria-label=Hoofdmenu] a", "els => els.map(e => e.href)")
    campaign_links = page.eval_on_selector_all("main a[href*='/campagnes/']", "els => els.map(e => e.href)")
    assert links, "every role has a navigation"
    failures = {}
    for url in dict.fromkeys(links + campaign_links[:1]):
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    assert failures == {}
