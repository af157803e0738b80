"""The municipality's own face on every page (core/face.py): its name, logo and contact details in the header and
footer, the contact, privacy and accessibility pages, all set in the admin and shown at once after an edit."""

import datetime
import html
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from brobygget.core.face import municipality_face
from brobygget.core.models import AuditEvent, Municipality
from brobygget.core.views import DIGG_REPORT_URL
from brobygget.dialog.forms import ERROR_TOO_MANY_SENT
from tests.factories import CategoryFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/kontakt/", "/personuppgifter/", "/tillganglighetsredogorelse/"]


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0b4f6c").save(buffer, format="PNG")
    return buffer.getvalue()


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def footer_of(response) -> str:
    page = response.content.decode()
    return html.unescape(page[page.index('<footer class="site-footer">') :])


def header_of(response) -> str:
    page = response.content.decode()
    return html.unescape(page[page.index('<header class="site-header">') : page.index("</header>")])


@pytest.fixture
def face(municipality) -> Municipality:
    """The test municipality with its face filled in, as an administrator would."""
    municipality.phone = "0123-45 67 89"
    municipality.email = "kontakt@testby.example"
    municipality.visiting_address = "Stadshuset, Torget 1\n123 45 Testby"
    municipality.opening_hours = "Måndag–fredag 8–16\n\nLunchstängt 12–13"
    municipality.privacy_purpose = "Vi behandlar uppgifterna för att svara dig."
    municipality.privacy_legal_basis = "Allmänt intresse, artikel 6.1 e."
    municipality.privacy_retention = "Två år efter att ärendet avslutades."
    municipality.privacy_rights = "Skriv till registrator@testby.example för ett registerutdrag."
    municipality.privacy_dpo_contact = "Dataskyddsombudet nås på dso@testby.example."
    municipality.accessibility_compliance = Municipality.Compliance.PARTIAL
    municipality.accessibility_shortcomings = "Kartan finns inte än."
    municipality.accessibility_testing = "Vi testar med axe-core."
    municipality.accessibility_statement_date = datetime.date(2025, 9, 1)
    municipality.accessibility_reviewed_date = datetime.date(2025, 11, 20)
    municipality.save()
    return municipality


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))
    return client


def admin_form(municipality: Municipality, **overrides: object) -> dict[str, object]:
    """Every field of the admin's change form, as the browser posts it."""
    data: dict[str, object] = {
        "name": municipality.name,
        "code": municipality.code,
        "phone": municipality.phone,
        "email": municipality.email,
        "visiting_address": municipality.visiting_address,
        "opening_hours": municipality.opening_hours,
        "privacy_purpose": municipality.privacy_purpose,
        "privacy_legal_basis": municipality.privacy_legal_basis,
        "privacy_retention": municipality.privacy_retention,
        "privacy_rights": municipality.privacy_rights,
        "privacy_dpo_contact": municipality.privacy_dpo_contact,
        "accessibility_compliance": municipality.accessibility_compliance,
        "accessibility_shortcomings": municipality.accessibility_shortcomings,
        "accessibility_burden": municipality.accessibility_burden,
        "accessibility_out_of_scope": municipality.accessibility_out_of_scope,
        "accessibility_testing": municipality.accessibility_testing,
        "accessibility_statement_date": str(municipality.accessibility_statement_date or ""),
        "accessibility_reviewed_date": str(municipality.accessibility_reviewed_date or ""),
    }
    return {**data, **overrides}


# The header and the footer of every page


def test_the_header_names_the_municipality_and_brobygget_is_only_the_software_in_small_print(client, face):
    response = client.get("/kontakt/")
    page = response.content.decode()

    assert "Testby kommun" in header_of(response) and "Brobygget" not in header_of(response)
    assert "<title>Kontakt – Testby kommun</title>" in page
    assert page.count("Brobygget") == 1
    assert '<p class="software">Brobygget – ' in page


def test_the_footer_carries_the_contact_details_and_the_links(client, face):
    footer = footer_of(client.get("/kontakt/"))

    assert '<a href="tel:0123456789">0123-45 67 89</a>' in footer
    assert '<a href="mailto:kontakt@testby.example">kontakt@testby.example</a>' in footer
    assert "<p>Stadshuset, Torget 1<br>\n123 45 Testby</p>" in footer
    assert "<p>Måndag–fredag 8–16</p>\n<p>Lunchstängt 12–13</p>" in footer
    assert '<a href="/tillganglighetsredogorelse/">Tillgänglighetsredogörelse</a>' in footer
    assert '<a href="/personuppgifter/">Så behandlar vi personuppgifter</a>' in footer
    assert '<a href="/kontakt/">Kontakt</a>' in footer


