"""The demo's letters: a pilot sample and two waves at different steps, rendered and dispatched in the past.

Pilot (6 weeks ago): invitation, reminder, ultimatum dispatched. Wave 2 (3 weeks ago): invitation and reminder
dispatched, one letter came back. Wave 3 (today): invitations rendered, waiting for the print room.
Idempotent: does nothing when the campaign already has a wave.
"""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.audit import Actor
from campaign.dates import next_working_day
from campaign.demo_uwv import next_list
from campaign.errors import InvalidInput
from campaign.escalation import create_step_letters
from campaign.lifecycle import refresh_cases
from campaign.models import Campaign, Case, Letter, PrintBatch, UwvList, UwvRegistration, Wave
from letters import batches, render, returned, waves
from letters.demo_followups import add_followups_demo

ACTOR = Actor.system("demo")


def add_letters_demo(session: orm.Session, campaign: Campaign, today: dt.date) -> None:
    if session.scalar(sa.select(Wave.id).where(Wave.campaign_id == campaign.id).limit(1)) is not None:
        return
    m = render.municipality(session)
    if not m.signatory_name:
        m.signatory_name, m.signatory_function = "M. de Boer", "Teamleider Werk en Inkomen"
        m.email = m.email or "herinschrijving@gemeente-voorbeeld.invalid"
    session.flush()
    _ensure_uwv_list(session, campaign, today)
    clients = session.scalar(sa.select(sa.func.count()).where(Case.campaign_id == campaign.id)) or 0
    day = _working_day_before(today, 42)
    pilot = _wave(session, campaign, day, waves.WavePlan(size=max(1, clients // 50), sample=True, seed=2012,
                                                           name="Pilot (steekproef)"), "demo-pilot")  # fmt: skip
    second = _wave(session, campaign, _working_day_before(today, 21), waves.WavePlan(size=max(1, clients // 16),
                   name="Golf 2"), "demo-golf-2")  # fmt: skip
    _next_step(session, campaign, pilot, 2, _working_day_before(today, 28))
    _next_step(session, campaign, pilot, 3, _working_day_before(today, 14))
    reference = session.scalar(
        sa.select(Case.reference).join(Letter, Letter.case_id == Case.id)
        .where(Case.wave_id == second, Letter.status == "verzonden").order_by(Case.id).limit(1)
    )  # fmt: skip
    if reference:  # an invitation of wave 2 comes back; that person gets no reminder (guard "retour")
        returned.register_returned(session, ACTOR, campaign.id, reference, _working_day_before(today, 17))
    _next_step(session, campaign, second, 2, _working_day_before(today, 7))
    _wave(session, campaign, today, waves.WavePlan(size=max(1, clients // 20), name="Golf 3"), "demo-golf-3",
          dispatch=False)  # fmt: skip
    for batch in session.scalars(sa.select(PrintBatch).where(PrintBatch.campaign_id == campaign.id,
                                                             PrintBatch.status == "aangemaakt")):  # fmt: skip
        batches.render_batch_now(session, batch)
    add_followups_demo(session, campaign, today)
    _responses(session, campaign, today, {pilot: (0.35, 40), second: (0.2, 19)})
    ids = list(session.scalars(sa.select(Case.id).where(Case.campaign_id == campaign.id)))
    refresh_cases(session, ids, today, None)


def _responses(session, campaign: Campaign, today: dt.date, shares: dict[int | None, tuple[float, int]]) -> None:
    """Today's UWV list: part of each dispatched wave registered since its letters (the results per wave)."""
    rng = random.Random(3)
    new: dict[int, dt.date] = {}
    for wave_id, (share, days_ago) in shares.items():
        if wave_id is None:
            continue
        for case_id in session.scalars(sa.select(Case.id).where(Case.wave_id == wave_id).order_by(Case.id)):
            if rng.random() < share:
                new[case_id] = today - dt.timedelta(days=rng.randrange(2, days_ago))
    if new:
        next_list(session, campaign, today, new, f"uwv-demo-{today}.xlsx")


def _working_day_before(today: dt.date, days: int) -> dt.date:
    return next_working_day(today - dt.timedelta(days=days))


def _wave(
    session, campaign: Campaign, day: dt.date, plan: waves.WavePlan, token: str, *, dispatch: bool = True
) -> int | None:
    try:
        result = waves.launch(session, ACTOR, campaign, plan, day, token=token, letter_date=day)
    except InvalidInput:  # a tiny demo has nobody left in the pool
        return None
    if result.batch is not None and dispatch:
        _render_and_dispatch(session, result.batch, day)
    return result.wave.id


def _next_step(session, campaign: Campaign, wave_id: int | None, step: int, day: dt.date) -> None:
    if wave_id is None:
        return
    case_ids = list(session.scalars(sa.select(Case.id).where(Case.wave_id == wave_id)))
    letters = create_step_letters(session, campaign, case_ids, step, day, None)
    if letters:
        batch = batches.create_batch(session, campaign.id, [lt.id for lt in letters], None, letter_date=day,
                                     wave_id=wave_id)  # fmt: skip
        _render_and_dispatch(session, batch, day)


def dispatch_step_letters(session, campaign: Campaign, step: int, day: dt.date, letter_ids: list[int]) -> None:
    """For the escalation demo: the step's new letters as a real print batch, rendered and dispatched on ``day``."""
    batch = batches.create_batch(session, campaign.id, letter_ids, None, letter_date=day)
    _render_and_dispatch(session, batch, day)


def _render_and_dispatch(session, batch: PrintBatch, day: dt.date) -> None:
    batches.render_batch_now(session, batch)
    batches.mark_dispatched(session, ACTOR, batch, day, day)


def _ensure_uwv_list(session, campaign: Campaign, today: dt.date) -> None:
    """Later steps need a UWV list; the UWV demo provides one, else a small one is made here."""
    if session.scalar(sa.select(UwvList.id).where(UwvList.campaign_id == campaign.id).limit(1)) is not None:
        return
    peildatum = today - dt.timedelta(days=3)
    uwv_list = UwvList(campaign_id=campaign.id, peildatum=peildatum, filename="uwv-demo-brieven.xlsx")
    session.add(uwv_list)
    session.flush()
    rng = random.Random(5)
    rows = [
        {"uwv_list_id": uwv_list.id, "case_id": case_id, "ended_on": None, "status": "",
         "registered_on": peildatum - dt.timedelta(days=rng.randrange(60))}
        for case_id in session.scalars(sa.select(Case.id).where(Case.campaign_id == campaign.id).order_by(Case.id))
        if rng.random() < 0.4
    ]  # fmt: skip
    if rows:
        session.execute(sa.insert(UwvRegistration.__table__), rows)
