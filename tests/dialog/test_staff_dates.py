"""Staff pages in English write dates one way: "1 Dec 2026", never "12/01/2026" (core/formats/en)."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings

from tests.factories import submit_case

pytestmark = pytest.mark.django_db


def test_the_staff_pages_in_english_write_no_american_dates(org, login_client, category):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False):
        case = submit_case(category=category, text="Lampan vid busshållplatsen är trasig.")[0]
        client = login_client(org["leader"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        pages = [client.get(path).content.decode() for path in ("/arenden/", f"/arenden/{case.pk}/", "/min-sida/")]

    for html in pages:
        assert '<html lang="en">' in html
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", html), "an American date"
        assert not re.search(r"\b[ap]\.m\.", html), "a 12-hour clock"
    assert "1 Dec 2026" in pages[0]
