"""Admin of the dialog: categories with their service promises, answer templates and the municipality's dialog
settings (every write audited), and the cases, read-only: a case is a public record, handled on the staff pages
through the services, never in the admin.

An administrator sees and changes only the municipalities they administer (a superuser: all of them).
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from brobygget.core.admin import AuditedAdmin
from brobygget.core.audit import audit_record
from brobygget.dialog.models import AnswerTemplate, Case, Category, DialogSettings, ServicePromise
from brobygget.organisation.models import Unit
from brobygget.organisation.selectors import municipalities_administered
from brobygget.organisation.services import ERROR_PERSON_OTHER_MUNICIPALITY, require_admin


class _MunicipalityAdmin(AuditedAdmin):
    """Lists, offers and saves only rows of the municipalities the account administers; audits every save."""

    municipality_lookup = "municipality"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        return queryset.filter(**{f"{self.municipality_lookup}__in": municipalities_administered(actor=request.user)})

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        administered = municipalities_administered(actor=request.user)
        if db_field.name == "municipality":
            kwargs["queryset"] = administered
        elif db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(municipality__in=administered).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        require_admin(actor=request.user, municipality=obj.municipality)  # type: ignore[arg-type]
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases point at categories, answers were written from templates: switch them off instead


class CategoryAdminForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["municipality", "code", "name", "description", "unit", "order", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        municipality = cleaned.get("municipality") or getattr(self.instance, "municipality", None)
        unit: Unit | None = cleaned.get("unit")
        if unit is not None and municipality is not None and unit.municipality_id != municipality.pk:
            self.add_error("unit", str(ERROR_PERSON_OTHER_MUNICIPALITY))
        return cleaned


class AuditedPromiseFormSet(BaseInlineFormSet):
    """Records an audit event for every promise added, changed or removed with the category."""

    request_user: Any = None

    def save(self, commit: bool = True) -> list[Any]:
        category = self.instance
        # Before saving: a deleted row has no id afterwards to name in the log.
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                self._audit(form.instance, "deleted_in_admin", None, category)
        saved = super().save(commit=commit)
        for promise in self.new_objects:
            self._audit(promise, "created_in_admin", None, category)
        for promise, fields in self.changed_objects:
            self._audit(promise, "updated_in_admin", list(fields), category)
        return saved

    def _audit(self, promise: Model, what: str, fields: list[str] | None, category: Category) -> None:
        audit_record(
            actor=self.request_user,
            action=f"servicepromise.{what}",
            target=promise,
            municipality=category.municipality,
            fields=fields,
            extra={"category": category.pk},
        )


class ServicePromiseInline(admin.TabularInline):
    model = ServicePromise
    formset = AuditedPromiseFormSet
    extra = 1
    fields = ["kind", "acknowledge_days", "answer_days"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        assert issubclass(formset, AuditedPromiseFormSet)
        formset.request_user = request.user
        return formset


@admin.register(Category)
class CategoryAdmin(_MunicipalityAdmin):
    form = CategoryAdminForm
    inlines = [ServicePromiseInline]
    list_display = ["name", "code", "unit", "municipality", "order", "is_active"]
    list_filter = ["is_active", "municipality"]
    list_select_related = ["unit", "municipality"]
    search_fields = ["name", "code"]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        # The audit log names the category and its promises: their two content types in one query.
        ContentType.objects.get_for_models(Category, ServicePromise)
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is the Open311 service code apps know the category by; a category stays in its municipality.
        return ["municipality", "code"] if obj is not None else []


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(_MunicipalityAdmin):
    list_display = ["title", "municipality", "is_active"]
    list_filter = ["is_active", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "text"]
    fields = ["municipality", "title", "text", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["municipality"] if obj is not None else []


@admin.register(DialogSettings)
class DialogSettingsAdmin(_MunicipalityAdmin):
    """How the municipality's dialog behaves: what a resident's "No, not solved" does (docs/staff.md)."""

    list_display = ["municipality", "when_not_solved"]
    list_select_related = ["municipality"]
    fields = ["municipality", "when_not_solved"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["municipality"] if obj is not None else []


# What the admin shows of a case: no contact details (they are on the staff page, for those who handle it).
CASE_FIELDS = (
    "municipality",
    "number",
    "kind",
    "category",
    "unit",
    "assignee",
    "status",
    "source",
    "text",
    "address",
    "wants_answer",
    "submitted_at",
    "acknowledge_due",
    "answer_due",
    "acknowledged_at",
    "answered_at",
    "closed_at",
    "rejection_reason",
    "duplicate_of",
    "resolved",
)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases, to look up: no adding, no changing, no deleting. The resident's contact details are left out."""

    list_display = ["number", "kind", "category", "unit", "assignee", "status", "submitted_at", "answer_due"]
    list_filter = ["status", "kind", "source", "municipality"]
    list_select_related = ["category", "unit", "assignee"]
    search_fields = ["=number"]
    show_full_result_count = False  # no second COUNT(*) over a million cases
    fields = CASE_FIELDS
    readonly_fields = CASE_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        return queryset.filter(municipality__in=municipalities_administered(actor=request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from brobygget.dialog.open311 import admin as open311_admin  # noqa: E402, F401
