"""Correcting and withdrawing a dispatched letter from the case page; the address research work list."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from campaign.escalation import create_step_letters
from campaign.models import Case, Letter, Pause
from campaign.roles import Role
from letters import returned
from tests.escalation_support import ACTOR, dispatch, make_campaign, make_cases

D1 = dt.date(2026, 9, 1)


def invited_case(db) -> tuple[int, int, int]:
    """(campaign id, case id, letter id) of a case whose invitation was dispatched on D1."""
    with db.transaction() as session:
        campaign = make_campaign(session)
        (case,) = make_cases(session, campaign, 1)
        (letter,) = create_step_letters(session, campaign, [case.id], 1, D1, None)
        dispatch(session, [letter], D1)
        return campaign.id, case.id, letter.id


def letters_of(db, case_id: int) -> list[tuple]:
    with db.transaction() as session:
        rows = session.execute(
            sa.select(Letter.id, Letter.kind, Letter.status, Letter.replaces_id, Letter.correction_of_id)
            .where(Letter.case_id == case_id)
            .order_by(Letter.id)
        )
        return [tuple(row) for row in rows]


def test_a_project_leader_sends_a_correction_from_the_case_page_and_a_second_submit_is_refused(web, db):
    _campaign_id, case_id, letter_id = invited_case(db)
    web.login_as(Role.PROJECTLEIDER)
    case_page = web.get(f"/dossiers/{case_id}")
    link = case_page.select_one(f"#brief-{letter_id} a[href='/brieven/{letter_id}/corrigeren']")
    assert link is not None and "Correctiebrief sturen" in link.get_text()
    form = web.get(link["href"])
    assert form.status == 200 and "1 september 2026" in form.text(".facts")
    empty = web.post(f"/brieven/{letter_id}/corrigeren", {"reason": "  "})
    assert empty.status == 422
    assert "Geef een uitleg van wat er niet klopte" in empty.text("#reason-fout")
    assert letters_of(db, case_id) == [(letter_id, "uitnodiging", "verzonden", None, None)]
    done = web.post(f"/brieven/{letter_id}/corrigeren", {"reason": "Het telefoonnummer klopte niet"})
    assert done.status == 302
    (_, _, status, _, _), (new_id, kind, new_status, replaces, _) = letters_of(db, case_id)
    assert (status, kind, new_status, replaces) == ("vervangen", "uitnodiging", "aangemaakt", letter_id)
    chain = web.get(f"/dossiers/{case_id}")
    assert f"vervangen door brief {new_id}" in chain.text(f"#brief-{letter_id}")
    assert f"correctie: vervangt brief {letter_id}" in chain.text(f"#brief-{new_id}")
    assert chain.select_one(f"a[href='/brieven/{letter_id}/corrigeren']") is None  # no longer offered
    again = web.post(f"/brieven/{letter_id}/corrigeren", {"reason": "Het telefoonnummer klopte niet"})
    assert again.status == 422
    assert f"al vervangen door brief {new_id}" in again.text("[role=alert]")
    assert len(letters_of(db, case_id)) == 2


def test_a_withdrawal_needs_a_reason_and_shows_on_the_case_page_with_its_notice(web, db):
    _campaign_id, case_id, letter_id = invited_case(db)
    web.login_as(Role.PROJECTLEIDER)
    form = web.get(f"/brieven/{letter_id}/intrekken")
    assert "de tick kan deze stap opnieuw sturen" in form.text().replace("dagelijkse verwerking", "tick")
    assert form.select_one("select#no_action_reason option[value=OVERLEDEN]") is not None
    refused = web.post(f"/brieven/{letter_id}/intrekken", {"reason": "", "no_action_reason": ""})
    assert refused.status == 422 and "Geef de reden van de intrekking" in refused.text("#reason-fout")
    wrong = web.post(f"/brieven/{letter_id}/intrekken", {"reason": "Overleden", "no_action_reason": "ONZIN"})
    assert wrong.status == 422 and "Kies een reden geen actie uit de lijst" in wrong.text("#no_action_reason-fout")
    done = web.post(f"/brieven/{letter_id}/intrekken", {"reason": "Overleden", "no_action_reason": "OVERLEDEN"})
    assert done.status == 302
    (_, _, status, _, _), (notice_id, kind, notice_status, _, withdrawn) = letters_of(db, case_id)
    assert (status, kind, notice_status, withdrawn) == ("ingetrokken", "intrekking", "aangemaakt", letter_id)
    page = web.get(f"/dossiers/{case_id}")
    assert "ingetrokken op" in page.text(f"#brief-{letter_id}") and "(Overleden)" in page.text(f"#brief-{letter_id}")
    assert f"trekt brief {letter_id} in" in page.text(f"#brief-{notice_id}")
    assert "Geen actie" in page.text(".status-badge")
    with db.transaction() as session:
        campaign_id = session.scalar(sa.select(Case.campaign_id).where(Case.id == case_id))
    printing = web.get(f"/campagnes/{campaign_id}/nog-te-printen")
    assert "Intrekking van een brief" in printing.text("table")
    assert printing.select_one("input[name=kind][value=intrekking]") is not None
    overview = web.get(f"/campagnes/{campaign_id}/brieven")
    assert overview.select_one(f"a[href='/campagnes/{campaign_id}/sjablonen/intrekking']") is not None
    template = web.get(f"/campagnes/{campaign_id}/sjablonen/intrekking")
    assert template.status == 200 and "Die brief trekken wij in." in template.text(".letter-preview")


def test_the_phone_team_sees_no_correction_or_withdrawal_and_may_not_post_one(web, db):
    _campaign_id, case_id, letter_id = invited_case(db)
    with db.transaction() as session:
        campaign = session.get(Case, case_id).campaign
        session.expunge(campaign)
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    page = web.get(f"/dossiers/{case_id}")
    assert page.status == 200 and page.select_one(f"#brief-{letter_id}") is not None
    assert page.select_one("a[href$='/corrigeren']") is None and page.select_one("a[href$='/intrekken']") is None
    assert web.post(f"/brieven/{letter_id}/intrekken", {"reason": "Zomaar ingetrokken"}).status == 403
    assert letters_of(db, case_id)[0][2] == "verzonden"


def _returned(db) -> tuple[int, int, str]:
    campaign_id, case_id, _letter_id = invited_case(db)
    with db.transaction() as session:
        reference = session.get(Case, case_id).reference
        returned.register_returned(session, ACTOR, campaign_id, reference, D1 + dt.timedelta(days=3))
    return campaign_id, case_id, reference


def test_the_retour_work_list_leads_to_a_page_where_a_found_address_sends_the_letter_again(web, db):
    campaign_id, case_id, reference = _returned(db)
    web.login_as(Role.PROJECTLEIDER)
    work = web.get(f"/campagnes/{campaign_id}/retour")
    link = work.select_one(f"#werklijst ~ table a[href='/campagnes/{campaign_id}/retour/{case_id}']")
    assert link is not None and reference in link.get_text()
    page = web.get(link["href"])
    assert page.status == 200 and "Coolsingel 40" in page.text(".facts")
    version = page.select_one("input[name=version]")["value"]
    url = f"/campagnes/{campaign_id}/retour/{case_id}/adres-gevonden"
    bad = web.post(url, {"version": version, "street": "Kleiweg", "house_number": "7", "postcode": "12", "city": "R"})
    assert bad.status == 422 and "Vul een Nederlandse postcode in" in bad.text("#postcode-fout")
    assert bad.select_one("#street")["value"] == "Kleiweg"  # the input is kept
    good = {"version": version, "street": "Kleiweg", "house_number": "7", "postcode": "3051GH", "city": "rotterdam"}
    done = web.post(url, good)
    assert done.status == 302
    after = web.get(f"/campagnes/{campaign_id}/retour")
    assert "Er zijn geen dossiers met retourpost" in after.text()
    assert "opnieuw gestuurd naar het nieuwe adres" in after.text(".flash-area")
    with db.transaction() as session:
        case = session.get(Case, case_id)
        assert (case.street, case.postcode, case.status) == ("Kleiweg", "3051 GH", "aangeschreven")
        pause = session.scalar(sa.select(Pause).where(Pause.case_id == case_id))
        assert pause.release_reason == "Adres gevonden"
    (_, _, old_status, _, _), (_new, kind, status, replaces, _) = letters_of(db, case_id)
    assert (old_status, kind, status) == ("vervangen", "uitnodiging", "aangemaakt") and replaces is not None
    twice = web.post(url, good)
    assert twice.status == 422 and "niet (meer) op de werklijst" in twice.text("[role=alert]")
    assert len(letters_of(db, case_id)) == 2


def test_address_unknown_ends_the_research_and_a_stale_form_changes_nothing(web, db):
    campaign_id, case_id, _reference = _returned(db)
    web.login_as(Role.PROJECTLEIDER)
    page = web.get(f"/campagnes/{campaign_id}/retour/{case_id}")
    version = page.select_one("input[name=version]")["value"]
    url = f"/campagnes/{campaign_id}/retour/{case_id}/adres-onbekend"
    stale = web.post(url, {"version": str(int(version) - 1)})
    assert stale.status == 422 and "intussen gewijzigd" in stale.text("[role=alert]")
    done = web.post(url, {"version": version})
    assert done.status == 302
    with db.transaction() as session:
        case = session.get(Case, case_id)
        assert (case.no_action_reason, case.status) == ("ADRES_ONBEKEND", "geen_actie")
    assert "Er zijn geen dossiers met retourpost" in web.get(f"/campagnes/{campaign_id}/retour").text()