@pytest.mark.parametrize("path", ["/", "/lamna-synpunkt/", "/principer/", "/finns-inte/"])
def test_the_dialog_pages_and_every_other_page_carry_the_face(client, face, path):
    response = client.get(path)

    assert "Testby kommun" in header_of(response)
    assert "0123-45 67 89" in footer_of(response) and "/tillganglighetsredogorelse/" in footer_of(response)


def test_a_staff_page_carries_the_face_too(login_client, org, face):
    response = login_client(org["member"]).get("/min-sida/")

    assert "Testby kommun" in header_of(response) and "0123-45 67 89" in footer_of(response)


def test_an_uploaded_logo_is_shown_with_the_name_as_its_text_and_served_from_storage(client, face):
    face.logo.save("testby.png", ContentFile(png()), save=True)

    header = header_of(client.get("/kontakt/"))
    version = municipality_face().version
    assert f'<img class="brand-logo" src="/kommunens-logotyp?v={version}" alt="Testby kommun">' in header
    logo = client.get(f"/kommunens-logotyp?v={version}")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == png()
    assert "immutable" in logo["Cache-Control"]
    assert "immutable" not in client.get("/kommunens-logotyp?v=gammal")["Cache-Control"]


def test_without_a_logo_the_name_is_the_brand_and_the_logo_address_is_not_found(client, face):
    header = header_of(client.get("/kontakt/"))

    assert '<a class="brand" href="/">Testby kommun</a>' in header
    assert client.get("/kommunens-logotyp").status_code == 404


def test_without_exactly_one_municipality_pages_name_the_software_and_the_face_pages_are_not_found(client):
    for _ in range(2):
        for path in PUBLIC_PAGES:
            assert client.get(path).status_code == 404
        page = client.get("/finns-inte/")
        assert "<title>Sidan finns inte – Brobygget</title>" in page.content.decode()
        assert '<div class="footer-columns">' not in page.content.decode()
        MunicipalityFactory(code="0001"), MunicipalityFactory(code="0002")  # none, then two


def test_a_missing_contact_detail_is_left_out(client, municipality):
    footer = footer_of(client.get("/kontakt/"))

    assert "tel:" not in footer and "mailto:" not in footer and "Besöksadress" not in footer
    assert '<a href="/personuppgifter/">' in footer


# The pages


def test_the_contact_page_shows_the_details(client, face):
    page = text_of(client.get("/kontakt/"))

    assert "<h1>Kontakta Testby kommun</h1>" in page
    main = page[page.index("<main") : page.index("</main>")]
    for detail in ("0123-45 67 89", "kontakt@testby.example", "Stadshuset, Torget 1", "Lunchstängt 12–13"):
        assert detail in main
    assert '<a href="/lamna-synpunkt/">Lämna synpunkt eller gör en felanmälan</a>' in main
    assert "ring 112" in main


def test_the_privacy_page_shows_each_part_the_administrator_wrote(client, face):
    page = text_of(client.get("/personuppgifter/"))

    assert "<h1>Så behandlar vi personuppgifter</h1>" in page
    assert "Testby kommun är personuppgiftsansvarig för behandlingen." in page
    for heading, text in [
        ("Varför vi behandlar uppgifterna", "Vi behandlar uppgifterna för att svara dig."),
        ("Rättslig grund", "Allmänt intresse, artikel 6.1 e."),
        ("Hur länge vi sparar uppgifterna", "Två år efter att ärendet avslutades."),
        ("Dina rättigheter och registerutdrag", "Skriv till registrator@testby.example för ett registerutdrag."),
        ("Dataskyddsombudet", "Dataskyddsombudet nås på dso@testby.example."),
    ]:
        assert page.index(heading) < page.index(f"<p>{text}</p>")
    assert "registerutdrag" in page and "Integritetsskyddsmyndigheten (IMY)" in page
    assert "Kommunen har inte skrivit den här delen än." not in page


