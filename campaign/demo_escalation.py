"""Demo part of the escalation area: a group of the demo campaign climbs the ladder to sanction proposals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import sanctions
from campaign.audit import Actor
from campaign.dates import deadline_after
from campaign.escalation import create_step_letters
from campaign.lifecycle import refresh_cases
from campaign.models import (
    Campaign,
    Case,
    Letter,
    OrdinanceRule,
    Pause,
    PrintBatch,
    SanctionProposal,
    TickRun,
    User,
)
from campaign.tick import run_tick

GROUP = 40


#: How the demo sends a step's new letters: (session, campaign, step, day, letter_ids). The command line passes the
#: letters area's real print batch (rendered PDFs, dispatch); without it they are marked dispatched directly.
Dispatcher = Callable[[orm.Session, Campaign, int, dt.date, list[int]], None]


def add_escalation_demo(
    session: orm.Session, campaign: Campaign, today: dt.date, dispatch: Dispatcher | None = None
) -> None:
    """Idempotent: does nothing once the campaign has tick runs."""
    if session.scalar(sa.select(TickRun.id).where(TickRun.campaign_id == campaign.id).limit(1)):
        return
    _ordinance(session)
    has_letters = sa.exists().where(Letter.case_id == Case.id)
    ids = list(
        session.scalars(
            sa.select(Case.id)
            .where(Case.campaign_id == campaign.id, Case.status == "pool", ~has_letters)
            .order_by(Case.id.desc())
            .limit(GROUP)
        )
    )
    if len(ids) < 10:
        return
    actor = Actor.system("demo")
    start = today - dt.timedelta(days=50)
    create_step_letters(session, campaign, ids, 1, start, None)
    _dispatch(session, campaign, 1, start, ids, dispatch)
    _uwv(session, campaign, start + dt.timedelta(days=12), ids[:8])
    session.add(Pause(case_id=ids[9], reason="detentie", starts_on=start + dt.timedelta(days=5), note="demo"))
    refresh_cases(session, ids, start + dt.timedelta(days=12), None)
    for step, offset in ((2, 14), (3, 28)):
        day = start + dt.timedelta(days=offset)
        run_tick(session, campaign, day, actor)
        _dispatch(session, campaign, step, day, ids, dispatch)
        _uwv(session, campaign, day + dt.timedelta(days=12), ids[: 8 + 4 * (step - 1)])
    run_tick(session, campaign, today - dt.timedelta(days=1), actor)
    _uwv(session, campaign, today - dt.timedelta(days=1), ids[:16])
    run_tick(session, campaign, today, actor)
    _assess_and_approve(session, campaign, today)


def _ordinance(session: orm.Session) -> None:
    if session.scalar(sa.select(OrdinanceRule.id).limit(1)) is None:
        session.add(
            OrdinanceRule(
                category="niet_ingeschreven", label=sanctions.CATEGORIES["niet_ingeschreven"], percentage=30,
                months=1, warning_allowed=True, recidive_percentage=30, recidive_months=3,
                valid_from=dt.date(2026, 1, 1), source="Maatregelenverordening Participatiewet (demo), 2026",
            )
        )  # fmt: skip
        session.flush()


def _dispatch(
    session: orm.Session, campaign: Campaign, step: int, on: dt.date, ids: list[int], dispatch: Dispatcher | None
) -> None:
    """What the print room and the letters area do: one dispatched print batch for the step's new letters."""
    letters = session.scalars(
        sa.select(Letter).where(Letter.case_id.in_(ids), Letter.step == step, Letter.status == "aangemaakt")
    ).all()
    if not letters:
        return
    if dispatch is not None:
        dispatch(session, campaign, step, on, [letter.id for letter in letters])
        return
    rule = campaign.step(step)
    batch = PrintBatch(
        campaign_id=campaign.id, step=step, kind=rule.kind, status="verzonden", letter_count=len(letters),
        dispatched_on=on,
    )  # fmt: skip
    session.add(batch)
    session.flush()
    for letter in letters:
        letter.batch_id = batch.id
        letter.status = "verzonden"
        letter.letter_date = letter.dispatched_on = on
        if rule.deadline_days:
            letter.deadline = deadline_after(on, rule.deadline_days)
    refresh_cases(session, [letter.case_id for letter in letters], on, None)


def _uwv(session: orm.Session, campaign: Campaign, peildatum: dt.date, registered: list[int]) -> None:
    from campaign.demo_uwv import next_list

    new = dict.fromkeys(registered, peildatum - dt.timedelta(days=3))
    next_list(session, campaign, peildatum, new, f"uwv-demo-{peildatum}.xlsx")


def _assess_and_approve(session: orm.Session, campaign: Campaign, today: dt.date) -> None:
    proposals = session.scalars(
        sa.select(SanctionProposal)
        .where(SanctionProposal.campaign_id == campaign.id, SanctionProposal.status == "voorstel")
        .order_by(SanctionProposal.id)
    ).all()
    leader = session.scalar(sa.select(User).where(User.role == "projectleider", User.email.like("%@demo.invalid")))
    decider = session.scalar(sa.select(User).where(User.role == "beslisser", User.email.like("%@demo.invalid")))
    if leader is None or decider is None:
        return
    as_leader = Actor(leader.id, leader.email, "demo", "projectleider")
    as_decider = Actor(decider.id, decider.email, "demo", "beslisser")
    answers = {
        "bereikt": "ja", "kon_inschrijven": "ja", "zienswijze": "", "dringende_redenen": "Geen bekend.",
        "blame": "volledig", "proposed_outcome": "verlaging",
        "motivation": "Drie brieven verzonden en niet retour; geen contact opgenomen; geen belemmeringen bekend.",
    }  # fmt: skip
    for number, proposal in enumerate(proposals[:3]):
        sanctions.assess(session, proposal, as_leader, answers, today)
        if number < 2:
            sanctions.approve(session, proposal, as_decider, today)
