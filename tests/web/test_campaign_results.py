"""The campaign page shows the results per wave: how many people registered since their letters, and more."""

import datetime as dt

from campaign.escalation import create_step_letters
from campaign.models import Contact, Wave
from campaign.roles import Role
from tests.escalation_support import dispatch, make_campaign, make_cases, uwv_list

D1 = dt.date(2026, 9, 1)


def _two_waves(db):
    with db.transaction() as session:
        campaign = make_campaign(session)
        cases = make_cases(session, campaign, 5)
        pilot = Wave(campaign_id=campaign.id, number=1, name="Pilot", size=4, launched_on=D1)
        later = Wave(campaign_id=campaign.id, number=2, name="Golf 2", size=0)
        session.add_all([pilot, later])
        session.flush()
        for case in cases[:4]:
            case.wave_id = pilot.id
        dispatch(session, create_step_letters(session, campaign, [c.id for c in cases[:4]], 1, D1, None), D1)
        uwv_list(session, campaign, D1 + dt.timedelta(days=10), {cases[0].id: D1 + dt.timedelta(days=5)})
        session.add(Contact(case_id=cases[1].id, channel="telefoon", reasons=["vraag"], outcome="bereikt"))
        return campaign


def _cells(page, name):
    row = next(tr for tr in page.select("#resultaten-per-golf tbody tr") if tr.select_one("th").get_text() == name)
    return [td.get_text(" ", strip=True) for td in row.select("td")]


def test_each_wave_shows_people_registered_share_contacts_and_letters_sent(web, db):
    campaign = _two_waves(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    page = web.get(f"/campagnes/{campaign.id}")
    headers = [th.get_text() for th in page.select("#resultaten-per-golf thead th")]
    assert headers[:4] == ["Golf", "Gestart", "Personen", "Ingeschreven"]
    pilot = dict(zip(headers[1:], _cells(page, "Pilot"), strict=True))
    assert pilot["Gestart"] == "1 september 2026"
    assert pilot["Personen"] == "4"
    assert pilot["Ingeschreven"] == "1 (25%)"
    assert pilot["Nog open"] == "3"
    assert pilot["Contact gehad"] == "1"
    assert pilot["Verzonden brieven"] == "Uitnodiging: 4"
    unsent = dict(zip(headers[1:], _cells(page, "Golf 2"), strict=True))
    assert (unsent["Personen"], unsent["Verzonden brieven"]) == ("0", "nog geen")


def test_a_campaign_without_waves_points_to_planning_one(web, db):
    with db.transaction() as session:
        campaign = make_campaign(session)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    page = web.get(f"/campagnes/{campaign.id}")
    assert page.select_one("#resultaten-per-golf") is None
    assert "Er is nog geen golf gestart" in page.text("section[aria-labelledby=resultaten]")
    assert page.select_one("section[aria-labelledby=resultaten] a[href$='/golven']") is not None


def test_the_uwv_contact_sees_no_wave_results(web, db):
    campaign = _two_waves(db)
    web.login_as(Role.UWV, campaigns=[campaign])
    assert web.get(f"/campagnes/{campaign.id}").select_one("#resultaten") is None
