"""Admin of the organisation: every save and delete is audited, units and people are never deleted, and the
whole organisation can be imported from the HR system's files (docs/import.md)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from brobygget.core.admin import AuditedAdmin
from brobygget.core.models import Municipality
from brobygget.organisation.importing import organisation_import_files
from brobygget.organisation.models import Membership, Person, Responsibility, Routine, Unit
from brobygget.organisation.selectors import municipalities_administered
from brobygget.organisation.services import (
    ERROR_NOT_ALLOWED,
    ERROR_PARENT_CYCLE,
    ERROR_PARENT_OTHER_MUNICIPALITY,
    ERROR_PERSON_OTHER_MUNICIPALITY,
    person_deactivate,
    require_admin,
    unit_create,
    unit_update,
)

MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024

IMPORT_TITLE = _("Import units and people")
IMPORT_INTRO = _(
    "Upload the files from the HR system: a units file, a people file or both, as CSV or Excel (.xlsx). "
    "Every line is checked first. If any line is wrong, nothing is saved and the errors are listed. "
    "Importing the same files again changes nothing."
)
IMPORT_ERRORS_HEADING = _("Nothing was imported. Correct these lines and try again:")
IMPORT_SUBMIT = _("Import")
IMPORT_LINK = _("Import from the HR system")
ERROR_NO_FILES = _("Choose a units file, a people file or both.")
ERROR_FILE_TOO_LARGE = _("The file is larger than %(max)s MB.")
DEACTIVATE_ACTION = _("Deactivate the selected people")
DEACTIVATED_MESSAGE = _("People deactivated: %(count)s.")


class AuditedOrganisationAdmin(AuditedAdmin):
    """Shows an account only the municipalities it administers; its saves and deletes are checked and audited."""

    municipality_lookup = "unit__municipality"

    def municipality_of(self, obj: Any) -> Municipality:
        return obj.unit.municipality

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        return queryset.filter(**{f"{self.municipality_lookup}__in": municipalities_administered(actor=request.user)})

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        require_admin(actor=request.user, municipality=self.municipality_of(obj))
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset.select_related(self.municipality_lookup))

    def audit_delete(self, request: HttpRequest, obj: Model) -> None:
        require_admin(actor=request.user, municipality=self.municipality_of(obj))
        super().audit_delete(request, obj)


class _SameMunicipalityForm(forms.ModelForm):
    """The person named on a unit's row belongs to the unit's municipality."""

    person_field = "person"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, person = cleaned.get("unit"), cleaned.get(self.person_field)
        if unit is not None and person is not None and unit.municipality_id != person.municipality_id:
            self.add_error(self.person_field, str(ERROR_PERSON_OTHER_MUNICIPALITY))
        return cleaned


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["municipality", "code", "name", "kind", "parent", "description"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parent: Unit | None = cleaned.get("parent")
        municipality = cleaned.get("municipality") or getattr(self.instance, "municipality", None)
        if parent is not None and municipality is not None and parent.municipality_id != municipality.pk:
            self.add_error("parent", str(ERROR_PARENT_OTHER_MUNICIPALITY))
        moved_below_itself = parent is not None and parent.path.startswith(self.instance.path)
        if self.instance.pk and moved_below_itself:
            self.add_error("parent", str(ERROR_PARENT_CYCLE))
        return cleaned


class OrganisationImportForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=capfirst(Municipality._meta.verbose_name)
    )
    units_file = forms.FileField(label=_("Units file"), required=False)
    people_file = forms.FileField(label=_("People file"), required=False)
    dry_run = forms.BooleanField(label=_("Only check the files, save nothing"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = municipalities_administered(actor=user)
        municipality_field = self.fields["municipality"]
        assert isinstance(municipality_field, forms.ModelChoiceField)
        municipality_field.queryset = queryset
        if len(choices := list(queryset[:2])) == 1:
            municipality_field.initial = choices[0].pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("units_file") and not cleaned.get("people_file"):
            raise forms.ValidationError(str(ERROR_NO_FILES))
        for name in ("units_file", "people_file"):
            upload = cleaned.get(name)
            if upload is not None and upload.size > MAX_IMPORT_FILE_BYTES:
                self.add_error(name, str(ERROR_FILE_TOO_LARGE) % {"max": MAX_IMPORT_FILE_BYTES // (1024 * 1024)})
        return cleaned


@admin.register(Unit)
class UnitAdmin(AuditedOrganisationAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "parent", "municipality"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["parent", "municipality"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    municipality_lookup = "municipality"

    def municipality_of(self, obj: Any) -> Municipality:
        return obj.municipality

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is the key the HR import matches on; a unit stays in its municipality.
        return ["municipality", "code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases and routines point at units; a unit is renamed or moved, never deleted

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        # Through the services: they keep the materialised paths right and record the audit event.
        if change:
            saved = unit_update(
                actor=request.user,
                unit=Unit.objects.select_related("municipality").get(pk=obj.pk),
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                description=obj.description,
            )
        else:
            saved = unit_create(
                actor=request.user,
                municipality=obj.municipality,
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                description=obj.description,
            )
            obj.pk = saved.pk
            obj._state.adding = False
        obj.path = saved.path

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="organisation_unit_import"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "import_label": str(IMPORT_LINK)})

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a units file and/or a people file; all or nothing, with every error listed."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = OrganisationImportForm(request.POST or None, request.FILES or None, user=request.user)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                result = organisation_import_files(
                    actor=request.user,
                    municipality=form.cleaned_data["municipality"],
                    units=form.cleaned_data["units_file"],
                    people=form.cleaned_data["people_file"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except PermissionDenied:
                form.add_error("municipality", str(ERROR_NOT_ALLOWED))
            else:
                errors = [str(error) for error in result.errors]
                if result.ok:
                    self.message_user(request, result.summary(), messages.SUCCESS)
                    if not result.dry_run:
                        return HttpResponseRedirect(reverse("admin:organisation_unit_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(IMPORT_TITLE),
            "intro": str(IMPORT_INTRO),
            "errors_heading": str(IMPORT_ERRORS_HEADING),
            "submit_label": str(IMPORT_SUBMIT),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/organisation/unit/import.html", context)


@admin.register(Person)
class PersonAdmin(AuditedOrganisationAdmin):
    list_display = ["last_name", "first_name", "employee_number", "title", "municipality", "is_active"]
    list_filter = ["is_active", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["last_name", "first_name", "employee_number", "email"]
    raw_id_fields = ["user"]
    actions = ["deactivate"]
    municipality_lookup = "municipality"

    def municipality_of(self, obj: Any) -> Municipality:
        return obj.municipality

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["municipality"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # public records name the people who handled them: deactivate a person who has left

    @admin.action(description=DEACTIVATE_ACTION)
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        people = list(queryset.filter(is_active=True).select_related("municipality"))
        for person in people:
            person_deactivate(actor=request.user, person=person)
        self.message_user(request, str(DEACTIVATED_MESSAGE) % {"count": len(people)}, messages.SUCCESS)


class MembershipAdminForm(_SameMunicipalityForm):
    class Meta:
        model = Membership
        fields = ["person", "unit", "role"]


@admin.register(Membership)
class MembershipAdmin(AuditedOrganisationAdmin):
    form = MembershipAdminForm
    list_display = ["person", "unit", "role"]
    list_filter = ["role"]
    list_select_related = ["person", "unit"]
    search_fields = ["person__last_name", "person__first_name", "person__employee_number", "unit__name", "unit__code"]
    autocomplete_fields = ["person", "unit"]


class ResponsibilityAdminForm(_SameMunicipalityForm):
    class Meta:
        model = Responsibility
        fields = ["unit", "area", "person"]


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedOrganisationAdmin):
    form = ResponsibilityAdminForm
    list_display = ["area", "unit", "person"]
    list_select_related = ["unit", "person"]
    search_fields = ["area", "unit__name", "unit__code", "person__last_name"]
    autocomplete_fields = ["unit", "person"]


class RoutineAdminForm(_SameMunicipalityForm):
    person_field = "owner"

    class Meta:
        model = Routine
        fields = ["unit", "title", "description", "owner", "review_date"]


@admin.register(Routine)
class RoutineAdmin(AuditedOrganisationAdmin):
    form = RoutineAdminForm
    list_display = ["title", "unit", "owner", "review_date"]
    list_select_related = ["unit", "owner"]
    search_fields = ["title", "unit__name", "unit__code"]
    autocomplete_fields = ["unit", "owner"]
    date_hierarchy = "review_date"
