"""The letters pages as a project leader uses them: templates with preview, waves, batches, returned mail."""

from __future__ import annotations

import io

import pypdf
import sqlalchemy as sa
from PIL import Image

from campaign.jobs import wait_for_inprocess_jobs
from campaign.models import Case, Letter, Municipality, Pause, PrintBatch, TemplateVersion, Wave
from campaign.roles import Role
from tests.letters.support import make_people


def test_the_editor_previews_unsaved_text_for_a_case_and_saves_a_new_version(web, db):
    campaign_id = make_people(db, 2)
    web.login_as(Role.PROJECTLEIDER)
    page = web.get(f"/campagnes/{campaign_id}/sjablonen/uitnodiging")
    assert page.status == 200
    assert "Schrijf u in als werkzoekende bij UWV" in page.text(".letter-preview")
    assert "J. Vries0" in page.text(".letter-preview")
    url = f"/campagnes/{campaign_id}/sjablonen/uitnodiging"
    body = "<p>Beste {{ naam }}, bel {{ telefoon }}.</p><script>alert(1)</script>"
    with db.transaction() as session:
        second = session.scalars(sa.select(Case.reference).where(Case.campaign_id == campaign_id).order_by(Case.id))
        reference = list(second)[1]
    fragment = web.post(f"{url}/voorbeeld", {"subject": "Nieuw onderwerp", "body": body, "kenmerk": reference})
    assert fragment.status == 200
    assert fragment.text(".letter-preview__subject") == "Nieuw onderwerp"
    assert "Beste J. de Vries1, bel 14 010." in fragment.text(".letter-preview__body")
    assert "script" not in fragment.html
    saved = web.post(url, {"subject": "Nieuw onderwerp", "body": body})
    assert saved.status == 302
    with db.transaction() as session:
        versions = session.scalars(
            sa.select(TemplateVersion).where(TemplateVersion.campaign_id == campaign_id).order_by(TemplateVersion.id)
        ).all()
        assert [(v.kind, v.version) for v in versions if v.kind == "uitnodiging"] == [
            ("uitnodiging", 1),
            ("uitnodiging", 2),
        ]
        assert "<script>" not in versions[-1].body
    pdf = web.client.get(f"{url}/voorbeeld.pdf?kenmerk={reference}")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.status_code == 200 and "Nieuw onderwerp" in text and "Beste J. de Vries1, bel 14 010." in text
    with db.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 0  # a preview is never a letter
    old = web.get(f"{url}/versies/1")
    assert "Zo schrijft u zich in op werk.nl" in old.text()


def test_an_unknown_placeholder_is_refused_with_the_list_of_valid_ones(web, db):
    campaign_id = make_people(db, 1)
    web.login_as(Role.PROJECTLEIDER)
    page = web.post(f"/campagnes/{campaign_id}/sjablonen/herinnering", {"subject": "X", "body": "<p>{{ bsn }}</p>"})
    assert page.status == 422
    message = page.text("[role=alert]")
    assert "onbekende invulvelden {{ bsn }}" in message
    assert "{{ naam }}" in message and "{{ termijn }}" in message
    sneaky = {"subject": "X", "body": "<p>{{ naam.__class__ }}</p>"}
    page = web.post(f"/campagnes/{campaign_id}/sjablonen/herinnering", sneaky)
    assert page.status == 422


