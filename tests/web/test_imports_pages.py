"""The import flow in the browser: upload, check page, mapping, explicit choice for errors, apply."""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from campaign import audit
from campaign.campaigns import create_campaign
from campaign.jobs import wait_for_inprocess_jobs
from campaign.models import Campaign, Case
from campaign.roles import Role

SAMPLES = Path("/work/shared/data")


def make_campaign(db) -> Campaign:
    with db.transaction() as session:
        campaign = create_campaign(session, audit.Actor.system("test"), "Herinschrijving 2026")
        session.flush()
        session.expunge(campaign)
        return campaign


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(web, campaign, data: bytes, name: str, list_type: str = "clients"):
    page = web.post(
        f"/campagnes/{campaign.id}/lijsten/",
        {"bestand": (io.BytesIO(data), name), "soort": list_type},
        content_type="multipart/form-data",
    )
    assert page.status == 302, page.text()
    wait_for_inprocess_jobs()
    return page.location


def case_count(db, campaign) -> int:
    with db.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.campaign_id == campaign.id))


def counts_on(page) -> dict[str, str]:
    return {
        row.select_one("th").get_text(): row.select_one("td").get_text() for row in page.select("#aantallen ~ table tr")
    }


def test_sample_file_upload_check_and_apply(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    assert "Lijsten inlezen" in web.get(f"/campagnes/{campaign.id}").text()
    location = upload(web, campaign, (SAMPLES / "gemeente-export-voorbeeld.xlsx").read_bytes(), "export.xlsx")
    page = web.get(location)
    counts = counts_on(page)
    assert counts["Regels in het bestand"] == "200"
    assert counts["Nieuw"] == "200"
    assert "Niet opgeslagen (de campagne heeft deze gegevens niet nodig): Geslacht, E-mailadres, Klantmanager" in (
        page.text()
    )
    assert page.select_one("#kolom-0 option[selected]")["value"] == "bsn"
    sample = page.select("#voorbeeld ~ div table tbody tr")
    assert len(sample) == 5 and sample[0].select("td")[1].get_text().startswith("*****")
    assert case_count(db, campaign) == 0  # checking writes nothing

    page = web.post(f"/campagnes/{campaign.id}/lijsten/{location.rsplit('/', 1)[1]}/toepassen", {})
    assert page.status == 302
    wait_for_inprocess_jobs()
    page = web.get(location)
    assert page.select_one(".notice--success").get_text().strip().startswith("Toegepast")
    assert case_count(db, campaign) == 200

    again = web.post(f"/campagnes/{campaign.id}/lijsten/{location.rsplit('/', 1)[1]}/toepassen", {})
    assert again.status == 422  # a double click applies nothing twice

    second = web.get(upload(web, campaign, (SAMPLES / "gemeente-export-voorbeeld.xlsx").read_bytes(), "nogmaals.xlsx"))
    assert "Dit is hetzelfde bestand als export.xlsx" in second.text()
    assert counts_on(second)["Ongewijzigd"] == "200"


def test_rows_with_errors_need_the_explicit_choice_and_the_error_file_lists_them(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    data = xlsx_bytes([
        ["BSN", "Achternaam", "Straat", "Huisnummer", "Postcode", "Woonplaats"],
        ["123456782", "Jansen", "Kerkstraat", 1, "3011 AA", "Rotterdam"],
        ["111222334", "Fout", "Kerkstraat", 2, "3011 AA", "Rotterdam"],
    ])  # fmt: skip
    location = upload(web, campaign, data, "fout.xlsx")
    run_id = location.rsplit("/", 1)[1]
    page = web.get(location)
    assert page.select_one("#fouten ~ table tbody tr").get_text(" ", strip=True) == (
        "3 BSN 111222334 dit is geen geldig BSN (de elfproef klopt niet)."
    )
    refused = web.post(f"/campagnes/{campaign.id}/lijsten/{run_id}/toepassen", {})
    assert refused.status == 422
    assert "1 regels met fouten" in refused.select_one("#fouten_weglaten-fout").get_text()
    assert case_count(db, campaign) == 0

    download = web.client.get(f"/campagnes/{campaign.id}/lijsten/{run_id}/fouten.xlsx")
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert [c.value for c in sheet[1]][-1] == "fout"
    assert sheet["A2"].value == "111222334" and "elfproef" in sheet["G2"].value

    page = web.post(f"/campagnes/{campaign.id}/lijsten/{run_id}/toepassen", {"fouten_weglaten": "ja"})
    assert page.status == 302
    wait_for_inprocess_jobs()
    page = web.get(location)
    assert "Op uw uitdrukkelijke keuze zijn 1 regels met fouten weggelaten" in page.text()
    assert case_count(db, campaign) == 1


def test_the_mapping_can_be_corrected_and_is_remembered_for_the_campaign(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    data = xlsx_bytes([
        ["BSN", "Familie", "Straat", "Huisnummer", "Postcode", "Woonplaats"],
        ["123456782", "Jansen", "Kerkstraat", 1, "3011 AA", "Rotterdam"],
    ])  # fmt: skip
    location = upload(web, campaign, data, "lijst.xlsx")
    run_id = location.rsplit("/", 1)[1]
    page = web.get(location)
    assert "geen kolom gevonden voor: Achternaam" in page.select_one(".notice--error").get_text()
    assert web.post(f"/campagnes/{campaign.id}/lijsten/{run_id}/toepassen", {}).status == 422
    choices = {"kolom-0": "bsn", "kolom-1": "surname", "kolom-2": "street", "kolom-3": "house_number",
               "kolom-4": "postcode", "kolom-5": "city"}  # fmt: skip
    page = web.post(f"/campagnes/{campaign.id}/lijsten/{run_id}/koppeling", {**choices, "kolom-2": "bsn"})
    assert page.status == 422 and "aan twee kolommen" in page.text()
    assert web.post(f"/campagnes/{campaign.id}/lijsten/{run_id}/koppeling", choices).status == 302
    wait_for_inprocess_jobs()
    page = web.get(location)
    assert counts_on(page)["Nieuw"] == "1"
    assert page.select_one("#kolom-1 option[selected]")["value"] == "surname"

    location = upload(web, campaign, data, "lijst3.xlsx")  # "Familie" is now known in this campaign
    assert counts_on(web.get(location))["Nieuw"] == "1"


def test_a_hostile_file_gets_one_dutch_message_and_writes_nothing(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    location = upload(web, campaign, b"%PDF-1.7 not a spreadsheet", "klanten.xlsx")
    page = web.get(location)
    assert page.status == 200
    assert "klanten.xlsx: dit is geen echt .xlsx-bestand" in page.select_one(".notice--error").get_text()
    assert case_count(db, campaign) == 0
    missing = web.post(f"/campagnes/{campaign.id}/lijsten/", {"soort": "clients"}, content_type="multipart/form-data")
    assert missing.status == 422 and "Kies een bestand" in missing.text()


def test_other_roles_cannot_import(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    assert web.get(f"/campagnes/{campaign.id}/lijsten/").status == 403


def test_the_campaign_page_offers_the_lists_this_role_may_download(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.PROJECTLEIDER, campaigns=[campaign])
    upload(web, campaign, (SAMPLES / "gemeente-export-voorbeeld.csv").read_bytes(), "export.csv")
    links = {a.get_text(): a["href"] for a in web.get(f"/campagnes/{campaign.id}").select("#lijsten ~ ul a")}
    assert f"/campagnes/{campaign.id}/lijsten/download/dossiers.xlsx" in links.values()
    response = web.client.get(f"/campagnes/{campaign.id}/lijsten/download/dossiers.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.data)).active["A1"].value == "Kenmerk"


def test_a_role_without_the_list_gets_403(web, db):
    campaign = make_campaign(db)
    web.login_as(Role.UWV, campaigns=[campaign])
    assert web.get(f"/campagnes/{campaign.id}/lijsten/download/dossiers.xlsx").status == 403
    assert "Download: Alle dossiers" not in web.get(f"/campagnes/{campaign.id}").text()
