"""The form of Min sida where a person chooses how they hear of cases (dialog/notify.py)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygget.dialog.models import CaseMail

# The summary's times of day: every half hour of a working day (the task runs every quarter of an hour).
DAILY_TIMES = [datetime.time(hour, minute) for hour in range(6, 19) for minute in (0, 30)]


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


class MailChoiceForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How do you want to hear of cases?"), choices=CaseMail.choices, widget=forms.RadioSelect
    )
    daily_at = forms.TypedChoiceField(
        label=_("Time of the daily summary"),
        choices=[(time.strftime("%H:%M"), time.strftime("%H:%M")) for time in DAILY_TIMES],
        coerce=_time,
        required=False,
        empty_value=None,
    )
