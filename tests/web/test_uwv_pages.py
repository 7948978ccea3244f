"""The UWV pages: upload a list, see the check report, apply it, download the lists for UWV."""

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.jobs import wait_for_inprocess_jobs
from campaign.models import Case, UwvList
from campaign.roles import Role
from tests.uwv_support import HEADER, D, make_campaign, write_xlsx


@pytest.fixture
def campaign_with_cases(db):
    with db.transaction() as session:
        campaign, cases, spare = make_campaign(session, 4)
        return campaign, [(c.id, c.bsn) for c in cases], [next(spare) for _ in range(3)]


def post_file(web, campaign_id, path, peildatum="2026-11-20"):
    with path.open("rb") as handle:
        return web.post(
            f"/uwv-lijsten/campagnes/{campaign_id}",
            {"peildatum": peildatum, "bestand": (handle, path.name)},
            content_type="multipart/form-data",
        )


def test_a_uwv_contact_uploads_checks_and_applies_a_list(web, db, campaign_with_cases, tmp_path):
    campaign, cases, strangers = campaign_with_cases
    web.login_as(Role.UWV, campaigns=[campaign])
    rows = [HEADER, [cases[0][1], D(2026, 11, 2), None, "Ingeschreven"], [strangers[0], D(2026, 11, 2), None, None]]
    page = post_file(web, campaign.id, write_xlsx(tmp_path / "uwv.xlsx", rows))
    assert page.status == 303
    wait_for_inprocess_jobs()
    check = web.get(page.location)
    report = {
        row.select_one("th").get_text(): row.select_one("td").get_text() for row in check.select("#uwv-check tbody tr")
    }
    assert report["Nieuw ingeschreven"] == "1"
    assert report["BSN's die niet in de campagne voorkomen (geteld, niet bewaard)"] == "1"
    assert strangers[0] not in check.html
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(UwvList)) == 0

    apply_url = check.select_one("form[action$='/toepassen']")["action"]
    assert web.post(apply_url).status == 303
    wait_for_inprocess_jobs()
    done = web.get(page.location)
    assert "De lijst is toegepast" in done.text("#uwv-check")
    with db.session() as session:
        assert session.get(Case, cases[0][0]).status == "ingeschreven"
    campaign_page = web.get(f"/uwv-lijsten/campagnes/{campaign.id}")
    assert "20 november 2026" in campaign_page.text()


def test_while_checking_the_page_polls_itself_and_its_fragment_stands_alone(web, db, campaign_with_cases, tmp_path):
    campaign, cases, _ = campaign_with_cases
    web.login_as(Role.PROJECTLEIDER)
    page = post_file(web, campaign.id, write_xlsx(tmp_path / "uwv.xlsx", [HEADER, [cases[0][1], D(2026, 11, 2)]]))
    wait_for_inprocess_jobs()
    fragment = web.get(page.location, htmx_target="uwv-check")
    assert fragment.select_one("#uwv-check") is not None
    assert fragment.select_one("h1") is None
    assert "hx-trigger" not in str(fragment.select_one("#uwv-check").attrs)  # finished: polling stops


def test_a_list_with_errors_shows_them_by_row_and_column_and_cannot_be_applied(web, campaign_with_cases, tmp_path):
    campaign, cases, _ = campaign_with_cases
    web.login_as(Role.UWV)
    path = write_xlsx(tmp_path / "uwv.xlsx", [HEADER, [cases[0][1], "31-02-2026"], ["12345678", D(2026, 11, 1)]])
    page = post_file(web, campaign.id, path)
    wait_for_inprocess_jobs()
    check = web.get(page.location)
    errors = [
        [td.get_text() for td in row.select("td")] for row in check.select("section[aria-labelledby=fouten] tbody tr")
    ]
    assert errors[0][:2] == ["2", "Datum inschrijving"]
    assert errors[1][:2] == ["3", "BSN"]
    assert check.select_one("form[action$='/toepassen']") is None
    assert "Afgekeurd" in check.text(".status-badge")


def test_missing_file_and_peildatum_are_reported_beside_the_fields(web, campaign_with_cases):
    campaign, _, _ = campaign_with_cases
    web.login_as(Role.UWV)
    page = web.post(f"/uwv-lijsten/campagnes/{campaign.id}", {"peildatum": ""})
    assert page.status == 422
    assert "Kies het bestand" in page.text("#bestand-fout")
    assert "peildatum" in page.text("#peildatum-fout")


