"""Import runs: one uploaded municipal list, from check to apply, with what it did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import UTCDateTime, created_at_column

#: controleren -> gecontroleerd -> toepassen -> toegepast; or mislukt / vervallen (a newer upload replaced it).
IMPORT_STATUSES = ("controleren", "gecontroleerd", "toepassen", "toegepast", "mislukt", "vervallen")


class ImportRun(Base):
    """One uploaded list: the file (by hash), the mapping used, the counts, and the user's choices."""

    __tablename__ = "import_runs"
    __table_args__ = (sa.Index("ix_import_runs_campaign_sha", "campaign_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    list_type: Mapped[str] = mapped_column(sa.String(20), default="clients")  # clients | uitstroom
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size_bytes: Mapped[int] = mapped_column(default=0)
    stored_path: Mapped[str | None] = mapped_column(sa.String(500))  # removed once applied
    status: Mapped[str] = mapped_column(sa.String(20), default="controleren")
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    reference_date: Mapped[dt.date] = mapped_column(sa.Date)  # "today" of the import (missing since, uitstroom)
    header_row: Mapped[int | None]
    headers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    mapping: Mapped[list[str | None]] = mapped_column(sa.JSON, default=list)
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # counts, first problems, sample
    total_rows: Mapped[int] = mapped_column(default=0)
    error_rows: Mapped[int] = mapped_column(default=0)
    skip_invalid: Mapped[bool] = mapped_column(default=False)  # the explicit "leave out the N listed" choice
    skipped_rows: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # counts as applied
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_runs.id", ondelete="SET NULL"))
    check_job_id: Mapped[str | None] = mapped_column(sa.String(40))
    apply_job_id: Mapped[str | None] = mapped_column(sa.String(40))
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    applied_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    campaign = orm.relationship("Campaign")
    duplicate_of: Mapped[ImportRun | None] = orm.relationship(remote_side=[id])

    @property
    def counts(self) -> dict[str, int]:
        return dict((self.result or self.summary or {}).get("counts", {}))
