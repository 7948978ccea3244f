"""Counts per status and per ladder step of a campaign (dashboards and monitoring)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.models import Campaign, Case, Letter, SanctionProposal, TickRun
from campaign.status import Status


def campaign_report(session: orm.Session, campaign: Campaign) -> dict[str, Any]:
    per_status = {s.value: 0 for s in Status}
    for status, n in session.execute(
        sa.select(Case.status, sa.func.count()).where(Case.campaign_id == campaign.id).group_by(Case.status)
    ):
        per_status[status] = n
    steps: dict[str, Any] = {
        str(s.position): {"kind": s.kind, "title": s.title, "cases_at_step": 0, "letters": {}} for s in campaign.steps
    }
    for step, n in session.execute(
        sa.select(Case.current_step, sa.func.count())
        .where(Case.campaign_id == campaign.id, Case.current_step > 0)
        .group_by(Case.current_step)
    ):
        steps.setdefault(str(step), {"letters": {}})["cases_at_step"] = n
    for step, status, n in session.execute(
        sa.select(Letter.step, Letter.status, sa.func.count())
        .join(Case, Case.id == Letter.case_id)
        .where(Case.campaign_id == campaign.id)
        .group_by(Letter.step, Letter.status)
    ):
        steps.setdefault(str(step), {"cases_at_step": 0, "letters": {}})["letters"][status] = n
    proposals = dict(
        session.execute(
            sa.select(SanctionProposal.status, sa.func.count())
            .where(SanctionProposal.campaign_id == campaign.id)
            .group_by(SanctionProposal.status)
        ).all()
    )
    last_tick = session.scalar(
        sa.select(TickRun).where(TickRun.campaign_id == campaign.id).order_by(TickRun.id.desc()).limit(1)
    )
    return {
        "campaign": {"id": campaign.id, "name": campaign.name, "status": campaign.status},
        "cases": sum(per_status.values()),
        "per_status": per_status,
        "per_step": steps,
        "sanction_proposals": proposals,
        "last_tick": last_tick.day.isoformat() if last_tick else None,
    }
