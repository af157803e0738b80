from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "brobygget.goals"
    label = "goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        # A goal's page lists its indicators (views_indicators).
        from brobygget.goals.sections import GOAL_PAGE
        from brobygget.goals.views_indicators import indicators_section

        GOAL_PAGE.register(order=20)(indicators_section)
