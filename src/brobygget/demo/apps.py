from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "brobygget.demo"
    label = "demo"
    verbose_name = _("Demo municipality")

    def ready(self) -> None:
        # The audit log says what this app's actions mean, as sentences (demo.audit_texts).
        from brobygget.core.audit import audit_texts_register
        from brobygget.demo.audit_texts import AUDIT_TEXTS

        audit_texts_register(AUDIT_TEXTS)
