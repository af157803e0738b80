from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogConfig(AppConfig):
    name = "brobygget.dialog"
    label = "dialog"
    verbose_name = _("Dialogue with residents")

    def ready(self) -> None:
        # "Min sida" shows the cases a person answers for that are due soon or overdue.
        from brobygget.dialog.views_staff import my_page_section
        from brobygget.organisation.workspace import register_my_page_section

        register_my_page_section(order=10)(my_page_section)
