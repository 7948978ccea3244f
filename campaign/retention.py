"""Closing a campaign and clearing its working data after the retention period (AVG art. 5(1)(e)).

Domain rule: campaign working data is deleted or anonymised a configurable period after the campaign closes;
decisions are kept (default 10 years); aggregate statistics remain.

How it is done here:
- A case keeps its row, stripped of everything that identifies the person (BSN, names, birth date, address,
  phone), so the counts per status, step and team stay available for reporting.
- Every row that refers to the case through a ``case_id`` column (letters, history, contacts, pauses,
  exemptions, callbacks, UWV registrations, and any table added later) is deleted.
- Files written for the campaign (letter PDFs, print bundles, manifests, uploaded lists: every ``*_path``
  column of the tables involved) are handed back to the caller to delete once the transaction committed.
- Cases that ended in a decision (status ``besluit``) are kept whole until the decision retention period
  has passed as well.
- The audit trail is not touched: it holds ids and actions, and it is what proves lawful processing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.db import Base
from campaign.errors import IllegalTransition
from campaign.models import Campaign, Case
from campaign.status import Status

OPEN = "open"
CLOSED = "gesloten"
PURGED = "opgeschoond"
DECISION_RETENTION_YEARS = 10
#: An anonymised case's BSN becomes this prefix and the case id (unique per campaign, never a valid BSN).
ANONYMOUS_PREFIX = "#"

#: Case columns that identify a person, with the value they get when anonymised.
PERSONAL_COLUMNS: dict[str, object] = {
    "initials": "",
    "first_names": "",
    "prefix": "",
    "surname": "",
    "surname_key": "",
    "birth_date": None,
    "street": "",
    "house_number": None,
    "house_letter": "",
    "house_addition": "",
    "postcode": "",
    "city": "",
    "phone": "",
    "status_reason": "",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day where that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def close_campaign(session: orm.Session, actor: audit.Actor, campaign: Campaign, today: dt.date) -> None:
    """Close a campaign: no more waves or letters; the retention period starts today."""
    if campaign.status != OPEN:
        raise IllegalTransition(f"Campagne {campaign.name!r} is al gesloten.")
    campaign.status = CLOSED
    campaign.closed_on = today
    audit.record(session, actor, "update", "campaign", campaign.id, purpose="campagne sluiten")


def purge_due_on(campaign: Campaign) -> dt.date | None:
    """The day from which the campaign's working data may be cleared (None while it is open)."""
    if campaign.closed_on is None:
        return None
    return add_months(campaign.closed_on, campaign.retention_months)


def decisions_due_on(campaign: Campaign, decision_years: int = DECISION_RETENTION_YEARS) -> dt.date | None:
    if campaign.closed_on is None:
        return None
    return add_months(campaign.closed_on, 12 * decision_years)


@dataclass
class PurgeResult:
    campaign_id: int
    campaign_name: str
    anonymised: int = 0
    kept_for_decision: int = 0
    deleted_rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _identified():
    return Case.bsn.not_like(f"{ANONYMOUS_PREFIX}%")


def is_anonymised(case: Case) -> bool:
    return case.bsn.startswith(ANONYMOUS_PREFIX)


def _case_tables() -> list[sa.Table]:
    """Tables referring to a case, children before parents so foreign keys never block a delete."""
    tables = [t for t in Base.metadata.sorted_tables if "case_id" in t.c and t.name not in ("cases", "audit_events")]
    return list(reversed(tables))


def _path_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if c.name.endswith("_path")]


def _collect_files(session: orm.Session, table: sa.Table, where) -> list[str]:
    files: list[str] = []
    for column in _path_columns(table):
        files.extend(p for p in session.scalars(sa.select(column).where(where, column.is_not(None))) if p)
    return files


def due_campaigns(session: orm.Session, today: dt.date, decision_years: int = DECISION_RETENTION_YEARS):
    """Campaigns with data to clear today: closed past their retention period and not fully cleared."""
    result = []
    for campaign in session.scalars(sa.select(Campaign).where(Campaign.closed_on.is_not(None)).order_by(Campaign.id)):
        due = purge_due_on(campaign)
        if campaign.status == CLOSED and due is not None and due <= today:
            result.append(campaign)
        elif campaign.status == PURGED and (decisions_due_on(campaign, decision_years) or today) <= today:
            kept = session.scalar(sa.select(sa.func.count()).where(Case.campaign_id == campaign.id, _identified()))
            if kept:
                result.append(campaign)
    return result


