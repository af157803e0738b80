from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "brobygget.improvement"
    label = "improvement"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        # A case's staff page shows the improvements raised from it, and the link that raises one.
        from brobygget.dialog.case_sections import register_case_section
        from brobygget.improvement.cases import case_page_section

        register_case_section(order=10)(case_page_section)
