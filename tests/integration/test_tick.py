"""The daily tick: due steps, guards, sanction proposals only on a list after the deadline, housekeeping."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from campaign.escalation import create_step_letters
from campaign.models import (
    CaseEvent,
    Exemption,
    ExemptionType,
    Letter,
    Pause,
    ReviewTask,
    SanctionProposal,
    UwvRegistration,
)
from campaign.models import (
    SanctionProposal as SP,
)
from campaign.tick import run_tick, summary_lines
from tests.escalation_support import ACTOR, dispatch, make_campaign, make_cases, statuses, uwv_list

D1 = dt.date(2026, 9, 1)  # Tuesday


def written(session, n=3):
    campaign = make_campaign(session)
    cases = make_cases(session, campaign, n)
    dispatch(session, create_step_letters(session, campaign, [c.id for c in cases], 1, D1, None), D1)
    return campaign, cases


def letters_of(session, step):
    return session.scalars(sa.select(Letter).where(Letter.step == step).order_by(Letter.case_id)).all()


def test_the_tick_makes_due_reminders_once_and_holds_back_per_guard(session):
    campaign, (a, b, c) = written(session)
    day = D1 + dt.timedelta(days=14)
    uwv_list(session, campaign, day - dt.timedelta(days=1), {a.id: D1})
    session.add(Pause(case_id=b.id, reason="detentie", starts_on=D1))
    run = run_tick(session, campaign, day, ACTOR)
    step2 = run.summary["steps"][0]
    assert (step2["due"], step2["created"], step2["held"]) == (3, 1, {"ingeschreven": 1, "gepauzeerd": 1})
    assert [lt.case_id for lt in letters_of(session, 2)] == [c.id]
    assert letters_of(session, 2)[0].batch_id is None
    assert "Stap 2 (Herinnering): 3 aan de beurt, 1 brieven aangemaakt" in summary_lines(run)[1]

    again = run_tick(session, campaign, day, ACTOR)
    assert again.summary["steps"][0]["created"] == 0
    assert len(letters_of(session, 2)) == 1
    assert again.summary["status_changes"] == 0


def test_nothing_is_due_before_the_delay_and_nothing_runs_on_a_stale_list(session):
    campaign, cases = written(session)
    uwv_list(session, campaign, D1)
    early = run_tick(session, campaign, D1 + dt.timedelta(days=13), ACTOR)
    assert early.summary["steps"][0]["due"] == 0
    late = run_tick(session, campaign, D1 + dt.timedelta(days=14), ACTOR)
    assert late.summary["steps"][0]["held"] == {"uwv_lijst": 3}
    assert letters_of(session, 2) == []


def ultimatum_out(session, n=2):
    campaign, cases = written(session, n)
    d2 = D1 + dt.timedelta(days=14)
    uwv_list(session, campaign, d2)
    run_tick(session, campaign, d2, ACTOR)
    dispatch(session, letters_of(session, 2), d2)
    d3 = d2 + dt.timedelta(days=14)
    uwv_list(session, campaign, d3)
    run_tick(session, campaign, d3, ACTOR)
    ultimatums = letters_of(session, 3)
    dispatch(session, ultimatums, d3)
    return campaign, cases, ultimatums[0].deadline


def test_no_proposal_until_a_uwv_list_on_or_after_the_deadline_and_only_for_the_unregistered(session):
    campaign, (a, b), deadline = ultimatum_out(session)
    assert deadline == dt.date(2026, 10, 13)
    after = deadline + dt.timedelta(days=1)
    run = run_tick(session, campaign, after, ACTOR)
    assert run.summary["proposals"]["created"] == 0
    assert "nog geen UWV-lijst met een peildatum op of na die termijn" in run.summary["proposals"]["message"]
    assert statuses(session, [a, b]) == ["termijn_verstreken"] * 2

    uwv_list(session, campaign, deadline, {a.id: deadline})
    run = run_tick(session, campaign, after, ACTOR)
    assert run.summary["proposals"]["created"] == 1
    proposal = session.scalar(sa.select(SanctionProposal))
    assert proposal.case_id == b.id and proposal.ultimatum_deadline == deadline
    assert statuses(session, [a, b]) == ["ingeschreven", "maatregel_voorstel"]
    assert run_tick(session, campaign, after, ACTOR).summary["proposals"]["created"] == 0


def test_an_open_proposal_is_withdrawn_when_the_person_turns_out_registered(session):
    campaign, (a, b), deadline = ultimatum_out(session)
    uwv_list(session, campaign, deadline)
    run_tick(session, campaign, deadline + dt.timedelta(days=1), ACTOR)
    assert session.scalar(sa.select(sa.func.count()).select_from(SP)) == 2
    uwv_list(session, campaign, deadline + dt.timedelta(days=3), {a.id: deadline + dt.timedelta(days=2)})
    run = run_tick(session, campaign, deadline + dt.timedelta(days=4), ACTOR)
    assert run.summary["proposals_withdrawn"] == 1
    assert statuses(session, [a, b]) == ["ingeschreven", "maatregel_voorstel"]
    proposals = {p.case_id: p for p in session.scalars(sa.select(SP))}
    assert (proposals[a.id].status, proposals[b.id].status) == ("ingetrokken", "voorstel")
    assert proposals[a.id].withdrawn_reason.startswith("Ingeschreven bij UWV volgens de lijst met peildatum")
    timeline = session.scalars(
        sa.select(CaseEvent.summary)
        .where(CaseEvent.case_id == a.id, CaseEvent.kind == "maatregel")
        .order_by(CaseEvent.id)
    ).all()
    assert timeline[-1] == f"Voorstel maatregel vervallen: {proposals[a.id].withdrawn_reason}"


def test_pauses_expire_says_registered_waits_for_the_next_list_and_exemptions_end(session):
    campaign, (a, b, c) = written(session)
    day = D1 + dt.timedelta(days=5)
    session.add(Pause(case_id=a.id, reason="ziekenhuis", starts_on=D1, until=day))
    session.add(Pause(case_id=b.id, reason="zegt_ingeschreven", starts_on=D1 + dt.timedelta(days=1)))
    kind = ExemptionType(code="medisch", label="Medische reden")
    session.add(kind)
    session.flush()
    session.add(Exemption(case_id=c.id, type_id=kind.id, status="verleend", requested_on=D1, starts_on=D1, ends_on=day))
    run_tick(session, campaign, day, ACTOR)
    assert statuses(session, [a, b, c]) == ["gepauzeerd", "gepauzeerd", "ontheffing"]
    uwv_list(session, campaign, day)
    run = run_tick(session, campaign, day + dt.timedelta(days=1), ACTOR)
    assert run.summary["pauses_released"] == 2
    assert run.summary["exemptions_ended"] == 1
    assert statuses(session, [a, b, c]) == ["aangeschreven"] * 3


def test_review_reminders_are_raised_once_shortly_before_they_are_due(session):
    campaign, (a,) = written(session, 1)
    proposal = SanctionProposal(
        case_id=a.id, campaign_id=campaign.id, status="voorstel", proposed_on=D1, ultimatum_deadline=D1
    )
    session.add(proposal)
    session.flush()
    session.add(ReviewTask(proposal_id=proposal.id, case_id=a.id, due_on=D1 + dt.timedelta(days=90)))
    assert run_tick(session, campaign, D1 + dt.timedelta(days=70), ACTOR).summary["reviews_reminded"] == 0
    assert run_tick(session, campaign, D1 + dt.timedelta(days=77), ACTOR).summary["reviews_reminded"] == 1
    assert run_tick(session, campaign, D1 + dt.timedelta(days=78), ACTOR).summary["reviews_reminded"] == 0


def test_a_registration_on_or_before_the_deadline_counts_as_in_time_even_when_it_ended_later(session):
    campaign, (a, b), deadline = ultimatum_out(session)
    peildatum = deadline + dt.timedelta(days=5)
    lst = uwv_list(session, campaign, peildatum, {a.id: deadline, b.id: deadline + dt.timedelta(days=1)})
    for registration in session.scalars(sa.select(UwvRegistration).where(UwvRegistration.uwv_list_id == lst.id)):
        registration.ended_on = deadline + dt.timedelta(days=3)  # both deregistered before the peildatum
    session.flush()
    run = run_tick(session, campaign, peildatum + dt.timedelta(days=1), ACTOR)
    assert run.summary["proposals"]["held"] == {"op_tijd_ingeschreven": 1}
    assert [p.case_id for p in session.scalars(sa.select(SanctionProposal))] == [b.id]


def test_an_open_proposal_is_withdrawn_when_a_later_list_shows_a_registration_in_time(session):
    campaign, (a, b), deadline = ultimatum_out(session)
    uwv_list(session, campaign, deadline)
    run_tick(session, campaign, deadline + dt.timedelta(days=1), ACTOR)
    later = uwv_list(session, campaign, deadline + dt.timedelta(days=6), {a.id: deadline})
    registration = session.scalar(sa.select(UwvRegistration).where(UwvRegistration.uwv_list_id == later.id))
    registration.ended_on = deadline + dt.timedelta(days=4)
    session.flush()
    run = run_tick(session, campaign, deadline + dt.timedelta(days=7), ACTOR)
    assert run.summary["proposals_withdrawn"] == 1
    withdrawn = session.scalar(sa.select(SP).where(SP.case_id == a.id))
    assert withdrawn.status == "ingetrokken"
    assert withdrawn.withdrawn_reason.startswith("Op tijd ingeschreven")
    assert session.scalar(sa.select(SP).where(SP.case_id == b.id)).status == "voorstel"