def test_a_peildatum_in_the_future_is_refused(web, campaign_with_cases, tmp_path):
    campaign, cases, _ = campaign_with_cases
    web.login_as(Role.UWV)
    page = post_file(
        web, campaign.id, write_xlsx(tmp_path / "u.xlsx", [HEADER, [cases[0][1], D(2026, 11, 2)]]), "2099-01-01"
    )
    assert page.status == 422
    assert "toekomst" in page.text("#peildatum-fout")
    assert not list((web.app.extensions["herinschrijving.settings"].instance_path / "uploads").glob("*"))


def test_te_controleren_lists_only_unregistered_bsns_as_xlsx_and_csv(web, db, campaign_with_cases, tmp_path):
    campaign, cases, _ = campaign_with_cases
    web.login_as(Role.UWV)
    post_file(web, campaign.id, write_xlsx(tmp_path / "uwv.xlsx", [HEADER, [cases[0][1], D(2026, 11, 2)]]))
    wait_for_inprocess_jobs()
    with db.session() as session:
        from campaign.models import UwvUpload

        upload_id = session.scalar(sa.select(UwvUpload.id))
    web.get(f"/uwv-lijsten/controles/{upload_id}")
    web.post(f"/uwv-lijsten/controles/{upload_id}/toepassen")
    wait_for_inprocess_jobs()

    response = web.client.get(f"/uwv-lijsten/campagnes/{campaign.id}/te-controleren.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert rows[0] == ("BSN",)
    assert sorted(r[0] for r in rows[1:]) == sorted(bsn for _, bsn in cases[1:])

    response = web.client.get(f"/uwv-lijsten/campagnes/{campaign.id}/te-controleren.csv")
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["BSN"] and len(lines) == 4


def test_uit_te_schrijven_lists_people_whose_benefit_ended(web, db):
    with db.transaction() as session:
        campaign, cases, _ = make_campaign(session, 2)
        cases[1].no_action_reason = "UITKERING_BEEINDIGD"
        cases[1].no_action_since = D(2026, 11, 1)
        ended_bsn = cases[1].bsn
    web.login_as(Role.UWV)
    response = web.client.get(f"/uwv-lijsten/campagnes/{campaign.id}/uit-te-schrijven.xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.values)
    assert rows[0] == ("BSN", "Uitkering beëindigd per")
    assert [r[0] for r in rows[1:]] == [ended_bsn]


@pytest.mark.parametrize("role", [Role.BESLISSER, Role.TELEFOONTEAM, Role.BEHEERDER])
def test_other_roles_cannot_open_the_uwv_pages(web, campaign_with_cases, role):
    campaign, _, _ = campaign_with_cases
    web.login_as(role, campaigns=[campaign])
    assert web.get("/uwv-lijsten/").status == 403
    assert web.get(f"/uwv-lijsten/campagnes/{campaign.id}/te-controleren.csv").status == 403


def test_the_campaign_page_shows_the_peildatum_of_the_newest_list(web, db):
    from campaign.dates import dutch_date
    from campaign.demo import build_demo
    from campaign.uwv import latest_list

    with db.transaction() as session:
        result = build_demo(session, clients=20, today=D(2026, 11, 30))
        campaign_id = result.campaign.id
        newest = latest_list(session, campaign_id)
        assert newest is not None
        expected = dutch_date(newest.peildatum)
    web.login_as(Role.PROJECTLEIDER)
    page = web.get(f"/campagnes/{campaign_id}")
    assert f"peildatum {expected}" in page.text("section[aria-labelledby=uwv-stand]")


def test_a_closed_campaign_takes_no_list_and_keeps_no_file(web, db, campaign_with_cases, tmp_path):
    campaign, cases, _ = campaign_with_cases
    with db.transaction() as session:
        from campaign.models import Campaign

        session.get(Campaign, campaign.id).status = "gesloten"
    web.login_as(Role.UWV)
    page = post_file(web, campaign.id, write_xlsx(tmp_path / "u.xlsx", [HEADER, [cases[0][1], D(2026, 11, 2)]]))
    assert page.status == 422
    assert "gesloten" in page.text()
    assert not list((web.app.extensions["herinschrijving.settings"].instance_path / "uploads").glob("*"))
