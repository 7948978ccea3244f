"""Calendar dates in Europe/Amsterdam, Dutch date formatting and the Algemene termijnenwet."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def today_amsterdam(now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(AMSTERDAM).date()


def dutch_date(day: dt.date | None, *, weekday: bool = False) -> str:
    """Format as '23 november 2026' (optionally 'maandag 23 november 2026')."""
    if day is None:
        return ""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def dutch_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(AMSTERDAM)
    return f"{dutch_date(local.date())} {local:%H:%M}"


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_holiday(day: dt.date) -> bool:
    """A Dutch public holiday under the Algemene termijnenwet (including Liberation Day every year)."""
    if day.month == 5 and day.day == 5:
        return True
    return day in _holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def deadline_after(start: dt.date, days: int) -> dt.date:
    """``start + days``, moved to the next working day when it falls on a weekend or holiday."""
    return next_working_day(start + dt.timedelta(days=days))


def parse_iso_date(text: str) -> dt.date:
    from campaign.errors import InvalidInput

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is geen geldige datum; gebruik JJJJ-MM-DD.") from None
