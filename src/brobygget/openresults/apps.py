from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenResultsConfig(AppConfig):
    name = "brobygget.openresults"
    label = "openresults"
    verbose_name = _("Open results")
