"""Admin of cross-cutting data. The audit log and the outbox are read-only; principles are editable, and audited."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr, urlize
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from brobygget.core.audit import audit_actions_described, audit_record, audit_text
from brobygget.core.models import AuditEvent, Municipality, OutboxMail, Principle


class AuditedAdmin(admin.ModelAdmin):
    """Records an audit event, naming the changed fields, for every save and delete made in the admin."""

    def municipality_of(self, obj: Any) -> Municipality | None:
        return getattr(obj, "municipality", None)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.model_name}.{'updated' if change else 'created'}_in_admin",
            target=obj,
            municipality=self.municipality_of(obj),
            fields=list(form.changed_data) if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def audit_delete(self, request: HttpRequest, obj: Model) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"{obj._meta.model_name}.deleted_in_admin",
            target=obj,
            municipality=self.municipality_of(obj),
        )


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    """The municipality, and its face on the public pages (core/face.py): a save shows on every page at once."""

    list_display = ["name", "code", "phone", "email"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "code"]}),
        (
            _("On every page: the header and the footer"),
            {"fields": ["logo", "phone", "email", "visiting_address", "opening_hours"]},
        ),
        (
            _("The privacy page: how personal data in feedback is handled"),
            {
                "description": _("Plain text: a blank line starts a new paragraph."),
                "fields": [
                    "privacy_purpose",
                    "privacy_legal_basis",
                    "privacy_retention",
                    "privacy_rights",
                    "privacy_dpo_contact",
                ],
            },
        ),
        (
            _("The accessibility statement"),
            {
                "description": _(
                    "What the Act on accessibility to digital public services and Digg's template ask for. "
                    "Plain text: a blank line starts a new paragraph."
                ),
                "fields": [
                    "accessibility_compliance",
                    "accessibility_shortcomings",
                    "accessibility_burden",
                    "accessibility_out_of_scope",
                    "accessibility_testing",
                    "accessibility_statement_date",
                    "accessibility_reviewed_date",
                ],
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def municipality_of(self, obj: Any) -> Municipality | None:
        return obj if isinstance(obj, Municipality) else None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Principle)
class PrincipleAdmin(AuditedAdmin):
    list_display = ["order", "title"]
    list_display_links = ["title"]
    prepopulated_fields = {"slug": ["title"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Tags point at principles; retire a principle by rewording it, not by deleting it.
        return False


# Texts of Django's own admin that its Swedish catalogue lacks ("Filter by tid") or words oddly ("På källa"): ours,
# read first (LOCALE_PATHS), gives them. Named here so that `make messages` keeps them.
DJANGO_ADMIN_TEXTS = (_("Filter by %(field_name)s"), _(" By %(filter_title)s "))


class ActionFilter(admin.SimpleListFilter):
    """The audit log's actions by their sentences (each app's audit_texts.py), not by their codes."""

    title = _("what happened")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return sorted(((action, audit_text(action)) for action in audit_actions_described()), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: who did what, when, to which object, each action said as a sentence."""

    list_display = ["created_at", "what", "actor", "target_type", "target_id", "municipality"]
    list_filter = [ActionFilter, "municipality"]
    list_select_related = ["actor", "target_type", "municipality"]
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "what", "action", "actor", "target_type", "target_id", "municipality", "payload")
    fields = readonly_fields

    @admin.display(description=_("what happened"), ordering="action")
    def what(self, event: AuditEvent) -> str:
        return audit_text(event.action)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    """The Utkorg: the mail the demo kept instead of sending. Administrators only: it names residents' addresses."""

    list_display = ["created_at", "recipients", "subject", "sender"]
    search_fields = ["recipients", "subject"]
    fields = readonly_fields = ("created_at", "sender", "recipients", "subject", "text", "html_body", "message")

    @admin.display(description=_("text"))
    def text(self, obj: OutboxMail) -> SafeString:
        """The text as the recipient reads it, its addresses as links."""
        return linebreaksbr(urlize(obj.body, autoescape=True))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
