"""The role matrix of domain.md, page by page: who gets the page, who gets 403."""

import pytest

from campaign.roles import Role

P, B, T, U, H = Role.PROJECTLEIDER, Role.BESLISSER, Role.TELEFOONTEAM, Role.UWV, Role.BEHEERDER

MATRIX = [
    # (url, roles that may open it)
    ("/", {P, B, T, U, H}),
    ("/campagnes/", {P, B, T, U}),
    ("/beheer/accounts", {H}),
]


@pytest.mark.parametrize(("url", "allowed"), MATRIX)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_its_own_pages(web, url, allowed, role):
    web.login_as(role)
    page = web.get(url)
    assert page.status == (200 if role in allowed else 403), (url, role)


@pytest.mark.parametrize("url", [url for url, _ in MATRIX])
def test_without_a_session_every_page_sends_you_to_the_login(web, url):
    page = web.get(url)
    assert page.status == 302
    assert page.location.startswith("/inloggen/")


def test_the_navigation_shows_each_role_only_its_own_pages(web):
    web.login_as(Role.TELEFOONTEAM)
    nav = [a.get_text(strip=True) for a in web.get("/").select("nav[aria-label=Hoofdmenu] a")]
    assert "Accounts" not in nav
    assert "Campagnes" in nav


def test_the_administrator_does_not_see_campaign_content(web):
    web.login_as(Role.BEHEERDER)
    assert web.get("/campagnes/").status == 403
