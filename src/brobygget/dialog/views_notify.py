"""Min sida's form for how a person hears of cases (POST/redirect/GET back to Min sida)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from brobygget.dialog import notify
from brobygget.dialog.forms_notify import MailChoiceForm
from brobygget.dialog.models import CaseMail

MESSAGE_CHOSEN = {
    CaseMail.EACH: _("Saved: you get a mail for each case that comes to your unit or is given to you."),
    CaseMail.DAILY: _("Saved: you get a daily summary at %(time)s."),
    CaseMail.NONE: _("Saved: you get no mail about cases. My page and the inbox show them."),
}


@login_required
@require_POST
def mail_choice(request: HttpRequest) -> HttpResponse:
    """Save the person's choice of mail about cases."""
    form = MailChoiceForm(request.POST)
    back = reverse("my_page") + "#arendepost"
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect(back)
    how, daily_at = form.cleaned_data["how"], form.cleaned_data["daily_at"]
    try:
        choice = notify.mail_choice_set(actor=request.user, how=how, daily_at=daily_at)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    messages.success(request, str(MESSAGE_CHOSEN[how]) % {"time": choice.daily_at.strftime("%H:%M")})
    return redirect(back)
