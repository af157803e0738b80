from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "brobygget.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The audit log says what this app's actions mean, as sentences (core.audit_texts).
        from brobygget.core.audit import audit_texts_register
        from brobygget.core.audit_texts import AUDIT_TEXTS

        audit_texts_register(AUDIT_TEXTS)

        # Every page shows the municipality's face (core/face.py): a change to it is kept at once.
        from django.db.models.signals import post_delete, post_save

        from brobygget.core import checks  # noqa: F401 - registers the system checks
        from brobygget.core.face import municipality_face_refresh
        from brobygget.core.models import Municipality

        post_save.connect(municipality_face_refresh, sender=Municipality, dispatch_uid="municipality-face-save")
        post_delete.connect(municipality_face_refresh, sender=Municipality, dispatch_uid="municipality-face-delete")
