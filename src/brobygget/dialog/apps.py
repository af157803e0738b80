from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogConfig(AppConfig):
    name = "brobygget.dialog"
    label = "dialog"
    verbose_name = _("Dialogue with residents")

    def ready(self) -> None:
        # The audit log says what this app's actions mean, as sentences (dialog.audit_texts).
        from brobygget.core.audit import audit_texts_register
        from brobygget.dialog.audit_texts import AUDIT_TEXTS

        audit_texts_register(AUDIT_TEXTS)

        # "Min sida" shows the cases a person answers for that are due soon or overdue, a leader's units' cases,
        # and how the person hears of new cases.
        from brobygget.dialog.my_page import led_cases_section, mail_choice_section, my_cases_section
        from brobygget.organisation.workspace import register_my_page_section

        register_my_page_section(order=10)(my_cases_section)
        register_my_page_section(order=11)(led_cases_section)
        register_my_page_section(order=90)(mail_choice_section)

        # The resident pages keep the municipality's set-up in the cache: a change to it clears that at once.
        from django.db.models.signals import post_delete, post_save

        from brobygget.core.models import Municipality
        from brobygget.dialog.models import Category, ServicePromise
        from brobygget.dialog.public import public_setup_forget

        for model in (Municipality, Category, ServicePromise):
            post_save.connect(public_setup_forget, sender=model, dispatch_uid=f"public-setup-{model.__name__}-save")
            post_delete.connect(public_setup_forget, sender=model, dispatch_uid=f"public-setup-{model.__name__}-del")
