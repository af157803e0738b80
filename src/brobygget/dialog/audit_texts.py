"""What the dialog's audit actions mean, as the admin's audit log says them (core.audit.audit_text)."""

from django.utils.translation import gettext_lazy as _

AUDIT_TEXTS = {
    "case.submitted": _("A resident sent a case."),
    "case.answered": _("The case was answered."),
    "case.assigned": _("The case was given to a unit or a case handler."),
    "case.duplicate_linked": _("The case was marked as the same as another case."),
    "case.followed_up": _("The residents were told what was done (“Det här gjorde vi”)."),
    "case.noted": _("An internal note was written on the case."),
    "case.recategorised": _("The case was given another category."),
    "case.rejected": _("The case was closed without an answer."),
    "case.resident_news_read": _("Staff read what the resident sent back."),
    "case.resident_replied": _("The resident replied."),
    "case.resolved_answered": _("The resident said whether it was resolved."),
    "case.status_set": _("The case's status was changed."),
    "case.text_corrected": _("The case's text was corrected by staff (the resident's own text is kept)."),
    "case_mail.chosen": _("A person chose which mail about cases to get."),
    "open311.client_created": _("An Open311 app was given a key."),
    "open311.client_updated": _("An Open311 app's key or limits were changed."),
    "open311.post": _("An Open311 app sent a case."),
    "servicepromise.created_in_admin": _("A service promise was created in the admin."),
    "servicepromise.updated_in_admin": _("A service promise was changed in the admin."),
    "servicepromise.deleted_in_admin": _("A service promise was deleted in the admin."),
}
