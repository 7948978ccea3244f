"""AVG art. 15: one click gives everything held on a person, including who viewed it and why."""

import io

import sqlalchemy as sa
from openpyxl import load_workbook

from campaign import audit
from campaign.campaigns import create_campaign
from campaign.cases import add_event, new_case
from campaign.models import AuditEvent, Contact
from campaign.roles import Role


def make_person(db, bsn="123456782"):
    with db.transaction() as session:
        campaign = create_campaign(session, audit.Actor.system("test"), "Inzage 2026")
        case = new_case(campaign, {"bsn": bsn, "surname": "Öztürk", "initials": "A.", "street": "Coolsingel"})
        session.add(case)
        session.flush()
        add_event(session, case, None, "import", "Geïmporteerd uit lijst oktober")
        session.add(Contact(case_id=case.id, channel="telefoon_in", reasons=["vraag over brief"], note="Belde terug"))
        audit.record(
            session,
            audit.Actor(None, "tamara@gemeente.invalid", "web"),
            "view",
            "case",
            case.id,
            purpose="telefonisch contact",
        )
        return case.id


def test_the_overview_counts_what_is_held_and_the_download_contains_it_all(web, db):
    make_person(db)
    web.login_as(Role.PROJECTLEIDER)
    page = web.post("/inzage/", {"bsn": "123456782"})
    counts = {row.select("td")[0].get_text(): row.select("td")[1].get_text() for row in page.select("tbody tr")}
    assert counts["Dossiers"] == "1"
    assert counts["Contacten"] == "1"
    assert counts["Geschiedenis"] == "1"

    download = web.client.post("/inzage/", data={"bsn": "123456782", "download": "1", "csrf_token": web.csrf_token()})
    workbook = load_workbook(io.BytesIO(download.data))
    assert "Dossiers" in workbook.sheetnames
    dossier = list(workbook["Dossiers"].values)
    assert "Öztürk" in dossier[1]
    viewers = list(workbook["Wie heeft ingezien"].values)
    assert any("tamara@gemeente.invalid" in row and "telefonisch contact" in row for row in viewers[1:])


def test_collecting_the_export_is_itself_logged(web, db):
    case_id = make_person(db)
    web.login_as(Role.BESLISSER)
    web.post("/inzage/", {"bsn": "123456782"})
    with db.session() as session:
        purposes = session.scalars(
            sa.select(AuditEvent.purpose).where(AuditEvent.object_id == str(case_id), AuditEvent.action == "export")
        ).all()
    assert purposes == ["AVG art. 15 inzageverzoek"]


def test_an_invalid_bsn_gets_a_message_beside_the_field(web, db):
    web.login_as(Role.PROJECTLEIDER)
    page = web.post("/inzage/", {"bsn": "111222334"})
    assert page.status == 422
    assert "elfproef" in page.select_one("#bsn-fout").get_text()


def test_a_person_without_data_is_told_so(web, db):
    web.login_as(Role.PROJECTLEIDER)
    page = web.post("/inzage/", {"bsn": "111222333"})
    assert "geen enkele campagne" in page.select_one("[role=status]").get_text()


def test_phone_team_uwv_and_administrator_cannot_use_it(web, db):
    for role in (Role.TELEFOONTEAM, Role.UWV, Role.BEHEERDER):
        web.login_as(role)
        assert web.get("/inzage/").status == 403
        web.post("/inloggen/uitloggen")
