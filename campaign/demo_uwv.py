"""The demo's UWV part: one applied UWV list (about 40 % registered, a few ended) and one rejected upload.

``next_list`` is how the other demo parts add a later list: a UWV list is a snapshot of the whole register, so a
later list repeats everyone the previous one had registered, plus the newly registered.
"""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.lifecycle import refresh_cases
from campaign.models import Campaign, Case, UwvList, UwvRegistration, UwvUpload, utcnow


def next_list(
    session: orm.Session, campaign: Campaign, peildatum: dt.date, new: dict[int, dt.date], filename: str
) -> UwvList:
    """Apply a demo UWV list: the registrations of the newest list up to ``peildatum`` plus ``new`` (case -> date)."""
    previous = session.scalar(
        sa.select(UwvList.id)
        .where(UwvList.campaign_id == campaign.id, UwvList.peildatum <= peildatum)
        .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
        .limit(1)
    )
    rows: dict[int, dict] = {}
    if previous is not None:
        for reg in session.scalars(sa.select(UwvRegistration).where(UwvRegistration.uwv_list_id == previous)):
            if reg.registered_on <= peildatum:
                rows[reg.case_id] = {"case_id": reg.case_id, "registered_on": reg.registered_on,
                                     "ended_on": reg.ended_on, "status": reg.status}  # fmt: skip
    for case_id, registered_on in new.items():
        if case_id not in rows or rows[case_id]["ended_on"] is not None:
            rows[case_id] = {"case_id": case_id, "registered_on": registered_on, "ended_on": None, "status": ""}
    uwv_list = UwvList(campaign_id=campaign.id, peildatum=peildatum, filename=filename)
    session.add(uwv_list)
    session.flush()
    if rows:
        session.execute(
            sa.insert(UwvRegistration.__table__), [{**r, "uwv_list_id": uwv_list.id} for r in rows.values()]
        )
    # A list the demo already dated later is a later snapshot: it shows these registrations too.
    later_lists = sa.select(UwvList.id).where(UwvList.campaign_id == campaign.id, UwvList.peildatum > peildatum)
    for later in session.scalars(later_lists).all():
        known = set(session.scalars(sa.select(UwvRegistration.case_id).where(UwvRegistration.uwv_list_id == later)))
        missing = [{**rows[c], "uwv_list_id": later} for c in new if c not in known]
        if missing:
            session.execute(sa.insert(UwvRegistration.__table__), missing)
    ids = list(session.scalars(sa.select(Case.id).where(Case.campaign_id == campaign.id)))
    refresh_cases(session, ids, peildatum, None)
    return uwv_list


def add_uwv_demo(session: orm.Session, campaign: Campaign, today: dt.date) -> None:
    """Idempotent: does nothing when the campaign already has a UWV list."""
    if session.scalar(sa.select(UwvList.id).where(UwvList.campaign_id == campaign.id).limit(1)) is not None:
        return
    session.flush()
    peildatum = today - dt.timedelta(days=2)
    rng = random.Random(11)
    rows = []
    for case_id, no_action in session.execute(
        sa.select(Case.id, Case.no_action_reason).where(Case.campaign_id == campaign.id).order_by(Case.id)
    ):
        draw = rng.random()
        if no_action or draw >= 0.43:
            continue
        registered_on = peildatum - dt.timedelta(days=rng.randrange(1, 60))
        ended_on = registered_on + dt.timedelta(days=rng.randrange(1, 30)) if draw < 0.03 else None
        if ended_on is not None and ended_on > peildatum:
            ended_on = peildatum
        rows.append({"case_id": case_id, "registered_on": registered_on, "ended_on": ended_on, "status": ""})
    ended = sum(1 for r in rows if r["ended_on"] is not None)
    report = {
        "rows": len(rows) + 37, "matched": len(rows), "newly_registered": len(rows) - ended, "already_known": 0,
        "ended": ended, "no_longer_listed": 0, "not_in_campaign": 37, "duplicate_count": 0, "duplicates": [],
        "error_count": 0, "errors": [], "ignored_columns": [], "warnings": [], "previous_list_id": None,
    }  # fmt: skip
    uwv_list = UwvList(
        campaign_id=campaign.id, peildatum=peildatum, filename="uwv-inschrijvingen-demo.xlsx", report=report
    )
    session.add(uwv_list)
    session.flush()
    for row in rows:
        row["uwv_list_id"] = uwv_list.id
    if rows:
        session.execute(sa.insert(UwvRegistration.__table__), rows)
    session.add(
        UwvUpload(
            campaign_id=campaign.id, peildatum=peildatum, filename=uwv_list.filename, status="toegepast",
            report=report, applied_at=utcnow(), uwv_list_id=uwv_list.id,
        )
    )  # fmt: skip
    rejected = {
        "rows": 120, "matched": 0, "not_in_campaign": 0, "error_count": 2, "duplicate_count": 0, "duplicates": [],
        "errors": [
            {"row": 14, "column": "BSN", "message": "geen geldig BSN (9 cijfers en de elfproef)."},
            {"row": 57, "column": "Datum inschrijving",
             "message": "'31-02-2026' is geen geldige datum (gebruik dd-mm-jjjj)."},
        ],
        "ignored_columns": ["Naam"], "warnings": [],
    }  # fmt: skip
    session.add(
        UwvUpload(
            campaign_id=campaign.id, peildatum=peildatum - dt.timedelta(days=1), filename="uwv-export-fout.csv",
            status="afgekeurd", report=rejected,
        )
    )  # fmt: skip
    session.flush()
    refresh_cases(session, [r["case_id"] for r in rows], today, None)
