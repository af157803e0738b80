from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from brobygget.core import health
from brobygget.core import views as core_views
from brobygget.dialog import views_public as dialog_public_views
from brobygget.openresults.api import api as open_data_api
from brobygget.organisation import views as organisation_views

urlpatterns = [
    path("", dialog_public_views.home, name="home"),
    path("principer/", core_views.principles, name="principles"),
    path("kontakt/", core_views.contact, name="contact"),
    path("personuppgifter/", core_views.privacy, name="privacy"),
    path("tillganglighetsredogorelse/", core_views.accessibility, name="accessibility"),
    path("kommunens-logotyp", core_views.municipality_logo, name="municipality_logo"),
    path("healthz", health.healthz, name="healthz"),
    path("sprak/", set_language, name="set_language"),
    path("konto/logga-in/", core_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/glomt-losenord/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path("konto/glomt-losenord/skickat/", core_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        core_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("konto/nytt-losenord/klart/", core_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("min-sida/", organisation_views.my_page, name="my_page"),
    path("organisation/", include("brobygget.organisation.urls")),
    path("", include("brobygget.dialog.urls_public")),
    path("arenden/", include("brobygget.dialog.urls_staff")),
    path("open311/", include("brobygget.dialog.open311.urls")),
    path("forbattringar/", include("brobygget.improvement.urls")),
    path("mal/", include("brobygget.goals.urls")),
    path("resultat/", include("brobygget.openresults.urls")),
    path("api/v1/", open_data_api.urls),
    path("admin/login/", core_views.admin_login),  # before the admin's own: every way in shares one throttle
    path("admin/", admin.site.urls),
]
