"""The goals' settings in the admin: the municipality's roll-up rule (goals.rollup), its Kolada setup (its Kolada id
and the similar municipalities it is compared with); indicators with their last Kolada fetch and error, and the
imports of values, to read."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality
from brobygget.goals.kept import kept_rebuild
from brobygget.goals.kolada.sync import ERROR_GROUP_IDS, group_ids_parse
from brobygget.goals.models import Indicator, KoladaSetup, MeasurementImport, RollupRule
from brobygget.organisation.admin import AuditedOrganisationAdmin


class KoladaErrorFilter(admin.SimpleListFilter):
    """Indicators whose last fetch from Kolada failed."""

    title = _("Kolada fetch")
    parameter_name = "kolada_error"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("failed", str(_("Failed"))), ("ok", str(_("Went well")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "failed":
            return queryset.exclude(kolada_error="")
        if self.value() == "ok":
            return queryset.filter(kolada_error="")
        return queryset


@admin.register(RollupRule)
class RollupRuleAdmin(admin.ModelAdmin):
    """A changed rule changes every rolled-up status: the kept roll-ups are computed again in the same transaction
    (goals.kept.kept_rebuild; the admin's change and delete run in one)."""

    list_display = ["municipality", "rule", "red_share", "yellow_share"]

    def save_model(self, request: HttpRequest, obj: RollupRule, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            kept_rebuild(municipality_id=obj.municipality_id)

    def delete_model(self, request: HttpRequest, obj: RollupRule) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            kept_rebuild(municipality_id=obj.municipality_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            municipalities = sorted(set(queryset.values_list("municipality_id", flat=True)))
            super().delete_queryset(request, queryset)
            for municipality_id in municipalities:
                kept_rebuild(municipality_id=municipality_id)


class KoladaSetupForm(forms.ModelForm):
    """The comparison group is a list of Kolada ids, checked (goals.kolada.sync.group_ids_parse)."""

    class Meta:
        model = KoladaSetup
        fields = ["municipality", "kolada_id", "group_name", "group_ids"]

    def clean_group_ids(self) -> str:
        return ", ".join(group_ids_parse(self.cleaned_data.get("group_ids") or ""))

    def clean_kolada_id(self) -> str:
        value = (self.cleaned_data.get("kolada_id") or "").strip()
        if value and not (len(value) == 4 and value.isdigit()):
            raise ValidationError(ERROR_GROUP_IDS)
        return value


@admin.register(KoladaSetup)
class KoladaSetupAdmin(AuditedOrganisationAdmin):
    """How the municipality is found in Kolada and the similar municipalities its indicators are compared with."""

    form = KoladaSetupForm
    municipality_lookup = "municipality"
    list_display = ["municipality", "kolada_id", "group_name", "group_ids"]

    def municipality_of(self, obj: Any) -> Municipality:
        return obj.municipality


@admin.register(Indicator)
class IndicatorAdmin(AuditedOrganisationAdmin):
    """Indicators, read here to see the Kolada fetch: its last time and its last error (changed on the goal pages,
    where the goal's editors are checked)."""

    municipality_lookup = "municipality"
    list_display = ["name", "goal", "source", "kolada_kpi", "kolada_synced_at", "kolada_error", "archived"]
    list_filter = ["source", "archived", KoladaErrorFilter]
    search_fields = ["name", "kolada_kpi"]
    list_select_related = ["goal"]

    def municipality_of(self, obj: Any) -> Municipality:
        return obj.municipality

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MeasurementImport)
class MeasurementImportAdmin(AuditedOrganisationAdmin):
    """Imports of values from files, read-only: how each ended, and the bad lines of those that were refused."""

    municipality_lookup = "goal__municipality"
    list_display = ["file_name", "goal", "status", "done", "total", "written", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["goal"]
    exclude = ["content"]

    def municipality_of(self, obj: Any) -> Municipality:
        return obj.goal.municipality

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
