"""Swedish working days: weekdays that are neither public holidays nor the de facto holidays
(midsommarafton, julafton, nyårsafton) on which municipal offices are closed."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(days.keys())


def is_working_day(day: datetime.date) -> bool:
    """True for a weekday that is not a Swedish holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (a promise made on `start` falls due then)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
