"""Letter facts: template versions, waves, print batches and letters (the proof of dispatch)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import UTCDateTime, created_at_column


class TemplateVersion(Base):
    """An immutable version of a campaign's letter template for one ladder step kind."""

    __tablename__ = "template_versions"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    version: Mapped[int]
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()


class Wave(Base):
    """A phased group of cases written to together (the pilot sample is a wave too)."""

    __tablename__ = "waves"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    size: Mapped[int] = mapped_column(default=0)
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    seed: Mapped[int | None]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    launched_on: Mapped[dt.date | None] = mapped_column(sa.Date)


class PrintBatch(Base):
    """Letters rendered together for the print room; dispatched as a whole."""

    __tablename__ = "print_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    wave_id: Mapped[int | None] = mapped_column(sa.ForeignKey("waves.id", ondelete="SET NULL"))
    step: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="aangemaakt")
    # aangemaakt -> renderen -> klaar -> verzonden | geannuleerd
    job_id: Mapped[str | None] = mapped_column(sa.String(40))
    letter_count: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    dispatched_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    dispatched_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    bundle_path: Mapped[str | None] = mapped_column(sa.String(400))
    manifest_path: Mapped[str | None] = mapped_column(sa.String(400))
    #: The date printed on the letters (deadlines count from it); the bundle's SHA-256 and page count.
    letter_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    bundle_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    page_count: Mapped[int | None]

    letters: Mapped[list[Letter]] = orm.relationship(back_populates="batch")


LETTER_STATUSES = ("aangemaakt", "gerenderd", "verzonden", "geannuleerd")


class Letter(Base):
    """One letter to one case for one ladder step. Never two live letters per case and step."""

    __tablename__ = "letters"
    __table_args__ = (
        sa.Index(
            "uq_letters_case_step_live",
            "case_id",
            "step",
            unique=True,
            sqlite_where=sa.text("status != 'geannuleerd' AND correction_of_id IS NULL"),
            postgresql_where=sa.text("status != 'geannuleerd' AND correction_of_id IS NULL"),
        ),
        sa.Index("ix_letters_batch", "batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    step: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    template_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("template_versions.id", ondelete="RESTRICT"))
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("print_batches.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(sa.String(20), default="aangemaakt")
    address: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # lines as printed
    #: Step-specific values frozen when the letter is created (e.g. view deadline, decision outcome).
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    letter_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    deadline: Mapped[dt.date | None] = mapped_column(sa.Date)
    uwv_list_id: Mapped[int | None] = mapped_column(sa.ForeignKey("uwv_lists.id", ondelete="RESTRICT"))
    pdf_path: Mapped[str | None] = mapped_column(sa.String(400))
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    page_count: Mapped[int | None]
    created_at: Mapped[dt.datetime] = created_at_column()
    rendered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    dispatched_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    returned_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    correction_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id", ondelete="RESTRICT"))

    batch: Mapped[PrintBatch | None] = orm.relationship(back_populates="letters")
    template_version: Mapped[TemplateVersion | None] = orm.relationship()

    @property
    def is_dispatched(self) -> bool:
        return self.status == "verzonden" and self.dispatched_on is not None


def live_letter(letter: Any = Letter) -> sa.ColumnElement[bool]:
    """SQL: the letter counts for its case and step (``letter``: the Letter class or an alias of it).

    A cancelled letter does not count, nor does a correction letter (it points to the letter it corrects).
    The one place this is decided for the tick, the guards and the status facts; the partial unique index
    ``uq_letters_case_step_live`` states the same condition in SQL text.
    """
    return sa.and_(letter.status != "geannuleerd", letter.correction_of_id.is_(None))
