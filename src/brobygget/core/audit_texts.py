"""What core's and organisation's audit actions mean, as the admin's audit log says them (core.audit.audit_text)."""

from django.utils.translation import gettext_lazy as _

AUDIT_TEXTS = {
    "account.created": _("An account was created."),
    "account.logged_in": _("Someone logged in."),
    "account.password_changed": _("A password was changed."),
    "account.password_reset": _("A password was set again through a reset link."),
    "account.unlocked": _("A locked login was opened again."),
    "principles.tagged": _("The principles of something were chosen."),
    "unit.created": _("A unit was created."),
    "unit.updated": _("A unit was changed."),
    "person.created": _("A person was added."),
    "person.updated": _("A person's details were changed."),
    "person.deactivated": _("A person was made inactive."),
    "membership.added": _("A person joined a unit."),
    "membership.removed": _("A person left a unit."),
    "responsibility.created": _("A responsibility was given to a unit."),
    "responsibility.updated": _("A responsibility was changed."),
    "routine.created": _("A routine was added to a unit."),
}
