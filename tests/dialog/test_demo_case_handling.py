"""The demo shows the case handlers' and leaders' work: handlers named on two cases in three, a history with who did
what, a resident's "Nej" waiting as news, and a leader's Min sida with her units' cases and no false praise."""

import pytest
from django.test import Client

from brobygget.demo.municipality import DEMO_PASSWORD, demo_municipality_load
from brobygget.dialog.models import Case, CaseEntry, DialogSettings
from tests.dialog.conftest import sv

pytestmark = pytest.mark.django_db


def test_the_demo_gives_cases_to_handlers_and_shows_it_where_staff_look():
    demo_municipality_load()

    cases = Case.objects.all()
    assigned = cases.filter(assignee__isnull=False).count()
    assert 0.5 <= assigned / cases.count() <= 0.8
    assert cases.filter(assignee__user__username="medarbetare").count() >= 2  # "Bara mina ärenden" shows some
    given = CaseEntry.objects.filter(kind=CaseEntry.Kind.EVENT, text__startswith=sv("Given to %(person)s.")[:8])
    assert given.exists() and not given.filter(author__isnull=True).exists()
    taken_up = CaseEntry.objects.filter(kind=CaseEntry.Kind.EVENT, text=sv("Taken up."))
    assert taken_up.exists() and not taken_up.filter(author__isnull=True).exists()
    [no] = cases.filter(resolved=False, resident_news_at__isnull=False, status="answered")
    assert DialogSettings.objects.get().when_not_solved == DialogSettings.WhenNotSolved.ASK_HANDLER

    chef = Client()
    assert chef.login(username="chef", password=DEMO_PASSWORD)
    page = chef.get("/min-sida/").content.decode()
    assert sv("Cases in the units you lead") in page
    assert "Bra jobbat" not in page.split('id="led-cases-title"')[1].split("</section>")[0]
    assert sv("New from the resident") in chef.get("/arenden/").content.decode()
    assert sv("The resident answered: No, not solved") in chef.get(f"/arenden/{no.pk}/").content.decode()

    elin = Client()
    assert elin.login(username="medarbetare", password=DEMO_PASSWORD)
    mine = elin.get("/arenden/", {"mina": "on"}).content.decode()
    assert mine.count('<th scope="row">') >= 2
