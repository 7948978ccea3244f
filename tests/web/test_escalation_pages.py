"""Pages of the escalation area: ladder settings, the daily tick's runs, the sanction track, the decisions export."""

from __future__ import annotations

import datetime as dt
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from campaign.dates import today_amsterdam
from campaign.models import Campaign, Letter, OrdinanceRule, SanctionProposal, TickRun
from campaign.roles import Role
from tests.escalation_support import dispatch, make_campaign, ordinance, to_proposal, uwv_list


def test_a_project_leader_sets_the_ladder_and_sees_errors_beside_the_fields(web, db):
    with db.transaction() as session:
        campaign_id = make_campaign(session, "Ladder").id
    web.login_as(Role.PROJECTLEIDER)
    page = web.get(f"/campagnes/{campaign_id}/ladder")
    assert page.status == 200
    assert page.select_one("#step-3-deadline")["value"] == "14"
    form = {
        "step-1-title": "Uitnodiging",
        "step-2-title": "Herinnering",
        "step-2-delay": "21",
        "step-3-title": "Laatste oproep",
        "step-3-delay": "14",
        "step-3-deadline": "3",
        "step-4-title": "Voornemen",
        "step-5-title": "Besluit",
        "view_period_days": "14",
        "uwv_freshness_days": "7",
        "says_registered_pause_days": "28",
    }
    bad = web.post(f"/campagnes/{campaign_id}/ladder", form)
    assert bad.status == 422
    assert "van 7 tot en met 60" in bad.text("#step-3-deadline-fout")
    assert bad.select_one("#auto_launch_steps").has_attr("checked") is False
    ok = web.post(f"/campagnes/{campaign_id}/ladder", {**form, "step-3-deadline": "21", "auto_launch_steps": "ja"})
    assert ok.status == 302
    with db.session() as session:
        campaign = session.get(Campaign, campaign_id)
        assert (campaign.step(2).delay_days, campaign.step(3).deadline_days, campaign.uwv_freshness_days) == (21, 21, 7)
        assert campaign.auto_launch_steps is True
    assert web.get(f"/campagnes/{campaign_id}/ladder").select_one("#auto_launch_steps").has_attr("checked")
    web.post(f"/campagnes/{campaign_id}/ladder/herinnering")
    with db.session() as session:
        kinds = [s.kind for s in session.get(Campaign, campaign_id).steps]
        assert kinds == ["uitnodiging", "herinnering", "herinnering", "ultimatum", "voornemen", "besluit"]


def test_the_phone_team_cannot_open_ladder_or_sanctions(web, db):
    with db.transaction() as session:
        campaign = make_campaign(session, "Geheim")
    web.login_as(Role.TELEFOONTEAM, campaigns=[campaign])
    assert web.get(f"/campagnes/{campaign.id}/ladder").status == 403
    assert web.get("/maatregelen/").status == 403


def test_running_the_tick_from_the_web_shows_its_summary(web, db):
    with db.transaction() as session:
        campaign_id = make_campaign(session, "Tik").id
    web.login_as(Role.PROJECTLEIDER)
    assert web.post(f"/campagnes/{campaign_id}/dagelijkse-verwerking").status == 302
    page = web.get(f"/campagnes/{campaign_id}/dagelijkse-verwerking")
    assert "Herinnering" in page.text("table")
    with db.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(TickRun)) == 1


def test_assess_approve_decide_through_the_pages_with_four_eyes(web, db, app):
    with db.transaction() as session:
        ordinance(session)
        campaign, (case,), _day = to_proposal(session)
        uwv_list(session, campaign, today_amsterdam())
        proposal_id = session.scalar(sa.select(SanctionProposal.id))
        reference = case.reference
    web.login_as(Role.PROJECTLEIDER)
    queue = web.get("/maatregelen/")
    assert reference in queue.text("#groep-voorstel + p, section")
    page = web.get(f"/maatregelen/{proposal_id}")
    facts = page.select_one("div.known-facts").get_text(" ")
    assert "Stap 3 (ultimatum): verzonden" in facts
    bad = web.post(
        f"/maatregelen/{proposal_id}/beoordelen", {"bereikt": "ja", "blame": "geen", "proposed_outcome": "verlaging"}
    )
    assert bad.status == 422
    assert "negende lid" in bad.text("main")
    answers = {"bereikt": "ja", "kon_inschrijven": "ja", "blame": "volledig", "proposed_outcome": "verlaging",
               "motivation": "Drie brieven ontvangen en geen reactie gegeven."}  # fmt: skip
    assert web.post(f"/maatregelen/{proposal_id}/beoordelen", answers).status == 302
    assert web.post(f"/maatregelen/{proposal_id}/goedkeuren").status == 403  # a project leader never approves

    other = type(web)(app)
    other.login_as(Role.BESLISSER)
    assert other.post(f"/maatregelen/{proposal_id}/goedkeuren").status == 302
    with db.transaction() as session:
        proposal = session.get(SanctionProposal, proposal_id)
        intent = session.get(Letter, proposal.intent_letter_id)
        assert intent.data["view_deadline_text"]
        dispatch(session, [intent], today_amsterdam() - dt.timedelta(days=20))
        intent.deadline = today_amsterdam() - dt.timedelta(days=6)
    decided = other.post(
        f"/maatregelen/{proposal_id}/besluiten",
        {"outcome": "verlaging", "motivation": "Niet ingeschreven ondanks drie brieven en een voornemen."},
    )
    assert decided.status == 302
    page = other.get(f"/maatregelen/{proposal_id}")
    assert "30% gedurende 1 maand(en)" in page.text("dl.facts")

    export = other.client.get(f"/maatregelen/campagne/{campaign.id}/besluiten.xlsx")
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kenmerk" and rows[1][0] == reference and rows[1][5] == 30


def test_the_ordinance_page_adds_a_dated_rule_and_closes_the_previous(web, db):
    with db.transaction() as session:
        ordinance(session, dt.date(2025, 1, 1))
    web.login_as(Role.BEHEERDER)
    form = {
        "category": "niet_ingeschreven",
        "percentage": "20",
        "months": "2",
        "recidive_percentage": "40",
        "recidive_months": "3",
        "valid_from": "2027-01-01",
        "source": "Verordening 2027",
        "warning_allowed": "1",
    }
    assert web.post("/maatregelen/verordening", {**form, "percentage": "0"}).status == 422
    assert web.post("/maatregelen/verordening", form).status == 302
    with db.session() as session:
        rules = session.scalars(sa.select(OrdinanceRule).order_by(OrdinanceRule.valid_from)).all()
        assert [(r.valid_from, r.valid_to) for r in rules] == [
            (dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
            (dt.date(2027, 1, 1), None),
        ]