def test_a_wave_preview_shows_who_is_held_back_and_launching_twice_makes_one_wave(web, db):
    campaign_id = make_people(db, 4)
    with db.transaction() as session:
        case = session.scalar(sa.select(Case).where(Case.campaign_id == campaign_id).order_by(Case.id))
        case.no_action_reason = "OVERLEDEN"
    web.login_as(Role.PROJECTLEIDER)
    preview = web.post(f"/campagnes/{campaign_id}/golven/voorbeeld", {"size": "2"}, htmx_target="golf-plan")
    assert preview.status == 200
    assert preview.select_one("#golf-plan") is not None and preview.select_one("h1") is None
    assert "Reden geen actie 1" in preview.text(".wave-preview")
    token = preview.select_one("input[name=token]")["value"]
    form = {"size": "2", "token": token, "letter_date": ""}
    first = web.post(f"/campagnes/{campaign_id}/golven", form)
    second = web.post(f"/campagnes/{campaign_id}/golven", form)
    assert first.status == second.status == 302
    assert first.location == second.location
    wait_for_inprocess_jobs()
    with db.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Wave)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 2
    page = web.get(first.location)
    assert "Klaar om te printen" in page.text()
    assert page.select_one("a[href$='bundel.pdf']") is not None
    bundle = web.client.get(page.select_one("a[href$='bundel.pdf']")["href"])
    data = bundle.data
    bundle.close()
    assert bundle.status_code == 200 and data.startswith(b"%PDF")


def test_dispatching_a_batch_twice_records_it_once(web, db):
    campaign_id = make_people(db, 2)
    web.login_as(Role.PROJECTLEIDER)
    token = web.get(f"/campagnes/{campaign_id}/golven").select_one("input[name=token]")["value"]
    launched = web.post(f"/campagnes/{campaign_id}/golven", {"size": "2", "token": token})
    wait_for_inprocess_jobs()
    batch_url = launched.location
    page = web.get(batch_url)
    day = page.select_one("#dispatched_on")["value"]
    assert web.post(f"{batch_url}/verzonden", {"dispatched_on": day}).status == 302
    assert "vastgelegd" in web.get(batch_url).text(".flash-area")
    web.post(f"{batch_url}/verzonden", {"dispatched_on": day})
    assert "Dit was al vastgelegd" in web.get(batch_url).text(".flash-area")
    with db.transaction() as session:
        batch = session.scalar(sa.select(PrintBatch))
        assert batch.status == "verzonden"
        events = session.execute(sa.text("SELECT count(*) FROM case_events WHERE kind = 'brief_verzonden'")).scalar()
        assert events == 2


