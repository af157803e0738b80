"""Admin of deviations and learnings: read only (every write goes through the audited services).

A learning's author is not among the admin's fields, columns, searches or filters, for any learning: an anonymous
learning keeps no author at all, and the admin has no reason to name the author of a named one (its page does)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from brobygget.improvement.models import Deviation, Learning


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deviation)
class DeviationAdmin(_ReadOnlyAdmin):
    list_display = ["where", "unit", "happened_at", "state"]
    list_filter = ["state"]
    list_select_related = ["unit"]
    search_fields = ["where"]
    fields = [
        "municipality",
        "unit",
        "what_happened",
        "where",
        "happened_at",
        "reported_by",
        "reported_at",
        "state",
        "triaged_by",
        "triaged_at",
        "close_reason",
        "improvement",
    ]


@admin.register(Learning)
class LearningAdmin(_ReadOnlyAdmin):
    list_display = ["title", "unit", "written_at", "anonymous"]
    list_filter = ["anonymous"]
    list_select_related = ["unit"]
    search_fields = ["title"]
    # Never "author" (see the module's docstring).
    fields = [
        "municipality",
        "unit",
        "title",
        "what_happened",
        "what_we_expected",
        "what_we_learned",
        "what_we_change",
        "improvement",
        "deviation",
        "anonymous",
        "written_at",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("author")
