"""The phone team's whole flow with the keyboard only, and axe-core on the search results and the case page."""

import pytest
from sqlalchemy import select

from campaign import demo
from campaign.cases import new_case
from campaign.dates import today_amsterdam
from campaign.models import Campaign
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_app(live_app):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        demo.build_demo(session, clients=40, today=today_amsterdam())
    return live_app


def tab_to(page, element_id, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} is not reachable with Tab")


def test_search_open_log_says_registered_and_request_a_callback_by_keyboard(demo_app, page):
    base = demo_app.config["LIVE_URL"]
    log_in_demo(page, base, Role.TELEFOONTEAM)
    with demo_app.extensions["herinschrijving.db"].transaction() as session:
        campaign = session.scalar(select(Campaign).where(Campaign.name == demo.DEMO_CAMPAIGN))
        case = new_case(campaign, {"bsn": "123456782", "initials": "Q.", "surname": "Quist", "street": "Kleiweg",
                                   "house_number": 3, "postcode": "3051 GH", "city": "Rotterdam"})  # fmt: skip
        session.add(case)
    surname = case.surname

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "globaal-zoeken"
    page.keyboard.type(surname.lower()[:5])
    page.wait_for_selector("#zoekresultaten .search-result")
    assert axe_violations(page) == []
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('search-result')")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "globaal-zoeken"

    page.keyboard.press("Control+A")
    page.keyboard.type(case.reference)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dossiers/{case.id}")
    assert case.bsn in page.inner_text("#samenvatting")
    assert axe_violations(page) == []

    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.name") == "channel"
    tab_to(page, "reden-zegt_ingeschreven")
    page.keyboard.press("Space")
    tab_to(page, "callback")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("dinsdagochtend")
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash--success")
    header = page.inner_text("#samenvatting")
    assert "wacht op de volgende UWV-lijst" in header
    assert "Terugbelverzoek open (voorkeur: dinsdagochtend)" in header
    assert "Gepauzeerd" in page.inner_text(".status-badge")
    assert axe_violations(page) == []  # now with a contact, a pause, a call-back and a timeline
