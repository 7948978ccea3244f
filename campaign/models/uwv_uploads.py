"""A UWV list upload on its way to becoming a UwvList: checked first, applied only when the user confirms.

Staged registrations hold only the campaign's own cases; BSNs that are not in the campaign never get here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import UTCDateTime, created_at_column


class UwvUpload(Base):
    """One uploaded UWV list: its check report and, once applied, the UwvList it became."""

    __tablename__ = "uwv_uploads"
    __table_args__ = (sa.Index("ix_uwv_uploads_campaign", "campaign_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    peildatum: Mapped[dt.date] = mapped_column(sa.Date)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    #: controleren -> gecontroleerd | afgekeurd; gecontroleerd -> toepassen -> toegepast; or ingetrokken
    status: Mapped[str] = mapped_column(sa.String(20), default="controleren")
    job_id: Mapped[str | None] = mapped_column(sa.String(40))
    report: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    uploaded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    applied_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uwv_list_id: Mapped[int | None] = mapped_column(sa.ForeignKey("uwv_lists.id", ondelete="SET NULL"))


class UwvStagedRegistration(Base):
    """A checked row of an upload, matched to a case, waiting to be applied (then moved in one statement)."""

    __tablename__ = "uwv_staged_registrations"
    __table_args__ = (sa.UniqueConstraint("upload_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(sa.ForeignKey("uwv_uploads.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    registered_on: Mapped[dt.date] = mapped_column(sa.Date)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(40), default="")
