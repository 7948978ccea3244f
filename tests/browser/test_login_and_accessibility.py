"""A person logs in with a second factor using only the keyboard; axe-core finds no violations."""

import pyotp
import pytest

from campaign import accounts
from campaign.audit import Actor
from campaign.models import utcnow
from campaign.roles import Role
from tests.browser.conftest import axe_violations
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_keyboard_login_with_second_factor_and_no_accessibility_violations(live_app, page):
    secret = pyotp.random_base32()
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        user = accounts.create_user(
            session, Actor.system("test"), "petra@gemeente.invalid", Role.PROJECTLEIDER, PASSWORD
        )
        user.totp_secret = secret
        user.totp_confirmed_at = utcnow()
    base = live_app.config["LIVE_URL"]

    page.goto(base + "/")
    assert page.url.startswith(base + "/inloggen/")
    assert axe_violations(page) == []

    assert page.evaluate("document.activeElement.id") == "email"  # the cursor starts in the first field
    page.keyboard.type("petra@gemeente.invalid")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/inloggen/code")
    assert axe_violations(page) == []
    page.keyboard.type(pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")

    assert page.locator("h1").inner_text().startswith("Welkom")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")  # the skip link comes first and moves focus to the content
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.goto(base + "/campagnes/")
    assert axe_violations(page) == []


def test_enrolment_page_has_no_accessibility_violations(live_app, page):
    with live_app.extensions["herinschrijving.db"].transaction() as session:
        accounts.create_user(session, Actor.system("test"), "nieuw@gemeente.invalid", Role.UWV, PASSWORD)
    base = live_app.config["LIVE_URL"]
    page.goto(base + "/inloggen/")
    page.fill("#email", "nieuw@gemeente.invalid")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/inloggen/tweede-factor")
    assert page.locator("img.qr").is_visible()
    assert axe_violations(page) == []
