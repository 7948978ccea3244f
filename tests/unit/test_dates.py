import datetime as dt

import pytest

from campaign.dates import deadline_after, dutch_date, is_working_day, today_amsterdam


def test_dates_are_written_the_dutch_way():
    assert dutch_date(dt.date(2026, 11, 23)) == "23 november 2026"
    assert dutch_date(dt.date(2026, 12, 7), weekday=True) == "maandag 7 december 2026"


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 23), 14, dt.date(2026, 12, 7)),  # Monday stays Monday
        (dt.date(2026, 11, 21), 14, dt.date(2026, 12, 7)),  # Saturday moves to Monday
        (dt.date(2026, 12, 11), 14, dt.date(2026, 12, 28)),  # Christmas and Boxing Day (Fri/Sat) then Sunday
        (dt.date(2027, 3, 15), 14, dt.date(2027, 3, 30)),  # Easter Monday 2027 is 29 March
        (dt.date(2027, 4, 13), 14, dt.date(2027, 4, 28)),  # King's Day 2027 (Tuesday 27 April)
        (dt.date(2026, 4, 21), 14, dt.date(2026, 5, 6)),  # Liberation Day (Tuesday 5 May)
    ],
)
def test_a_deadline_on_a_weekend_or_holiday_moves_to_the_next_working_day(start, days, expected):
    deadline = deadline_after(start, days)
    assert deadline == expected
    assert is_working_day(deadline)


def test_today_is_the_amsterdam_calendar_date():
    late_evening_utc = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
    assert today_amsterdam(late_evening_utc) == dt.date(2026, 11, 24)
