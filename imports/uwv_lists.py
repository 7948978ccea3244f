"""Lists for UWV: which BSNs UWV should check, and whose benefit ended (to deregister). BSNs and dates only.

Both are registered in :mod:`imports.lists`, so the web download buttons and ``herinschrijving export CAMPAIGN
te-controleren|uit-te-schrijven -o FILE`` write the same formula-safe file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.models import Campaign, Case, UwvRegistration
from campaign.uwv import latest_list
from imports import lists
from imports.xlsx_out import Column

#: No-action reasons that mean the benefit is no longer paid here: UWV need not check these people.
BENEFIT_GONE = ("UITKERING_BEEINDIGD", "OVERLEDEN", "VERHUISD")
ROLES = ("uwv", "projectleider")
DESCRIPTIONS = {
    "te-controleren": "BSN's van de campagne die volgens de nieuwste UWV-lijst niet ingeschreven zijn, "
    "voor UWV om te controleren.",
    "uit-te-schrijven": "Personen van wie de uitkering is beëindigd, voor UWV om uit te schrijven.",
}


@lists.register(
    "te-controleren", "Te controleren", (Column("BSN", 12),), roles=ROLES, purpose="lijst voor UWV: te controleren"
)
def te_controleren_rows(session: orm.Session, campaign: Campaign, today: dt.date) -> Iterator[tuple]:
    """The campaign's BSNs not known as registered by the newest UWV list (all of them before any list)."""
    newest = latest_list(session, campaign.id)
    query = sa.select(Case.bsn).where(
        Case.campaign_id == campaign.id,
        sa.or_(Case.no_action_reason.is_(None), Case.no_action_reason.not_in(BENEFIT_GONE)),
    )
    if newest is not None:
        registered = sa.select(UwvRegistration.case_id).where(
            UwvRegistration.uwv_list_id == newest.id,
            sa.or_(UwvRegistration.ended_on.is_(None), UwvRegistration.ended_on > newest.peildatum),
        )
        query = query.where(Case.id.not_in(registered))
    yield from session.execute(query.order_by(Case.bsn))


@lists.register(
    "uit-te-schrijven",
    "Uit te schrijven",
    (Column("BSN", 12), Column("Uitkering beëindigd per", 22, "date")),
    roles=ROLES,
    purpose="lijst voor UWV: uit te schrijven",
)
def uit_te_schrijven_rows(session: orm.Session, campaign: Campaign, today: dt.date) -> Iterator[tuple]:
    """People whose benefit ended: BSN and the date the municipality recorded it."""
    query = (
        sa.select(Case.bsn, Case.no_action_since)
        .where(Case.campaign_id == campaign.id, Case.no_action_reason == "UITKERING_BEEINDIGD")
        .order_by(Case.bsn)
    )
    yield from session.execute(query)


UWV_LIST_NAMES = tuple(DESCRIPTIONS)
