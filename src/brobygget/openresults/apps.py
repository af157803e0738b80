from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenResultsConfig(AppConfig):
    name = "brobygget.openresults"
    label = "openresults"
    verbose_name = _("Open results")

    def ready(self) -> None:
        # The audit log says what this app's actions mean, as sentences (openresults.audit_texts).
        from brobygget.core.audit import audit_texts_register
        from brobygget.openresults.audit_texts import AUDIT_TEXTS

        audit_texts_register(AUDIT_TEXTS)

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

        # Every page's footer links the public results (core.sections.FOOTER_LINKS).
        from brobygget.core.sections import FOOTER_LINKS

        FOOTER_LINKS.register(order=10, label=_("You said – we did"), url_name="openresults:you_said_we_did")
        FOOTER_LINKS.register(order=20, label=_("How we keep our promises"), url_name="openresults:promises")
        FOOTER_LINKS.register(order=30, label=_("Our goals"), url_name="openresults:our_goals")
        FOOTER_LINKS.register(order=40, label=_("Feedback in figures"), url_name="openresults:figures")
