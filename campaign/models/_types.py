"""Column helpers shared by the model modules."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import orm


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; pass an aware datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def created_at_column() -> orm.Mapped[dt.datetime]:
    return orm.mapped_column(UTCDateTime(), default=utcnow, nullable=False)
