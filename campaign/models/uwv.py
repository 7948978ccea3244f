"""UWV registration lists and the registrations matched to cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import created_at_column


class UwvList(Base):
    """A UWV list as a dated source: every decision can say which list it rests on."""

    __tablename__ = "uwv_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    peildatum: Mapped[dt.date] = mapped_column(sa.Date)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    uploaded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    report: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class UwvRegistration(Base):
    """What one UWV list says about one case's registration as a job seeker."""

    __tablename__ = "uwv_registrations"
    __table_args__ = (
        sa.UniqueConstraint("uwv_list_id", "case_id"),
        sa.Index("ix_uwv_registrations_case", "case_id", "uwv_list_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uwv_list_id: Mapped[int] = mapped_column(sa.ForeignKey("uwv_lists.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    registered_on: Mapped[dt.date] = mapped_column(sa.Date)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(40), default="")

    uwv_list: Mapped[UwvList] = orm.relationship()

    def is_registered_on(self, day: dt.date) -> bool:
        return self.registered_on <= day and (self.ended_on is None or self.ended_on > day)
