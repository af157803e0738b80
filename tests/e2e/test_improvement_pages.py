"""axe-core on the improvement pages this round added, at desktop and phone width: an improvement raised from a
resident's case (its page, under way and done), its shared page, telling the residents (with errors), making it a
routine, thanking someone (with errors), the case page's improvement section, the unit page and Min sida."""

from typing import Any, cast

import pytest
from playwright.sync_api import Page, expect

from brobygget.dialog.models import Category
from brobygget.improvement import services
from brobygget.improvement.models import Improvement, Outcome, Stage
from brobygget.improvement.recognitions import recognition_give
from brobygget.organisation.models import Person
from tests.e2e.helpers import PASSWORD, PHONE, AxeCheck
from tests.factories import CategoryFactory, submit_case

pytestmark = pytest.mark.browser


@pytest.fixture
def work(staff: dict[str, Any]) -> dict[str, Any]:
    """Elin's team: a resident's case, an improvement raised from it and adopted, one still under way, a thank-you."""
    elin = Person.objects.with_roles().get(pk=staff["person"].pk)
    category = cast(
        Category, CategoryFactory(municipality=staff["team"].municipality, unit=staff["team"], name="Lekplatser")
    )
    case = submit_case(category, text="Gungan i parken är trasig igen.", contact_email="ada@example.se")[0]

    def raise_(title: str, cases: list[Any]) -> Improvement:
        data = services.ImprovementInput(
            title=title,
            problem="Trasiga gungor står länge.",
            value_for_resident="Barnen kan gunga.",
            idea="En rond i veckan.",
            measure="Dagar till lagad gunga.",
            owner_id=elin.pk,
        )
        return services.improvement_raise(actor=elin.user, unit=staff["team"], data=data, cases=cases)

    done = raise_("Lekplatsronden", [case])
    for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "Snabbare."), (Stage.STUDY, "Rond."), (Stage.ACT, "Hälften.")):
        done = services.improvement_move(actor=elin.user, improvement=done, to=stage, answer=answer)
    done = services.improvement_finish(actor=elin.user, improvement=done, outcome=Outcome.ADOPTED, answer="Inför.")
    ongoing = raise_("Skyltar vid gungorna", [])
    recognition_give(actor=elin.user, unit=staff["team"], text="Tack för ronden, den gör skillnad.")
    return {"case": case, "done": done, "ongoing": ongoing, **staff}


def _visit(page: Page, axe: AxeCheck, work: dict[str, Any], width: str) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("elin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    axe.check(page, f"Min sida with the improvement sections, {width}")
    done, ongoing, team = work["done"], work["ongoing"], work["team"]
    for url, name in (
        (f"/forbattringar/{done.pk}/", "a done improvement"),
        (f"/forbattringar/{ongoing.pk}/", "an improvement under way"),
        (f"/forbattringar/klara/{done.pk}/", "the shared page"),
        (f"/forbattringar/{done.pk}/rutin/", "making it a routine"),
        (f"/arenden/{work['case'].pk}/", "the case page with its improvements"),
        (f"/organisation/enheter/{team.pk}/", "the unit page with thanks"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Vi hittar inte sidan")
        axe.check(page, f"{name}, {width}")
    page.goto(f"/forbattringar/{done.pk}/till-invanarna/")
    axe.check(page, f"telling the residents, {width}")
    page.get_by_role("button", name="Spara och skicka till invånarna").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe.check(page, f"telling the residents with errors, {width}")
    page.goto(f"/forbattringar/uppmarksamma/enheter/{team.pk}/?forbattring={done.pk}")
    page.get_by_role("button", name="Skicka tacket").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe.check(page, f"thanking with errors, {width}")


def test_the_improvement_pages_have_no_accessibility_violations(page: Page, work: dict[str, Any]) -> None:
    axe = AxeCheck()
    _visit(page, axe, work, "desktop")
    axe.assert_clean()


def test_the_improvement_pages_on_a_phone(new_page: Any, work: dict[str, Any]) -> None:
    axe = AxeCheck()
    _visit(new_page(viewport=PHONE), axe, work, "phone")
    axe.assert_clean()
