"""What the demo's audit actions mean, as the admin's audit log says them (core.audit.audit_text)."""

from django.utils.translation import gettext_lazy as _

AUDIT_TEXTS = {
    "demo.scale_generated": _("A municipality of made-up data was generated for measuring (demo_scale)."),
}
