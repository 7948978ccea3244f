"""Lists for UWV: which BSNs UWV should check, and whose benefit ended (to deregister). BSNs and dates only.

Each list is a :class:`UwvListSpec`: a file name stem, a title, columns and a function producing rows, so the
web download, the command line and the imports list registry all write the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.models import Case, UwvRegistration
from campaign.uwv import latest_list
from imports.xlsx_out import Column, write_csv, write_xlsx

#: No-action reasons that mean the benefit is no longer paid here: UWV need not check these people.
BENEFIT_GONE = ("UITKERING_BEEINDIGD", "OVERLEDEN", "VERHUISD")


@dataclass(frozen=True)
class UwvListSpec:
    name: str
    title: str
    description: str
    columns: Sequence[Column]
    rows: Callable[[orm.Session, int], Iterator[tuple]]


def te_controleren_rows(session: orm.Session, campaign_id: int) -> Iterator[tuple]:
    """The campaign's BSNs not known as registered by the newest UWV list (all of them before any list)."""
    newest = latest_list(session, campaign_id)
    query = sa.select(Case.bsn).where(
        Case.campaign_id == campaign_id,
        sa.or_(Case.no_action_reason.is_(None), Case.no_action_reason.not_in(BENEFIT_GONE)),
    )
    if newest is not None:
        registered = sa.select(UwvRegistration.case_id).where(
            UwvRegistration.uwv_list_id == newest.id,
            sa.or_(UwvRegistration.ended_on.is_(None), UwvRegistration.ended_on > newest.peildatum),
        )
        query = query.where(Case.id.not_in(registered))
    yield from session.execute(query.order_by(Case.bsn))


def uit_te_schrijven_rows(session: orm.Session, campaign_id: int) -> Iterator[tuple]:
    """People whose benefit ended: BSN and the date the municipality recorded it."""
    query = (
        sa.select(Case.bsn, Case.no_action_since)
        .where(Case.campaign_id == campaign_id, Case.no_action_reason == "UITKERING_BEEINDIGD")
        .order_by(Case.bsn)
    )
    yield from session.execute(query)


UWV_LISTS = {
    spec.name: spec
    for spec in (
        UwvListSpec(
            "te-controleren",
            "Te controleren",
            "BSN's van de campagne die volgens de nieuwste UWV-lijst niet ingeschreven zijn, "
            "voor UWV om te controleren.",
            (Column("BSN", 12),),
            te_controleren_rows,
        ),
        UwvListSpec(
            "uit-te-schrijven",
            "Uit te schrijven",
            "Personen van wie de uitkering is beëindigd, voor UWV om uit te schrijven.",
            (Column("BSN", 12), Column("Uitkering beëindigd per", 22, "date")),
            uit_te_schrijven_rows,
        ),
    )
}


def render_list(session: orm.Session, campaign_id: int, name: str, file_format: str) -> bytes:
    """The list as formula-safe .xlsx or .csv bytes."""
    spec = UWV_LISTS[name]
    rows = spec.rows(session, campaign_id)
    if file_format == "csv":
        return write_csv(spec.columns, rows)
    return write_xlsx(spec.columns, rows, sheet_title=spec.title)


def file_name(name: str, campaign_id: int, today: dt.date, file_format: str) -> str:
    return f"uwv-{name}-campagne-{campaign_id}-{today.isoformat()}.{file_format}"
