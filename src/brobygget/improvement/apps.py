from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "brobygget.improvement"
    label = "improvement"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        # The audit log says what this app's actions mean, as sentences (improvement.audit_texts).
        from brobygget.core.audit import audit_texts_register
        from brobygget.improvement.audit_texts import AUDIT_TEXTS

        audit_texts_register(AUDIT_TEXTS)

        # A case's staff page shows the improvements raised from it, and the link that raises one.
        from brobygget.dialog.case_sections import CASE_PAGE
        from brobygget.improvement.cases import case_page_section

        CASE_PAGE.register(order=10)(case_page_section)

        # "Min sida" shows a leader the deviations waiting for their triage.
        from brobygget.improvement.views_learning import my_page_section
        from brobygget.organisation.workspace import register_my_page_section

        register_my_page_section(order=30)(my_page_section)

        # "Min sida" shows my improvements, what is due first.
        from brobygget.improvement.my_page import my_page_section as my_improvements_section

        register_my_page_section(order=20)(my_improvements_section)

        # A unit's page shows its board and the latest thanks; Min sida the thanks to me.
        from brobygget.improvement.recognitions import my_page_section as my_thanks_section
        from brobygget.improvement.recognitions import unit_page_section
        from brobygget.organisation.workspace import UNIT_PAGE

        UNIT_PAGE.register(order=10)(unit_page_section)
        register_my_page_section(order=40)(my_thanks_section)

        # A goal's page shows the improvement work that moves it.
        from brobygget.improvement import goals_link

        goals_link.register()
