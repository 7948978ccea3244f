"""The sanction track (maatregel), the municipality's dated ordinance, review tasks and tick runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import UTCDateTime, created_at_column

#: Proposal statuses in order; "ingetrokken" (withdrawn) ends a proposal at any stage before dispatch.
PROPOSAL_STATUSES = ("voorstel", "beoordeeld", "voornemen", "besluit", "ingetrokken")
OUTCOMES = {"geen": "Geen maatregel", "waarschuwing": "Waarschuwing", "verlaging": "Verlaging van de uitkering"}
BLAME = {
    "geen": "Geen verwijtbaarheid",
    "verminderd": "Verminderde verwijtbaarheid",
    "volledig": "Volledig verwijtbaar",
}


def proposal_on_record(proposal: Any = None) -> sa.ColumnElement[bool]:
    """A proposal that still counts against a new one for the same ultimatum: not withdrawn, or withdrawn only
    after its notice of intent existed (a withdrawn voornemen or besluit ends the track; the tick does not
    propose again on the same ultimatum). ``proposal`` may be an alias of ``SanctionProposal``."""
    proposal = SanctionProposal if proposal is None else proposal
    return sa.or_(proposal.status != "ingetrokken", proposal.intent_letter_id.is_not(None))


class OrdinanceRule(Base):
    """One dated row of the municipality's maatregelenverordening for one behaviour category."""

    __tablename__ = "ordinance_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(60))
    label: Mapped[str] = mapped_column(sa.String(200))
    percentage: Mapped[int]
    months: Mapped[int]
    warning_allowed: Mapped[bool] = mapped_column(default=True)
    recidive_percentage: Mapped[int]
    recidive_months: Mapped[int]
    recidive_window_months: Mapped[int] = mapped_column(default=12)
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date | None] = mapped_column(sa.Date)
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    legal_basis: Mapped[str] = mapped_column(sa.String(200), default="")


class SanctionProposal(Base):
    """A case on the sanction track: proposal, assessment, approval, notice of intent, decision."""

    __tablename__ = "sanction_proposals"
    __table_args__ = (sa.Index("ix_sanction_proposals_campaign_status", "campaign_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(20), default="voorstel")
    proposed_on: Mapped[dt.date] = mapped_column(sa.Date)
    ultimatum_deadline: Mapped[dt.date] = mapped_column(sa.Date)
    uwv_list_id: Mapped[int | None] = mapped_column(sa.ForeignKey("uwv_lists.id", ondelete="RESTRICT"))
    category: Mapped[str] = mapped_column(sa.String(60), default="niet_ingeschreven")
    # assessment (the answers; the facts are shown beside them from the database)
    assessment: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    blame: Mapped[str | None] = mapped_column(sa.String(20))
    proposed_outcome: Mapped[str | None] = mapped_column(sa.String(20))
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    assessed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    assessed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    intent_letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id", ondelete="SET NULL"))
    view_deadline: Mapped[dt.date | None] = mapped_column(sa.Date)
    view_received: Mapped[str] = mapped_column(sa.Text, default="")
    # decision
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    percentage: Mapped[int | None]
    months: Mapped[int | None]
    effective_month: Mapped[dt.date | None] = mapped_column(sa.Date)
    recidive: Mapped[bool] = mapped_column(default=False)
    ordinance_rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ordinance_rules.id", ondelete="RESTRICT"))
    decision_motivation: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    decision_letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id", ondelete="SET NULL"))
    withdrawn_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[dt.datetime] = created_at_column()

    uwv_list = orm.relationship("UwvList")
    ordinance_rule: Mapped[OrdinanceRule | None] = orm.relationship()


class ReviewTask(Base):
    """Heroverweging of a decision within 3 months (Pw 18(3))."""

    __tablename__ = "review_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("sanction_proposals.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    reminded_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    done_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(500), default="")


class TickRun(Base):
    """One run of the daily tick for one campaign and its summary."""

    __tablename__ = "tick_runs"
    __table_args__ = (sa.Index("ix_tick_runs_campaign_day", "campaign_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(sa.Date)
    started_at: Mapped[dt.datetime] = created_at_column()
    actor_label: Mapped[str] = mapped_column(sa.String(120), default="")
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
