"""The phone team's workspace as a user sees it: search, case page, logging a call and what it changes."""

import datetime as dt

import pytest
import sqlalchemy as sa

from campaign.dates import today_amsterdam
from campaign.models import AuditEvent, Callback, Case, CaseEvent, Contact, Exemption, Letter, Pause
from campaign.roles import Role
from tests.phone_helpers import make_campaign


@pytest.fixture
def campaign_cases(db):
    with db.transaction() as session:
        campaign, cases = make_campaign(session)
        make_campaign(session, "Andere campagne", [{"bsn": "123456782", "surname": "Anders", "initials": "Z."}])
    return campaign, cases


@pytest.fixture
def phone(web, campaign_cases):
    campaign, cases = campaign_cases
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    return web


END = today_amsterdam() + dt.timedelta(days=180)


def case_url(case):
    return f"/dossiers/{case.id}"


def contact(web, case, version=None, **fields):
    data = {"channel": "telefoon_in", "outcome": "bereikt", "version": str(version or current_version(web, case))}
    data.update(fields)
    return web.post(f"/dossiers/{case.id}/contacten", data)


def current_version(web, case):
    page = web.get(case_url(case))
    return page.select_one("input[name=version]")["value"]


def test_results_appear_while_typing_with_masked_bsns(phone, campaign_cases):
    page = phone.post("/zoeken", {"q": "berg"}, htmx_target="zoekresultaten")
    assert page.status == 200
    links = page.select("a.search-result")
    assert [a.select_one(".search-result__name").get_text() for a in links] == ["J. van den Berg", "P. Bergman"]
    assert "*****2333" in page.html and "111222333" not in page.html
    assert page.select_one("header") is None  # a fragment, not a page


def test_enter_with_one_match_opens_the_case(phone, campaign_cases):
    _, cases = campaign_cases
    page = phone.post("/zoeken", {"q": "ozturk"})
    assert page.status == 303 and page.location == case_url(cases[0])


def test_the_header_search_box_is_on_every_page_for_the_phone_team(phone):
    box = phone.get("/").select_one("#globaal-zoeken")
    assert box is not None and box["name"] == "q"
    # posted, never in a URL: a BSN or name must not end up in browser history or access logs
    assert box.find_parent("form")["method"] == "post" and box.has_attr("hx-post")


def test_the_phone_team_only_finds_cases_of_its_own_campaigns(phone, db):
    page = phone.post("/zoeken", {"q": "anders"})
    assert "Geen dossiers gevonden" in page.text()
    with db.session() as session:
        other = session.scalar(sa.select(Case).where(Case.surname == "Anders"))
    assert phone.get(case_url(other)).status == 404


@pytest.mark.parametrize("role", [Role.UWV, Role.BEHEERDER])
def test_roles_without_case_access_cannot_search_or_open_cases(web, campaign_cases, role):
    _, cases = campaign_cases
    web.login_as(role)
    assert web.post("/zoeken", {"q": "berg"}).status == 403
    assert web.get(case_url(cases[0])).status == 403


def test_the_case_page_shows_the_full_bsn_and_logs_the_view(phone, campaign_cases, db):
    _, cases = campaign_cases
    page = phone.get(case_url(cases[0]))
    assert page.status == 200
    assert "123456782" in page.text("#samenvatting")
    assert "Nog niet aangeschreven" in page.text("#samenvatting")
    with db.session() as session:
        views = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.object_type == "case", AuditEvent.object_id == str(cases[0].id))
        ).all()
    assert [v.action for v in views] == ["view"]


