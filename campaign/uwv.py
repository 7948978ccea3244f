"""Provisional UWV contract (escalation branch); the uwv engineer's version replaces this file at merge."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.models import Case, UwvList, UwvRegistration


def latest_list(session: orm.Session, campaign_id: int) -> UwvList | None:
    return session.scalar(
        sa.select(UwvList)
        .where(UwvList.campaign_id == campaign_id)
        .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
        .limit(1)
    )


def is_registered(session: orm.Session, case: Case, on_or_after: dt.date) -> bool | None:
    uwv_list = session.scalar(
        sa.select(UwvList)
        .where(UwvList.campaign_id == case.campaign_id, UwvList.peildatum >= on_or_after)
        .order_by(UwvList.peildatum.desc(), UwvList.id.desc())
        .limit(1)
    )
    if uwv_list is None:
        return None
    registration = session.scalar(
        sa.select(UwvRegistration).where(UwvRegistration.uwv_list_id == uwv_list.id, UwvRegistration.case_id == case.id)
    )
    return registration is not None and registration.is_registered_on(uwv_list.peildatum)
