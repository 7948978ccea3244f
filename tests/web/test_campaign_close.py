"""A project leader closes a campaign from its page; the page then says when the data will be cleared."""

import sqlalchemy as sa

from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.models import Campaign
from campaign.roles import Role


def _campaign(db):
    with db.transaction() as session:
        campaign = create_campaign(session, Actor.system("test"), "Sluiten 2026")
    return campaign


def test_closing_needs_the_confirmation_and_then_shows_the_clearing_date(web, db):
    campaign = _campaign(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    url = f"/campagnes/{campaign.id}"

    page = web.get(url)
    assert page.select_one("form[action$='/sluiten'] input[type=checkbox][name=bevestig]") is not None

    web.post(f"{url}/sluiten", {})
    with db.session() as session:
        assert session.scalar(sa.select(Campaign.status)) == "open"

    web.post(f"{url}/sluiten", {"bevestig": "ja"})
    page = web.get(url)
    assert "Gesloten op" in page.text("#campagne-gesloten")
    assert "verwijderd of geanonimiseerd" in page.text("#campagne-gesloten")
    assert page.select_one("form[action$='/sluiten']") is None


def test_the_phone_team_cannot_close_a_campaign(web, db):
    campaign = _campaign(db)
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    assert web.get(f"/campagnes/{campaign.id}").select_one("form[action$='/sluiten']") is None
    assert web.post(f"/campagnes/{campaign.id}/sluiten", {"bevestig": "ja"}).status == 403
