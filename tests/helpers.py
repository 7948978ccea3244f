"""Test helpers: a web client that parses HTML, posts forms with their CSRF token, and logs in with TOTP."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pyotp
from bs4 import BeautifulSoup

from campaign import accounts
from campaign.audit import Actor
from campaign.models import User, utcnow
from campaign.roles import Role

PASSWORD = "een-lang-test-wachtwoord"
_counter = itertools.count(1)


@dataclass
class Page:
    status: int
    html: str
    headers: dict
    location: str | None

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "html.parser")

    def select(self, selector: str):
        return self.soup.select(selector)

    def select_one(self, selector: str):
        return self.soup.select_one(selector)

    def text(self, selector: str = "main") -> str:
        element = self.soup.select_one(selector)
        return " ".join(element.get_text(" ").split()) if element else ""


def totp_code(secret: str, offset: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(utcnow() + dt.timedelta(seconds=30 * offset))


class WebClient:
    """Wraps Flask's test client: returns parsed pages, finds CSRF tokens, logs in."""

    def __init__(self, app) -> None:
        self.app = app
        self.client = app.test_client()
        self.user: User | None = None
        self._csrf: str | None = None

    def _page(self, response) -> Page:
        return Page(response.status_code, response.get_data(as_text=True), dict(response.headers), response.location)

    def get(self, url: str, *, htmx_target: str | None = None, **kwargs) -> Page:
        headers = kwargs.pop("headers", {})
        if htmx_target:
            headers.update({"HX-Request": "true", "HX-Target": htmx_target})
        page = self._page(self.client.get(url, headers=headers, **kwargs))
        token = page.soup.select_one("input[name=csrf_token]")
        if token is not None:
            self._csrf = token["value"]
        return page

    def csrf_token(self) -> str:
        if self._csrf is None:
            self.get("/inloggen/")
        return self._csrf or ""

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, htmx_target: str | None = None, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        headers = kw.pop("headers", {})
        if htmx_target:
            headers.update({"HX-Request": "true", "HX-Target": htmx_target})
        page = self._page(self.client.post(url, data=data, headers=headers, **kw))
        if page.status in (301, 302, 303):
            self._csrf = None  # login and logout start a new session with a new token
        return page

    def login_as(self, role: Role | str, *, campaigns=(), email: str | None = None) -> User:
        """Create an account with an enrolled second factor and log in through the real forms."""
        db = self.app.extensions["herinschrijving.db"]
        role = Role(role)
        email = email or f"{role.value}{next(_counter)}@test.invalid"
        with db.transaction() as session:
            user = accounts.create_user(session, Actor.system("test"), email, role, PASSWORD, f"Test {role.label}")
            user.totp_secret = pyotp.random_base32()
            user.totp_confirmed_at = utcnow()
            for campaign in campaigns:
                user.campaigns.append(session.merge(campaign))
        self.login(email, user.totp_secret)
        self.user = user
        return user

    def login(self, email: str, secret: str, *, password: str = PASSWORD, offset: int = 0) -> Page:
        page = self.post("/inloggen/", {"email": email, "password": password})
        assert page.status == 302, page.text()
        page = self.post("/inloggen/code", {"code": totp_code(secret, offset)})
        assert page.status == 302, page.text()
        return page