def test_returned_mail_pauses_the_case_and_reports_unknown_references(web, db):
    campaign_id = make_people(db, 2)
    web.login_as(Role.PROJECTLEIDER)
    token = web.get(f"/campagnes/{campaign_id}/golven").select_one("input[name=token]")["value"]
    launched = web.post(f"/campagnes/{campaign_id}/golven", {"size": "2", "token": token})
    wait_for_inprocess_jobs()
    day = web.get(launched.location).select_one("#dispatched_on")["value"]
    web.post(f"{launched.location}/verzonden", {"dispatched_on": day})
    with db.transaction() as session:
        reference = session.scalar(sa.select(Case.reference).where(Case.campaign_id == campaign_id).limit(1))
    page = web.post(f"/campagnes/{campaign_id}/retour", {"kenmerken": f"{reference.lower()}\nXYZ-0000000"})
    assert page.status == 200
    assert "1 brieven als retour geregistreerd" in page.text("#retour-resultaat")
    assert "Onbekende kenmerken: XYZ-0000000" in page.text("#retour-resultaat")
    assert reference in page.text("#werklijst ~ table")
    with db.transaction() as session:
        case = session.scalar(sa.select(Case).where(Case.reference == reference))
        assert case.status == "gepauzeerd"
        assert session.scalar(sa.select(Pause.reason).where(Pause.case_id == case.id)) == "retour"
    again = web.post(f"/campagnes/{campaign_id}/retour", {"kenmerken": reference})
    assert f"Al eerder geregistreerd: {reference}" in again.text("#retour-resultaat")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 80, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_municipality_settings_accept_a_real_image_and_refuse_anything_else(web, db):
    web.login_as(Role.BEHEERDER)
    page = web.get("/beheer/gemeente")
    assert page.status == 200
    inputs = [i for i in page.select("form input") if i.get("name") and i.get("type") != "file"]
    form = {i["name"]: i.get("value", "") for i in inputs}
    form.update({"name": "Gemeente Rotterdam", "signatory_name": "A. Ambtenaar", "signatory_function": "Teamleider"})
    bad = web.post("/beheer/gemeente", {**form, "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
                   content_type="multipart/form-data")  # fmt: skip
    assert bad.status == 422
    assert "geen leesbare PNG- of JPEG-afbeelding" in bad.text("#logo-fout")
    good = web.post("/beheer/gemeente", {**form, "logo": (io.BytesIO(_png()), "logo.png")},
                    content_type="multipart/form-data")  # fmt: skip
    assert good.status == 302
    with db.transaction() as session:
        row = session.get(Municipality, 1)
        assert (row.name, row.logo_mime, row.signatory_name) == ("Gemeente Rotterdam", "image/png", "A. Ambtenaar")
    assert web.client.get("/beheer/gemeente/logo").data == _png()


def test_the_phone_team_cannot_plan_waves_and_sees_letters_only_of_its_own_campaigns(web, db):
    campaign_id = make_people(db, 1)
    other = make_people(db, 1, name="Andere campagne")
    with db.transaction() as session:
        session.add(Letter(case_id=session.scalar(sa.select(Case.id).where(Case.campaign_id == campaign_id)),
                           step=1, kind="uitnodiging", pdf_path="/nonexistent.pdf"))  # fmt: skip
        letter_id = session.scalar(sa.select(Letter.id))
    from campaign.models import Campaign

    with db.transaction() as session:
        own = session.get(Campaign, other)
    web.login_as(Role.TELEFOONTEAM, campaigns=[own])
    assert web.get(f"/campagnes/{campaign_id}/golven").status == 403
    assert web.get(f"/brieven/{letter_id}.pdf").status == 404


def test_letters_made_by_the_tick_wait_on_nog_te_printen_until_a_batch_is_made_once(web, db):
    from campaign.escalation import create_step_letters
    from campaign.models import Campaign
    from tests.letters.support import TODAY

    campaign_id = make_people(db, 3)
    with db.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        ids = list(session.scalars(sa.select(Case.id).where(Case.campaign_id == campaign_id)))
        create_step_letters(session, campaign, ids, 1, TODAY, None)
    web.login_as(Role.PROJECTLEIDER)
    page = web.get(f"/campagnes/{campaign_id}/nog-te-printen")
    assert "1 · Uitnodiging 3" in page.text("table")
    day = page.select_one("input[name=letter_date]")["value"]
    made = web.post(f"/campagnes/{campaign_id}/nog-te-printen", {"step": "1", "letter_date": day})
    again = web.post(f"/campagnes/{campaign_id}/nog-te-printen", {"step": "1", "letter_date": day})
    wait_for_inprocess_jobs()
    assert "/printbatches/" in made.location
    assert "geen brieven meer" in web.get(again.location).text(".flash-area")
    with db.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PrintBatch)) == 1
        assert session.scalar(sa.select(sa.func.count()).where(Letter.batch_id.is_(None))) == 0
    assert (
        "Er zijn geen brieven die nog geprint moeten worden."
        in web.get(f"/campagnes/{campaign_id}/nog-te-printen").text()
    )


def test_the_case_letters_partial_lists_each_letter_with_its_pdf(app, db, web):
    from flask import render_template_string

    campaign_id = make_people(db, 1)
    web.login_as(Role.PROJECTLEIDER)
    token = web.get(f"/campagnes/{campaign_id}/golven").select_one("input[name=token]")["value"]
    web.post(f"/campagnes/{campaign_id}/golven", {"size": "1", "token": token})
    wait_for_inprocess_jobs()
    with db.transaction() as session:
        case = session.scalar(sa.select(Case).where(Case.campaign_id == campaign_id))
        letter_id = session.scalar(sa.select(Letter.id).where(Letter.case_id == case.id))
    with app.test_request_context():
        html = render_template_string('{% include "letters/_case_letters.html" %}', case=case)
    assert f"/brieven/{letter_id}.pdf" in html and "Klaar om te printen" in html
    pdf = web.client.get(f"/brieven/{letter_id}.pdf")
    data = pdf.data
    pdf.close()
    assert data.startswith(b"%PDF")
