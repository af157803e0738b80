"""Admin of the Open311 apps: a superuser issues an app its API key, which is shown once, in a message.

Importing this module registers the model. Only the key's hash is stored, and it is never shown.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from brobygget.dialog.models import Open311Client
from brobygget.dialog.open311.services import open311_client_update
from brobygget.dialog.services import open311_client_create

KEY_ISSUED_MESSAGE = _(
    "The API key of %(name)s is %(key)s — copy it now and give it to the app's developer. "
    "It is shown only this once: Brobygget keeps only a fingerprint of it."
)
DEACTIVATE_ACTION = _("Switch off the keys of the selected apps")
DEACTIVATED_MESSAGE = _("Apps switched off: %(count)s.")


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "is_active", "created_at"]
    list_filter = ["is_active", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
    actions = ["deactivate"]

    def _superuser(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases name the app they came from; an app's key is switched off instead

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("municipality", "name")
        return ("municipality", "name", "is_active", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["municipality", "created_at"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change:
            open311_client_update(actor=request.user, client=obj, name=obj.name, is_active=obj.is_active)
            return
        client, key = open311_client_create(actor=request.user, municipality=obj.municipality, name=obj.name)
        # The admin goes on with `obj` (its history entry, the redirect): make it the row the service wrote.
        obj.pk, obj.key_hash, obj.created_at, obj.is_active = client.pk, client.key_hash, client.created_at, True
        obj._state.adding = False
        obj._state.db = client._state.db
        self.message_user(request, KEY_ISSUED_MESSAGE % {"name": client.name, "key": key}, messages.WARNING)

    @admin.action(description=DEACTIVATE_ACTION)
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        count = 0
        for client in queryset.filter(is_active=True):
            open311_client_update(actor=request.user, client=client, name=client.name, is_active=False)
            count += 1
        self.message_user(request, DEACTIVATED_MESSAGE % {"count": count}, messages.SUCCESS)
