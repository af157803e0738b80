"""The numbers pages' data: cases of two categories and two units over a few months, fault reports with places.
(A module of its own, not the shared conftest: `from tests.openresults.numbers_data import numbers` in a test.)"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from brobygget.dialog.services import case_answer, case_resolved_set
from tests.factories import CategoryFactory, ServicePromiseFactory, UnitFactory, submit_case

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
TODAY = datetime.datetime(2026, 6, 10, 12, tzinfo=STOCKHOLM)
SECRET_TEXT = "Min granne Sven Svensson på Lönngatan 7 spelar hög musik"


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=STOCKHOLM), tick=False)


@pytest.fixture
def numbers(org):
    """Parker (Parkenheten, promise 1 working day) and Gator (Gatuenheten), as the staff statistics' tests have them.

    * April: a park suggestion in on Thu 2 April, answered Tue 7 April (in time, 1 day, solved).
    * May: three park complaints in on Wed 13 May: one answered Fri 15 May (in time, 1 day, not solved), one Mon
      18 May (late, 2 days), one never; a street complaint answered in time on Fri 15 May (1 day, solved).
    * Six fault reports of the street category around one place in May (one square), two far away (another).
    """
    handler = org["member"].user
    park = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker", code="parker")
    ServicePromiseFactory(category=park, acknowledge_days=1, answer_days=1)
    street_unit = UnitFactory(municipality=park.municipality, parent=org["admin_unit"], name="Gatuenheten")
    street = CategoryFactory(municipality=park.municipality, unit=street_unit, name="Gator", code="gator")
    ServicePromiseFactory(category=street, acknowledge_days=1, answer_days=1)
    with at(2026, 4, 2, 10):
        d = submit_case(park, kind="suggestion")[0]
    with at(2026, 4, 7, 15):
        case_answer(actor=handler, case=d, text="Klart.")
        case_resolved_set(case=d, resolved=True)
    with at(2026, 5, 13, 10):
        a, b, _c = (submit_case(park, text=SECRET_TEXT)[0] for _ in range(3))
        e = submit_case(street)[0]
    with at(2026, 5, 15, 14):
        case_answer(actor=handler, case=a, text="Klart.")
        case_resolved_set(case=a, resolved=False)
        case_answer(actor=None, case=e, text="Klart.")
        case_resolved_set(case=e, resolved=True)
    with at(2026, 5, 18, 9):
        case_answer(actor=handler, case=b, text="Klart.")
    with at(2026, 5, 20, 10):
        for n in range(6):
            submit_case(
                street,
                kind="fault_report",
                address="Storgatan 12",
                latitude=Decimal("59.3301") + Decimal(n) / 10000,
                longitude=Decimal("18.0601"),
            )
        for n in range(2):
            submit_case(
                street, kind="fault_report", latitude=Decimal("59.9") + n / Decimal(1000), longitude=Decimal("17.5")
            )
    return {"park": park, "street": street, "street_unit": street_unit}
