"""Logging in through the real forms in the browser, with the second factor."""

from __future__ import annotations

import pyotp

from campaign import demo
from campaign.roles import Role


def log_in(page, base: str, email: str, password: str, secret: str) -> None:
    """Password, then the current TOTP code, typed with the keyboard; ends on the start page."""
    page.goto(base + "/inloggen/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/inloggen/code")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")


def log_in_demo(page, base: str, role: Role) -> None:
    """Log in as the demo account of ``role`` (the demo must have been built)."""
    log_in(page, base, demo.demo_email(role), demo.demo_password(), demo.DEMO_SECRETS[role])
