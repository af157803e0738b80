"""The dialog's admin: categories with promises and answer templates are audited; cases can only be looked at."""

import pytest
from django.contrib.auth.models import Permission

from brobygget.core.models import AuditEvent
from brobygget.dialog.models import AnswerTemplate, Category, ServicePromise
from brobygget.organisation.models import Role
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))
    return client


def category_form(municipality, unit, **overrides) -> dict:
    data = {
        "municipality": municipality.pk,
        "code": "lekplatser",
        "name": "Lekplatser",
        "description": "",
        "unit": unit.pk,
        "order": 0,
        "is_active": "on",
        "promises-TOTAL_FORMS": "1",
        "promises-INITIAL_FORMS": "0",
        "promises-MIN_NUM_FORMS": "0",
        "promises-MAX_NUM_FORMS": "1000",
        "promises-0-kind": "fault_report",
        "promises-0-acknowledge_days": "1",
        "promises-0-answer_days": "3",
    }
    return {**data, **overrides}


def test_a_category_with_its_promise_is_created_and_both_are_audited(org, admin_client):
    response = admin_client.post("/admin/dialog/category/add/", category_form(org["team"].municipality, org["team"]))

    assert response.status_code == 302
    category = Category.objects.get(code="lekplatser")
    promise = ServicePromise.objects.get(category=category)
    assert (promise.kind, promise.answer_days) == ("fault_report", 3)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"category.created_in_admin", "servicepromise.created_in_admin"} <= actions


def test_changing_and_removing_a_promise_is_audited(org, admin_client):
    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"])
    promise = ServicePromise.objects.create(category=category, kind="", acknowledge_days=2, answer_days=10)
    data = category_form(
        category.municipality,
        org["team"],
        code=category.code,
        name=category.name,
        **{
            "promises-INITIAL_FORMS": "1",
            "promises-0-id": str(promise.pk),
            "promises-0-category": str(category.pk),
            "promises-0-kind": "",
            "promises-0-acknowledge_days": "2",
            "promises-0-answer_days": "5",
        },
    )

    admin_client.post(f"/admin/dialog/category/{category.pk}/change/", data)
    changed = AuditEvent.objects.get(action="servicepromise.updated_in_admin")
    admin_client.post(f"/admin/dialog/category/{category.pk}/change/", {**data, "promises-0-DELETE": "on"})

    assert changed.payload["fields"] == ["answer_days"]
    assert not ServicePromise.objects.filter(pk=promise.pk).exists()
    deleted = AuditEvent.objects.get(action="servicepromise.deleted_in_admin")
    assert deleted.target_id == str(promise.pk)


def test_a_category_cannot_name_a_unit_of_another_municipality(org, admin_client):
    foreign_unit = UnitFactory(municipality=MunicipalityFactory(code="9999"))

    response = admin_client.post("/admin/dialog/category/add/", category_form(org["team"].municipality, foreign_unit))

    assert response.status_code == 200
    assert not Category.objects.filter(code="lekplatser").exists()


def test_categories_and_templates_are_switched_off_not_deleted(org, admin_client):
    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"])
    template = AnswerTemplate.objects.create(municipality=category.municipality, title="Tack", text="Tack!")

    assert admin_client.get(f"/admin/dialog/category/{category.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/dialog/answertemplate/{template.pk}/delete/").status_code == 403


def test_an_answer_template_change_is_audited(org, admin_client):
    template = AnswerTemplate.objects.create(municipality=org["team"].municipality, title="Tack", text="Tack!")

    admin_client.post(
        f"/admin/dialog/answertemplate/{template.pk}/change/",
        {"title": "Tack för beröm", "text": "Tack!", "is_active": "on"},
    )

    template.refresh_from_db()
    assert template.title == "Tack för beröm"
    assert AuditEvent.objects.get(action="answertemplate.updated_in_admin").payload["fields"] == ["title"]


def test_cases_are_listed_with_filters_and_only_looked_at(org, make_case, admin_client):
    case = make_case(contact_email="ada@example.se", contact_name="Ada Invånare")

    listing = admin_client.get("/admin/dialog/case/", {"status__exact": "received"})
    detail = admin_client.get(f"/admin/dialog/case/{case.pk}/change/")

    assert listing.status_code == 200 and case.number in listing.content.decode()
    assert detail.status_code == 200
    html = detail.content.decode()
    assert case.number in html and 'name="_save"' not in html
    assert "ada@example.se" not in html and "Ada Invånare" not in html
    assert admin_client.get("/admin/dialog/case/add/").status_code == 403
    assert admin_client.get(f"/admin/dialog/case/{case.pk}/delete/").status_code == 403
    before = case.text
    admin_client.post(f"/admin/dialog/case/{case.pk}/change/", {"text": "Ändrad"})
    case.refresh_from_db()
    assert case.text == before


def test_an_administrator_sees_only_the_categories_of_their_municipality(org, client):
    ours = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Vår kategori")
    elsewhere = MunicipalityFactory(code="9999")
    CategoryFactory(municipality=elsewhere, name="Deras kategori")
    user = UserFactory(username="systemforvaltare", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_category", "change_category"]))
    person = PersonFactory(municipality=org["team"].municipality, user=user)
    MembershipFactory(person=person, unit=org["root"], role=Role.ADMIN)
    client.force_login(user)

    html = client.get("/admin/dialog/category/").content.decode()

    assert ours.name in html and "Deras kategori" not in html