def test_says_registered_pauses_the_case_until_the_next_uwv_list(phone, campaign_cases, db):
    _, cases = campaign_cases
    page = contact(phone, cases[0], reasons=["zegt_ingeschreven"], note="Heeft zich vorige week ingeschreven")
    assert page.status == 302
    page = phone.get(case_url(cases[0]))
    assert "wacht op de volgende UWV-lijst" in page.text("#samenvatting")
    assert page.text(".status-badge") == "Gepauzeerd"
    assert "Zegt ingeschreven te zijn" in page.text("#contacten-kop + table")
    assert "Gepauzeerd: zegt ingeschreven" in page.text(".timeline")
    with db.session() as session:
        pause = session.scalar(sa.select(Pause))
    assert pause.reason == "zegt_ingeschreven"
    assert pause.until - pause.starts_on == dt.timedelta(days=28)


def test_an_exemption_request_goes_to_the_beslisser_who_grants_it_with_an_end_date(web, campaign_cases, db, app):
    campaign, cases = campaign_cases
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    case_page = web.get(case_url(cases[1]))
    medisch = next(o for o in case_page.select("#exemption_type option") if o.get_text().startswith("Medische"))
    page = contact(
        web, cases[1], reasons=["ontheffing_aanvragen"], exemption_type=medisch["value"],
        exemption_motivation="medische reden", exemption_until="2027-05-31",
    )  # fmt: skip
    assert page.status == 302
    case_page = web.get(case_url(cases[1]))
    assert "wacht op de beslisser" in case_page.text("#samenvatting")
    assert case_page.text(".status-badge") == "Ontheffing aangevraagd"
    assert web.get("/ontheffingen/").status == 403

    beslisser = type(web)(app)
    beslisser.login_as(Role.BESLISSER)
    queue = beslisser.get("/ontheffingen/")
    assert "J. van den Berg" in queue.text()
    exemption_id = queue.select_one("form[action*=besluit]")["action"].split("/")[2]
    refused = beslisser.post(f"/ontheffingen/{exemption_id}/besluit", {"decision": "weigeren", "motivation": ""})
    assert refused.status == 422 and "Motiveer de weigering" in refused.text()
    granted = beslisser.post(
        f"/ontheffingen/{exemption_id}/besluit",
        {"decision": "verlenen", "starts_on": today_amsterdam().isoformat(), "ends_on": END.isoformat()},
    )
    assert granted.status == 302
    assert "Er wachten geen aanvragen" in beslisser.get("/ontheffingen/").text()
    with db.session() as session:
        exemption = session.scalar(sa.select(Exemption))
    assert (exemption.status, exemption.ends_on) == ("verleend", END)
    case_page = web.get(case_url(cases[1]))
    assert "Ontheffing verleend" in case_page.text(".timeline")
    assert case_page.text(".status-badge") == "Ontheffing verleend"


def test_an_oral_view_is_recorded_for_the_assessor(phone, campaign_cases, db):
    _, cases = campaign_cases
    page = contact(phone, cases[0], reasons=["zienswijze"], view_report="Was opgenomen in het ziekenhuis")
    assert page.status == 302
    assert "Zienswijze: Was opgenomen" in phone.get(case_url(cases[0])).text("#contacten-kop + table")


def test_a_view_without_a_report_is_refused_and_nothing_is_stored(phone, campaign_cases, db):
    _, cases = campaign_cases
    page = contact(phone, cases[0], reasons=["zienswijze"], note="iets")
    assert page.status == 422
    assert page.select_one("#view_report-fout") is not None
    assert page.select_one("#note").get_text() == "iets"  # the input is kept
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0


def test_a_new_address_keeps_the_old_one_in_the_history_and_readdresses_unmade_letters(phone, campaign_cases, db):
    _, cases = campaign_cases
    with db.transaction() as session:
        session.add(Letter(case_id=cases[0].id, step=1, kind="uitnodiging", address=["A. Öztürk", "Coolsingel 12a"]))
    page = contact(
        phone, cases[0], reasons=["adreswijziging"], street="Nieuwe Binnenweg", house_number="80",
        house_letter="B", postcode="3015bd", city="rotterdam",
    )  # fmt: skip
    assert page.status == 302
    page = phone.get(case_url(cases[0]))
    assert "Nieuwe Binnenweg 80b" in page.text("#samenvatting")
    assert "Adres gewijzigd van Coolsingel 12a, 3011 AB ROTTERDAM" in page.text(".timeline")
    with db.session() as session:
        letter = session.scalar(sa.select(Letter))
    assert letter.address[1:] == ["Nieuwe Binnenweg 80b", "3015 BD  ROTTERDAM"]


