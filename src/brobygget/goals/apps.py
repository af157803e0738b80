from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "brobygget.goals"
    label = "goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        # The audit log says what this app's actions mean, as sentences (goals.audit_texts).
        from brobygget.core.audit import audit_texts_register
        from brobygget.goals.audit_texts import AUDIT_TEXTS

        audit_texts_register(AUDIT_TEXTS)

        # A goal's page lists its indicators (views_indicators).
        from brobygget.goals.sections import GOAL_PAGE
        from brobygget.goals.views_indicators import indicators_section

        GOAL_PAGE.register(order=20)(indicators_section)

        # "Min sida" shows the follow-ups due, and a leader the overdue ones of their units.
        from brobygget.goals.my_page import my_page_section
        from brobygget.organisation.workspace import register_my_page_section

        register_my_page_section(order=25)(my_page_section)

        # A goal's page shows its status, the roll-up's explanation and its follow-ups.
        from brobygget.goals.views_followup import goal_page_section

        GOAL_PAGE.register(order=5)(goal_page_section)
