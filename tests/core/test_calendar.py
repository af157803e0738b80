"""Working days across Swedish holidays: påsk, midsommar, jul and nyår."""

import datetime

import pytest

from brobygget.core.calendar import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 6, 18), True),  # Thursday before midsommar
        (D(2026, 6, 19), False),  # midsommarafton: offices closed
        (D(2026, 6, 20), False),  # midsommardagen (a Saturday as well)
        (D(2026, 4, 3), False),  # långfredagen
        (D(2026, 4, 6), False),  # annandag påsk
        (D(2026, 12, 24), False),  # julafton
        (D(2026, 12, 31), False),  # nyårsafton
        (D(2027, 1, 6), False),  # trettondedag jul
        (D(2026, 5, 14), False),  # Kristi himmelsfärdsdag
        (D(2026, 11, 28), False),  # a Saturday
        (D(2026, 11, 30), True),  # a Monday
    ],
)
def test_working_days_follow_the_swedish_calendar(day, working):
    assert is_working_day(day) is working


def test_a_promise_made_before_midsommar_skips_the_holiday_and_the_weekend():
    # Thursday 18 June 2026 + 1 working day: Friday is midsommarafton, so Monday 22 June.
    assert add_working_days(D(2026, 6, 18), 1) == D(2026, 6, 22)


def test_ten_working_days_over_christmas_and_new_year():
    # From Monday 21 Dec 2026: 22, 23, 28, 29, 30 Dec, 4, 5, 7, 8, 11 Jan (6 Jan is trettondedag).
    assert add_working_days(D(2026, 12, 21), 10) == D(2027, 1, 11)


def test_ten_working_days_over_easter():
    # From Monday 30 March 2026: 31 Mar, 1, 2, 7, 8, 9, 10, 13, 14, 15 April (3 and 6 April are holidays).
    assert add_working_days(D(2026, 3, 30), 10) == D(2026, 4, 15)


def test_a_promise_made_on_a_weekend_counts_from_the_next_working_day():
    assert add_working_days(D(2026, 11, 28), 1) == D(2026, 11, 30)


def test_zero_days_is_the_same_day_and_negative_days_are_refused():
    assert add_working_days(D(2026, 11, 27), 0) == D(2026, 11, 27)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 27), -1)


def test_counting_working_days_between_two_dates_is_the_inverse_of_adding():
    start = D(2026, 12, 21)
    for days in range(0, 25):
        assert working_days_between(start, add_working_days(start, days)) == days
