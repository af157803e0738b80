from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenResultsConfig(AppConfig):
    name = "brobygget.openresults"
    label = "openresults"
    verbose_name = _("Open results")

    def ready(self) -> None:
        # The written summary's page offers Publicera; the resident's tracking page links to the publication.
        from brobygget.dialog.case_sections import TRACKING_PAGE
        from brobygget.improvement.sections import SUMMARY_PAGE
        from brobygget.openresults.sections import summary_page_section, tracking_page_section

        SUMMARY_PAGE.register(order=10)(summary_page_section)
        TRACKING_PAGE.register(order=10)(tracking_page_section)

        # A goal's page says whether it is on "Våra mål", and offers its leaders to publish its latest follow-up.
        from brobygget.goals.sections import GOAL_PAGE
        from brobygget.openresults.views_goals import goal_page_section

        GOAL_PAGE.register(order=30)(goal_page_section)
