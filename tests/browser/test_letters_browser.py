"""A project leader edits a letter template in the browser and sees the preview change; the pages pass axe-core."""

from __future__ import annotations

import pyotp
import pytest

from campaign import accounts
from campaign.audit import Actor
from campaign.models import utcnow
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.support import log_in
from tests.helpers import PASSWORD
from tests.letters.support import make_people

pytestmark = pytest.mark.browser


def login(live_app, page) -> str:
    secret = pyotp.random_base32()
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        user = accounts.create_user(session, Actor.system("test"), "pl@gemeente.invalid", Role.PROJECTLEIDER, PASSWORD)
        user.totp_secret, user.totp_confirmed_at = secret, utcnow()
    base = live_app.config["LIVE_URL"]
    log_in(page, base, "pl@gemeente.invalid", PASSWORD, secret)
    return base


def test_editing_a_template_changes_the_preview_without_saving(live_app, page):
    campaign_id = make_people(live_app.extensions["herinschrijving.db"], 2)
    base = login(live_app, page)
    page.goto(f"{base}/campagnes/{campaign_id}/sjablonen/herinnering")
    preview = page.locator(".letter-preview__subject")
    assert preview.inner_text() == "Herinnering: schrijf u in als werkzoekende bij UWV"
    assert axe_violations(page) == []
    page.fill("#subject", "Vergeet niet u in te schrijven, {{ naam }}")
    page.wait_for_function(
        "document.querySelector('.letter-preview__subject').textContent.startsWith('Vergeet niet')", timeout=15000
    )
    assert preview.inner_text() == "Vergeet niet u in te schrijven, J. Vries0"
    page.fill("#body", "<p>Hallo {{ onbekend }}</p>")
    page.wait_for_selector("#voorbeeld [role=alert]", timeout=15000)
    assert "onbekende invulvelden {{ onbekend }}" in page.inner_text("#voorbeeld")
    page.goto(f"{base}/campagnes/{campaign_id}/golven")
    assert axe_violations(page) == []
    page.fill("#size", "2")
    page.click("text=Voorbeeld bekijken")
    page.wait_for_selector(".wave-preview", timeout=15000)
    assert "In deze golf 2" in " ".join(page.inner_text(".wave-preview").split())
    assert axe_violations(page) == []
    page.click("text=Golf starten")
    page.wait_for_url("**/printbatches/*", timeout=15000)
    page.wait_for_selector(".job-status__text:has-text('Klaar')", timeout=90000)
    page.reload()
    assert page.locator("text=Printbundel (PDF, gesorteerd op postcode)").count() == 1
    assert axe_violations(page) == []
