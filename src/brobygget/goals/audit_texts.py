"""What the goals' audit actions mean, as the admin's audit log says them (core.audit.audit_text)."""

from django.utils.translation import gettext_lazy as _

AUDIT_TEXTS = {
    "goal.created": _("A goal was created."),
    "goal.updated": _("A goal was changed."),
    "goal.copied_down": _("A goal was copied down to the units below."),
    "goal.followed_up": _("A goal was followed up."),
    "goal_period.created": _("A period was created."),
    "goal_period.started": _("A new period was started from a copy of an earlier one."),
    "indicator.created": _("An indicator was created."),
    "indicator.updated": _("An indicator was changed."),
    "indicator.target_set": _("An indicator's target was set."),
    "indicator.kolada_title_confirmed": _("A new title of a Kolada key figure was confirmed."),
    "measurement.recorded": _("A measurement was entered."),
    "measurement.imported": _("Measurements were imported from a file."),
}
