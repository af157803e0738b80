"""What the open results' audit actions mean, as the admin's audit log says them (core.audit.audit_text)."""

from django.utils.translation import gettext_lazy as _

AUDIT_TEXTS = {
    "openresults.published": _("A summary for residents was published in “You said – we did”."),
    "openresults.withdrawn": _("A publication in “You said – we did” was withdrawn."),
    "openresults.goal_published": _("A goal's follow-up was published in “Our goals”."),
    "openresults.goal_withdrawn": _("A goal's publication in “Our goals” was withdrawn."),
}
