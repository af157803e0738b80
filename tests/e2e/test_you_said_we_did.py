"""A resident follows their own suggestion from the receipt to "Du sa – vi gjorde": the staff adopt an improvement
raised from it, tell the residents, and publish the summary after seeing it masked; the tracking page then links to
the publication. axe-core on the public pages at desktop and phone width."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.dialog.models import Case, Category
from brobygget.improvement import services as improvement_services
from brobygget.improvement.models import Outcome, Stage
from brobygget.openresults.views_staff import MESSAGE_PUBLISHED
from brobygget.organisation.models import Person
from tests.e2e.helpers import PHONE, AxeCheck, log_in
from tests.factories import CategoryFactory
from tests.improvement.conftest import improvement_input, sv

pytestmark = pytest.mark.browser

SUGGESTION = "Kan ni sätta upp fler bänkar längs promenadstråket vid sjön? Det är långt mellan dem."
YOU_SAID = "Flera av er föreslog fler bänkar längs promenadstråket. En av er lämnade numret 070-123 45 67."
WE_DID = "Vi har satt upp åtta nya bänkar längs stråket, med högst 200 meter mellan dem."


@pytest.fixture
def site(staff: dict[str, Any], settings: Any) -> dict[str, Any]:
    settings.DIALOG_MIN_FILL_SECONDS = 0
    CategoryFactory(municipality=staff["team"].municipality, unit=staff["team"], name="Parker och lekplatser")
    return staff


def _adopt_and_tell(staff: dict[str, Any], case: Case) -> int:
    """The park team's work, through the services: an improvement from the case, adopted, told to the residents."""
    elin = Person.objects.with_roles().get(pk=staff["person"].pk)
    user = elin.user
    assert user is not None
    improvement = improvement_services.improvement_raise(
        actor=user, unit=staff["team"], data=improvement_input(elin, title="Fler bänkar vid sjön"), cases=[case]
    )
    for stage, answer in (
        (Stage.PLAN, ""),
        (Stage.DO, "Fler vilar."),
        (Stage.STUDY, "Åtta bänkar."),
        (Stage.ACT, "Används."),
    ):
        improvement = improvement_services.improvement_move(
            actor=user, improvement=improvement, to=stage, answer=answer
        )
    improvement = improvement_services.improvement_finish(
        actor=user, improvement=improvement, outcome=Outcome.ADOPTED, answer="Vi behåller dem.", lesson=""
    )
    improvement_services.resident_summary_write(actor=user, improvement=improvement, you_said=YOU_SAID, we_did=WE_DID)
    return improvement.pk


def test_a_resident_follows_their_suggestion_from_the_receipt_to_you_said_we_did(
    new_page: Callable[..., Page], site: dict[str, Any]
) -> None:
    resident = new_page()
    resident.goto("/lamna-synpunkt/")
    resident.get_by_role("group", name=sv("What do you want to send?")).get_by_label(sv("Suggestion")).check()
    resident.get_by_role("radio", name="Parker och lekplatser").check()
    resident.get_by_label(sv("Your message")).fill(SUGGESTION)
    resident.get_by_role("button", name=sv("Send"), exact=True).click()
    expect(resident).to_have_url(re.compile(r"/kvitto/$"))
    resident.get_by_role("link", name=sv("Go to your case")).click()
    tracking = resident.url
    expect(resident.get_by_role("link", name=sv("Read it in “You said – we did”"))).to_have_count(0)

    improvement_id = _adopt_and_tell(site, Case.objects.get())

    # Elin publishes the summary: she sees it masked, with the masked part marked, and confirms.
    elin = new_page()
    log_in(elin, site["username"])
    elin.goto(f"/forbattringar/{improvement_id}/till-invanarna/")
    elin.get_by_role("link", name=sv("Publish"), exact=True).click()
    preview = elin.locator("article.publication-preview")
    expect(preview).to_contain_text("[telefonnummer]")
    expect(preview).not_to_contain_text("070-123")
    expect(preview.locator("mark.masked")).to_have_count(1)
    axe = AxeCheck()
    axe.check(elin, "Publicera")
    elin.get_by_role("button", name=sv("Publish"), exact=True).click()
    expect(elin.get_by_role("status").first).to_have_text(sv(MESSAGE_PUBLISHED))

    # The resident comes back to their case and follows the link to what was done.
    resident.goto(tracking)
    resident.get_by_role("link", name=sv("Read it in “You said – we did”")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Fler bänkar vid sjön")
    expect(resident.locator("main")).to_contain_text(WE_DID)
    expect(resident.locator("main")).to_contain_text("[telefonnummer]")
    expect(resident.locator("main")).not_to_contain_text(SUGGESTION)  # never the resident's own words
    axe.check(resident, "A publication")
    resident.get_by_role("link", name=sv("You said – we did")).first.click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(sv("You said – we did"))
    expect(resident.get_by_role("link", name="Fler bänkar vid sjön")).to_be_visible()
    axe.check(resident, "Du sa – vi gjorde")
    resident.get_by_label(sv("Year"), exact=True).select_option(index=1)
    resident.get_by_role("button", name=sv("Show"), exact=True).click()  # a GET form, no script needed
    expect(resident).to_have_url(re.compile(r"ar=\d{4}"))
    expect(resident.get_by_role("link", name="Fler bänkar vid sjön")).to_be_visible()
    axe.check(resident, "Du sa – vi gjorde, filtered")
    axe.assert_clean()


def test_the_public_pages_pass_axe_at_phone_width_print_and_filter_without_javascript(
    new_page: Callable[..., Page], site: dict[str, Any]
) -> None:
    from tests.factories import submit_case

    CategoryFactory(municipality=site["team"].municipality, unit=site["team"], name="Bänkar")
    case, _key = submit_case(Category.objects.get(name="Bänkar"), kind="suggestion", text=SUGGESTION)
    improvement_id = _adopt_and_tell(site, case)
    elin = new_page()
    log_in(elin, site["username"])
    elin.goto(f"/resultat/publicera/{improvement_id}/")
    elin.get_by_role("button", name=sv("Publish"), exact=True).click()

    phone = new_page(viewport=PHONE)
    axe = AxeCheck()
    phone.goto("/resultat/du-sa-vi-gjorde/")
    expect(phone.get_by_role("link", name="Fler bänkar vid sjön")).to_be_visible()
    axe.check(phone, "Du sa – vi gjorde (phone)")
    phone.get_by_role("link", name="Fler bänkar vid sjön").click()
    axe.check(phone, "A publication (phone)")
    phone.goto("/resultat/du-sa-vi-gjorde/?enhet=0")
    expect(phone.locator(".error-summary")).to_be_visible()
    axe.check(phone, "Du sa – vi gjorde with a choice no longer there (phone)")
    phone.emulate_media(media="print")
    phone.goto("/resultat/du-sa-vi-gjorde/")
    expect(phone.locator("form.filters")).to_be_hidden()  # printed: the publications, not the controls
    expect(phone.get_by_role("link", name="Fler bänkar vid sjön")).to_be_visible()
    axe.assert_clean()

    # Without JavaScript the filters are a plain GET form.
    bare = new_page(java_script_enabled=False)
    bare.goto("/resultat/du-sa-vi-gjorde/")
    bare.get_by_label(sv("Category"), exact=True).select_option(label="Bänkar")
    bare.get_by_role("button", name=sv("Show"), exact=True).click()
    expect(bare).to_have_url(re.compile(r"kategori=\d+"))
    expect(bare.get_by_role("link", name="Fler bänkar vid sjön")).to_be_visible()
