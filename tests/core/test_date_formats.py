"""Dates read the same way on every page in a language: day, month, year and a 24-hour clock, in English too
(core/formats/en), never the American "12/01/2026" beside "1 December 2026"."""

import datetime

import pytest
from django.utils import formats, translation

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)
MOMENT = datetime.datetime(2026, 12, 1, 14, 30)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {"DATE_FORMAT": "1 December 2026", "SHORT_DATE_FORMAT": "1 Dec 2026", "YEAR_MONTH_FORMAT": "December 2026"},
        ),
        (
            "sv",
            {"DATE_FORMAT": "1 december 2026", "SHORT_DATE_FORMAT": "2026-12-01", "YEAR_MONTH_FORMAT": "december 2026"},
        ),
    ],
)
def test_each_language_writes_a_day_in_one_order(language, expected):
    with translation.override(language):
        assert {name: formats.date_format(DAY, name) for name in expected} == expected


def test_english_times_use_the_24_hour_clock():
    with translation.override("en"):
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == "1 December 2026, 14:30"
        assert formats.time_format(MOMENT.time(), "TIME_FORMAT") == "14:30"
