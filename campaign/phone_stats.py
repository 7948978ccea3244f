"""The phone team's numbers for the campaign page: queues and what was logged this week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from campaign.dates import AMSTERDAM
from campaign.models import Callback, Case, Contact, Exemption, Pause


@dataclass
class PhoneStats:
    callbacks_open: int
    exemptions_pending: int
    contacts_week: int
    says_registered_paused: int


def phone_stats(session: orm.Session, campaign_id: int, today: dt.date) -> PhoneStats:
    in_campaign = sa.select(Case.id).where(Case.campaign_id == campaign_id).scalar_subquery()
    week_start = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(0), AMSTERDAM).astimezone(dt.UTC)

    def count(model, *conditions) -> int:
        query = sa.select(sa.func.count()).select_from(model).where(model.case_id.in_(in_campaign), *conditions)
        return session.scalar(query) or 0

    return PhoneStats(
        callbacks_open=count(Callback, Callback.done_at.is_(None)),
        exemptions_pending=count(Exemption, Exemption.status == "aangevraagd"),
        contacts_week=count(Contact, Contact.at >= week_start),
        says_registered_paused=count(
            Pause,
            Pause.reason == "zegt_ingeschreven",
            Pause.released_on.is_(None),
            Pause.starts_on <= today,
            sa.or_(Pause.until.is_(None), Pause.until >= today),
        ),
    )
