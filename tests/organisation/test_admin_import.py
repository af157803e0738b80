"""The organisation in the Django admin: the import page, audited saves, and no deleting of units or people."""

import html
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from zeal import zeal_ignore

from brobygget.core.models import AuditEvent
from brobygget.organisation.admin import ERROR_NO_FILES
from brobygget.organisation.importing import FileKind, ImportIssue, ImportResult
from brobygget.organisation.importing.check import ERROR_UNKNOWN_UNIT
from brobygget.organisation.models import Membership, Person, Role, Unit
from brobygget.organisation.services import ERROR_PERSON_OTHER_MUNICIPALITY
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory, UserFactory
from tests.organisation.conftest import PEOPLE, PEOPLE_HEADER, UNITS, UNITS_HEADER

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/organisation/unit/import/"
# A change form fetches its object and then the chosen parent (or the account behind the request and the chosen
# user) with .get(). All of that runs inside Django's admin, so zeal traces both to the same project frame (the
# middleware) and takes them for an N+1 query. Only standalone .get() calls are let through, only in these tests.
ADMIN_CHANGE_FORM_GETS = [{"model": "organisation.Unit", "field": "get()"}, {"model": "auth.User", "field": "get()"}]


@pytest.fixture
def admin_client_(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_unit_list_links_to_the_import_page(admin_client_):
    response = admin_client_.get(reverse("admin:organisation_unit_changelist"))

    assert response.status_code == 200
    assert IMPORT_URL in response.content.decode()


def test_the_import_page_shows_a_form_for_both_files_and_the_municipality(admin_client_, municipality):
    response = admin_client_.get(IMPORT_URL)

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"municipality", "units_file", "people_file", "dry_run"}
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_uploading_good_files_imports_them_and_shows_the_counts(admin_client_, municipality, write_csv):
    units, people = write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE)

    response = admin_client_.post(
        IMPORT_URL,
        {"municipality": municipality.pk, "units_file": upload(units), "people_file": upload(people)},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("admin:organisation_unit_changelist")
    expected = ImportResult(units_created=3, people_created=5, memberships_added=5).summary()
    assert [str(message) for message in response.context["messages"]] == [expected]
    assert Unit.objects.filter(municipality=municipality).count() == 3
    assert AuditEvent.objects.filter(action="person.created", actor__username="superadmin").count() == 5


def test_an_xlsx_upload_is_imported_too(admin_client_, municipality, write_xlsx):
    units, people = write_xlsx(UNITS_HEADER, UNITS), write_xlsx(PEOPLE_HEADER, PEOPLE)

    response = admin_client_.post(
        IMPORT_URL, {"municipality": municipality.pk, "units_file": upload(units), "people_file": upload(people)}
    )

    assert response.status_code == 302
    assert Person.objects.filter(municipality=municipality).count() == 5


def test_a_bad_file_shows_every_error_and_writes_nothing(admin_client_, municipality, write_csv):
    people = [*PEOPLE, ["1006", "Olle", "Okänd", "", "", "NEJ", ""]]
    units_file, people_file = write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, people)

    response = admin_client_.post(
        IMPORT_URL,
        {"municipality": municipality.pk, "units_file": upload(units_file), "people_file": upload(people_file)},
    )

    assert response.status_code == 200
    error = ImportIssue(FileKind.PEOPLE, 7, str(ERROR_UNKNOWN_UNIT) % {"line": 7, "code": "NEJ"})
    assert response.context["errors"] == [str(error)]
    assert str(error) in page_text(response)
    assert not Unit.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_dry_run_shows_the_counts_on_the_page_and_writes_nothing(admin_client_, municipality, write_csv):
    units = write_csv(UNITS_HEADER, UNITS)
    people = write_csv(PEOPLE_HEADER, PEOPLE)

    response = admin_client_.post(
        IMPORT_URL,
        {"municipality": municipality.pk, "units_file": upload(units), "people_file": upload(people), "dry_run": "on"},
    )

    assert response.status_code == 200
    expected = ImportResult(dry_run=True, units_created=3, people_created=5, memberships_added=5).summary()
    assert expected in page_text(response)
    assert not Unit.objects.exists()


def test_sending_no_file_asks_for_one(admin_client_, municipality):
    response = admin_client_.post(IMPORT_URL, {"municipality": municipality.pk})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(ERROR_NO_FILES)]


def test_a_logged_in_employee_without_admin_access_is_sent_to_the_admin_login(municipality, org, login_client):
    response = login_client(org["member"]).get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_account_without_the_right_to_change_units_is_refused(municipality, write_csv):
    client = Client()
    client.force_login(UserFactory(is_staff=True))

    response = client.post(
        IMPORT_URL, {"municipality": municipality.pk, "units_file": upload(write_csv(UNITS_HEADER, UNITS))}
    )

    assert response.status_code == 403
    assert not Unit.objects.exists()


