"""Form widgets as the pages show them, rendered by Django's form renderer (settings.FORM_RENDERER) in the
pages' Jinja2 environment: labelled inputs, typed values kept, a password never written back, radio groups in a
fieldset, errors described, and the admin's own widgets still rendered by the Django templates."""

import re

import pytest

from tests.dialog.test_public_support import FORM_URL, form_data, started_ago, sv, text_of
from tests.factories import CategoryFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "ett-bra-losenord-42"


@pytest.fixture
def category(org):
    return CategoryFactory(
        municipality=org["team"].municipality,
        unit=org["team"],
        name="Parker och lekplatser",
        description="Trasiga lekredskap, skräp, gräs och träd.",
    )


def _tag(page: str, pattern: str) -> str:
    found = re.search(pattern, page)
    assert found is not None, f"no {pattern} in the page"
    return found.group(0)


def test_every_input_of_the_resident_form_has_its_label(client, category):
    page = text_of(client.get(FORM_URL))

    for name, kind in [
        ("address", "text"),
        ("latitude", "text"),
        ("longitude", "text"),
        ("photos", "file"),
        ("contact_name", "text"),
        ("contact_email", "email"),
        ("contact_phone", "text"),
    ]:
        tag = _tag(page, rf'<input type="{kind}" name="{name}"[^>]*>')
        assert f'id="id_{name}"' in tag
        assert f'<label for="id_{name}">' in page
    assert '<label for="id_text">' in page and '<textarea name="text"' in page
    assert 'autocomplete="email"' in _tag(page, r'<input type="email" name="contact_email"[^>]*>')
    photos = _tag(page, r'<input type="file" name="photos"[^>]*>')
    assert "multiple" in photos and 'accept="image/jpeg,image/png"' in photos
    assert 'aria-describedby="id_photos-hint"' in photos


def test_the_radio_groups_are_fieldsets_whose_options_name_their_hints(client, category):
    page = text_of(client.get(FORM_URL))

    categories = _tag(
        page,
        r'<fieldset class="choices"[^>]*>\s*<legend>' + re.escape(sv("What is it about?")) + r"(?s:.*?)</fieldset>",
    )
    option = _tag(categories, rf'<input type="radio" name="category" value="{category.pk}"[^>]*>')
    assert 'id="id_category_0"' in option and 'aria-describedby="id_category_0-hint"' in option
    assert "checked" not in option
    assert '<p class="hint" id="id_category_0-hint">Trasiga lekredskap, skräp, gräs och träd.</p>' in categories
    assert '<label for="id_category_0">Parker och lekplatser</label>' in categories


def test_a_refused_form_keeps_what_was_typed_escaped_and_describes_each_error(client, category):
    typed = form_data(
        category,
        started=started_ago(),
        kind="fault_report",
        text="",
        address='Storgatan "12" <b>',
        contact_name="Åsa Ö",
        contact_email="asa@example.se",
    )

    response = client.post(FORM_URL, typed)

    assert response.status_code == 200
    html = response.content.decode()
    assert _tag(html, r'<input type="text" name="address"[^>]*>').count('value="Storgatan &#34;12&#34; &lt;b&gt;"') == 1
    assert 'value="Åsa Ö"' in _tag(html, r'<input type="text" name="contact_name"[^>]*>')
    assert 'value="asa@example.se"' in _tag(html, r'<input type="email" name="contact_email"[^>]*>')
    assert "checked" in _tag(html, r'<input type="radio" name="kind" value="fault_report"[^>]*>')
    assert "checked" not in _tag(html, r'<input type="radio" name="kind" value="complaint"[^>]*>')
    assert "checked" in _tag(html, rf'<input type="radio" name="category" value="{category.pk}"[^>]*>')
    text = _tag(html, r"<textarea name=\"text\"[^>]*>")
    assert 'aria-invalid="true"' in text
    assert 'aria-describedby="id_text-hint id_text-limit id_text-error"' in text
    assert '<p class="error-message" id="id_text-error">' in html
    assert "aria-invalid" not in _tag(html, r'<input type="text" name="address"[^>]*>')


def test_the_login_page_keeps_the_username_and_never_writes_the_password_back(client):
    user = UserFactory(username="maria", password=PASSWORD)
    PersonFactory(user=user)

    response = client.post("/konto/logga-in/", {"username": "maria", "password": "fel-losenord-99"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="maria"' in _tag(html, r'<input type="text" name="username"[^>]*>')
    password = _tag(html, r'<input type="password" name="password"[^>]*>')
    assert "value=" not in password
    assert 'autocomplete="current-password"' in password
    assert "fel-losenord-99" not in html


def test_a_select_keeps_the_chosen_option_and_escapes_the_labels(org, category, login_client):
    category.name = 'Parker & "lek" <platser>'
    category.save()

    html = login_client(org["registrar"]).get("/arenden/", {"kategori": category.pk}).content.decode()

    select = _tag(html, r'<select name="kategori"(?s:.*?)</select>')
    assert f'<option value="{category.pk}" selected>Parker &amp; &#34;lek&#34; &lt;platser&gt;</option>' in select
    assert '<option value="">' in select


def test_the_admin_renders_its_own_widgets(org, client):
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))

    response = client.get("/admin/organisation/unit/add/")

    assert response.status_code == 200
    assert "related-widget-wrapper" in response.content.decode()