def test_a_note_that_is_too_long_is_refused(phone, campaign_cases):
    _, cases = campaign_cases
    page = contact(phone, cases[0], reasons=["overig"], note="x" * 501)
    assert page.status == 422 and page.select_one("#note-fout") is not None


def test_not_reached_cannot_carry_consequences(phone, campaign_cases):
    _, cases = campaign_cases
    page = contact(phone, cases[0], channel="telefoon_uit", outcome="niet_bereikt", reasons=["zegt_ingeschreven"])
    assert page.status == 422 and "niet hebt gesproken" in page.text("#reasons-fout")


def test_a_second_save_on_a_changed_case_gets_a_clear_message_and_loses_nothing(phone, campaign_cases, db, app):
    _, cases = campaign_cases
    stale_version = current_version(phone, cases[0])
    assert contact(phone, cases[0], version=stale_version, reasons=["vraag_over_brief"]).status == 302
    page = contact(phone, cases[0], version=stale_version, reasons=["klacht"], note="Boos over de toon van de brief")
    assert page.status == 409
    assert "Dit dossier is intussen gewijzigd" in page.text()
    assert page.select_one("#note").get_text() == "Boos over de toon van de brief"
    assert page.select_one("#reden-klacht").has_attr("checked")
    assert page.select_one("input[name=version]")["value"] != stale_version
    assert "Vraag over de brief" in page.text("#contacten-kop + table")  # the fresh state
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 1
    resend = contact(
        phone, cases[0], version=page.select_one("input[name=version]")["value"], reasons=["klacht"], note="Boos"
    )
    assert resend.status == 302


def test_a_callback_request_is_claimed_once_and_finished_by_logging_the_call(web, campaign_cases, db, app):
    campaign, cases = campaign_cases
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    page = contact(web, cases[2], reasons=["hulp_bij_inschrijven"], callback="1", callback_time="dinsdagochtend")
    assert page.status == 302
    assert "Terugbelverzoek open (voorkeur: dinsdagochtend)" in web.get(case_url(cases[2])).text("#samenvatting")

    colleague = type(web)(app)
    colleague.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    assert web.post("/terugbellen/oppakken", {"size": "10"}).status == 302
    mine = web.get("/terugbellen/")
    assert "P. Bergman" in mine.text("#mijn-kop + table")
    colleague.post("/terugbellen/oppakken", {"size": "10"})
    assert "U hebt niets opgepakt" in colleague.get("/terugbellen/").text()

    call_link = mine.select_one("#mijn-kop + table a")["href"]
    case_page = web.get(call_link)
    callback_id = case_page.select_one("input[name=callback_id]")["value"]
    page = web.post(
        f"/dossiers/{cases[2].id}/contacten",
        {"channel": "telefoon_uit", "outcome": "bereikt", "reasons": "hulp_bij_inschrijven",
         "version": case_page.select_one("input[name=version]")["value"], "callback_id": callback_id},
    )  # fmt: skip
    assert page.status == 302 and page.location == "/terugbellen/"
    queue = web.get("/terugbellen/")
    assert "U hebt niets opgepakt" in queue.text()
    assert "Het terugbelverzoek is afgerond." in queue.text(".flash-area")
    with db.session() as session:
        callback = session.scalar(sa.select(Callback))
        assert callback.done_at is not None
        kinds = session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == cases[2].id)).all()
    assert kinds.count("terugbellen") == 2


