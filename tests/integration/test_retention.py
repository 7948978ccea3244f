"""Closing a campaign and clearing its working data after the retention period; decisions are kept."""

import datetime as dt

import pytest
import sqlalchemy as sa

from campaign import retention
from campaign.audit import Actor
from campaign.campaigns import create_campaign
from campaign.cases import add_event, new_case
from campaign.errors import IllegalTransition
from campaign.models import Campaign, Case, CaseEvent, ImportRun, Letter

ACTOR = Actor.system("test")


def _campaign_with_cases(session, *, statuses=("aangeschreven", "besluit")):
    campaign = create_campaign(session, ACTOR, "Bewaar 2026")
    cases = []
    for i, status in enumerate(statuses):
        case = new_case(
            campaign,
            {"bsn": f"11122233{i + 3}", "surname": f"Jansen{i}", "street": "Coolsingel", "postcode": "3011 AD"},
        )
        case.status = status
        session.add(case)
        session.flush()
        add_event(session, case, ACTOR, "import", "Ingelezen")
        session.add(Letter(case_id=case.id, step=1, kind="uitnodiging", pdf_path=f"brieven/{case.id}.pdf"))
        cases.append(case)
    session.flush()
    return campaign, cases


def test_months_are_added_to_the_calendar_month_end():
    assert retention.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert retention.add_months(dt.date(2026, 11, 23), 12) == dt.date(2027, 11, 23)


def test_an_open_campaign_is_never_cleared(session, today):
    campaign, _ = _campaign_with_cases(session)
    with pytest.raises(IllegalTransition, match="nog open"):
        retention.purge_campaign(session, ACTOR, campaign, today)
    assert retention.due_campaigns(session, today + dt.timedelta(days=5000)) == []


def test_nothing_is_cleared_before_the_retention_period_has_passed(session, today):
    campaign, _ = _campaign_with_cases(session)
    retention.close_campaign(session, ACTOR, campaign, today)
    day_before = retention.add_months(today, campaign.retention_months) - dt.timedelta(days=1)
    assert retention.due_campaigns(session, day_before) == []
    with pytest.raises(IllegalTransition, match="bewaartermijn"):
        retention.purge_campaign(session, ACTOR, campaign, day_before)


def test_after_the_period_people_are_anonymised_and_decisions_kept(session, today):
    campaign, (plain, decided) = _campaign_with_cases(session)
    run = ImportRun(
        campaign_id=campaign.id, filename="clienten.xlsx", sha256="0" * 64, reference_date=today,
        summary={"counts": {"nieuw": 2}, "sample": [{"bsn": "*****2333", "waarden": {"Achternaam": "Jansen0"}}]},
    )  # fmt: skip
    session.add(run)
    retention.close_campaign(session, ACTOR, campaign, today)
    due = retention.add_months(today, campaign.retention_months)
    assert retention.due_campaigns(session, due) == [campaign]

    result = retention.purge_campaign(session, ACTOR, campaign, due)
    session.flush()
    session.expire_all()

    assert (result.anonymised, result.kept_for_decision) == (1, 1)
    assert result.files == [f"brieven/{plain.id}.pdf"]
    cleared = session.get(Case, plain.id)
    assert retention.is_anonymised(cleared)
    assert (cleared.bsn, cleared.surname, cleared.street, cleared.postcode) == (f"#{plain.id}", "", "", "")
    assert cleared.status == "aangeschreven", "the status stays for the aggregate statistics"
    assert session.scalar(sa.select(sa.func.count()).select_from(Letter).where(Letter.case_id == plain.id)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(CaseEvent).where(CaseEvent.case_id == plain.id)) == 0
    kept = session.get(Case, decided.id)
    assert (kept.bsn, kept.surname) == ("111222334", "Jansen1")
    assert session.get(Campaign, campaign.id).status == retention.PURGED
    assert session.get(ImportRun, run.id).summary == {"counts": {"nieuw": 2}}, "import samples name people"

    ten_years_on = retention.add_months(today, 120)
    assert retention.due_campaigns(session, ten_years_on - dt.timedelta(days=1)) == []
    assert retention.due_campaigns(session, ten_years_on) == [campaign]
    retention.purge_campaign(session, ACTOR, campaign, ten_years_on)
    session.flush()
    session.expire_all()
    assert retention.is_anonymised(session.get(Case, decided.id))


def test_the_retention_command_clears_due_campaigns_and_deletes_their_files(app, db, today, settings):
    with db.transaction() as session:
        _, (plain,) = _campaign_with_cases(session, statuses=("aangeschreven",))
        plain_id = plain.id
    pdf = settings.instance_path / "brieven" / f"{plain_id}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7")
    runner = app.test_cli_runner()

    closed = runner.invoke(args=["campaigns", "close", "Bewaar 2026", "--today", today.isoformat()])
    assert closed.exit_code == 0, closed.output
    assert "2027-11-23" in closed.output
    again = runner.invoke(args=["campaigns", "close", "Bewaar 2026"])
    assert again.exit_code == 2 and "al gesloten" in again.output

    dry = runner.invoke(args=["retention", "--today", "2027-11-23", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 dossiers zou anonimiseren" in dry.output
    assert pdf.exists()
    with db.session() as session:
        assert session.get(Case, plain_id).bsn == "111222333"

    done = runner.invoke(args=["retention", "--today", "2027-11-23"])
    assert done.exit_code == 0, done.output
    assert not pdf.exists()
    with db.session() as session:
        assert session.get(Case, plain_id).bsn == f"#{plain_id}"
    assert "Geen campagnes" in runner.invoke(args=["retention", "--today", "2027-11-23"]).output