def test_a_part_not_written_yet_says_so(client, municipality):
    page = text_of(client.get("/personuppgifter/"))

    assert page.count("Kommunen har inte skrivit den här delen än.") == 5


def test_the_accessibility_statement_has_what_digg_asks_for(client, face):
    page = text_of(client.get("/tillganglighetsredogorelse/"))

    assert "<h1>Tillgänglighetsredogörelse</h1>" in page
    assert "Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service" in page
    assert "<p>Kartan finns inte än.</p>" in page
    assert "<p>Vi testar med axe-core.</p>" in page
    assert f'<a href="{DIGG_REPORT_URL}">Anmäl en webbplats som inte är tillgänglig till Digg</a>' in page
    assert DIGG_REPORT_URL == "https://www.digg.se/tdosanmalan"
    # Lower-cased: the goals' month choices give "September" a Swedish text of its own, capitalised (reported).
    assert "<dt>Redogörelsen skrevs</dt>\n    <dd>1 september 2025</dd>" in page.lower().replace("<dt>r", "<dt>R")
    assert "<dt>Senast granskad</dt>\n    <dd>20 november 2025</dd>" in page.lower().replace("<dt>s", "<dt>S")
    main = page[page.index("<main") : page.index("</main>")]
    assert "0123-45 67 89" in main and "kontakt@testby.example" in main  # how to report a problem
    assert "Oskäligt betungande anpassning" not in page  # a part left empty is left out


@pytest.mark.parametrize(
    ("compliance", "text"),
    [
        ("full", "Webbplatsen är helt förenlig med lagen"),
        ("none", "Webbplatsen är inte förenlig med lagen"),
    ],
)
def test_the_statement_says_the_compliance_the_administrator_chose(client, face, compliance, text):
    face.accessibility_compliance = compliance
    face.save()

    assert text in text_of(client.get("/tillganglighetsredogorelse/"))


def test_the_pages_are_in_english_for_an_english_visitor(client, face):
    client.cookies["django_language"] = "en"

    page = text_of(client.get("/tillganglighetsredogorelse/"))

    assert '<html lang="en">' in page and "<h1>Accessibility statement</h1>" in page
    assert "How we handle personal data" in page


def test_the_administrators_texts_are_plain_text_never_html(client, face):
    face.name = 'Testby <b>kommun</b>"'
    face.opening_hours = "<script>alert(1)</script>\n\nMåndag"
    face.privacy_purpose = '<a href="https://ond.example">klicka</a>'
    face.accessibility_shortcomings = "<img src=x onerror=alert(1)>"
    face.phone = '"><script>alert(2)</script>'
    face.save()

    for path in PUBLIC_PAGES:
        page = client.get(path).content.decode()
        assert "<script>" not in page and "<b>" not in page and "<img src=x" not in page
        assert '<a href="https://ond.example">' not in page
        assert "Testby &lt;b&gt;kommun&lt;/b&gt;&#34;" in page
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>Måndag</p>" in client.get("/kontakt/").content.decode()


# Messages that tell a resident to call the municipality give its number


def test_the_too_many_messages_error_gives_the_number(face):
    with translation.override("sv"):
        assert str(ERROR_TOO_MANY_SENT).endswith("eller ring kommunen på 0123-45 67 89.")


def test_without_a_number_the_too_many_messages_error_says_to_call_the_municipality(municipality):
    with translation.override("sv"):
        assert str(ERROR_TOO_MANY_SENT).endswith("eller ring kommunen.")


def test_a_form_without_categories_gives_the_number(client, face):
    page = text_of(client.get("/lamna-synpunkt/"))

    assert "Kommunen har inte lagt in några kategorier än. Ring kommunen på 0123-45 67 89." in page


# The admin, and the kept pages


