"""Contacts, pauses, exemptions and call-backs: the phone team's facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models._types import UTCDateTime, created_at_column


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = created_at_column()
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(sa.String(20))
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    outcome: Mapped[str] = mapped_column(sa.String(40), default="")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


PAUSE_REASONS = {
    "retour": "Retour post",
    "adres_onbekend": "Adres onbekend",
    "detentie": "Detentie",
    "ziekenhuis": "Opname ziekenhuis",
    "zegt_ingeschreven": "Zegt ingeschreven te zijn",
    "ontheffing_aangevraagd": "Ontheffing aangevraagd",
}


class Pause(Base):
    """A case is held: no next letter and no sanction proposal while the pause is active."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(30))
    starts_on: Mapped[dt.date] = mapped_column(sa.Date)
    until: Mapped[dt.date | None] = mapped_column(sa.Date)  # None: until released
    released_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    release_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()

    def is_active_on(self, day: dt.date) -> bool:
        if self.starts_on > day:
            return False
        if self.released_on is not None and self.released_on <= day:
            return False
        return self.until is None or self.until >= day


class ExemptionType(Base):
    """Exemption categories are data, not code: more types are expected."""

    __tablename__ = "exemption_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    legal_basis: Mapped[str] = mapped_column(sa.String(60), default="")
    statutory: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class Exemption(Base):
    """An exemption request and its decision (ontheffing). Never stores a diagnosis."""

    __tablename__ = "exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    type_id: Mapped[int] = mapped_column(sa.ForeignKey("exemption_types.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(sa.String(20), default="aangevraagd")  # aangevraagd|verleend|geweigerd
    motivation: Mapped[str] = mapped_column(sa.String(500), default="")
    requested_on: Mapped[dt.date] = mapped_column(sa.Date)
    requested_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    requested_until: Mapped[dt.date | None] = mapped_column(sa.Date)
    requested_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    starts_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    ends_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_motivation: Mapped[str] = mapped_column(sa.String(500), default="")

    type: Mapped[ExemptionType] = orm.relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == "aangevraagd"

    def is_active_on(self, day: dt.date) -> bool:
        if self.status != "verleend" or self.starts_on is None:
            return False
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Callback(Base):
    """A call-back request or an outbound call marked by a project leader; claimed by one member."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(20), default="terugbelverzoek")  # or: uitbellen
    preferred_time: Mapped[str] = mapped_column(sa.String(120), default="")
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = created_at_column()
    claimed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
