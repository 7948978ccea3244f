"""The phone team's configuration and the indexes its search and call-back queue rely on."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base
from campaign.models.contacts import Callback
from campaign.models.core import Case


class ContactReason(Base):
    """A reason for a contact, chosen on the contact form. Data, not code: the list is maintained by CLI."""

    __tablename__ = "contact_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)


#: Search: date of birth (with the last four BSN digits) and phone number are looked up directly.
sa.Index("ix_cases_birth_date", Case.birth_date)
sa.Index("ix_cases_phone", Case.phone)

#: A case has at most one open call-back (not yet done); the queue depends on it.
sa.Index(
    "uq_callbacks_case_open",
    Callback.case_id,
    unique=True,
    sqlite_where=sa.text("done_at IS NULL"),
    postgresql_where=sa.text("done_at IS NULL"),
)
sa.Index("ix_callbacks_open", Callback.done_at, Callback.claimed_at)