#: JSON columns of campaign-wide tables that hold examples of people's data (import samples, first row problems,
#: UWV check reports); only their "counts" survive retention, as aggregate statistics.
PERSONAL_JSON = {"import_runs": ("summary",), "uwv_uploads": ("report",)}


def _clear_reports(session: orm.Session, campaign: Campaign) -> None:
    for name, columns in PERSONAL_JSON.items():
        table = Base.metadata.tables.get(name)
        if table is None:
            continue
        for row in session.execute(
            sa.select(table.c.id, *(table.c[c] for c in columns)).where(table.c.campaign_id == campaign.id)
        ):
            kept = {c: {"counts": (getattr(row, c) or {}).get("counts", {})} for c in columns}
            session.execute(sa.update(table).where(table.c.id == row.id).values(kept))


def _campaign_tables() -> list[sa.Table]:
    """Campaign-wide tables (print batches, import runs) whose files hold many people's data."""
    return [
        t
        for t in Base.metadata.sorted_tables
        if "campaign_id" in t.c and "case_id" not in t.c and t.name != "cases" and _path_columns(t)
    ]


def _count(session: orm.Session, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).where(*where)) or 0


def _survey(session: orm.Session, campaign: Campaign, case_ids, result: PurgeResult) -> None:
    for table in _case_tables():
        where = table.c.case_id.in_(case_ids)
        result.files.extend(_collect_files(session, table, where))
        count = session.scalar(sa.select(sa.func.count()).select_from(table).where(where)) or 0
        if count:
            result.deleted_rows[table.name] = count
    for table in _campaign_tables():
        result.files.extend(_collect_files(session, table, table.c.campaign_id == campaign.id))


def _clear(session: orm.Session, campaign: Campaign, case_ids) -> None:
    for table in _case_tables():
        where = table.c.case_id.in_(case_ids)
        for column in table.c:
            # A row may point at another row of its own table (a correction letter): unlink first.
            if column.nullable and any(fk.column.table is table for fk in column.foreign_keys):
                session.execute(sa.update(table).where(where).values({column.name: None}))
        session.execute(sa.delete(table).where(where))
    for table in _campaign_tables():
        session.execute(
            sa.update(table)
            .where(table.c.campaign_id == campaign.id)
            .values({c.name: None for c in _path_columns(table)})
        )
    session.execute(
        sa.update(Case)
        .where(Case.id.in_(case_ids))
        .values(
            **PERSONAL_COLUMNS,
            bsn=sa.literal(ANONYMOUS_PREFIX) + sa.cast(Case.id, sa.String),
            version=Case.version + 1,
        )
        .execution_options(synchronize_session=False)
    )


def purge_campaign(
    session: orm.Session,
    actor: audit.Actor,
    campaign: Campaign,
    today: dt.date,
    *,
    decision_years: int = DECISION_RETENTION_YEARS,
    dry_run: bool = False,
) -> PurgeResult:
    """Anonymise the campaign's cases and delete their working data; decisions stay until their own term."""
    due = purge_due_on(campaign)
    if due is None:
        raise IllegalTransition(f"Campagne {campaign.name!r} is nog open: sluit haar eerst.")
    if today < due:
        raise IllegalTransition(
            f"De bewaartermijn van campagne {campaign.name!r} loopt tot {due.isoformat()}: er wordt niets verwijderd."
        )
    decisions_expired = today >= (decisions_due_on(campaign, decision_years) or today)
    identified = [Case.campaign_id == campaign.id, _identified()]
    case_filter = identified if decisions_expired else [*identified, Case.status != Status.BESLUIT.value]
    case_ids = sa.select(Case.id).where(*case_filter).scalar_subquery()
    result = PurgeResult(campaign_id=campaign.id, campaign_name=campaign.name)
    result.anonymised = _count(session, *case_filter)
    if not decisions_expired:
        result.kept_for_decision = _count(session, *identified, Case.status == Status.BESLUIT.value)
    _survey(session, campaign, case_ids, result)
    if dry_run:
        return result
    _clear(session, campaign, case_ids)
    _clear_reports(session, campaign)
    campaign.status = PURGED
    audit.record(
        session,
        actor,
        "delete",
        "campaign",
        campaign.id,
        purpose=f"bewaartermijn verstreken: {result.anonymised} dossiers geanonimiseerd",
    )
    return result
