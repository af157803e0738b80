"""The Django admin speaks Swedish throughout: every model and field of ours has a name of its own (so no column
reads "PARENT", "ACTOR" or "TARGET TYPE" and no filter "På source"), Django's own texts that its Swedish lacks are in
ours ("Filtrera efter tid"), and the audit log says what happened in Swedish sentences, not codes like
`case.answered`."""

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.utils import translation

from brobygget.core.audit import audit_text
from brobygget.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ("core", "organisation", "dialog", "goals", "improvement", "openresults")


def _our_models():
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def test_every_model_and_field_of_ours_has_a_name_of_its_own():
    unnamed = []
    for model in _our_models():
        if "verbose_name" not in model._meta.original_attrs:
            unnamed.append(f"{model._meta.label}: Meta.verbose_name")
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and not field.auto_created and field._verbose_name is None:
                unnamed.append(f"{model._meta.label}.{field.name}")

    assert not unnamed, "Give these a verbose_name (gettext_lazy, Swedish in sv/django.po):\n" + "\n".join(unnamed)


def test_every_name_reads_in_swedish():
    english_left = []
    with translation.override("sv"):
        for model in _our_models():
            names = [model._meta.verbose_name, model._meta.verbose_name_plural]
            names += [
                f.verbose_name for f in model._meta.get_fields() if getattr(f, "concrete", False) and not f.auto_created
            ]
            for name in names:
                with translation.override("en"):
                    english = str(name)
                if str(name) == english and re.search(r"[a-z]{3}", english) and english.lower() not in SAME_IN_SWEDISH:
                    english_left.append(f"{model._meta.label}: {english}")

    assert not english_left, "No Swedish text for:\n" + "\n".join(sorted(set(english_left)))


# Words that are the same in both languages.
SAME_IN_SWEDISH = {
    "id",
    "status",
    "text",
    "open311",
    "kolada",
    "kolada kpi",
    "version",
    "period",
    "person",
    "original",
    "given",
}


def _admin_client() -> Client:
    client = Client()
    user: Any = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.cookies["django_language"] = "sv"
    return client


def test_every_list_of_the_admin_shows_swedish_headings_and_filters():
    client = _admin_client()
    problems = []
    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}")
            continue
        html = response.content.decode()
        headings = re.findall(r'<th scope="col"[^>]*>.*?<(?:a|span)[^>]*>([^<]+)</', html, re.S)
        for heading in headings:
            if re.fullmatch(r"[A-Z][A-Z _]+", heading.strip()):  # a field's own name, upper-cased
                problems.append(f"{url}: heading {heading.strip()!r}")
        for title in re.findall(r"<h3>\s*(?:På|Efter) ([^<]+)\s*</h3>", html):
            if "_" in title or title.strip() in ENGLISH_FIELD_NAMES:
                problems.append(f"{url}: filter {title.strip()!r}")
        if "Filter by" in html:
            problems.append(f"{url}: 'Filter by'")

    assert not problems, "\n".join(problems)


ENGLISH_FIELD_NAMES = {"source", "kind", "state", "stage", "level", "role", "municipality", "unit", "action"}


def test_the_audit_log_reads_as_sentences(org):
    from brobygget.dialog.services import case_answer
    from tests.factories import CategoryFactory, submit_case

    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker")
    case = submit_case(category)[0]
    case_answer(actor=org["member"].user, case=case, text="Vi lagar den i veckan.")

    with translation.override("sv"):
        assert audit_text("case.answered") == "Ärendet besvarades."
        assert audit_text("category.updated_in_admin") == "Kategori ändrades i administrationen."
    html = _admin_client().get("/admin/core/auditevent/").content.decode()
    assert "Ärendet besvarades." in html and "En invånare skickade in ett ärende." in html
    assert ">case.answered<" not in html
    assert "Filtrera efter" in html  # the date hierarchy, untranslated in Django's own Swedish


def test_every_action_the_code_records_has_a_sentence():
    """The actions written as literals in the code, and those the demo's services record, all read as sentences."""
    from pathlib import Path

    import brobygget

    source = Path(brobygget.__file__).parent
    literals = set()
    for path in source.rglob("*.py"):
        text = path.read_text()
        literals |= set(re.findall(r'action="([a-z0-9_]+\.[a-z_]+)"', text))
        literals |= set(re.findall(r'(?:_record|_audit|\.add)\(\s*"([a-z0-9_]+\.[a-z_]+)"', text))
    missing = sorted(action for action in literals if audit_text(action) == action)

    assert not missing, "Give these actions a sentence in their app's audit_texts.py:\n" + "\n".join(missing)


def test_the_demo_records_no_action_without_a_sentence(settings):
    from django.core.management import call_command

    settings.DEBUG = True  # demo_load refuses a database that does not look like a demo's otherwise
    call_command("demo_load", verbosity=0)
    actions = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    missing = sorted(action for action in actions if audit_text(action) == action)

    assert not missing, "Give these actions a sentence in their app's audit_texts.py:\n" + "\n".join(missing)