def test_the_administrator_edits_the_face_and_every_kept_page_shows_it_at_once(client, face, admin_client):
    CategoryFactory(municipality=face)
    pages = ["/", "/lamna-synpunkt/", *PUBLIC_PAGES]
    for path in pages:
        client.get(path)
        assert "0123-45 67 89" in footer_of(client.get(path))  # now kept

    response = admin_client.post(
        f"/admin/core/municipality/{face.pk}/change/",
        admin_form(face, phone="0999-11 22 33", privacy_retention="Ett år.", accessibility_compliance="full"),
    )

    assert response.status_code == 302, response.content.decode()
    for path in pages:
        footer = footer_of(client.get(path))
        assert "0999-11 22 33" in footer and "0123-45 67 89" not in footer, path
    assert "<p>Ett år.</p>" in text_of(client.get("/personuppgifter/"))
    assert "Webbplatsen är helt förenlig" in text_of(client.get("/tillganglighetsredogorelse/"))
    event = AuditEvent.objects.get(action="municipality.updated_in_admin")
    assert event.municipality == face
    assert set(event.payload["fields"]) == {"phone", "privacy_retention", "accessibility_compliance"}


def test_a_kept_face_page_costs_no_query(client, face, django_assert_num_queries):
    for path in PUBLIC_PAGES:
        client.get(path)
        with django_assert_num_queries(0):
            assert client.get(path).status_code == 200


def test_the_administrator_uploads_a_logo(client, face, admin_client):
    response = admin_client.post(
        f"/admin/core/municipality/{face.pk}/change/",
        admin_form(face, logo=SimpleUploadedFile("logga.png", png(), content_type="image/png")),
    )

    assert response.status_code == 302
    face.refresh_from_db()
    assert face.logo.name.startswith("municipality/logga")
    assert 'alt="Testby kommun"' in header_of(client.get("/kontakt/"))
    assert client.get(municipality_face().logo_url).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logga.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "Ladda upp en giltig bild"),
        (SimpleUploadedFile("logga.gif", png()), "är inte giltig"),  # a picture, but not one of the three kinds
        (SimpleUploadedFile("logga.png", b"inte en bild"), "Ladda upp en giltig bild"),
        (SimpleUploadedFile("logga.png", png(1200, 1200) + b"\0" * 1024 * 1024), "Logotypen får vara högst 1 MB"),
    ],
    ids=["svg", "gif", "not-an-image", "too-large"],
)
def test_a_logo_that_is_not_a_small_picture_is_refused(face, admin_client, upload, message):
    response = admin_client.post(f"/admin/core/municipality/{face.pk}/change/", admin_form(face, logo=upload))

    assert response.status_code == 200 and message in response.content.decode()
    face.refresh_from_db()
    assert not face.logo


def test_the_admin_change_form_shows_every_part(face, admin_client):
    page = admin_client.get(f"/admin/core/municipality/{face.pk}/change/").content.decode()

    for label in ("Logotyp", "Öppettider", "Rättslig grund", "Dataskyddsombud", "Kända brister"):
        assert label in page
    assert "Datum för senaste granskningen" in page


# The demo


def test_the_demo_fills_the_whole_face(client):
    from brobygget.demo.municipality import demo_municipality_load

    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        demo_municipality_load()

    municipality = Municipality.objects.get()
    for field in Municipality._meta.get_fields():
        shown = field.name.startswith(("privacy_", "accessibility_")) or field.name in ("phone", "email", "logo")
        if shown and field.name != "accessibility_burden":  # nothing in the demo is left out for being too costly
            assert getattr(municipality, field.name), field.name
    assert municipality.accessibility_reviewed_date == datetime.date(2026, 2, 16)
    page = text_of(client.get("/tillganglighetsredogorelse/"))
    assert "karta" in page and "axe-core" in page
    assert client.get(municipality_face().logo_url).status_code == 200


def test_the_face_is_kept_so_the_layout_costs_no_query(client, face, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert municipality_face().municipality == face  # put in the cache by the save itself


def test_a_database_that_cannot_answer_gives_the_softwares_name_not_a_second_error(face, monkeypatch):
    from django.core.cache import cache
    from django.db import DatabaseError

    from brobygget.core import face as face_module

    def refuse() -> None:
        raise DatabaseError("the database is down")

    cache.clear()
    monkeypatch.setattr(face_module, "_face_read", refuse)

    assert municipality_face().name == "Brobygget" and municipality_face().phone == ""


def test_text_from_a_windows_browser_keeps_its_paragraphs(client, face):
    face.opening_hours = "Måndag 8–16\r\nTisdag 8–16\r\n\r\nHelgdagar stängt"
    face.save()

    assert "<p>Måndag 8–16<br>\nTisdag 8–16</p>\n<p>Helgdagar stängt</p>" in footer_of(client.get("/kontakt/"))
