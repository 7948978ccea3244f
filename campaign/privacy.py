"""AVG art. 15: everything held on one person, including who viewed it and why.

Collected generically: the person's cases (one per campaign) and every row of every table that refers to a
case through a ``case_id`` column, so tables added later are included without changing this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import orm

from campaign import audit
from campaign.bsn import normalise_bsn
from campaign.db import Base
from campaign.errors import InvalidInput
from campaign.models import AuditEvent, Campaign, Case

#: Columns never handed out (internal mechanics, not personal data) and binary content.
SKIPPED_COLUMNS = {"version", "surname_key"}

#: Dutch sheet titles for known tables; unknown tables keep their name.
SECTION_TITLES = {
    "cases": "Dossiers",
    "case_events": "Geschiedenis",
    "letters": "Brieven",
    "contacts": "Contacten",
    "pauses": "Pauzes",
    "exemptions": "Ontheffingen",
    "callbacks": "Terugbelverzoeken",
    "uwv_registrations": "UWV-inschrijvingen",
    "audit_events": "Wie heeft ingezien",
}


@dataclass
class Section:
    table: str
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)


@dataclass
class SubjectReport:
    bsn: str
    made_on: dt.date
    sections: list[Section]

    @property
    def case_count(self) -> int:
        return next((len(s.rows) for s in self.sections if s.table == "cases"), 0)


def _case_tables() -> list[sa.Table]:
    return [t for t in Base.metadata.sorted_tables if "case_id" in t.c and t.name != "audit_events"]


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, list | dict):
        return str(value)
    return value


def _section(session: orm.Session, table: sa.Table, where) -> Section:
    columns = [c for c in table.c if c.name not in SKIPPED_COLUMNS and not isinstance(c.type, sa.LargeBinary)]
    rows = session.execute(sa.select(*columns).where(where).order_by(*table.primary_key.columns)).all()
    return Section(
        table=table.name,
        title=SECTION_TITLES.get(table.name, table.name),
        columns=[c.name for c in columns],
        rows=[[_plain(v) for v in row] for row in rows],
    )


def subject_access(session: orm.Session, actor: audit.Actor, raw_bsn: str, today: dt.date) -> SubjectReport:
    """Collect everything held on the person with this BSN, and log that it was collected."""
    bsn = normalise_bsn(raw_bsn)
    if bsn is None:
        raise InvalidInput(f"{raw_bsn!r} is geen geldig BSN (elfproef).")
    case_ids = list(session.scalars(sa.select(Case.id).where(Case.bsn == bsn)))
    cases_table = Case.__table__
    sections = [_section(session, cases_table, cases_table.c.id.in_(case_ids))]
    sections[0].columns.append("campagne")
    names = dict(session.execute(sa.select(Campaign.id, Campaign.name)).all())
    campaign_index = sections[0].columns.index("campaign_id")
    for row in sections[0].rows:
        row.append(names.get(row[campaign_index], ""))
    for table in _case_tables():
        if table.name != "cases":
            sections.append(_section(session, table, table.c.case_id.in_(case_ids)))
    views = AuditEvent.__table__
    sections.append(
        _section(
            session,
            views,
            sa.and_(views.c.object_type == "case", views.c.object_id.in_([str(i) for i in case_ids])),
        )
    )
    for case_id in case_ids or [""]:
        audit.record(session, actor, "export", "case", case_id, purpose="AVG art. 15 inzageverzoek")
    return SubjectReport(bsn=bsn, made_on=today, sections=sections)
