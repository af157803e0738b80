"""What the improvement work's audit actions mean, as the admin's audit log says them (core.audit.audit_text)."""

from django.utils.translation import gettext_lazy as _

AUDIT_TEXTS = {
    "improvement.raised": _("An improvement was raised."),
    "improvement.updated": _("An improvement was changed."),
    "improvement.moved": _("An improvement moved to another stage."),
    "improvement.finished": _("An improvement was finished."),
    "improvement.spread": _("An improvement was spread to another unit."),
    "improvement.became_routine": _("An improvement became a routine of the unit."),
    "improvement.summary_written": _("The summary for residents was written."),
    "deviation.reported": _("A deviation was reported."),
    "deviation.triaged": _("A deviation was triaged."),
    "learning.written": _("A learning was written."),
    "recognition.given": _("Someone was thanked."),
    "recognition.hidden": _("A thank-you was hidden from the organisation by the person thanked."),
    "recognition.shown": _("A thank-you was shown to the organisation again."),
}