def test_an_administrator_of_one_municipality_may_import_only_into_it(municipality, org, write_csv):
    other = MunicipalityFactory(code="8002")
    admin = PersonFactory(municipality=municipality, user=UserFactory(is_staff=True))
    MembershipFactory(person=admin, unit=org["root"], role=Role.ADMIN)
    assert admin.user is not None
    admin.user.user_permissions.set(Permission.objects.filter(codename__in=["add_unit", "change_unit"]))
    client = Client()
    client.force_login(admin.user)
    people = [["2001", "Nora", "Ny", "", "", "PARK", ""]]

    refused = client.post(
        IMPORT_URL, {"municipality": other.pk, "people_file": upload(write_csv(PEOPLE_HEADER, people))}
    )
    accepted = client.post(
        IMPORT_URL, {"municipality": municipality.pk, "people_file": upload(write_csv(PEOPLE_HEADER, people))}
    )

    assert "municipality" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert Person.objects.filter(employee_number="2001", municipality=municipality).exists()
    assert not Person.objects.filter(municipality=other).exists()


# The models in the admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["unit", "person", "membership", "responsibility", "routine"])
def test_every_organisation_list_opens_without_repeated_queries(admin_client_, org, model):
    response = admin_client_.get(reverse(f"admin:organisation_{model}_changelist"))

    assert response.status_code == 200


def test_units_and_people_cannot_be_deleted_in_the_admin(admin_client_, org):
    unit_delete = admin_client_.get(reverse("admin:organisation_unit_delete", args=[org["team"].pk]))
    person_delete = admin_client_.get(reverse("admin:organisation_person_delete", args=[org["member"].pk]))

    assert (unit_delete.status_code, person_delete.status_code) == (403, 403)


def test_changing_a_unit_in_the_admin_is_audited_by_field_name(admin_client_, org):
    team = org["team"]

    with zeal_ignore(ADMIN_CHANGE_FORM_GETS):
        response = admin_client_.post(
            reverse("admin:organisation_unit_change", args=[team.pk]),
            {"name": "Park och natur", "kind": team.kind, "parent": team.parent_id, "description": ""},
        )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unit.updated")
    assert (event.target_id, event.payload) == (str(team.pk), {"fields": ["name"]})


def test_a_unit_added_in_the_admin_gets_its_path_below_its_parent(admin_client_, municipality, org):
    response = admin_client_.post(
        reverse("admin:organisation_unit_add"),
        {
            "municipality": municipality.pk,
            "code": "LEK",
            "name": "Lekplatser",
            "kind": "team",
            "parent": org["team"].pk,
        },
    )

    assert response.status_code == 302
    added = Unit.objects.get(code="LEK")
    assert added.path == f"{org['team'].path}{added.pk}/"
    assert AuditEvent.objects.filter(action="unit.created", target_id=str(added.pk)).exists()


def test_moving_a_unit_below_its_own_sub_unit_in_the_admin_is_refused(admin_client_, org):
    root = org["root"]

    with zeal_ignore(ADMIN_CHANGE_FORM_GETS):
        response = admin_client_.post(
            reverse("admin:organisation_unit_change", args=[root.pk]),
            {"name": root.name, "kind": root.kind, "parent": org["team"].pk, "description": ""},
        )

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    root.refresh_from_db()
    assert root.parent_id is None


def test_changing_a_person_in_the_admin_is_audited_by_field_name_only(admin_client_, org):
    member = org["member"]

    with zeal_ignore(ADMIN_CHANGE_FORM_GETS):
        response = admin_client_.post(
            reverse("admin:organisation_person_change", args=[member.pk]),
            {
                "employee_number": member.employee_number,
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": member.email,
                "title": "Trädgårdsmästare",
                "is_active": "on",
                "user": member.user_id,
            },
        )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="person.updated_in_admin")
    assert event.payload == {"fields": ["title"]}


def test_people_who_left_are_deactivated_with_an_admin_action_and_audited(admin_client_, org):
    member = org["member"]

    response = admin_client_.post(
        reverse("admin:organisation_person_changelist"), {"action": "deactivate", "_selected_action": [member.pk]}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEvent.objects.get(action="person.deactivated").target_id == str(member.pk)


def test_a_second_leader_for_a_unit_is_refused_by_the_admin_form(admin_client_, org):
    response = admin_client_.post(
        reverse("admin:organisation_membership_add"),
        {"person": org["member"].pk, "unit": org["team"].pk, "role": Role.LEADER},
    )

    assert response.status_code == 200
    assert Membership.objects.filter(unit=org["team"], role=Role.LEADER).count() == 1


def test_a_person_of_another_municipality_cannot_join_a_unit_in_the_admin(admin_client_, org):
    stranger = PersonFactory(municipality=MunicipalityFactory(code="8003"))

    response = admin_client_.post(
        reverse("admin:organisation_membership_add"),
        {"person": stranger.pk, "unit": org["team"].pk, "role": Role.STAFF},
    )

    assert response.context["adminform"].form.errors["person"] == [str(ERROR_PERSON_OTHER_MUNICIPALITY)]


def test_adding_and_deleting_a_membership_in_the_admin_is_audited(admin_client_, municipality, org):
    unit = UnitFactory(municipality=municipality, parent=org["root"])

    added = admin_client_.post(
        reverse("admin:organisation_membership_add"), {"person": org["member"].pk, "unit": unit.pk, "role": "staff"}
    )
    membership = Membership.objects.get(unit=unit)
    deleted = admin_client_.post(reverse("admin:organisation_membership_delete", args=[membership.pk]), {"post": "yes"})

    assert (added.status_code, deleted.status_code) == (302, 302)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "municipality_id"))
    assert actions == [
        ("membership.created_in_admin", municipality.pk),
        ("membership.deleted_in_admin", municipality.pk),
    ]