def test_a_project_leader_marks_a_case_for_an_outbound_call(web, campaign_cases, db):
    _, cases = campaign_cases
    web.login_as(Role.PROJECTLEIDER)
    assert web.post(f"/dossiers/{cases[1].id}/uitbellen", {"note": "Geen reactie op brieven"}).status == 302
    queue = web.get("/terugbellen/")
    assert "J. van den Berg" in queue.text("#wacht-kop + table")
    assert "Uitbellen" in queue.text("#wacht-kop + table")


def test_the_beslisser_sees_the_case_but_cannot_log_contacts(web, campaign_cases):
    _, cases = campaign_cases
    web.login_as(Role.BESLISSER)
    page = web.get(case_url(cases[0]))
    assert page.status == 200 and page.select_one("#contact") is None
    assert web.post(f"/dossiers/{cases[0].id}/contacten", {}).status == 403


def test_the_campaign_page_shows_the_phone_teams_numbers(phone, campaign_cases):
    campaign, cases = campaign_cases
    contact(phone, cases[0], reasons=["zegt_ingeschreven"], callback="1")
    page = phone.get(f"/campagnes/{campaign.id}")
    target = f"telefoonteam-{campaign.id}"
    assert page.select_one(f"#{target}")["hx-get"] == f"/campagnes/{campaign.id}/telefoonteam"
    fragment = phone.get(f"/campagnes/{campaign.id}/telefoonteam", htmx_target=target)
    facts = dict(
        zip(
            [term.get_text() for term in fragment.select("dt")],
            [dd.get_text(" ", strip=True) for dd in fragment.select("dd")],
            strict=True,
        )
    )
    assert facts["Terugbelverzoeken open"].startswith("1")
    assert facts["Zegt ingeschreven, wacht op UWV-lijst"] == "1"
    assert facts["Contacten afgelopen 7 dagen"] == "1"
    assert facts["Ontheffingen aangevraagd"] == "0"


def test_two_beslissers_deciding_one_request_the_second_is_told_and_nothing_is_overwritten(
    web, campaign_cases, db, app
):
    campaign, cases = campaign_cases
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    medisch = next(
        o for o in web.get(case_url(cases[0])).select("#exemption_type option") if o.get_text().startswith("Med")
    )
    contact(
        web, cases[0], reasons=["ontheffing_aanvragen"], exemption_type=medisch["value"], exemption_motivation="medisch"
    )
    first, second = type(web)(app), type(web)(app)
    first.login_as(Role.BESLISSER)
    second.login_as(Role.BESLISSER)
    action = first.get("/ontheffingen/").select_one("form[action*=besluit]")["action"]
    second.get("/ontheffingen/")
    assert first.post(action, {"decision": "weigeren", "motivation": "Geen dringende reden"}).status == 302
    late = second.post(action, {"decision": "verlenen", "starts_on": "2026-12-01", "ends_on": "2027-01-31"})
    assert late.status == 302
    assert "intussen door iemand anders beslist" in second.get("/ontheffingen/").text(".flash-area")
    with db.session() as session:
        exemption = session.scalar(sa.select(Exemption))
    assert (exemption.status, exemption.decision_motivation) == ("geweigerd", "Geen dringende reden")


def test_the_case_page_links_each_stored_letter_pdf_and_a_cleared_file_gives_a_clear_404(phone, campaign_cases, db):
    _, cases = campaign_cases
    settings = phone.app.extensions["herinschrijving.settings"]
    pdf = settings.instance_path / "brieven" / "proef.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7 proef")
    with db.transaction() as session:
        letter = Letter(case_id=cases[0].id, step=1, kind="uitnodiging", status="verzonden", pdf_path=str(pdf))
        session.add(letter)
        session.flush()
        letter_id = letter.id
    page = phone.get(case_url(cases[0]))
    link = page.select_one(f"a[href='/brieven/{letter_id}.pdf']")
    assert link is not None
    with phone.client.get(link["href"]) as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    pdf.unlink()
    gone = phone.get(link["href"])
    assert gone.status == 404
    assert "niet (meer) aanwezig" in gone.text()
