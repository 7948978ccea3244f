"""Core tables: users, campaigns with their ladder, cases, case history and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import UTCDateTime, created_at_column

user_campaigns = sa.Table(
    "user_campaigns",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    totp_last_counter: Mapped[int | None] = mapped_column(sa.BigInteger)
    recovery_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = created_at_column()

    campaigns: Mapped[list[Campaign]] = orm.relationship(secondary=user_campaigns, back_populates="users")

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None


class Municipality(Base):
    """The municipality's letter settings. One row (id 1)."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="Gemeente Voorbeeld")
    department: Mapped[str] = mapped_column(sa.String(120), default="Werk en Inkomen")
    return_address: Mapped[str] = mapped_column(sa.String(300), default="Postbus 1, 1000 AA  VOORBEELD")
    phone: Mapped[str] = mapped_column(sa.String(40), default="14 010")
    phone_hours: Mapped[str] = mapped_column(sa.String(120), default="maandag tot en met vrijdag, 9.00-17.00 uur")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    website: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_name: Mapped[str] = mapped_column(sa.String(120), default="")
    signatory_function: Mapped[str] = mapped_column(sa.String(120), default="")
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    logo_mime: Mapped[str | None] = mapped_column(sa.String(40))
    updated_at: Mapped[dt.datetime] = created_at_column()


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    reference_prefix: Mapped[str] = mapped_column(sa.String(12))
    status: Mapped[str] = mapped_column(sa.String(20), default="open")  # open | gesloten
    uwv_freshness_days: Mapped[int] = mapped_column(default=10)
    says_registered_pause_days: Mapped[int] = mapped_column(default=28)
    callback_claim_minutes: Mapped[int] = mapped_column(default=60, server_default=sa.text("60"))
    view_period_days: Mapped[int] = mapped_column(default=14)
    auto_launch_steps: Mapped[bool] = mapped_column(default=False)
    retention_months: Mapped[int] = mapped_column(default=12)
    next_case_number: Mapped[int] = mapped_column(default=1)
    column_mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = created_at_column()
    closed_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    steps: Mapped[list[LadderStep]] = orm.relationship(
        back_populates="campaign", order_by="LadderStep.position", cascade="all, delete-orphan"
    )
    users: Mapped[list[User]] = orm.relationship(secondary=user_campaigns, back_populates="campaigns")

    def step(self, position: int) -> LadderStep | None:
        return next((s for s in self.steps if s.position == position), None)


class LadderStep(Base):
    """One rung of the campaign's escalation ladder."""

    __tablename__ = "ladder_steps"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))  # uitnodiging, herinnering, ultimatum, voornemen, besluit
    title: Mapped[str] = mapped_column(sa.String(120))
    delay_days: Mapped[int] = mapped_column(default=14)
    deadline_days: Mapped[int | None]

    campaign: Mapped[Campaign] = orm.relationship(back_populates="steps")


class Case(Base):
    """One person (BSN) in one campaign. ``status`` is a cache of the derived status."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "bsn"),
        sa.Index("ix_cases_campaign_status", "campaign_id", "status"),
        sa.Index("ix_cases_postcode_house", "postcode", "house_number"),
        sa.Index("ix_cases_surname_key", "surname_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    bsn: Mapped[str] = mapped_column(sa.String(9))
    initials: Mapped[str] = mapped_column(sa.String(40), default="")
    first_names: Mapped[str] = mapped_column(sa.String(120), default="")
    prefix: Mapped[str] = mapped_column(sa.String(20), default="")  # tussenvoegsel
    surname: Mapped[str] = mapped_column(sa.String(120))
    surname_key: Mapped[str] = mapped_column(sa.String(160), default="")  # folded for search
    birth_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    street: Mapped[str] = mapped_column(sa.String(120), default="")
    house_number: Mapped[int | None]
    house_letter: Mapped[str] = mapped_column(sa.String(1), default="")
    house_addition: Mapped[str] = mapped_column(sa.String(10), default="")
    postcode: Mapped[str] = mapped_column(sa.String(7), default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    team: Mapped[str] = mapped_column(sa.String(60), default="")
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    no_action_reason: Mapped[str | None] = mapped_column(sa.String(40))
    no_action_since: Mapped[dt.date | None] = mapped_column(sa.Date)
    missing_from_list_since: Mapped[dt.date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(30), default="pool")
    status_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    current_step: Mapped[int] = mapped_column(default=0)
    next_step_due: Mapped[dt.date | None] = mapped_column(sa.Date)
    deadline: Mapped[dt.date | None] = mapped_column(sa.Date)
    wave_id: Mapped[int | None] = mapped_column(sa.ForeignKey("waves.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = created_at_column()

    campaign: Mapped[Campaign] = orm.relationship()
    events: Mapped[list[CaseEvent]] = orm.relationship(
        back_populates="case", order_by="CaseEvent.id.desc()", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_name(self) -> str:
        parts = [self.initials or self.first_names, self.prefix, self.surname]
        return " ".join(p for p in parts if p)

    @property
    def masked_bsn(self) -> str:
        return "*****" + self.bsn[-4:]

    @property
    def house(self) -> str:
        number = "" if self.house_number is None else str(self.house_number)
        addition = f"-{self.house_addition}" if self.house_addition else ""
        return f"{number}{self.house_letter}{addition}"


class CaseEvent(Base):
    """One line in a case's history (timeline): what happened, in Dutch, and who did it."""

    __tablename__ = "case_events"
    __table_args__ = (sa.Index("ix_case_events_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = created_at_column()
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    summary: Mapped[str] = mapped_column(sa.String(500))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    case: Mapped[Case] = orm.relationship(back_populates="events")
    actor: Mapped[User | None] = orm.relationship()


class AuditEvent(Base):
    """Who read or wrote what, when, from where and why (AVG/BIO logging)."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = created_at_column()
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str] = mapped_column(sa.String(40), default="")
    result: Mapped[str] = mapped_column(sa.String(20), default="ok")
    origin: Mapped[str] = mapped_column(sa.String(80), default="")
    purpose: Mapped[str] = mapped_column(sa.String(200), default="")


class Job(Base):
    """A background job (rq or in-process) and its progress, shown by the progress fragment."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="wachtend")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    @property
    def percent(self) -> int:
        return 0 if not self.total else min(100, round(100 * self.done / self.total))

    @property
    def finished(self) -> bool:
        return self.status in ("klaar", "mislukt")
